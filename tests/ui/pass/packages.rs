//! Crates of `packages_to_install` used by path in the body.

#![deny(warnings)]

use kfp::prelude::*;

#[component(packages_to_install = ["serde_json@1", "serde_yaml@0.9"])]
fn to_yaml(json: &str) -> Result<String, String> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|error| error.to_string())?;
    serde_yaml::to_string(&value).map_err(|error| error.to_string())
}

#[component(packages_to_install = ["serde_json@1"])]
fn keys(json: serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    match json {
        Value::Object(map) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

#[pipeline]
fn my_pipeline(json: String) {
    to_yaml_op(json);
    keys_op(serde_json::json!({"a": 1}));
}

fn main() {
    let yaml = kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
    assert!(yaml.contains("serde_yaml"), "{yaml}");
}
