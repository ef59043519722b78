use kfp::prelude::*;

// The container gets the serde_json of this crate's Cargo.lock (1.0.x), which
// `serde_json@0.9` does not accept.
#[component(packages_to_install = ["serde_json@0.9"])]
fn keys(json: String) -> Result<usize, String> {
    let value: serde_json::Value = serde_json::from_str(&json).map_err(|error| error.to_string())?;
    Ok(value.as_object().map_or(0, |object| object.len()))
}

#[pipeline]
fn my_pipeline(json: String) {
    keys_op(json);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
