use kfp::prelude::*;

#[component]
fn add(value_1: i64, rest: ...) -> i64 {
    value_1
}

#[pipeline]
fn my_pipeline(value_1: i64) {
    let sum = add_op(value_1);
    add_op(sum.output());
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
