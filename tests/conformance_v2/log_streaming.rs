//! `log_streaming.yaml`: one Rust component, caching off, a description.

use kfp::prelude::*;

#[component]
pub fn print_message(message: String) {
    println!("{message}");
}

#[pipeline(
    name = "log-streaming-pipeline",
    description = "Pipeline that prints a hello message in a loop to test log streaming in Dashboard"
)]
fn my_pipeline(#[default("Hello world")] message: String) {
    print_message_op(message).set_caching_options(false);
}

#[test]
fn log_streaming() {
    super::check("log_streaming", my_pipeline);
}
