use kfp::prelude::*;

#[component(command = "my-app")]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[component(image = "", command = "")]
fn subtract(value_1: i64, value_2: i64) -> i64 {
    value_1 - value_2
}

fn main() {}
