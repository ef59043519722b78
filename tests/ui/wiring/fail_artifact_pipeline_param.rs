use kfp::artifacts::{Dataset, Model};
use kfp::prelude::*;

#[component]
fn train(data: InputPath<Dataset>, model: OutputPath<Model>) {
    let _ = (data, model);
}

#[component]
fn evaluate(model: InputPath<Model>) {
    let _ = model;
}

// An artifact pipeline parameter feeds file inputs of its own type (or untyped ones) only.
#[pipeline]
fn my_pipeline(data: Dataset) {
    train_op(data);
    evaluate_op(data);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
