use kfp::prelude::*;

#[component]
async fn add(value_1: i64, value_2: i64) -> i64 {
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
