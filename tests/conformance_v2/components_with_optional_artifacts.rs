//! `components_with_optional_artifacts.yaml`: a pipeline whose artifact input is
//! optional without a default (`dataset1: Option<Dataset>`, kfp's
//! `Optional[Input[Dataset]] = None`), given to an optional artifact input or left
//! out; a pipeline called as a task with an importer's artifact and without one; an
//! `IfPresent` placeholder on an optional artifact.
//!
//! kfp's `python_artifact_printer` is a Python function taking
//! `Optional[Input[Artifact]] = None`; a Rust component cannot take an optional file
//! yet (`Option<InputPath<T>>`), so it is the same interface loaded from text (the
//! executor of a Python-function component is not compared).

use kfp::components::{load_component_from_text, LoadedComponent};
use kfp::dsl::importer;
use kfp::prelude::*;

const PYTHON_ARTIFACT_PRINTER: &str = r#"
name: python-artifact-printer
inputs:
- {name: artifact, type: Artifact, optional: true}
implementation:
  container:
    image: python:3.11
    command:
    - sh
    - -c
    - 'echo "${0:-No artifact provided!}"'
    - if:
        cond: {isPresent: artifact}
        then: [{inputPath: artifact}]
"#;

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

fn component(text: &str) -> LoadedComponent {
    load_component_from_text(text).expect("the component loads")
}

#[pipeline]
fn inner_pipeline(dataset: Option<Dataset>) {
    component(PYTHON_ARTIFACT_PRINTER).call([("artifact", dataset)]);
}

#[pipeline(name = "optional-artifact-pipeline")]
fn my_pipeline(dataset1: Option<Dataset>) {
    let printer = component(CUSTOM_ARTIFACT_PRINTER);
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
