use kfp::prelude::*;

#[component]
fn __kfp_add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[component]
fn main() {}
