use kfp::dsl::{collected, parallel_for, ArtifactList};
use kfp::prelude::*;

#[component]
fn train(seed: i64, model: OutputPath<Model>) {
    let _ = (seed, model);
}

#[component]
fn count(datasets: Option<Vec<InputPath<Dataset>>>) -> i64 {
    datasets.map_or(0, |datasets| datasets.len() as i64)
}

// Models feed no optional list of datasets, collected or as the pipeline's optional list.
#[pipeline]
fn my_pipeline(models: Option<ArtifactList<Model>>) {
    let trained = parallel_for(vec![1, 2], train_op);
    count_op(Some(collected(trained.outputs().model)));
    count_op(models);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
