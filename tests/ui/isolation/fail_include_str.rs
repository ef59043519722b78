use kfp::prelude::*;

#[component]
fn greeting() -> String {
    include_str!("greeting.txt").to_owned()
}

#[pipeline]
fn my_pipeline() {
    greeting_op();
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
