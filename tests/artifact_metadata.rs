//! An output artifact's metadata (KFP v2): a container component's `{outputMetadata: NAME}`
//! placeholder, kfp 2's `model.metadata`, compiled for KFP v2, refused for KFP v1, and filled in
//! by local runs of the IR as kfp.local fills it in (the metadata a task starts with: `{}`).

mod common;

use std::process::{Command, Output};

use common::run::Scratch;
use kfp::components::load_component_from_text;
use kfp::prelude::*;
use kfp::run::RunOptions;
use kfp::{Compiler, Target};
use serde_json::Value;

/// A component that writes what its command line gives it for output `metadata_of`'s metadata
/// (`{outputMetadata: metadata_of}`) to `seen`, and a model.
fn describe_component(metadata_of: &str) -> String {
    format!(
        r#"
name: describe-model
outputs:
- {{name: model, type: Model}}
- {{name: seen, type: String}}
implementation:
  container:
    image: alpine
    command:
    - sh
    - -c
    - printf %s "$0" > "$1"; echo trained > "$2"
    - {{outputMetadata: {metadata_of}}}
    - {{outputPath: seen}}
    - {{outputPath: model}}
"#
    )
}

#[pipeline(name = "describe")]
fn describe() {
    load_component_from_text(&describe_component("model"))
        .expect("the component loads")
        .call::<&str, kfp::components::AnyArg>([]);
}

#[pipeline(name = "describe-a-parameter")]
fn describe_a_parameter() {
    load_component_from_text(&describe_component("seen"))
        .expect("the component loads")
        .call::<&str, kfp::components::AnyArg>([]);
}

