//! Agreement with kfp's own local runner: each `local_execution__*` pipeline of the KFP v2
//! conformance corpus that local runs support, and the quick-start add example, run twice: by
//! `kfp.local` (kfp 2.17.3's `SubprocessRunner`) from the Python pipeline, and by the real
//! `kfp run-local` binary from the pipeline IR kfp 2.17.3 compiled from it. Every task's output
//! parameters, the pipeline's outputs and the run's status must be the same. Where the pipeline
//! has a Rust port, the port's `run_local_v2` must give the same values too.
//!
//! Needs kfp 2.17.3 (`KFP2_PYTHON`); without it the tests say how to get it and skip.

mod common;

#[path = "../examples/add_pipeline.rs"]
#[allow(dead_code)]
mod add_pipeline;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::run::Scratch;
use kfp::prelude::*;
use kfp::run::RunOptions;
use serde_json::Value;

/// `kfp run-local FILE --json --python PYTHON -p ...`: the JSON report (whatever the status).
fn run_local(python: &str, file: &Path, dir: &Path, params: &[(&str, &str)]) -> Value {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kfp"));
    command.args(["run-local", "--json", "--python", python]).arg(file).arg("--run-dir").arg(dir.join("run"));
    for (name, value) in params {
        command.args(["-p", &format!("{name}={value}")]);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(&stdout).unwrap_or_else(|_| {
        panic!("kfp run-local printed no report:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr))
    })
}

/// Every task kfp.local ran with outputs gave the same output parameters in our run.
fn assert_tasks_agree(ours: &Value, theirs: &Value) {
    let tasks = theirs["tasks"].as_object().unwrap();
    assert!(!tasks.is_empty(), "kfp.local ran no task with outputs: {theirs:#}");
    for (task, values) in tasks {
        let our_task = ours["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"].as_str().is_some_and(|id| id == task || id.ends_with(&format!(".{task}"))))
            .unwrap_or_else(|| panic!("kfp.local ran task `{task}`, our run has none: {ours:#}"));
        for (name, value) in values.as_object().unwrap() {
            let our_value = our_task["outputs"][name].as_str().unwrap_or_else(|| {
                panic!("task `{task}` output `{name}`: kfp.local gave {value}, our run none: {our_task:#}")
            });
            assert!(
                common::kfp_local::same_value(our_value, value),
                "task `{task}` output `{name}`: kfp.local {value}, ours {our_value}"
            );
        }
    }
}

/// Our run's pipeline outputs: the output of the task each of the IR's root outputs names.
fn pipeline_outputs(ours: &Value, ir: &Path) -> BTreeMap<String, String> {
    let file = kfp::ir::PipelineFile::from_yaml(&std::fs::read_to_string(ir).unwrap()).unwrap();
    let root = file.spec.root.as_ref().and_then(|root| root.dag.as_ref()).expect("a root DAG");
    let outputs = root.outputs.as_ref().expect("the pipeline has outputs");
    let tasks = ours["tasks"].as_array().unwrap();
    outputs
        .parameters
        .iter()
        .map(|(name, spec)| {
            let from = spec.value_from_parameter.as_ref().expect("one producer");
            let task = tasks.iter().find(|t| t["id"] == from.producer_subtask.as_str()).unwrap_or_else(|| {
                panic!(
                    "pipeline output `{name}` is task `{}`'s, which our run has not: {ours:#}",
                    from.producer_subtask
                )
            });
            let value = task["outputs"][&from.output_parameter_key].as_str().unwrap_or_else(|| {
                panic!(
                    "pipeline output `{name}`: task `{}` gave no `{}`",
                    from.producer_subtask, from.output_parameter_key
                )
            });
            (name.clone(), value.to_owned())
        })
        .collect()
}

fn assert_pipeline_outputs_agree(ours: &Value, ir: &Path, theirs: &Value) {
    let ours = pipeline_outputs(ours, ir);
    let theirs = theirs["outputs"].as_object().unwrap();
    assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>(), "the pipeline's outputs");
    for (name, value) in theirs {
        assert!(
            common::kfp_local::same_value(&ours[name], value),
            "pipeline output `{name}`: kfp.local {value}, ours {}",
            ours[name]
        );
    }
}

