use kfp::prelude::*;

#[component(packages_to_install = ["serde json", "rand@0.8[small_rng", "regex@", "itertools@0.13[use std]"])]
fn count(text: String) -> i64 {
    text.len() as i64
}

#[pipeline]
fn my_pipeline(text: String) {
    count_op(text);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
