use kfp::dsl::ArtifactList;
use kfp::prelude::*;

#[component]
fn count(datasets: Vec<InputPath<Dataset>>) -> i64 {
    datasets.len() as i64
}

// A list of `Model`s feeds no list of `Dataset`s; a `Vec` of artifacts is no pipeline parameter
// (it would be kfp's JSON list): a list of artifacts is an `ArtifactList`.
#[pipeline]
fn lists(models: ArtifactList<Model>, datasets: Vec<Dataset>) {
    count_op(models);
    let _ = datasets;
}

// A list of artifacts is a pipeline's output only: no component returns one.
#[derive(ComponentOutputs)]
pub struct Outputs {
    datasets: ArtifactList<Dataset>,
}

#[component]
fn make() -> Outputs {
    todo!()
}

fn main() {}
