use kfp::prelude::*;

#[component]
fn greet(name: impl AsRef<str>) -> impl std::fmt::Display {
    format!("Hello, {}!", name.as_ref())
}

#[pipeline]
fn my_pipeline(name: String) {
    let greeting = greet_op(name);
    greet_op(greeting.output());
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
