use kfp::prelude::*;

#[component]
fn echo(text: Option<String>) {
    let _ = text;
}

#[pipeline]
fn my_pipeline(#[default("hi")] text: Option<String>) {
    echo_op(text);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
