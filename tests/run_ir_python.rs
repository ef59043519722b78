//! `kfp run-local FILE.ir.yaml` on pipeline IR with Python lightweight components, by the real
//! binary: they run as kfp's `SubprocessRunner` runs them (kfp's executor, given the executor
//! input), with the Python `--python` names; what they return and their artifacts' metadata come
//! back. A Python without kfp 2 is refused before anything starts, naming the tasks and the fix.
//!
//! The runs need kfp 2.17.3 (`KFP2_PYTHON`); without it they say how to get it and skip.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::run::Scratch;
use serde_json::Value;

fn golden(name: &str) -> String {
    format!("{}/tests/fixtures/kfp-2.17.3/{name}.yaml", env!("CARGO_MANIFEST_DIR"))
}

/// `kfp run-local FILE --json --run-dir DIR/run --python PYTHON ARGS...`.
fn run_local(file: &str, dir: &Path, python: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(["run-local", file, "--json", "--python", python, "--run-dir"])
        .arg(dir.join("run"))
        .args(args)
        .output()
        .unwrap()
}

fn json_report(output: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(&stdout)
        .unwrap_or_else(|_| panic!("no JSON report:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr)))
}

fn task<'r>(report: &'r Value, id: &str) -> &'r Value {
    let tasks = report["tasks"].as_array().unwrap();
    tasks.iter().find(|task| task["id"] == id).unwrap_or_else(|| panic!("no task `{id}` in {report:#}"))
}

fn kfp2() -> Option<String> {
    let python = common::kfp2_python();
    if python.is_none() {
        common::skip(common::KFP2_NOT_INSTALLED);
    }
    python
}

#[test]
fn python_components_get_typed_inputs_and_return_their_outputs() {
    let Some(python) = kfp2() else { return };
    let dir = Scratch::new("ir-python-add");
    let file = format!("{}/tests/fixtures/add_example_v2.kfp.yaml", env!("CARGO_MANIFEST_DIR"));
    let output = run_local(&file, &dir, &python, &["-p", "value_1=3", "-p", "value_2=4"]);
    let report = json_report(&output);
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    assert_eq!(task(&report, "add")["outputs"]["Output"], "7");
    assert_eq!(task(&report, "subtract")["outputs"]["Output"], "-1");
    assert_eq!(task(&report, "multiply")["outputs"]["Output"], "-7");
    // kfp's executor logged the executor input it was given: the integers as integers.
    let log = std::fs::read_to_string(task(&report, "add")["log"].as_str().unwrap()).unwrap();
    let at = log.find("Got executor_input:").expect("kfp's executor ran");
    let input: Value = serde_json::Deserializer::from_str(&log[at + "Got executor_input:".len()..])
        .into_iter()
        .next()
        .expect("the executor input follows")
        .unwrap();
    assert_eq!(input["inputs"]["parameterValues"], serde_json::json!({"value_1": 3, "value_2": 4}), "{input:#}");

    // A value that is not what the component declares fails the task, naming the input.
    let output = run_local(&file, &dir, &python, &["-p", "value_1=3", "-p", "value_2=four"]);
    assert_eq!(output.status.code(), Some(1));
    let report = json_report(&output);
    let message = task(&report, "add")["message"].as_str().unwrap().to_owned();
    assert_eq!(message, "input parameter `value_2` is `four`, which is not an integer as its component declares");
}

#[test]
fn a_metrics_artifacts_metadata_reaches_the_report() {
    let Some(python) = kfp2() else { return };
    let dir = Scratch::new("ir-python-metrics");
    let report = json_report(&run_local(&golden("output_metrics"), &dir, &python, &[]));
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    let accuracy = &task(&report, "output-metrics")["metadata"]["metrics"]["accuracy"];
    assert!(accuracy.as_i64().is_some_and(|a| (0..=100).contains(&a)), "{report:#}");
    // run.json holds it too, for what reads the run afterwards.
    let run: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("run/run.json")).unwrap()).unwrap();
    let task = run["tasks"].as_array().unwrap().iter().find(|t| t["id"] == "output-metrics").unwrap();
    assert_eq!(&task["metadata"]["metrics"]["accuracy"], accuracy);
}

#[test]
fn python_components_branch_on_what_earlier_ones_returned() {
    let Some(python) = kfp2() else { return };
    let dir = Scratch::new("ir-python-condition");
    let report = json_report(&run_local(&golden("essential__pipeline_with_condition"), &dir, &python, &[]));
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    let flip = task(&report, "flip-coin-op")["outputs"]["Output"].as_str().unwrap().to_owned();
    assert!(flip == "heads" || flip == "tails", "{flip}");
    // The condition's tasks ran when the coin showed heads, and were skipped otherwise.
    let condition = task(&report, "condition-1");
    assert_eq!(condition["status"], if flip == "heads" { "Succeeded" } else { "Skipped" }, "{report:#}");
}

#[test]
fn a_python_without_kfp_2_is_refused_naming_the_tasks_and_the_fix() {
    let dir = Scratch::new("ir-python-refused");
    let file = format!("{}/tests/fixtures/add_example_v2.kfp.yaml", env!("CARGO_MANIFEST_DIR"));
    let missing = dir.join("no-such-python");
    let output = run_local(&file, &dir, &missing.to_string_lossy(), &["-p", "value_1=3", "-p", "value_2=4"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "task(s) `add`, `multiply`, `subtract`: Python lightweight components run with `{}`, which does not start",
            missing.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("name a Python that has it with `--python PATH`"), "{stderr}");
    assert!(!dir.join("run/logs").exists(), "nothing starts: {stderr}");

    // A Python that starts but has no kfp: its own error is shown.
    if Command::new("python3").arg("--version").output().is_err() {
        common::skip("python3 is not on PATH");
        return;
    }
    let bare = dir.join("bare-python");
    std::fs::write(&bare, "#!/bin/sh\nexec python3 -I -S \"$@\"\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bare, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let output = run_local(&file, &dir, &bare.to_string_lossy(), &["-p", "value_1=3", "-p", "value_2=4"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("which `"), "{stderr}");
    assert!(stderr.contains("cannot import (ModuleNotFoundError: No module named 'kfp')"), "{stderr}");
    assert!(!dir.join("run/logs").exists(), "nothing starts: {stderr}");
}

#[test]
fn the_runs_values_kfps_backend_fills_in_reach_the_function() {
    let Some(python) = kfp2() else { return };
    let dir = Scratch::new("ir-python-placeholders");
    let report = json_report(&run_local(&golden("critical__pipeline_with_placeholders"), &dir, &python, &[]));
    // The function asserts its task's name and that the job's resource name is the run's.
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    let task = task(&report, "print-all-placeholders");
    let log = std::fs::read_to_string(task["log"].as_str().unwrap()).unwrap();
    let run = report["workflow"].as_str().unwrap();
    assert!(log.contains(&format!("{run}, {run}, ")), "{log}");
    assert!(log.contains(", print-all-placeholders, "), "{log}");
}
