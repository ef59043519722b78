use kfp::dsl::importer;
use kfp::prelude::*;

#[component]
fn train(dataset: InputPath<Dataset>) {
    let _ = dataset;
}

#[pipeline(name = "p")]
fn p() {
    let model = importer::<Model>("gs://bucket/model").call();
    train_op(model.output());
}

fn main() {}
