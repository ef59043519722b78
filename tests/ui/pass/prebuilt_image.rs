//! A prebuilt-image component uses the crate around it (a helper, a constant,
//! an import of the module) and mixes with an embedded-source component.

#![deny(warnings)]

use std::collections::BTreeMap;

use kfp::prelude::*;

const FACTOR: i64 = 3;

fn scale(value: i64) -> i64 {
    value * FACTOR
}

/// Scales with the crate's own helper.
#[component(image = "registry.example.com/app:1", command = "my-app")]
pub fn scaled(value: i64, labels: BTreeMap<String, i64>) -> i64 {
    scale(value) + crate::scale(labels.len() as i64)
}

#[component(image = "registry.example.com/app:1")]
fn default_program(value: i64) -> i64 {
    value
}

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[pipeline]
fn mixed(value: i64) {
    let scaled = scaled_op(value, BTreeMap::from([("a".to_owned(), 1)]));
    let plain = default_program_op(value);
    add_op(scaled.output(), plain.output());
}

fn main() {
    assert_eq!(scaled(2, BTreeMap::new()), 6);
    let spec = &scaled_component().spec;
    let command: Vec<String> =
        spec.implementation.container.command.iter().map(|part| serde_json::to_value(part).unwrap().to_string()).collect();
    assert_eq!(command, ["\"my-app\"", "\"component\"", "\"Scaled\""]);
    assert_eq!(spec.implementation.container.image, "registry.example.com/app:1");
    assert_eq!(spec.description.as_deref(), Some("Scales with the crate's own helper."));
    let default = &default_program_component().spec.implementation.container.command;
    assert_eq!(serde_json::to_value(&default[0]).unwrap(), env!("CARGO_PKG_NAME"));
    let names: Vec<&str> = kfp::components().iter().map(|entry| entry.name()).collect();
    assert_eq!(names, ["Default program", "Scaled"]);
    kfp::Compiler::new().compile_to_string(mixed).unwrap();
}