#[test]
fn the_metadata_placeholder_compiles_to_kfp_2s_for_v2_and_is_refused_for_v1() {
    let ir = Compiler::new().target(Target::V2).compile_to_string(describe).expect("it compiles for KFP v2");
    assert!(ir.contains(r#"- "{{$.outputs.artifacts['model'].metadata}}""#), "{ir}");

    let refused = Compiler::new().compile_to_string(describe).expect_err("KFP v1 has no artifact metadata");
    let message = refused.to_string();
    assert!(
        message.contains("task `describe-model`: `{outputMetadata: model}` in `describe-model` is output artifact `model`'s metadata, which only KFP v2 has"),
        "{message}"
    );
    assert!(message.contains("`mlpipeline-ui-metadata` or `mlpipeline-metrics` output file"), "{message}");
}

#[test]
fn the_placeholder_names_an_output_artifact() {
    let Err(not_an_output) = load_component_from_text(&describe_component("modle")) else {
        panic!("an unknown output is refused")
    };
    assert!(not_an_output.to_string().contains("`modle` is not an output of the component"), "{not_an_output}");

    // kfp 1.8's `{outputMetadata: null}` is the executor output file, not an artifact's metadata.
    let Err(file) = load_component_from_text(&describe_component("null")) else { panic!("kfp 1.8's form is refused") };
    assert!(
        file.to_string().contains("`outputMetadata` names an output artifact (`{outputMetadata: model}`"),
        "{file}"
    );

    let parameter = Compiler::new()
        .target(Target::V2)
        .compile_to_string(describe_a_parameter)
        .expect_err("a parameter has no metadata");
    assert!(parameter.to_string().contains("output `seen` is a parameter, which has no metadata"), "{parameter}");
}

/// `kfp run-local FILE --json --run-dir DIR/run ARGS...`.
fn run_local(file: &std::path::Path, dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kfp"))
        .arg("run-local")
        .arg(file)
        .args(["--json", "--run-dir"])
        .arg(dir.join("run"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_local_run_gives_the_task_the_empty_metadata_it_starts_with() {
    let dir = Scratch::new("ir-output-metadata");
    let file = dir.join("describe.ir.yaml");
    Compiler::new().target(Target::V2).compile(describe, &file).expect("it compiles");
    let output = run_local(&file, &dir, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    let task = report["tasks"].as_array().unwrap().iter().find(|task| task["id"] == "describe-model").unwrap();
    assert_eq!(task["outputs"]["seen"], "{}", "{report:#}");
}

/// Logs metrics as kfp's `Metrics.log_metric` does and sets metadata on a model.
#[component]
pub fn evaluate(threshold: f64, metrics: OutputPath<Metrics>, model: OutputPath<Model>) {
    metrics.log_metric("accuracy", 0.9);
    metrics.log_metric("threshold", threshold);
    std::fs::write(&model, "weights").expect("the model file is writable");
    model.set_metadata("framework", "linfa \"0.7\"");
    model.set_metadata("epochs", 3);
    model.set_metadata("epochs", 4);
}

#[pipeline(name = "evaluation")]
fn evaluation(#[default(0.5)] threshold: f64) {
    evaluate_op(threshold);
}

#[test]
fn a_rust_component_logs_metrics_that_a_local_run_of_the_ir_reports() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH (the component's program is built with it)");
        return;
    }
    let dir = Scratch::new("ir-rust-metrics");
    let file = dir.join("evaluation.ir.yaml");
    Compiler::new().target(Target::V2).compile(evaluation, &file).expect("it compiles");
    // The program gets kfp's executor input, which names the executor output's file.
    let ir = std::fs::read_to_string(&file).unwrap();
    assert!(ir.contains("- ----executor-input\n        - \"{{$}}\""), "{ir}");
    // KFP v1 has no artifact metadata: its Workflow passes nothing of it.
    let workflow = Compiler::new().compile_to_string(evaluation).expect("it compiles for KFP v1");
    assert!(!workflow.contains("- ----executor-input"), "{workflow}");
    let report = evaluation.run_local(&RunOptions::new(dir.join("v1")).arg("threshold", 0.75)).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    // There the metrics are the file, in kfp 1.8's metrics format.
    let task = report.task("evaluate").expect("the task ran");
    let metrics_file = task.artifacts.iter().find(|(name, _)| name.ends_with("metrics")).map(|(_, path)| path).unwrap();
    let metrics: Value = serde_json::from_str(&std::fs::read_to_string(metrics_file).unwrap()).unwrap();
    let expected = serde_json::json!({"metrics": [
        {"name": "accuracy", "numberValue": 0.9, "format": "RAW"},
        {"name": "threshold", "numberValue": 0.75, "format": "RAW"},
    ]});
    assert_eq!(metrics, expected);
    assert!(task.metadata.is_empty(), "{task:#?}");

    let output = run_local(&file, &dir, &["-p", "threshold=0.75"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    let task = report["tasks"].as_array().unwrap().iter().find(|task| task["id"] == "evaluate").unwrap();
    assert_eq!(task["metadata"]["metrics"], serde_json::json!({"accuracy": 0.9, "threshold": 0.75}), "{report:#}");
    assert_eq!(task["metadata"]["model"], serde_json::json!({"framework": "linfa \"0.7\"", "epochs": 4}), "{report:#}");
    // run.json holds it too.
    let run: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("run/run.json")).unwrap()).unwrap();
    let task = run["tasks"].as_array().unwrap().iter().find(|task| task["id"] == "evaluate").unwrap();
    assert_eq!(task["metadata"]["metrics"]["accuracy"], 0.9);
}

/// Logs a metric JSON cannot hold.
#[component]
pub fn diverge(metrics: OutputPath<Metrics>) {
    metrics.log_metric("loss", f64::NAN);
}

#[pipeline(name = "divergence")]
fn divergence() {
    diverge_op();
}

#[test]
fn a_metric_kfp_v2_cannot_record_fails_the_task_naming_it() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH (the component's program is built with it)");
        return;
    }
    let dir = Scratch::new("ir-rust-nan-metric");
    let file = dir.join("divergence.ir.yaml");
    Compiler::new().target(Target::V2).compile(divergence, &file).expect("it compiles");
    let output = run_local(&file, &dir, &[]);
    assert_eq!(output.status.code(), Some(1));
    let log = std::fs::read_to_string(dir.join("run/logs/diverge.log")).unwrap();
    assert!(log.contains("Diverge: output metrics: metadata \"loss\" is NaN, which is not a finite number"), "{log}");
}

/// Returns a dataset with metadata, as kfp 2's `Dataset(uri=dsl.get_uri(), metadata={...})`.
#[component]
pub fn make_rows(rows: i64) -> std::io::Result<OutputArtifact<Dataset>> {
    let dataset = OutputArtifact::new(get_uri("Output")?);
    std::fs::write(&dataset, "row\n".repeat(rows as usize))?;
    dataset.set_metadata("rows", rows);
    dataset.set_metadata("format", "lines");
    Ok(dataset)
}

/// A model made outside the task's root (so copied to its output) and the metrics of its training.
#[derive(ComponentOutputs)]
pub struct Trained {
    pub model: OutputArtifact<Model>,
    pub scores: OutputArtifact<Metrics>,
}

#[component]
pub fn train(rows: InputPath<Dataset>) -> Result<Trained, String> {
    let count = std::fs::read_to_string(&rows).map_err(|e| e.to_string())?.lines().count();
    let scratch = std::env::temp_dir().join(format!("kfp-trained-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let model = OutputArtifact::new(scratch.join("model"));
    std::fs::write(&model, "weights").map_err(|e| e.to_string())?;
    model.set_metadata("trained_on", count);
    let scores = OutputArtifact::new(get_uri("scores").map_err(|e| e.to_string())?);
    scores.log_metric("accuracy", 0.5);
    Ok(Trained { model, scores })
}

#[pipeline(name = "returned-metadata")]
fn returned_metadata() {
    let rows = make_rows_op(3);
    train_op(rows.output());
}

#[test]
fn metadata_a_rust_component_sets_on_artifacts_it_returns_is_in_a_local_run_of_the_ir() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH (the component's program is built with it)");
        return;
    }
    let dir = Scratch::new("ir-returned-metadata");
    let file = dir.join("returned-metadata.ir.yaml");
    Compiler::new().target(Target::V2).compile(returned_metadata, &file).expect("it compiles");
    let ir = std::fs::read_to_string(&file).unwrap();
    assert!(ir.contains("- ----executor-input\n        - \"{{$}}\""), "{ir}");

    let output = run_local(&file, &dir, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    let task = |id: &str| report["tasks"].as_array().unwrap().iter().find(|task| task["id"] == id).unwrap().clone();
    assert_eq!(
        task("make-rows")["metadata"]["Output"],
        serde_json::json!({"rows": 3, "format": "lines"}),
        "{report:#}"
    );
    let train = task("train");
    assert_eq!(train["metadata"]["model"], serde_json::json!({"trained_on": 3}), "{report:#}");
    assert_eq!(train["metadata"]["scores"], serde_json::json!({"accuracy": 0.5}), "{report:#}");
}
