use kfp::prelude::*;

// serde_yaml is a dependency of this crate, but not of the component's container.
#[component(packages_to_install = ["serde_json@1"])]
fn to_yaml(json: String) -> Result<String, String> {
    use serde_yaml::to_string;
    let value: serde_json::Value = serde_json::from_str(&json).map_err(|error| error.to_string())?;
    serde_yaml::to_string(&value).or_else(|_| to_string(&value)).map_err(|error| error.to_string())
}

#[pipeline]
fn my_pipeline(json: String) {
    to_yaml_op(json);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
