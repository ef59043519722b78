use kfp::prelude::*;

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[pipeline]
fn my_pipeline(#[kfp(typ = "GCSPath")] value_1: i64, #[kfp(type = "")] #[default(2)] value_2: i64) {
    add_op(value_1, value_2);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
