use kfp::prelude::*;

#[component]
fn summarize(data: Option<InputPath<Dataset>>, summary: Option<OutputPath<Dataset>>) {
    let _ = (data, summary);
}

#[pipeline]
fn my_pipeline(dataset: Option<Dataset>) {
    summarize_op(dataset);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
