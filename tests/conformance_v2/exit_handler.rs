//! `failing__pipeline_with_exit_handler.yaml`: an exit task that runs however the
//! tasks inside the exit handler end.

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

#[pipeline(name = "pipeline-with-exit-handler")]
fn my_pipeline(#[default("Hello World!")] message: String) {
    let exit_task = print_op("Exit handler has worked!");
    exit_handler(&exit_task, || {
        print_op(message);
        fail_op("Task failed.");
    });
}

#[test]
fn pipeline_with_exit_handler() {
    super::check("failing__pipeline_with_exit_handler", my_pipeline);
}
