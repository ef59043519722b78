use kfp::prelude::*;

#[component]
fn echo_op(text: String) -> String {
    text
}

#[pipeline]
fn my_pipeline(text: String) {
    echo_op_op(text);
}

fn main() {}
