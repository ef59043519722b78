use kfp::artifacts::Dataset;
use kfp::dsl::{collected, parallel_for, Collected};
use kfp::prelude::*;

#[component]
fn make_dataset(text: String) -> std::io::Result<OutputArtifact<Dataset>> {
    let dataset = OutputArtifact::new(get_uri("Output")?);
    std::fs::write(&dataset, text)?;
    Ok(dataset)
}

#[pipeline]
fn make_datasets(texts: Vec<String>) -> Collected<Dataset> {
    collected(parallel_for(texts, make_dataset_op).output())
}

#[component]
fn shout(text: String) -> String {
    text.to_uppercase()
}

// An item of a loop over artifacts is an artifact: it feeds file inputs, never a parameter.
#[pipeline]
fn my_pipeline(texts: Vec<String>) {
    parallel_for(make_datasets_op(texts).output(), |dataset| {
        shout_op(dataset);
    });
}

fn main() {
    kfp::Compiler::new().target(kfp::Target::V2).compile_to_string(my_pipeline).unwrap();
}
