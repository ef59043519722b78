use kfp::prelude::*;

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[pipeline]
fn my_pipeline(#[default = 4] value_1: i64, #[default] value_2: i64, #[default(1, 2)] value_3: i64) {
    let sum = add_op(value_1, value_2);
    add_op(sum.output(), value_3);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
