//! `parallel_and_nested__loop_consume_upstream.yaml`: a loop over a task's list
//! output whose tasks pass an artifact to each other, every task with caching
//! off and one display name; the pipeline's display name.

use kfp::dsl::parallel_for;
use kfp::prelude::*;

#[component]
pub fn split_input(input: String) -> Vec<String> {
    input.split(',').map(str::to_owned).collect()
}

#[component]
pub fn create_file(file: OutputPath, content: String) {
    std::fs::write(&file, content).expect("the file is writable");
}

#[component]
pub fn read_file(file: InputPath) -> String {
    println!("{}", std::fs::read_to_string(&file).expect("the file is readable"));
    file.display().to_string()
}

#[component]
pub fn print_input(input: Vec<String>) {
    for item in input {
        println!("Input item: {item}");
    }
}

#[pipeline(name = "loop-consume-upstream", display_name = "Loop Consume Upstream")]
fn loop_consume_upstream_pipeline() {
    let split = split_input_op("component1,component2,component3");
    split.set_caching_options(false).set_display_name("same display name");
    parallel_for(split.output(), |model_id| {
        let create = create_file_op(model_id);
        create.set_caching_options(false).set_display_name("same display name");
        read_file_op(create.outputs().file).set_caching_options(false).set_display_name("same display name");
    });
    print_input_op(split.output()).set_caching_options(false).set_display_name("same display name");
}

#[test]
fn loop_consume_upstream() {
    super::check("parallel_and_nested__loop_consume_upstream", loop_consume_upstream_pipeline);
}
