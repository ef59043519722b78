//! `pipeline_with_string_machine_fields_pipeline_input.yaml` and
//! `pipeline_with_string_machine_fields_task_output.yaml`: a task's CPU and memory
//! limits and accelerator (kfp 2's `set_accelerator_type`/`set_accelerator_limit`)
//! given by pipeline parameters, then by task outputs; KFP v1 refuses the accelerator setters.

use kfp::prelude::*;

#[component]
pub fn sum_numbers(a: i64, b: i64) -> i64 {
    a + b
}

#[pipeline(name = "pipeline")]
fn from_parameters(
    #[default("4000m")] cpu_limit: String,
    #[default("15G")] memory_limit: String,
    #[default("NVIDIA_TESLA_P4")] accelerator_type: String,
    #[default("1")] accelerator_limit: String,
) {
    sum_numbers_op(1, 2)
        .set_cpu_limit(cpu_limit)
        .set_memory_limit(memory_limit)
        .set_accelerator_type(accelerator_type)
        .set_accelerator_limit(accelerator_limit);
}

#[test]
fn string_machine_fields_pipeline_input() {
    super::check("pipeline_with_string_machine_fields_pipeline_input", from_parameters);
}

#[component]
pub fn cpu_limit() -> String {
    "4000m".to_owned()
}

#[component]
pub fn memory_limit() -> String {
    "15G".to_owned()
}

#[component]
pub fn accelerator_type() -> String {
    "NVIDIA_TESLA_P4".to_owned()
}

#[component]
pub fn accelerator_limit() -> String {
    "1".to_owned()
}

#[pipeline(name = "pipeline")]
fn from_task_outputs() {
    let sum_numbers_task = sum_numbers_op(1, 2);
    sum_numbers_task.set_cpu_limit(cpu_limit_op().output());
    sum_numbers_task.set_memory_limit(memory_limit_op().output());
    sum_numbers_task.set_accelerator_type(accelerator_type_op().output());
    sum_numbers_task.set_accelerator_limit(accelerator_limit_op().output());
}

#[test]
fn string_machine_fields_task_output() {
    // kfp 2 gives the task no dependency on the tasks whose outputs only its machine
    // settings read; kfp-rs makes it wait for them, as it needs their values to start.
    super::check_deviating(
        "pipeline_with_string_machine_fields_task_output",
        from_task_outputs,
        &["PipelineSpec.root.dag.tasks.sum-numbers.dependentTasks"],
    );
}

#[test]
fn kfp_v1_refuses_the_accelerator_setters() {
    let error = kfp::Compiler::new().compile_to_string(from_parameters).unwrap_err().to_string();
    assert!(error.contains("(set_accelerator_type/set_accelerator_limit)"), "{error}");
}

#[pipeline]
fn constant_accelerator() {
    sum_numbers_op(1, 2).set_accelerator_type("NVIDIA_TESLA_T4").set_accelerator_limit("two");
}

#[test]
fn an_accelerator_limit_that_is_no_number_is_refused() {
    let error = kfp::Compiler::new().target(kfp::Target::V2).compile_to_string(constant_accelerator);
    let error = error.unwrap_err().to_string();
    assert!(error.contains("set_accelerator_limit: `two` is not a whole number"), "{error}");
}
