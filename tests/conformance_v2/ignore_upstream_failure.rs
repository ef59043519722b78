//! `ignore_upstream_failure()` (kfp 2): `pipeline_with_task_using_ignore_upstream_failure.yaml`
//! (a task taking a failing task's output, with a default) and
//! `local_execution__local_execution_pipeline_with_ignore_upstream_failure.yaml`
//! (`.after()` a failing task); refused where kfp refuses it, and for KFP v1.

use kfp::prelude::*;
use kfp::Compiler;

/// Fails.
#[component(name = "fail_op")]
pub fn fail(message: String) -> Result<String, String> {
    println!("{message}");
    Err(message)
}

/// Prints a message.
#[component(name = "print_op")]
pub fn print(#[default("default")] message: String) {
    println!("{message}");
}

#[pipeline(name = "my-pipeline")]
fn my_pipeline(#[default("message")] sample_input: String) {
    let task = fail_op(sample_input);
    print_op(task.output()).ignore_upstream_failure();
}

#[test]
fn pipeline_with_task_using_ignore_upstream_failure() {
    super::check("pipeline_with_task_using_ignore_upstream_failure", my_pipeline);
}

#[component]
pub fn fail_always() -> Result<String, String> {
    Err("upstream failed intentionally".to_owned())
}

#[component]
pub fn write_marker(marker_path: String) -> Result<String, String> {
    std::fs::write(&marker_path, "cleanup_ran").map_err(|error| format!("{marker_path}: {error}"))?;
    Ok("cleanup_ran".to_owned())
}

#[pipeline]
pub(crate) fn pipeline_with_ignore_upstream_failure(marker_path: String) {
    let upstream = fail_always_op();
    write_marker_op(marker_path).after(&upstream).ignore_upstream_failure();
}

#[test]
fn local_execution_pipeline_with_ignore_upstream_failure() {
    super::check(
        "local_execution__local_execution_pipeline_with_ignore_upstream_failure",
        pipeline_with_ignore_upstream_failure,
    );
}

#[component]
pub fn echo(message: String) {
    println!("{message}");
}

#[pipeline]
fn no_default() {
    let task = fail_op("x");
    echo_op(task.output()).ignore_upstream_failure();
}

#[test]
fn an_upstream_output_without_default_is_refused() {
    let error = Compiler::new().target(kfp::Target::V2).compile_to_string(no_default).unwrap_err().to_string();
    assert!(
        error.contains("task `Echo` (ignore_upstream_failure): input `message` takes an upstream task's output")
            && error.contains("#[default(..)]"),
        "{error}"
    );
}

#[test]
fn kfp_v1_refuses_it_naming_the_exit_handler() {
    let error = Compiler::new().compile_to_string(my_pipeline).unwrap_err().to_string();
    assert!(error.contains("(ignore_upstream_failure)") && error.contains("exit_handler"), "{error}");
}
