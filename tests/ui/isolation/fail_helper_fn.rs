use kfp::prelude::*;

fn twice(value: i64) -> i64 {
    value * 2
}

#[component]
fn add_doubled(value_1: i64, value_2: i64) -> i64 {
    twice(value_1) + value_2
}

#[pipeline]
fn my_pipeline(value_1: i64) {
    let sum = add_doubled_op(value_1, 1);
    add_doubled_op(sum.output(), 2);
    let _ = twice(3);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
