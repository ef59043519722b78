use kfp::prelude::*;

type Count = i64;

#[component]
fn add(value_1: Count, value_2: Count) -> Count {
    value_1 + value_2
}

#[pipeline]
fn my_pipeline(value_1: i64) {
    let sum = add_op(value_1, 1);
    add_op(sum.output(), 2);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