fn golden(name: &str, ext: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/kfp-2.17.3/{name}.{ext}"))
}

fn kfp2() -> Option<String> {
    let python = common::kfp2_python();
    if python.is_none() {
        common::skip(common::KFP2_NOT_INSTALLED);
    }
    python
}

#[test]
fn the_add_example_agrees_with_kfp_local_and_so_does_its_rust_port() {
    let Some(python) = kfp2() else { return };
    let dir = Scratch::new("agree-add");
    let fixtures = common::fixtures_dir();
    let theirs = common::kfp_local::run(
        &python,
        &fixtures.join("add_example_v2.py"),
        "my_pipeline",
        &dir,
        serde_json::json!({"value_1": 3, "value_2": 4}),
    );
    assert_eq!(theirs["tasks"]["multiply"]["Output"], -7, "kfp.local: {theirs:#}");
    let ours =
        run_local(&python, &fixtures.join("add_example_v2.kfp.yaml"), &dir, &[("value_1", "3"), ("value_2", "4")]);
    assert_eq!(ours["status"], "Succeeded", "{ours:#}");
    assert_tasks_agree(&ours, &theirs);

    // The Rust port, compiled to IR and run with its Rust components.
    let report = add_pipeline::my_pipeline
        .run_local_v2(&RunOptions::new(dir.join("rust")).arg("value_1", 3_i64).arg("value_2", 4_i64))
        .unwrap();
    assert!(report.succeeded(), "{report:#?}");
    for (task, values) in theirs["tasks"].as_object().unwrap() {
        for (name, value) in values.as_object().unwrap() {
            let ours = report.output(task, name).unwrap_or_else(|| panic!("the Rust port has no {task}.{name}"));
            assert!(
                common::kfp_local::same_value(ours, value),
                "Rust port {task}.{name}: kfp.local {value}, ours {ours}"
            );
        }
    }
}

