//! The shape of examples/add_pipeline.rs.

#![deny(warnings)]

use kfp::prelude::*;

/// Adds two numbers.
#[component(base_image = "rust:1.83-slim", output_component_file = "add.component.yaml")]
pub fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[component]
pub fn subtract(value_1: i64, value_2: i64) -> i64 {
    value_1 - value_2
}

#[component(name = "Multiply numbers", description = "Multiplies two numbers")]
pub fn multiply(value_1: i64, value_2: i64) -> i64 {
    value_1 * value_2
}

#[pipeline(name = "add example")]
pub fn my_pipeline(value_1: i64, value_2: i64) {
    let task_1 = add_op(value_1, value_2);
    let task_2 = subtract_op(value_1, value_2);
    multiply_op(task_1.output(), task_2.output());
}

fn main() {
    let yaml = kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
    assert!(yaml.contains("generateName: add-example-"), "{yaml}");
    assert_eq!(add(1, 2), 3);
    assert_eq!(add_component().spec.name, "Add");
    assert_eq!(multiply_component().spec.name, "Multiply numbers");
}
