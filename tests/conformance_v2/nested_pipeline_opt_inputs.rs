//! `parallel_and_nested__nested_pipeline_opt_input_child_level.yaml`: a pipeline
//! called as a task with some of its parameters, the others left to their
//! defaults (`None` for a parameter with one); its components' inputs optional
//! (kfp's `= None`, an `Option` here) and named in camel case as kfp's are.
#![allow(non_snake_case)]

use kfp::prelude::*;

#[component]
fn component_a_str(componentInputStr: Option<String>) {
    println!("{componentInputStr:?}");
}

#[component]
fn component_b_str(componentInputStr: Option<String>) {
    println!("{componentInputStr:?}");
}

#[component]
fn component_a_int(componentInputInt: Option<i64>) {
    println!("{componentInputInt:?}");
}

#[component]
fn component_b_int(componentInputInt: Option<i64>) {
    println!("{componentInputInt:?}");
}

#[component]
fn component_a_bool(componentInputBool: Option<bool>) {
    println!("{componentInputBool:?}");
}

#[component]
fn component_b_bool(componentInputBool: Option<bool>) {
    println!("{componentInputBool:?}");
}

#[pipeline]
fn nested_pipeline(
    #[default("Input 1 - nested pipeline")] nestedInputStr1: String,
    #[default("Input 2 - nested pipeline")] nestedInputStr2: String,
    #[default(0)] nestedInputInt1: i64,
    #[default(0)] nestedInputInt2: i64,
    #[default(false)] nestedInputBool1: bool,
    #[default(false)] nestedInputBool2: bool,
) {
    component_a_str_op(nestedInputStr1).set_caching_options(false);
    component_b_str_op(nestedInputStr2).set_caching_options(false);
    component_a_int_op(nestedInputInt1).set_caching_options(false);
    component_b_int_op(nestedInputInt2).set_caching_options(false);
    component_a_bool_op(nestedInputBool1).set_caching_options(false);
    component_b_bool_op(nestedInputBool2).set_caching_options(false);
}

#[pipeline]
fn nested_pipeline_opt_input_child_level() {
    nested_pipeline_op("Input - pipeline", None, 1, None, true, None).set_caching_options(false);
}

#[test]
fn nested_pipeline_opt_input_child_level_() {
    super::check("parallel_and_nested__nested_pipeline_opt_input_child_level", nested_pipeline_opt_input_child_level);
}
