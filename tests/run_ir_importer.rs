//! `kfp run-local FILE.ir.yaml` on importers and exit tasks taking `PipelineTaskFinalStatus`, by
//! the real binary: a local file (a path or a `file://` URI) is imported as kfp.local imports it,
//! a remote URI is refused naming the importer, and the exit task is given the exit handler's
//! final status as kfp.local gives it.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::run::Scratch;
use kfp::components::{arg, load_component_from_text};
use kfp::dsl::{exit_handler, importer};
use kfp::prelude::*;
use kfp::{Compiler, Target};
use serde_json::{json, Value};

/// `kfp run-local FILE --json --run-dir RUN_DIR ARGS...`.
fn run_local(file: &Path, run_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kfp"))
        .arg("run-local")
        .arg(file)
        .args(["--json", "--run-dir"])
        .arg(run_dir)
        .args(args)
        .output()
        .unwrap()
}

fn json_report(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!(
            "stdout is no JSON report:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn task<'r>(report: &'r Value, id: &str) -> &'r Value {
    let tasks = report["tasks"].as_array().unwrap();
    tasks.iter().find(|task| task["id"] == id).unwrap_or_else(|| panic!("no task `{id}` in {report:#}"))
}

fn log(task: &Value) -> String {
    std::fs::read_to_string(task["log"].as_str().expect("the task has a log")).unwrap()
}

const SHOW: &str = r#"
name: show
inputs:
- {name: data, type: Dataset}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'cat "$0"', {inputPath: data}]
"#;

/// Imports a dataset by the URI it is given and shows it
#[pipeline(name = "import and show")]
pub fn import_and_show(uri: String) {
    let data = importer::<Dataset>(uri).metadata([("origin", json!(uri.to_string()))]).call();
    load_component_from_text(SHOW).unwrap().call([("data", data.output())]);
}

fn compiled(dir: &Path, pipeline: impl Pipeline) -> std::path::PathBuf {
    let file = dir.join("pipeline.ir.yaml");
    Compiler::new().target(Target::V2).compile(pipeline, &file).unwrap();
    file
}

#[test]
fn an_importer_imports_a_local_file_by_path_or_file_uri_and_refuses_a_remote_one() {
    let dir = Scratch::new("ir-importer");
    let file = compiled(&dir, import_and_show);
    std::fs::write(dir.join("data.txt"), "Grüße aus der Datei\n").unwrap();
    let by_path = dir.join("data.txt").to_string_lossy().into_owned();
    for (run, uri) in [("run-path", by_path.clone()), ("run-file-uri", format!("file://{by_path}"))] {
        let output = run_local(&file, &dir.join(run), &["-p", &format!("uri={uri}")]);
        let report = json_report(&output);
        assert_eq!(report["status"], "Succeeded", "{report:#}");
        assert_eq!(log(task(&report, "show")), "Grüße aus der Datei\n");
    }

    // A relative path is taken from where the run starts, as kfp.local takes it.
    let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .current_dir(dir.as_ref() as &Path)
        .arg("run-local")
        .arg(&file)
        .args(["--json", "--run-dir", "run-relative", "-p", "uri=data.txt"])
        .output()
        .unwrap();
    let report = json_report(&output);
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    assert_eq!(log(task(&report, "show")), "Grüße aus der Datei\n");

    // A remote URI from a parameter fails the importer, naming it; `show` never runs.
    let output = run_local(&file, &dir.join("run-remote"), &["-p", "uri=gs://bucket/data.txt"]);
    assert_eq!(output.status.code(), Some(1));
    let report = json_report(&output);
    let importer = task(&report, "importer");
    assert_eq!(importer["status"], "Failed", "{report:#}");
    assert!(
        log(importer).contains("importer `importer`: `gs://bucket/data.txt` is not a local file"),
        "{}",
        log(importer)
    );

    // A missing file is named.
    let output =
        run_local(&file, &dir.join("run-missing"), &["-p", &format!("uri={}", dir.join("nothing.txt").display())]);
    let report = json_report(&output);
    assert!(log(task(&report, "importer")).contains("there is no file or folder at"), "{report:#}");
}

/// Imports a constant remote URI
#[pipeline(name = "import remote")]
pub fn import_remote() {
    let data = importer::<Dataset>("s3://bucket/data.txt").call();
    load_component_from_text(SHOW).unwrap().call([("data", data.output())]);
}

#[test]
fn a_constant_remote_uri_is_refused_before_anything_starts() {
    let dir = Scratch::new("ir-importer-remote");
    let file = compiled(&dir, import_remote);
    let output = run_local(&file, &dir.join("run"), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("importer `importer` imports `s3://bucket/data.txt`, which is not a local file"),
        "{stderr}"
    );
    assert!(!dir.join("run/logs").exists(), "nothing starts: {stderr}");
}

/// Writes how the exit handler ended.
#[component]
pub fn record_exit(status: PipelineTaskFinalStatus) -> String {
    format!(
        "{} {} {} {:?} {:?}",
        status.state,
        status.pipeline_task_name,
        status.pipeline_job_resource_name,
        status.error_code,
        status.error_message
    )
}

const SAY: &str = r#"
name: say
inputs:
- {name: code, type: Integer}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'exit "$0"', {inputValue: code}]
"#;

/// A step that may fail, in an exit handler whose exit task takes the final status
#[pipeline(name = "final status")]
pub fn final_status(#[default(0)] code: i64) {
    let exit_task = record_exit_op();
    exit_handler(&exit_task, || {
        load_component_from_text(SAY).unwrap().call([("code", arg(code))]);
    });
}

#[test]
fn the_exit_task_is_given_the_final_status_as_kfp_local_gives_it() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH (the component's program is built with it)");
        return;
    }
    let dir = Scratch::new("ir-final-status");
    let file = compiled(&dir, final_status);
    let report = json_report(&run_local(&file, &dir.join("run-succeeding"), &[]));
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    assert_eq!(
        task(&report, "record-exit")["outputs"]["Output"],
        "SUCCEEDED exit-handler-1 local-pipeline-exit-handler-1 None None"
    );

    let output = run_local(&file, &dir.join("run-failing"), &["-p", "code=2"]);
    assert_eq!(output.status.code(), Some(1));
    let report = json_report(&output);
    assert_eq!(
        task(&report, "record-exit")["outputs"]["Output"],
        "FAILED exit-handler-1 local-pipeline-exit-handler-1 Some(1) Some(\"Task exit-handler-1 failed.\")",
        "{report:#}"
    );
}
