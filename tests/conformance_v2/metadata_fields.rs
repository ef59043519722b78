//! `component_with_metadata_fields.yaml` and `pipeline_with_metadata_fields.yaml`:
//! descriptions read from doc comments as kfp 2 reads docstrings (a component's
//! inputs from `Args:`, its outputs from `Returns:`; a pipeline's parameters and
//! outputs the same way), a pipeline taking an artifact (`in_dataset: Dataset`,
//! kfp 2's `Input[Dataset]`) and returning one.

use kfp::prelude::*;
use kfp::{Compiler, Target};

/// Concatenate dataset_a and dataset_b.
///
/// Also returns the concatenated string.
///
/// Args:
///     dataset_a: First dataset.
///     dataset_b: Second dataset.
///
/// Returns:
///     out_dataset: The concatenated dataset.
///     Output: The concatenated string.
#[component]
pub fn dataset_joiner(
    dataset_a: InputPath<Dataset>,
    dataset_b: InputPath<Dataset>,
    out_dataset: OutputPath<Dataset>,
) -> Result<String, String> {
    let read = |path: &InputPath<Dataset>| std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"));
    let concatenated = read(&dataset_a)? + &read(&dataset_b)?;
    std::fs::write(&out_dataset, &concatenated).map_err(|e| format!("cannot write out_dataset: {e}"))?;
    Ok(concatenated)
}

/// Convert string to dataset.
///
/// # Arguments
///
/// * `string` - The string.
///
/// # Returns
///
/// * `dataset` - The dataset.
#[component]
pub fn str_to_dataset(string: String, dataset: OutputPath<Dataset>) -> Result<(), String> {
    std::fs::write(&dataset, string).map_err(|e| format!("cannot write the dataset: {e}"))
}

/// Pipeline to convert string to a Dataset, then concatenate with
/// in_dataset.
///
/// Args:
///     string: String to concatenate to in_artifact.
///     in_dataset: Dataset to which to concatenate string.
///
/// Returns:
///     Output: The final concatenated dataset.
#[pipeline(description = "A pipeline that joins string to in_dataset.")]
fn dataset_concatenator(string: String, in_dataset: Dataset) -> Output<Dataset> {
    let first_dataset_task = str_to_dataset_op(string);
    let t = dataset_joiner_op(first_dataset_task.outputs().dataset, in_dataset);
    t.outputs().out_dataset
}

#[test]
fn component_with_metadata_fields() {
    super::component_as_pipeline::check_component("component_with_metadata_fields", dataset_joiner_component());
}

#[test]
fn pipeline_with_metadata_fields() {
    super::check("pipeline_with_metadata_fields", dataset_concatenator);
}

/// kfp 1.8 reads `Args:` into a component's input descriptions too; its description is the
/// text before the sections.
#[test]
fn v1_component_yaml_has_the_args_descriptions() {
    let yaml = dataset_joiner_component().spec.to_yaml().expect("the component.yaml text");
    let spec: serde_yaml::Value = serde_yaml::from_str(&yaml).expect("the spec parses");
    assert_eq!(
        spec["description"].as_str(),
        Some("Concatenate dataset_a and dataset_b.\n\nAlso returns the concatenated string.")
    );
    assert_eq!(spec["inputs"][0]["description"].as_str(), Some("First dataset."), "{yaml}");
    assert_eq!(spec["inputs"][1]["description"].as_str(), Some("Second dataset."), "{yaml}");
}

/// The pipeline's description is the attribute's; without it, the doc comment's text before
/// its sections, as kfp 2 writes `pipelineInfo.description`.
#[test]
fn a_pipeline_description_leaves_the_sections_out() {
    /// Joins.
    ///
    /// Args:
    ///     in_dataset: The data.
    #[pipeline(name = "described")]
    fn described(in_dataset: Dataset) {
        dataset_joiner_op(in_dataset, in_dataset);
    }
    let ir = Compiler::new().target(Target::V2).compile_to_ir(described).expect("it compiles");
    let spec = serde_json::to_value(&ir.spec).expect("the spec serializes");
    assert_eq!(spec["pipelineInfo"]["description"], "Joins.");
    assert_eq!(spec["root"]["inputDefinitions"]["artifacts"]["in_dataset"]["description"], "The data.");
}
