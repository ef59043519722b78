//! `add_example.yaml`: the quick-start pipeline of three function components.

#[path = "../../examples/add_pipeline.rs"]
#[allow(dead_code)]
mod add_pipeline;

#[test]
fn add_example() {
    super::check("add_example", add_pipeline::my_pipeline);
}
