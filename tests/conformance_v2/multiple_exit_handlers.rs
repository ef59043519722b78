//! `failing__pipeline_with_multiple_exit_handlers.yaml`: three exit handlers,
//! each with its own exit task.

use kfp::dsl::exit_handler;
use kfp::prelude::*;

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

#[pipeline(name = "pipeline-with-multiple-exit-handlers")]
fn my_pipeline(#[default("Hello World!")] message: String) {
    let first_exit_task = print_op("First exit handler has worked!");
    exit_handler(&first_exit_task, || {
        print_op(message);
        fail_op("Task failed.");
    });
    let second_exit_task = print_op("Second exit handler has worked!");
    exit_handler(&second_exit_task, || {
        print_op(message);
    });
    let third_exit_task = print_op("Third exit handler has worked!");
    exit_handler(&third_exit_task, || {
        print_op(message);
    });
}

#[test]
fn pipeline_with_multiple_exit_handlers() {
    super::check("failing__pipeline_with_multiple_exit_handlers", my_pipeline);
}

#[test]
fn kfp_v1_refuses_several_exit_handlers() {
    let error = kfp::Compiler::new().compile_to_string(my_pipeline).unwrap_err().to_string();
    assert!(error.contains("KFP v1 allows one exit handler") && error.contains("Target::V2"), "{error}");
}

#[component]
pub fn greeting() -> String {
    "hello".to_owned()
}

#[pipeline]
fn exit_task_after_a_task() {
    let first = greeting_op();
    let exit_task = print_op(first.output());
    exit_handler(&exit_task, || {
        print_op("inside");
    });
}

#[test]
fn an_exit_task_taking_an_output_is_refused() {
    let error = kfp::Compiler::new().target(kfp::Target::V2).compile_to_string(exit_task_after_a_task);
    let error = error.unwrap_err().to_string();
    assert!(error.contains("the exit task `print_op` depends on another task"), "{error}");
}
