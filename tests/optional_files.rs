//! Optional file inputs of Rust components (`Option<InputPath<T>>`, kfp 1.8's
//! `Optional[InputPath('Dataset')] = None`, kfp 2's `Optional[Input[Dataset]] = None`):
//! compiled as kfp 1.8.22 and kfp 2.17.3 compile `tests/fixtures/optional_files.py` and
//! `optional_files_v2.py`, and run locally (in process, and by the real `kfp run-local` of
//! the Workflow and of the IR) with the file given and left out, the function getting `None`.

mod common;

use std::path::Path;
use std::process::Command;

use common::run::Scratch;
use kfp::prelude::*;
use kfp::run::RunOptions;
use kfp::{Compiler, Target};
use serde_json::Value;

#[component]
pub fn make(text: String, out: OutputPath<Dataset>) -> Result<(), String> {
    std::fs::write(&out, text).map_err(|e| e.to_string())
}

#[component(output_component_file = "optional_files.show.component.yaml")]
pub fn show(data: Option<InputPath<Dataset>>, notes: Option<InputPath>) -> Result<String, String> {
    let mut shown = Vec::new();
    for (name, path) in [("data", data.as_deref()), ("notes", notes.as_deref())] {
        shown.push(match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                format!("{name}: {text}")
            }
            None => format!("no {name}"),
        });
    }
    Ok(shown.join(", "))
}

// `tests/fixtures/optional_files.py` in Rust.
#[pipeline(name = "optional files")]
pub fn optional_files(#[default("some data")] text: String) {
    let made = make_op(text);
    let notes = make_op("some notes");
    show_op(made.outputs().out, notes.outputs().out);
    show_op(None, None);
    show_op(Some(made.outputs().out), None);
}

// `tests/fixtures/optional_files_v2.py` in Rust: an optional artifact pipeline input too.
#[pipeline(name = "optional-files")]
pub fn optional_files_v2(#[default("some data")] text: String, dataset: Option<Dataset>) {
    let made = make_op(text);
    let notes = make_op("some notes");
    show_op(made.outputs().out, notes.outputs().out);
    show_op(None, None);
    show_op(dataset, None);
}

#[test]
fn the_workflow_is_kfp_1_8s() {
    let ours = Compiler::new().compile_to_string(optional_files).unwrap();
    let golden = common::read_fixture(&common::fixtures_dir().join("optional_files.kfp.yaml"));
    common::assert_equivalent(&ours, &golden, "optional_files");
    common::assert_schema_valid(&ours, "optional_files");
}

#[test]
fn the_component_file_is_kfp_1_8s() {
    common::assert_component_file_matches_kfp(optional_files, "optional_files", "show");
}

#[test]
fn the_ir_is_kfp_2s() {
    let ours = Compiler::new().target(Target::V2).compile_to_string(optional_files_v2).unwrap();
    let golden = common::read_fixture(&common::fixtures_dir().join("optional_files_v2.kfp.yaml"));
    common::assert_ir_equivalent(&ours, &golden, "optional_files_v2");
    // kfp 2 writes what kfp 1.8's `if isPresent` becomes for a loaded component: the flag and path or nothing.
    let ir: Value = serde_yaml::from_str(&ours).unwrap();
    let args = &ir["deploymentSpec"]["executors"]["exec-show"]["container"]["args"];
    let data = r#"{"IfPresent": {"InputName": "data", "Then": ["--data", "{{$.inputs.artifacts['data'].path}}"]}}"#;
    assert!(args.as_array().unwrap().iter().any(|arg| arg == data), "{args:#}");
}

#[test]
fn an_in_process_run_gives_none_for_a_file_left_out() {
    let dir = Scratch::new("optional-files-inproc");
    let report = optional_files.run_local(&RunOptions::new(dir.join("run"))).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("show", "show-Output"), Some("data: some data, notes: some notes"));
    assert_eq!(report.output("show-2", "show-2-Output"), Some("no data, no notes"));
    assert_eq!(report.output("show-3", "show-3-Output"), Some("data: some data, no notes"));
}

/// `kfp run-local FILE --json --run-dir DIR ARGS...`: the report of a run that succeeded.
fn run_local(file: &Path, dir: &Path, args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .arg("run-local")
        .arg(file)
        .args(["--json", "--run-dir"])
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_str(&stdout).expect("stdout is one JSON document")
}

fn task_output<'a>(report: &'a Value, id: &str, name: &str) -> &'a str {
    let tasks = report["tasks"].as_array().unwrap();
    let task = tasks.iter().find(|task| task["id"] == id).unwrap_or_else(|| panic!("no task `{id}` in {report:#}"));
    task["outputs"][name].as_str().unwrap_or_else(|| panic!("no output `{name}` of `{id}` in {report:#}"))
}

#[test]
fn kfp_run_local_of_the_workflow_and_of_the_ir_leaves_the_file_out() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH (the components' programs are built with it)");
        return;
    }
    let dir = Scratch::new("optional-files-cli");
    Compiler::new().compile(optional_files, dir.join("optional_files.yaml")).unwrap();
    let report = run_local(&dir.join("optional_files.yaml"), &dir.join("workflow"), &[]);
    assert_eq!(task_output(&report, "show", "show-Output"), "data: some data, notes: some notes");
    assert_eq!(task_output(&report, "show-2", "show-2-Output"), "no data, no notes");
    assert_eq!(task_output(&report, "show-3", "show-3-Output"), "data: some data, no notes");

    Compiler::new().target(Target::V2).compile(optional_files_v2, dir.join("optional_files.ir.yaml")).unwrap();
    let ir = dir.join("optional_files.ir.yaml");
    let report = run_local(&ir, &dir.join("ir"), &["-p", "text=made"]);
    assert_eq!(task_output(&report, "show", "Output"), "data: made, notes: some notes");
    assert_eq!(task_output(&report, "show-2", "Output"), "no data, no notes");
    // The pipeline's optional input left out leaves the task's out.
    assert_eq!(task_output(&report, "show-3", "Output"), "no data, no notes");

    let given = dir.join("given.csv");
    std::fs::write(&given, "a,b\n1,2 ✓").unwrap();
    let report = run_local(&ir, &dir.join("ir-given"), &["-p", &format!("dataset={}", given.display())]);
    assert_eq!(task_output(&report, "show-3", "Output"), "data: a,b\n1,2 ✓, no notes");
}
