//! Outputs feed inputs of another Rust type of the same kfp type.

#![deny(warnings)]

use kfp::prelude::*;

#[component]
fn count(text: String) -> i32 {
    text.len() as i32
}

#[component]
fn ratio(text: String) -> f32 {
    text.len() as f32 / 2.0
}

#[component]
fn add(value_1: i64, value_2: u8, scale: f64) -> i64 {
    (value_1 + value_2 as i64) * scale as i64
}

#[pipeline]
fn my_pipeline(text: String, small: u16) {
    let counted = count_op(text);
    let halved = ratio_op("abc");
    add_op(counted.output(), counted.output(), halved.output());
    add_op(small, small, 2.0);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
