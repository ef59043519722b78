use kfp::prelude::*;

#[component]
fn now() -> std::time::SystemTime {
    std::time::SystemTime::now()
}

#[pipeline]
fn my_pipeline() {
    now_op();
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
