//! `pipeline_with_task_final_status.yaml`, `pipeline_with_task_final_status_yaml.yaml`,
//! `local_execution__local_execution_pipeline_with_exit_handler.yaml` and
//! `component_with_task_final_status.yaml`: exit tasks taking the exit handler's
//! final status (`PipelineTaskFinalStatus`), which KFP gives and the pipeline does not pass.

use kfp::components::load_component_from_text;
use kfp::dsl::{exit_handler, exit_handler_named};
use kfp::prelude::*;

/// Checks pipeline run status.
#[component(name = "exit_op")]
pub fn exit(user_input: String, status: PipelineTaskFinalStatus) {
    println!("User input: {user_input}");
    println!("Pipeline status: {}", status.state);
    println!("Job resource name: {}", status.pipeline_job_resource_name);
    println!("Pipeline task name: {}", status.pipeline_task_name);
    println!("Error code: {:?}", status.error_code);
    println!("Error message: {:?}", status.error_message);
}

/// Prints a message.
#[component(name = "print_op")]
pub fn print(message: String) {
    println!("{message}");
}

/// Fails.
#[component(name = "fail_op")]
pub fn fail(message: String) -> Result<(), String> {
    Err(message)
}

#[pipeline(name = "pipeline-with-task-final-status")]
fn my_pipeline(#[default("Hello World!")] message: String) {
    let exit_task = exit_op(message);
    exit_handler_named(&exit_task, "my-pipeline", || {
        print_op(message);
        fail_op("Task failed.");
    });
}

#[test]
fn pipeline_with_task_final_status() {
    super::check("pipeline_with_task_final_status", my_pipeline);
}

const EXIT_OP: &str = r#"
name: Exit Op
inputs:
- {name: user_input, type: String}
- {name: status, type: PipelineTaskFinalStatus}
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command:
    - echo
    - "user input:"
    - {inputValue: user_input}
    - "pipeline status:"
    - {inputValue: status}
"#;

const PRINT_OP: &str = r#"
name: Print Op
inputs:
- {name: message, type: String}
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command:
    - echo
    - {inputValue: message}
"#;

#[pipeline(name = "pipeline-with-task-final-status-yaml")]
fn yaml_pipeline(#[default("Hello World!")] message: String) {
    let exit_op = load_component_from_text(EXIT_OP).expect("the exit op loads");
    let print_op = load_component_from_text(PRINT_OP).expect("the print op loads");
    let exit_task = exit_op.call([("user_input", message)]);
    exit_handler_named(&exit_task, "my-pipeline", || {
        print_op.call([("message", message)]);
    });
}

#[test]
fn pipeline_with_task_final_status_yaml() {
    super::check("pipeline_with_task_final_status_yaml", yaml_pipeline);
}

/// Records how the exit handler ended.
#[component]
pub fn record_exit(status: PipelineTaskFinalStatus) -> String {
    format!("exit:{}", status.state)
}

/// Gives its message back.
#[component]
pub fn echo(message: String) -> String {
    message
}

/// Runs `echo` inside an ExitHandler.
/// On success the exit task receives a PipelineTaskFinalStatus with
/// state='SUCCEEDED'. No pipeline output — KFP's compiler rejects
/// returning a value from inside an ExitHandler.
#[pipeline(name = "pipeline-with-exit-handler")]
pub(crate) fn local_exit_handler(#[default("hello")] message: String) {
    let exit_task = record_exit_op();
    exit_handler(&exit_task, || {
        echo_op(message);
    });
}

#[test]
fn local_execution_pipeline_with_exit_handler() {
    super::check("local_execution__local_execution_pipeline_with_exit_handler", local_exit_handler);
}

/// Prints the status it is given.
#[component]
pub fn exit_comp(status: PipelineTaskFinalStatus) {
    println!("{status:?}");
}

#[test]
fn component_with_task_final_status() {
    let name = "component_with_task_final_status";
    let yaml = kfp::Compiler::new()
        .target(kfp::Target::V2)
        .compile_component_to_string(exit_comp_component())
        .unwrap_or_else(|error| panic!("{name}: {error}"));
    let golden = super::common::read_fixture(&super::common::ir_golden_dir().join(format!("{name}.yaml")));
    let diffs = super::common::ir_equivalence_diffs(&yaml, &golden);
    assert!(diffs.is_empty(), "{}", super::common::format_diffs(name, &diffs));
}

/// A PipelineTaskFinalStatus outside an exit handler is refused with kfp's
/// message, naming the task; for KFP v1 it is refused naming the v1 way.
#[test]
fn final_status_only_in_an_exit_task() {
    #[pipeline(name = "not-an-exit-task")]
    fn not_exit(#[default("hi")] message: String) {
        exit_op(message);
    }
    let error = kfp::Compiler::new().target(kfp::Target::V2).compile_to_string(not_exit).unwrap_err().to_string();
    assert!(
        error.contains(
            "task `exit-op`: PipelineTaskFinalStatus can only be used in an exit task. Parameter status of a non exit \
             task has type PipelineTaskFinalStatus"
        ),
        "{error}"
    );
    let error = kfp::Compiler::new().target(kfp::Target::V1).compile_to_string(my_pipeline).unwrap_err().to_string();
    assert!(error.contains("input `status` is a PipelineTaskFinalStatus, which only KFP v2 gives"), "{error}");
    assert!(error.contains("{{workflow.status}}"), "{error}");
}

/// Gives the state of the status it is given.
#[component]
pub fn get_run_state(status: serde_json::Value) -> String {
    println!("Pipeline status: {status}");
    status["state"].as_str().unwrap_or_default().to_owned()
}

/// Checks pipeline run status.
#[pipeline(name = "conditional-notification")]
fn exit_pipeline(status: PipelineTaskFinalStatus) {
    kfp::dsl::condition(kfp::dsl::Compare::eq(get_run_state_op(status).output(), "FAILED"), || {
        print_op("notify task failure.");
    });
}

#[pipeline(name = "pipeline-with-task-final-status-conditional")]
fn pipeline_as_exit(#[default("Hello World!")] message: String) {
    let exit_task = exit_pipeline_op();
    exit_handler_named(&exit_task, "my-pipeline", || {
        print_op(message);
        fail_op("Task failed.");
    });
}

#[test]
fn pipeline_as_exit_task() {
    super::check("pipeline_as_exit_task", pipeline_as_exit);
}
