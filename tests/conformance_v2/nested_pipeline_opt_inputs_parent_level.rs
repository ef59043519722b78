//! `parallel_and_nested__nested_pipeline_opt_inputs_parent_level.yaml`: a
//! pipeline passing its parameters to two nested pipelines, overriding the nested
//! pipelines' defaults and their components' defaults, given (`#[default]`) or
//! none (an `Option` input, kfp's `= None`).
#![allow(non_snake_case)]

use kfp::prelude::*;

#[component]
fn component_nil_str_default(componentInput: Option<String>) {
    assert_eq!(componentInput.as_deref(), Some("Input - parent pipeline"));
}

#[component]
fn component_str_default(#[default("Input - component")] componentInput: String) {
    assert_eq!(componentInput, "Input - parent pipeline");
}

#[component]
fn component_nil_int_default(componentInput: Option<i64>) {
    assert_eq!(componentInput, Some(1));
}

#[component]
fn component_int_default(#[default(0)] componentInput: i64) {
    assert_eq!(componentInput, 1);
}

#[component]
fn component_nil_bool_default(componentInput: Option<bool>) {
    assert_eq!(componentInput, Some(true));
}

#[component]
fn component_bool_default(#[default(false)] componentInput: bool) {
    assert!(componentInput);
}

#[pipeline]
fn nested_pipeline_non_nil_defaults(
    #[default("Input - nested pipeline")] nestedInputStr: String,
    #[default(0)] nestedInputInt: i64,
    #[default(false)] nestedInputBool: bool,
) {
    component_str_default_op(nestedInputStr).set_caching_options(false);
    component_int_default_op(nestedInputInt).set_caching_options(false);
    component_bool_default_op(nestedInputBool).set_caching_options(false);
}

#[pipeline]
fn nested_pipeline_nil_defaults(
    #[default("Input - nested pipeline")] nestedInputStr: String,
    nestedInputInt: Option<i64>,
    nestedInputBool: Option<bool>,
) {
    component_nil_str_default_op(nestedInputStr).set_caching_options(false);
    component_nil_int_default_op(nestedInputInt).set_caching_options(false);
    component_nil_bool_default_op(nestedInputBool).set_caching_options(false);
}

#[pipeline]
fn nested_pipeline_opt_inputs_parent_level(
    #[default("Input - parent pipeline")] inputStr: String,
    #[default(1)] inputInt: i64,
    #[default(true)] inputBool: bool,
) {
    nested_pipeline_non_nil_defaults_op(inputStr, inputInt, inputBool).set_caching_options(false);
    nested_pipeline_nil_defaults_op(inputStr, inputInt, inputBool).set_caching_options(false);
}

#[test]
fn nested_pipeline_opt_inputs_parent_level_() {
    super::check(
        "parallel_and_nested__nested_pipeline_opt_inputs_parent_level",
        nested_pipeline_opt_inputs_parent_level,
    );
}

/// Each component fails unless it gets the parent pipeline's value, over both defaults.
#[test]
fn nested_pipeline_opt_inputs_parent_level_runs_locally_with_the_parents_values() {
    let dir = crate::common::run::Scratch::new("nested-opt-inputs-parent-level");
    let report = nested_pipeline_opt_inputs_parent_level.run_local_v2(&kfp::run::RunOptions::new(&*dir)).unwrap();
    assert!(report.succeeded(), "{report:#?}");
}
