//! `components_with_optional_artifacts.yaml`: a pipeline whose artifact input is
//! optional without a default (`dataset1: Option<Dataset>`, kfp's
//! `Optional[Input[Dataset]] = None`), given to an optional artifact input or left
//! out; a pipeline called as a task with an importer's artifact and without one; an
//! `IfPresent` placeholder on an optional artifact; kfp's Python `python_artifact_printer`
//! (`Optional[Input[Artifact]] = None`) is a Rust component taking an optional file
//! (`Option<InputPath>`).

use kfp::components::load_component_from_text;
use kfp::dsl::importer;
use kfp::prelude::*;

#[component]
pub fn python_artifact_printer(artifact: Option<InputPath>) {
    match artifact {
        Some(artifact) => println!("{}", artifact.display()),
        None => println!("No artifact provided!"),
    }
}

const CUSTOM_ARTIFACT_PRINTER: &str = r#"
name: custom-artifact-printer
inputs:
- {name: artifact, type: Artifact, optional: true}
implementation:
  container:
    image: alpine
    command:
    - if:
        cond: {isPresent: artifact}
        then: [echo, {inputUri: artifact}]
        else: [echo, No artifact provided!]
"#;

#[pipeline]
fn inner_pipeline(dataset: Option<Dataset>) {
    python_artifact_printer_op(dataset);
}

#[pipeline(name = "optional-artifact-pipeline")]
fn my_pipeline(dataset1: Option<Dataset>) {
    let printer = load_component_from_text(CUSTOM_ARTIFACT_PRINTER).expect("the component loads");
    printer.call([("artifact", dataset1)]);
    printer.args().call();
    let dataset2 = importer::<Dataset>("gs://ml-pipeline-playground/shakespeare1.txt").call();
    inner_pipeline_op(dataset2.output());
    inner_pipeline_op(None);
}

#[test]
fn components_with_optional_artifacts() {
    super::check("components_with_optional_artifacts", my_pipeline);
}
