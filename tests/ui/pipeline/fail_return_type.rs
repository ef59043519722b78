use kfp::prelude::*;

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

// A pipeline returns task outputs (its outputs), not values.
#[pipeline]
fn my_pipeline(value_1: i64) -> i64 {
    add_op(value_1, 1);
    0
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
