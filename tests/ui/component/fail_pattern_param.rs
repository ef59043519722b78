use kfp::prelude::*;

#[component]
fn add((value_1, value_2): (i64, i64), ref scale: i64) -> i64 {
    (value_1 + value_2) * scale
}

#[pipeline]
fn my_pipeline(value_1: i64) {
    let sum = add_op((1, 2), value_1);
    add_op((3, 4), sum.output());
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
