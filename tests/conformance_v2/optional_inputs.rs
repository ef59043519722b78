//! `critical__component_with_optional_inputs.yaml`: a component input with a
//! default and two optional ones, one left out.

use kfp::prelude::*;

#[component(name = "component_op")]
pub fn component(#[default("default value")] input1: String, input2: Option<String>, input3: Option<String>) {
    println!("input1: {input1}, input2: {input2:?}, input3: {input3:?}");
}

#[pipeline(name = "v2-component-optional-input")]
fn my_pipeline() {
    component_op("Hello", Some("World".to_owned()), None::<String>);
}

#[test]
fn optional_inputs() {
    super::check("critical__component_with_optional_inputs", my_pipeline);
}
