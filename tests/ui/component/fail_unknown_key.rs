use kfp::prelude::*;

#[component(docker_image = "rust:1.83-slim", base_image = "rust:1.83-slim")]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[pipeline]
fn my_pipeline(value_1: i64) {
    add_op(value_1, 1);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
