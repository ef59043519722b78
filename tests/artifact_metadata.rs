//! An output artifact's metadata (KFP v2): a container component's `{outputMetadata: NAME}`
//! placeholder, kfp 2's `model.metadata`, compiled for KFP v2, refused for KFP v1, and filled in
//! by local runs of the IR as kfp.local fills it in (the metadata a task starts with: `{}`).

mod common;

use std::process::{Command, Output};

use common::run::Scratch;
use kfp::components::load_component_from_text;
use kfp::prelude::*;
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
    let not_an_output =
        load_component_from_text(&describe_component("modle")).err().expect("an unknown output is refused");
    assert!(not_an_output.to_string().contains("`modle` is not an output of the component"), "{not_an_output}");

    // kfp 1.8's `{outputMetadata: null}` is the executor output file, not an artifact's metadata.
    let file = load_component_from_text(&describe_component("null")).err().expect("kfp 1.8's form is refused");
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

/// `kfp run-local FILE --json --run-dir DIR/run`.
fn run_local(file: &std::path::Path, dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(["run-local"])
        .arg(file)
        .args(["--json", "--run-dir"])
        .arg(dir.join("run"))
        .output()
        .unwrap()
}

#[test]
fn a_local_run_gives_the_task_the_empty_metadata_it_starts_with() {
    let dir = Scratch::new("ir-output-metadata");
    let file = dir.join("describe.ir.yaml");
    Compiler::new().target(Target::V2).compile(describe, &file).expect("it compiles");
    let output = run_local(&file, &dir);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    let task = report["tasks"].as_array().unwrap().iter().find(|task| task["id"] == "describe-model").unwrap();
    assert_eq!(task["outputs"]["seen"], "{}", "{report:#}");
}
