//! `two_step.yaml`: function components passing typed files (`OutputPath<Dataset>`
//! into `InputPath<Dataset>`), a file output read as a value, and an input default.

use kfp::prelude::*;

/// Dummy Preprocess Step.
#[component(base_image = "python:3.9")]
fn preprocess(
    uri: &str,
    some_int: i64,
    output_parameter_one: OutputPath<i64>,
    output_dataset_one: OutputPath<Dataset>,
) {
    let _ = (uri, some_int);
    std::fs::write(&output_dataset_one, "Output dataset").expect("cannot write the dataset");
    std::fs::write(&output_parameter_one, 1234.to_string()).expect("cannot write the parameter");
}

/// Dummy Training Step.
#[component(base_image = "python:3.7", name = "Train op")]
fn train(dataset: InputPath<Dataset>, model: OutputPath<Model>, #[default(100)] num_steps: i64) {
    let input = std::fs::read_to_string(&dataset).expect("cannot read the dataset");
    let steps: String = (0..num_steps).map(|step| format!("Step {step}\n{input}\n=====\n")).collect();
    std::fs::write(&model, steps).expect("cannot write the model");
}

#[pipeline(name = "two_step_pipeline")]
fn two_step_pipeline() {
    let preprocess = preprocess_op("uri-to-import", 12).outputs();
    train_op(preprocess.output_dataset_one, preprocess.output_parameter_one);
}

#[test]
fn two_step() {
    super::check("two_step", two_step_pipeline);
}
