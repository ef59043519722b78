//! A pipeline's inputs under KFP v2: an artifact parameter (`in_dataset: Dataset`, kfp 2's
//! `Input[Dataset]`) and a parameter optional without a default (`Option<T>`, kfp's
//! `Optional[str] = None`), compiled for both targets and run from the IR by `kfp run-local`
//! (the real binary), which takes the artifact as a local file and leaves an optional input
//! out as kfp's driver does.

mod common;

use std::path::Path;
use std::process::Command;

use common::run::Scratch;
use kfp::components::{arg, load_component_from_text};
use kfp::prelude::*;
use kfp::{Compiler, Target};
use serde_json::Value;

/// Greets a name when given one: an `IfPresent` placeholder on an optional input.
const GREET: &str = r#"
name: greet
inputs:
- {name: name, type: String, optional: true}
outputs:
- {name: greeting, type: String}
implementation:
  container:
    image: alpine
    command:
    - sh
    - -c
    - 'printf "%s" "$*" > "$0"'
    - {outputPath: greeting}
    - if:
        cond: {isPresent: name}
        then: [hello, {inputValue: name}]
        else: [hello nobody]
"#;

/// Counts the lines of a file.
const COUNT: &str = r#"
name: count
inputs:
- {name: data, type: Dataset}
outputs:
- {name: lines, type: Integer}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'printf "%s" $(wc -l < "$0") > "$1"', {inputPath: data}, {outputPath: lines}]
"#;

#[pipeline(name = "inputs")]
fn inputs(name: Option<String>, in_dataset: Dataset) -> Output<i64> {
    let greet = load_component_from_text(GREET).expect("greet loads");
    let count = load_component_from_text(COUNT).expect("count loads");
    greet.call([("name", arg(name))]);
    count.call([("data", arg(in_dataset))]).output_named("lines").cast()
}

/// The IR of `inputs`, written into `dir`.
fn compiled(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("inputs.ir.yaml");
    Compiler::new().target(Target::V2).compile(inputs, &file).expect("it compiles for KFP v2");
    file
}

fn run_local(file: &Path, dir: &Path, params: &[&str]) -> (bool, Value, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kfp"));
    command.arg("run-local").arg(file);
    for param in params {
        command.args(["-p", param]);
    }
    let output = command.args(["--json", "--run-dir"]).arg(dir.join("run")).output().expect("kfp runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let report = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    (output.status.success(), report, stderr)
}

fn greeting(report: &Value) -> &str {
    let tasks = report["tasks"].as_array().expect("the report's tasks");
    let greet = tasks.iter().find(|task| task["id"] == "greet").expect("a greet task");
    greet["outputs"]["greeting"].as_str().expect("its greeting")
}

#[test]
fn the_ir_declares_the_artifact_and_the_optional_parameter() {
    let ir = Compiler::new().target(Target::V2).compile_to_ir(inputs).expect("it compiles");
    let root = serde_json::to_value(&ir.spec).unwrap()["root"].clone();
    assert_eq!(
        root["inputDefinitions"]["parameters"]["name"],
        serde_json::json!({"parameterType": "STRING", "isOptional": true})
    );
    assert_eq!(root["inputDefinitions"]["artifacts"]["in_dataset"]["artifactType"]["schemaTitle"], "system.Dataset");
    assert_eq!(
        root["dag"]["tasks"]["count"]["inputs"]["artifacts"]["data"],
        serde_json::json!({"componentInputArtifact": "in_dataset"})
    );
}

#[test]
fn kfp_run_local_takes_the_artifact_as_a_file_and_leaves_the_optional_input_out() {
    let dir = Scratch::new("pipeline-inputs-v2");
    let file = compiled(&dir);
    let data = dir.join("data.txt");
    std::fs::write(&data, "a\nb\nc\n").unwrap();
    let dataset = format!("in_dataset={}", data.display());

    let (ok, report, stderr) = run_local(&file, &dir.join("without"), &[&dataset]);
    assert!(ok, "{report:#}\n{stderr}");
    assert_eq!(greeting(&report), "hello nobody", "{report:#}");
    assert_eq!(report["outputs"]["Output"], "3", "{report:#}");

    let (ok, report, stderr) = run_local(&file, &dir.join("with"), &[&dataset, "name=ann"]);
    assert!(ok, "{report:#}\n{stderr}");
    assert_eq!(greeting(&report), "hello ann", "{report:#}");
}

#[test]
fn kfp_run_local_refuses_a_missing_artifact_before_anything_starts() {
    let dir = Scratch::new("pipeline-inputs-v2-missing");
    let file = compiled(&dir);
    let (ok, _, stderr) = run_local(&file, &dir, &[]);
    assert!(!ok && stderr.contains("pipeline input artifact `in_dataset` (system.Dataset) is required: give it a file with `-p in_dataset=PATH`"), "{stderr}");
    // Said as a missing parameter is, not as something the IR cannot do here.
    assert!(!stderr.contains("cannot run on this machine"), "{stderr}");
    let (ok, _, stderr) = run_local(&file, &dir, &["in_dataset=no/such/file"]);
    assert!(!ok && stderr.contains("no file or directory at `no/such/file`"), "{stderr}");
    assert!(!dir.join("run").join("tasks").exists(), "nothing ran");
}

#[test]
fn kfp_1_8_has_no_artifact_inputs_and_an_optional_parameter_without_a_value() {
    let error = Compiler::new().compile_to_string(inputs).unwrap_err().to_string();
    assert!(
        error.contains("pipeline parameter `in_dataset` is an artifact (Dataset), which only KFP v2 takes"),
        "{error}"
    );

    #[pipeline(name = "optional")]
    fn optional(name: Option<String>) {
        load_component_from_text(GREET).expect("greet loads").call([("name", name)]);
    }
    let yaml = Compiler::new().compile_to_string(optional).expect("it compiles for KFP v1");
    let workflow: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
    // As kfp 1.8.22 writes `name: Optional[str] = None`: optional, and no value.
    let spec = workflow["metadata"]["annotations"]["pipelines.kubeflow.org/pipeline_spec"].as_str().unwrap();
    let spec: Value = serde_json::from_str(spec).unwrap();
    assert_eq!(spec["inputs"], serde_json::json!([{"name": "name", "optional": true, "type": "String"}]));
    assert_eq!(
        workflow["spec"]["arguments"]["parameters"][0],
        serde_yaml::from_str::<serde_yaml::Value>("{name: name}").unwrap()
    );
}
