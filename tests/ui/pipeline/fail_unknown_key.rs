use kfp::prelude::*;

#[pipeline(title = "add example", description = 3, name = "add", name = "add again")]
fn my_pipeline(value_1: i64) {
    let _ = value_1;
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
