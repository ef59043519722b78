//! Artifact metadata from a prebuilt-image component under KFP v2: its executor takes kfp's
//! executor input (`{{$}}`) as a built Rust component's does, and the image's binary (its
//! `component NAME` dispatch) writes the metadata the function set into the executor output,
//! where the launcher reads it.

mod common;

use common::run::Scratch;
use kfp::prelude::*;
use kfp::{Compiler, Target};
use serde_json::{json, Value};

/// Logs a metric and sets metadata on a model; its program is built from this source.
#[component]
pub fn evaluate(threshold: f64, metrics: OutputPath<Metrics>, model: OutputPath<Model>) {
    metrics.log_metric("threshold", threshold);
    std::fs::write(&model, "weights").expect("the model file is writable");
    model.set_metadata("framework", "linfa");
}

/// The same function, shipped in an image of this crate's binary.
#[component(name = "Evaluate in image", image = "registry.example.com/evaluate:1", command = "evaluate")]
pub fn evaluate_in_image(threshold: f64, metrics: OutputPath<Metrics>, model: OutputPath<Model>) {
    metrics.log_metric("threshold", threshold);
    std::fs::write(&model, "weights").expect("the model file is writable");
    model.set_metadata("framework", "linfa");
}

#[pipeline(name = "evaluations")]
fn evaluations(#[default(0.5)] threshold: f64) {
    evaluate_op(threshold);
    evaluate_in_image_op(threshold);
}

fn executor_args(ir: &Value, executor: &str) -> Vec<String> {
    let args =
        ir["deploymentSpec"]["executors"][executor]["container"]["args"].as_array().expect("the executor has args");
    args.iter().map(|arg| arg.as_str().unwrap().to_owned()).collect()
}

fn v2_ir() -> Value {
    let yaml = Compiler::new().target(Target::V2).compile_to_string(evaluations).expect("it compiles to v2");
    serde_yaml::from_str(&yaml).expect("the IR is YAML")
}

#[test]
fn a_prebuilt_image_component_takes_the_executor_input_as_a_built_one_does() {
    let ir = v2_ir();
    let built = executor_args(&ir, "exec-evaluate");
    let prebuilt = executor_args(&ir, "exec-evaluate-in-image");
    assert_eq!(prebuilt[..4], ["----kfp-contract", "v2", "----executor-input", "{{$}}"], "{prebuilt:?}");
    assert_eq!(prebuilt, built);
    // KFP v1 has no executor input: no container is given the flag (the shipped source names it).
    let workflow = Compiler::new().compile_to_string(evaluations).expect("it compiles for KFP v1");
    assert!(!workflow.contains("- ----executor-input"), "{workflow}");
}

#[test]
fn the_image_binary_writes_the_metadata_into_the_executor_output() {
    let dir = Scratch::new("prebuilt-metadata");
    let output_file = dir.join("executor_output.json");
    let executor_input = json!({
        "inputs": {"parameterValues": {"threshold": 0.75}},
        "outputs": {
            "artifacts": {
                "metrics": {"artifacts": [{"name": "metrics", "uri": "gs://out/metrics", "metadata": {}}]},
                "model": {"artifacts": [{"name": "model", "uri": "gs://out/model", "metadata": {}}]},
            },
            "outputFile": output_file.display().to_string(),
        },
    });
    // The executor's args as the launcher fills them in.
    let mut args = vec!["evaluate".to_owned(), "component".to_owned(), "Evaluate in image".to_owned()];
    for arg in executor_args(&v2_ir(), "exec-evaluate-in-image") {
        let artifact = arg.strip_prefix("{{$.outputs.artifacts['").and_then(|rest| rest.strip_suffix("'].path}}"));
        args.push(match (arg.as_str(), artifact) {
            (_, Some(name)) => dir.join(name).display().to_string(),
            ("{{$.inputs.parameters['threshold']}}", _) => "0.75".to_owned(),
            ("{{$}}", _) => executor_input.to_string(),
            _ => arg,
        });
    }
    assert!(!args.iter().any(|arg| arg.contains("{{$")), "a placeholder is left: {args:?}");
    let mut out = Vec::new();
    kfp::cli::try_run(args, &mut out).expect("the component runs");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&output_file).unwrap()).unwrap();
    let metadata = |name: &str| written["artifacts"][name]["artifacts"][0]["metadata"].clone();
    assert_eq!(metadata("metrics"), json!({"threshold": 0.75}), "{written:#}");
    assert_eq!(metadata("model"), json!({"framework": "linfa"}), "{written:#}");
}
