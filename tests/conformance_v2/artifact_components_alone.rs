//! Goldens of one component with artifacts compiled as a pipeline of its own
//! (`Compiler::compile_component_to_string`): container components with output
//! parameters and artifacts in their command line (`container_io`,
//! `container_with_concat_placeholder`, `container_with_if_placeholder`,
//! `container_with_placeholder_in_fstring`), and Rust components taking or writing
//! an artifact (`input_artifact`, `output_metrics`).

use kfp::components::load_component_from_text;
use kfp::prelude::*;
use kfp::{Compiler, Target};

use super::component_as_pipeline::check_component;

/// The component loaded from `text`.
fn loaded(text: &str) -> kfp::component::Component {
    (**load_component_from_text(text).expect("the component loads").component()).clone()
}

#[test]
fn container_io() {
    let component = loaded(
        r#"
name: container-io
inputs:
- {name: text, type: String}
outputs:
- {name: output_path, type: String}
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command: [my_program, {inputValue: text}]
    args: [--output_path, {outputPath: output_path}]
"#,
    );
    check_component("container_io", &component);
}

#[test]
fn container_with_concat_placeholder() {
    let component = loaded(
        r#"
name: container-with-concat-placeholder
inputs:
- {name: text1, type: String}
outputs:
- {name: text2, type: Dataset}
- {name: output_path, type: String}
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command:
    - my_program
    - concat: [prefix-, {inputValue: text1}, {outputUri: text2}]
    args: [--output_path, {outputPath: output_path}]
"#,
    );
    // kfp writes a concat placeholder as its v2 struct; kfp-rs joins it (README.md).
    let yaml = Compiler::new().target(Target::V2).compile_component_to_string(&component).expect("it compiles");
    let golden =
        super::common::read_fixture(&super::common::ir_golden_dir().join("container_with_concat_placeholder.yaml"));
    let diffs = super::common::ir_equivalence_diffs(&yaml, &golden);
    let concat = "PipelineSpec.deploymentSpec.executors.exec-container-with-concat-placeholder.container.command[1]";
    assert!(diffs.len() == 1 && diffs[0].starts_with(concat), "{}", super::common::format_diffs("concat", &diffs));
}

#[test]
fn container_with_if_placeholder() {
    let component = loaded(
        r#"
name: container-with-if-placeholder
inputs:
- {name: optional_input, type: String, default: default, optional: true}
outputs:
- {name: output_path, type: String}
- {name: dataset, type: Dataset}
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command:
    - my_program
    - if: {cond: {isPresent: optional_input}, then: [{inputValue: optional_input}], else: [bye]}
    - --dataset
    - if: {cond: {isPresent: optional_input}, then: [{outputUri: dataset}], else: [bye]}
    args: [--output_path, {outputPath: output_path}]
"#,
    );
    check_component("container_with_if_placeholder", &component);
}

#[test]
fn container_with_placeholder_in_fstring() {
    let component = loaded(
        r#"
name: container-with-placeholder-in-fstring
inputs:
- {name: text1, type: String, default: text!, optional: true}
outputs:
- {name: output_artifact, type: Artifact}
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command:
    - my_program
    - concat: [prefix-, {inputValue: text1}]
    - concat: [{outputUri: output_artifact}, /0]
"#,
    );
    check_component("container_with_placeholder_in_fstring", &component);
}

#[component]
pub fn input_artifact(data: InputPath<Dataset>) {
    println!("{}", data.display());
}

#[test]
fn input_artifact_alone() {
    check_component("input_artifact", input_artifact_component());
}

/// Dummy component that outputs metrics with a random accuracy.
#[component]
pub fn output_metrics(metrics: OutputPath<Metrics>) {
    metrics.log_metric("accuracy", f64::from(std::process::id() % 101));
}

#[test]
fn output_metrics_alone() {
    check_component("output_metrics", output_metrics_component());
}
