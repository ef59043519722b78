use kfp::prelude::*;

#[component]
fn train(model: OutputPath<Model>) {
    let _ = model;
}

#[component]
fn summarize(data: Option<InputPath<Dataset>>) -> String {
    format!("{}", data.is_some())
}

#[pipeline]
fn my_pipeline() {
    let trained = train_op();
    summarize_op(trained.outputs().model);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
