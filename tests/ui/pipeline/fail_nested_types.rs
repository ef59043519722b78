use kfp::prelude::*;

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[component]
fn shout(text: String) -> String {
    text.to_uppercase()
}

#[pipeline]
fn inner(text: String) -> Output<String> {
    shout_op(text).output()
}

// A pipeline called as a task takes its parameters' types and gives its outputs' types.
#[pipeline]
fn outer(n: i64) {
    inner_op(n);
    add_op(inner_op("hi").output(), 1);
}

fn main() {
    kfp::Compiler::new().compile_to_string(outer).unwrap();
}
