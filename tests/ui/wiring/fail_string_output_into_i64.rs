use kfp::prelude::*;

#[component]
fn read_count(path: String) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[pipeline]
fn my_pipeline(path: String) {
    let count = read_count_op(path);
    add_op(count.output(), 1);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
