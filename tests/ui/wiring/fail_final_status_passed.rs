use kfp::prelude::*;

#[component]
fn exit(message: String, status: PipelineTaskFinalStatus) {
    println!("{message}: {}", status.state);
}

#[pipeline(name = "p")]
fn p(message: String) {
    exit_op(message, "SUCCEEDED");
}

fn main() {}
