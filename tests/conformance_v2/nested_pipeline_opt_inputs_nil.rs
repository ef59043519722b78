//! `parallel_and_nested__nested_pipeline_opt_inputs_nil.yaml`: a pipeline calling a
//! pipeline whose parameters are all optional without a default (kfp's
//! `str = None`, an `Option` here), giving none of them: the nested pipeline's
//! components get no value either.
#![allow(non_snake_case)]

use kfp::prelude::*;

#[component]
fn component_str(componentInput: Option<String>) -> Result<(), String> {
    componentInput.map_or(Ok(()), |value| Err(format!("componentInput should be None but is {value}")))
}

#[component]
fn component_int(componentInput: Option<i64>) -> Result<(), String> {
    componentInput.map_or(Ok(()), |value| Err(format!("componentInput should be None but is {value}")))
}

#[component]
fn component_bool(componentInput: Option<bool>) -> Result<(), String> {
    componentInput.map_or(Ok(()), |value| Err(format!("componentInput should be None but is {value}")))
}

#[pipeline]
fn nested_pipeline(nestedInputStr: Option<String>, nestedInputInt: Option<i64>, nestedInputBool: Option<bool>) {
    component_str_op(nestedInputStr).set_caching_options(false);
    component_int_op(nestedInputInt).set_caching_options(false);
    component_bool_op(nestedInputBool).set_caching_options(false);
}

#[pipeline]
fn nested_pipeline_opt_inputs_nil() {
    nested_pipeline_op(None, None, None).set_caching_options(false);
}

#[test]
fn nested_pipeline_opt_inputs_nil_() {
    super::check("parallel_and_nested__nested_pipeline_opt_inputs_nil", nested_pipeline_opt_inputs_nil);
}

/// Each component fails when given a value: the run succeeds only if none reaches them.
#[test]
fn nested_pipeline_opt_inputs_nil_runs_locally_giving_no_value() {
    let dir = crate::common::run::Scratch::new("nested-opt-inputs-nil");
    let report = nested_pipeline_opt_inputs_nil.run_local_v2(&kfp::run::RunOptions::new(&*dir)).unwrap();
    assert!(report.succeeded(), "{report:#?}");
}