/// A golden, its pipeline function, kfp.local's arguments and ours.
type Case = (&'static str, &'static str, Value, &'static [(&'static str, &'static str)]);

#[test]
fn pipelines_returning_a_tasks_output_agree_with_kfp_local() {
    let Some(python) = kfp2() else { return };
    let cases: [Case; 3] = [
        (
            "local_execution__local_execution_pipeline_with_k8s_only_methods",
            "pipeline_with_k8s_only_methods",
            serde_json::json!({"message": "héllo, wörld"}),
            &[("message", "héllo, wörld")],
        ),
        (
            "local_execution__pipeline_with_caching",
            "pipeline_with_caching",
            serde_json::json!({"x": 41}),
            &[("x", "41")],
        ),
        (
            "local_execution__pipeline_with_collected_artifacts",
            "pipeline_with_collected_artifacts",
            serde_json::json!({}),
            &[],
        ),
    ];
    for (name, function, arguments, params) in cases {
        let dir = Scratch::new(&format!("agree-{function}"));
        let theirs = common::kfp_local::run(&python, &golden(name, "py"), function, &dir, arguments);
        let ours = run_local(&python, &golden(name, "yaml"), &dir, params);
        assert_eq!(ours["status"], "Succeeded", "{name}: {ours:#}");
        assert_tasks_agree(&ours, &theirs);
        assert_pipeline_outputs_agree(&ours, &golden(name, "yaml"), &theirs);
    }
}

#[test]
fn a_retried_task_agrees_with_kfp_local() {
    let Some(python) = kfp2() else { return };
    let name = "local_execution__local_execution_pipeline_with_retry";
    let dir = Scratch::new("agree-retry");
    // Each run counts its attempts in its own file: the first fails, the second returns.
    let (theirs_counter, ours_counter) = (dir.join("kfp-local-counter"), dir.join("our-counter"));
    let arguments = serde_json::json!({"counter_path": theirs_counter});
    let theirs = common::kfp_local::run(&python, &golden(name, "py"), "pipeline_with_retry", &dir, arguments);
    let ours = run_local(&python, &golden(name, "yaml"), &dir, &[("counter_path", &ours_counter.to_string_lossy())]);
    assert_eq!(ours["status"], "Succeeded", "{ours:#}");
    assert_eq!(theirs["outputs"]["Output"], "attempt=2", "{theirs:#}");
    assert_tasks_agree(&ours, &theirs);
    assert_pipeline_outputs_agree(&ours, &golden(name, "yaml"), &theirs);
    let flaky = ours["tasks"].as_array().unwrap().iter().find(|t| t["id"] == "flaky").unwrap();
    assert_eq!(flaky["attempts"], 2, "{flaky:#}");
    assert_eq!(std::fs::read_to_string(&theirs_counter).unwrap(), std::fs::read_to_string(&ours_counter).unwrap());
}

#[test]
fn a_task_that_ignores_its_upstreams_failure_agrees_with_kfp_local() {
    let Some(python) = kfp2() else { return };
    let name = "local_execution__local_execution_pipeline_with_ignore_upstream_failure";
    let dir = Scratch::new("agree-ignore-upstream");
    let (theirs_marker, ours_marker) = (dir.join("kfp-local-marker"), dir.join("our-marker"));
    let arguments = serde_json::json!({"marker_path": theirs_marker});
    let theirs =
        common::kfp_local::run(&python, &golden(name, "py"), "pipeline_with_ignore_upstream_failure", &dir, arguments);
    let ours = run_local(&python, &golden(name, "yaml"), &dir, &[("marker_path", &ours_marker.to_string_lossy())]);
    // The upstream task fails in both, so the run does; the cleanup runs all the same.
    assert_eq!(ours["status"], "Failed", "{ours:#}");
    assert!(theirs["tasks"].get("fail-always").is_none(), "kfp.local: {theirs:#}");
    let failed = ours["tasks"].as_array().unwrap().iter().find(|t| t["id"] == "fail-always").unwrap();
    assert_eq!(failed["status"], "Failed", "{failed:#}");
    assert_tasks_agree(&ours, &theirs);
    assert_eq!(std::fs::read_to_string(&ours_marker).unwrap(), "cleanup_ran");
    assert_eq!(std::fs::read_to_string(&theirs_marker).unwrap(), "cleanup_ran");
}

#[test]
fn the_branch_oneof_picks_agrees_with_kfp_local() {
    let Some(python) = kfp2() else { return };
    let name = "local_execution__local_execution_pipeline_with_oneof";
    for (pick_a, selected) in [(true, "selected:A"), (false, "selected:B")] {
        let dir = Scratch::new(&format!("agree-oneof-{pick_a}"));
        let arguments = serde_json::json!({ "pick_a": pick_a });
        let theirs = common::kfp_local::run(&python, &golden(name, "py"), "pipeline_with_oneof", &dir, arguments);
        assert_eq!(theirs["outputs"]["Output"], selected, "kfp.local: {theirs:#}");
        let ours = run_local(&python, &golden(name, "yaml"), &dir, &[("pick_a", &pick_a.to_string())]);
        assert_eq!(ours["status"], "Succeeded", "{ours:#}");
        assert_tasks_agree(&ours, &theirs);
        assert_pipeline_outputs_agree(&ours, &golden(name, "yaml"), &theirs);
    }
}

#[test]
fn an_exit_tasks_final_status_agrees_with_kfp_local() {
    let Some(python) = kfp2() else { return };
    let name = "local_execution__local_execution_pipeline_with_exit_handler";
    let dir = Scratch::new("agree-exit-handler");
    let arguments = serde_json::json!({"message": "hi"});
    let theirs = common::kfp_local::run(&python, &golden(name, "py"), "pipeline_with_exit_handler", &dir, arguments);
    assert_eq!(theirs["tasks"]["record-exit"]["Output"], "exit:SUCCEEDED", "kfp.local: {theirs:#}");
    let ours = run_local(&python, &golden(name, "yaml"), &dir, &[("message", "hi")]);
    assert_eq!(ours["status"], "Succeeded", "{ours:#}");
    assert_tasks_agree(&ours, &theirs);
}
