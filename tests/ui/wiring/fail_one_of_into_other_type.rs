use kfp::dsl::{if_, one_of, Compare};
use kfp::prelude::*;

#[component]
fn flip() -> String {
    "heads".to_owned()
}

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[pipeline]
fn my_pipeline() {
    let side = flip_op().output();
    let said = if_(side.eq("heads"), || flip_op().output()).else_(|| flip_op().output());
    // A OneOf of strings into an integer input.
    add_op(one_of(said), 1);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
