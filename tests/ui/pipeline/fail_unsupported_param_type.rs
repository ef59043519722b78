use kfp::prelude::*;

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

// An `Option` parameter is one a run may leave out: it feeds optional inputs only.
#[pipeline]
fn my_pipeline(value_1: i64, value_2: Option<i64>, when: std::time::SystemTime) {
    add_op(value_1, value_2);
    let _ = when;
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
