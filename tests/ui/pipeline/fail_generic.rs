use kfp::prelude::*;

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[pipeline]
fn my_pipeline<T>(value_1: T) {
    add_op(value_1, 1);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
