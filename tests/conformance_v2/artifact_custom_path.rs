//! `critical__pipeline_with_artifact_custom_path.yaml`: a `Dataset` written by one
//! task (caching off) and read by the next; the pipeline has a description. kfp's
//! `set_path` only moves where the Python executor writes, which the IR does not
//! show.

use kfp::prelude::*;

#[component]
pub fn component_output_artifact(out_dataset: OutputPath<Dataset>) {
    std::fs::write(&out_dataset, "Hello, World!").expect("the dataset is writable");
}

#[component]
pub fn validate_input_artifact(in_dataset: InputPath<Dataset>) -> Result<bool, String> {
    let text =
        std::fs::read_to_string(&in_dataset).map_err(|e| format!("cannot read {}: {e}", in_dataset.display()))?;
    match text.lines().find(|line| *line != "Hello, World!") {
        Some(line) => Err(format!("File content is {line} but should be 'Hello, World!'.")),
        None => Ok(true),
    }
}

#[pipeline(name = "pipeline-with-custom-path-artifact", description = "pipeline with artifact with custom path")]
fn my_pipeline() {
    let output = component_output_artifact_op().set_caching_options(false);
    validate_input_artifact_op(output.outputs().out_dataset);
}

#[test]
fn artifact_custom_path() {
    super::check("critical__pipeline_with_artifact_custom_path", my_pipeline);
}
