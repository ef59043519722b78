//! `critical__pipeline_with_placeholders.yaml`: kfp 2's run placeholders
//! (`PIPELINE_JOB_NAME_PLACEHOLDER`, ...) passed as a task's arguments, caching off;
//! KFP v1 refuses those it has no variable for.

use kfp::dsl::{
    PIPELINE_JOB_ID_PLACEHOLDER, PIPELINE_JOB_NAME_PLACEHOLDER, PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER,
    PIPELINE_TASK_ID_PLACEHOLDER, PIPELINE_TASK_NAME_PLACEHOLDER,
};
use kfp::prelude::*;

#[component]
pub fn print_all_placeholders(
    job_name: String,
    job_resource_name: String,
    job_id: String,
    task_name: String,
    task_id: String,
) -> Result<(), String> {
    let all = [job_name, job_resource_name.clone(), job_id, task_name.clone(), task_id];
    if let Some(unfilled) = all.iter().find(|value| value.contains("{{") || value.is_empty()) {
        return Err(format!("Expected the placeholder to be replaced with a value: {unfilled}"));
    }
    if task_name != "print-all-placeholders" || !job_resource_name.starts_with("pipeline-with-placeholders-") {
        return Err(format!("unexpected task name {task_name} or job resource name {job_resource_name}"));
    }
    println!("{}", all.join(", "));
    Ok(())
}

#[pipeline(name = "pipeline-with-placeholders")]
fn pipeline_with_placeholders() {
    print_all_placeholders_op(
        PIPELINE_JOB_NAME_PLACEHOLDER,
        PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER,
        PIPELINE_JOB_ID_PLACEHOLDER,
        PIPELINE_TASK_NAME_PLACEHOLDER,
        PIPELINE_TASK_ID_PLACEHOLDER,
    )
    .set_caching_options(false);
}

#[test]
fn pipeline_with_placeholders_test() {
    super::check("critical__pipeline_with_placeholders", pipeline_with_placeholders);
}

#[test]
fn kfp_v1_refuses_the_placeholders_it_has_not() {
    let error = kfp::Compiler::new().compile_to_string(pipeline_with_placeholders).unwrap_err().to_string();
    assert!(
        error.contains("kfp 2's `PIPELINE_JOB_NAME_PLACEHOLDER` has no KFP v1 counterpart")
            && error.contains("`PIPELINE_TASK_NAME_PLACEHOLDER`"),
        "{error}"
    );
    assert!(!error.contains("PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER"), "KFP v1 has the workflow's name: {error}");
}
