//! Pipeline outputs and pipelines called inside pipelines (kfp 2): what the IR
//! says, what KFP v1 does with them, and local runs through the real
//! `kfp run-local` and `run_local_v2`, whose reports give the pipeline's outputs.

mod common;

use std::path::Path;
use std::process::Command;

use common::run::Scratch;
use kfp::components::{load_component_from_text, IntoAnyArg};
use kfp::dsl::{condition, Compare};
use kfp::prelude::*;
use kfp::run::RunOptions;
use kfp::{Compiler, Target};
use serde_json::Value;

/// Shouts its text: an output parameter written by a shell command.
const SHOUT: &str = r#"
name: shout
inputs:
- {name: text, type: String}
outputs:
- {name: loud, type: String}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'printf "%s!" "$0" | tr a-z A-Z > "$1"', {inputValue: text}, {outputPath: loud}]
"#;

/// Prints its text.
const SAY: &str = r#"
name: say
inputs:
- {name: text, type: String}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'echo "$0"', {inputValue: text}]
"#;

fn shout(text: impl IntoAnyArg) -> Output<String> {
    let shout = load_component_from_text(SHOUT).expect("the component loads");
    shout.call([("text", text)]).output_named("loud").cast()
}

#[pipeline]
fn loud(text: String) -> Output<String> {
    shout(text)
}

#[pipeline(name = "outer")]
fn outer(#[default("hello")] greeting: String) -> Output<String> {
    let inner = loud_op(greeting).set_display_name("make it loud");
    let say = load_component_from_text(SAY).expect("the component loads");
    say.call([("text", inner.output())]);
    loud_op("again").after(&inner).output()
}

fn ir(pipeline: impl Pipeline) -> Value {
    let yaml = Compiler::new().target(Target::V2).compile_to_string(pipeline).unwrap();
    serde_yaml::from_str(&yaml).unwrap()
}

#[test]
fn a_pipeline_called_as_a_task_is_a_dag_component_with_the_outputs_it_returns() {
    let spec = ir(outer);
    let inner = &spec["components"]["comp-loud"];
    assert_eq!(inner["outputDefinitions"]["parameters"]["Output"]["parameterType"], "STRING");
    assert_eq!(inner["dag"]["outputs"]["parameters"]["Output"]["valueFromParameter"]["producerSubtask"], "shout");
    // The second call shares nothing with the first: its own component, as kfp names it.
    assert!(spec["components"]["comp-loud-2"]["dag"].is_object(), "{spec:#?}");
    let root = &spec["root"];
    assert_eq!(root["outputDefinitions"]["parameters"]["Output"]["parameterType"], "STRING");
    assert_eq!(root["dag"]["outputs"]["parameters"]["Output"]["valueFromParameter"]["producerSubtask"], "loud-2");
    assert_eq!(root["dag"]["tasks"]["loud"]["taskInfo"]["name"], "make it loud");
    assert_eq!(root["dag"]["tasks"]["loud-2"]["dependentTasks"][0], "loud");
}

#[test]
fn kfp_v1_refuses_a_pipeline_called_as_a_task_naming_graph_components_and_drops_outputs() {
    let error = Compiler::new().compile_to_string(outer).expect_err("v1 refuses it").to_string();
    assert!(error.contains("calls pipeline `loud` as a component") && error.contains("graph_component"), "{error}");
    // As kfp 1.8 ignores a pipeline function's return value.
    let workflow = Compiler::new().compile_to_string(loud).expect("v1 compiles a pipeline with outputs");
    assert!(workflow.contains("kind: Workflow"), "{workflow}");
}

#[test]
fn an_output_from_inside_a_condition_is_refused_as_kfp_refuses_it() {
    #[pipeline(name = "conditional output")]
    fn conditional(text: String) -> Output<String> {
        condition(text.eq("x"), || shout(text))
    }
    let error = Compiler::new().target(Target::V2).compile_to_string(conditional).unwrap_err().to_string();
    assert!(error.contains("pipeline output `Output`") && error.contains("top level"), "{error}");
}

#[test]
fn settings_kfp_keeps_for_single_step_components_are_refused_on_a_pipeline_task() {
    #[pipeline(name = "limited")]
    fn limited() {
        loud_op("x").set_cpu_limit("1");
    }
    let error = Compiler::new().target(Target::V2).compile_to_string(limited).unwrap_err().to_string();
    assert!(error.contains("task `loud` runs a pipeline"), "{error}");
}

fn run_local(file: &Path, dir: &Path) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .arg("run-local")
        .arg(file)
        .args(["-p", "greeting=hi", "--json", "--run-dir"])
        .arg(dir.join("run"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_str(&stdout).expect("stdout is one JSON document")
}

#[test]
fn kfp_run_local_runs_the_nested_pipelines_and_reports_the_pipeline_outputs() {
    let dir = Scratch::new("nested-v2-cli");
    let file = dir.join("outer.ir.yaml");
    Compiler::new().target(Target::V2).compile(outer, &file).unwrap();
    let report = run_local(&file, &dir);
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    assert_eq!(report["outputs"]["Output"], "AGAIN!", "{report:#}");
    let run = std::fs::read_to_string(dir.join("run").join("run.json")).unwrap();
    let run: Value = serde_json::from_str(&run).unwrap();
    assert_eq!(run["outputs"]["Output"], "AGAIN!");
    let say = report["tasks"].as_array().unwrap().iter().find(|task| task["id"] == "say").expect("a say task");
    let log = std::fs::read_to_string(say["log"].as_str().unwrap()).unwrap();
    assert_eq!(log.trim(), "HI!");
}

#[test]
fn run_local_v2_runs_a_rust_nested_pipeline_and_reports_its_outputs() {
    let dir = Scratch::new("nested-v2-rust");
    let report = outer.run_local_v2(&RunOptions::new(dir.join("run")).param("greeting", "hey")).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.outputs.get("Output").map(String::as_str), Some("AGAIN!"));
}
