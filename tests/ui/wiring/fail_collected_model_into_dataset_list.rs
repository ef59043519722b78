use kfp::dsl::{collected, parallel_for};
use kfp::prelude::*;

#[component]
fn train(seed: i64, model: OutputPath<Model>) {
    std::fs::write(model, seed.to_string()).unwrap();
}

#[component]
fn count(datasets: Vec<InputPath<Dataset>>) -> i64 {
    datasets.len() as i64
}

#[pipeline]
fn my_pipeline() {
    let trained = parallel_for(vec![1, 2], train_op);
    // Models are not datasets: a list of `Dataset` files takes `Dataset` artifacts (or untyped ones).
    count_op(collected(trained.outputs().model));
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
