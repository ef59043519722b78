//! The Rust ports of the `local_execution__*` goldens, run with `run_local_v2`, give the values
//! kfp 2.17.3's own local runner (`kfp.local`, SubprocessRunner) gives running the Python
//! pipelines: every output parameter of every task kfp.local ran.
//!
//! Needs kfp 2.17.3 (`KFP2_PYTHON`); without it the tests say how to get it and skip.

use kfp::prelude::*;
use kfp::run::{RunOptions, RunReport};
use serde_json::{json, Value};

use super::common;
use super::common::run::Scratch;

/// kfp.local's run of the golden `name`'s Python pipeline `function` with `arguments`.
fn kfp_local(python: &str, name: &str, function: &str, dir: &std::path::Path, arguments: Value) -> Value {
    let module = common::ir_golden_dir().join(format!("{name}.py"));
    common::kfp_local::run(python, &module, function, dir, arguments)
}

/// Each output parameter kfp.local's tasks gave is the one of the task of that name in `report`,
/// and so is each output the pipeline returned.
fn assert_agree(report: &RunReport, theirs: &Value) {
    for (name, value) in theirs["outputs"].as_object().unwrap() {
        let our = report.outputs.get(name).unwrap_or_else(|| panic!("pipeline output `{name}`: the port gave none"));
        assert!(
            common::kfp_local::same_value(our, value),
            "pipeline output `{name}`: kfp.local {value}, the port {our}"
        );
    }
    let tasks = theirs["tasks"].as_object().unwrap();
    assert!(!tasks.is_empty(), "kfp.local ran no task with outputs: {theirs:#}");
    for (task, values) in tasks {
        let ours = report
            .tasks
            .iter()
            .find(|t| t.id == *task || t.id.ends_with(&format!(".{task}")))
            .unwrap_or_else(|| panic!("kfp.local ran task `{task}`, the port's run has none: {report:#?}"));
        for (name, value) in values.as_object().unwrap() {
            let our = ours.outputs.get(name).unwrap_or_else(|| panic!("{task}.{name}: the port gave none"));
            assert!(common::kfp_local::same_value(our, value), "{task}.{name}: kfp.local {value}, the port {our}");
        }
    }
}

fn kfp2() -> Option<String> {
    let python = common::kfp2_python();
    if python.is_none() {
        common::skip(common::KFP2_NOT_INSTALLED);
    }
    python
}

#[test]
fn the_oneof_port_agrees_with_kfp_local() {
    let Some(python) = kfp2() else { return };
    for pick_a in [true, false] {
        let dir = Scratch::new(&format!("port-oneof-{pick_a}"));
        let name = "local_execution__local_execution_pipeline_with_oneof";
        let theirs = kfp_local(&python, name, "pipeline_with_oneof", &dir, json!({ "pick_a": pick_a }));
        let options = RunOptions::new(dir.join("run")).arg("pick_a", pick_a);
        let report = super::pipeline_with_oneof::pipeline_with_oneof.run_local_v2(&options).unwrap();
        assert!(report.succeeded(), "{report:#?}");
        assert_agree(&report, &theirs);
    }
}

#[test]
fn the_exit_handler_port_agrees_with_kfp_local() {
    let Some(python) = kfp2() else { return };
    let dir = Scratch::new("port-exit-handler");
    let name = "local_execution__local_execution_pipeline_with_exit_handler";
    let theirs = kfp_local(&python, name, "pipeline_with_exit_handler", &dir, json!({"message": "hi"}));
    let options = RunOptions::new(dir.join("run")).arg("message", "hi".to_owned());
    let report = super::task_final_status::local_exit_handler.run_local_v2(&options).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_agree(&report, &theirs);
}

#[test]
fn the_ignore_upstream_failure_port_agrees_with_kfp_local() {
    let Some(python) = kfp2() else { return };
    let dir = Scratch::new("port-ignore-upstream");
    let name = "local_execution__local_execution_pipeline_with_ignore_upstream_failure";
    let (theirs_marker, ours_marker) = (dir.join("kfp-local-marker"), dir.join("port-marker"));
    let function = "pipeline_with_ignore_upstream_failure";
    let theirs = kfp_local(&python, name, function, &dir, json!({"marker_path": theirs_marker}));
    let options = RunOptions::new(dir.join("run")).param("marker_path", ours_marker.to_string_lossy());
    let report = super::ignore_upstream_failure::pipeline_with_ignore_upstream_failure.run_local_v2(&options).unwrap();
    // The upstream task fails, so the run does; the marker's task runs all the same.
    assert!(!report.succeeded(), "{report:#?}");
    assert_agree(&report, &theirs);
    assert_eq!(std::fs::read_to_string(&ours_marker).unwrap(), std::fs::read_to_string(&theirs_marker).unwrap());
}

#[test]
fn the_ports_returning_a_tasks_output_agree_with_kfp_local() {
    let Some(python) = kfp2() else { return };
    let dir = Scratch::new("port-k8s-only-methods");
    let name = "local_execution__local_execution_pipeline_with_k8s_only_methods";
    let theirs = kfp_local(&python, name, "pipeline_with_k8s_only_methods", &dir, json!({"message": "héllo"}));
    let options = RunOptions::new(dir.join("run")).arg("message", "héllo".to_owned());
    let report = super::pipeline_outputs::pipeline_with_k8s_only_methods.run_local_v2(&options).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.outputs["Output"], "héllo");
    assert_agree(&report, &theirs);

    let dir = Scratch::new("port-caching");
    let name = "local_execution__pipeline_with_caching";
    let theirs = kfp_local(&python, name, "pipeline_with_caching", &dir, json!({"x": 41}));
    let options = RunOptions::new(dir.join("run")).arg("x", 41_i64);
    let report = super::pipeline_outputs::pipeline_with_caching.run_local_v2(&options).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.outputs["Output"], "42");
    assert_agree(&report, &theirs);
}

#[test]
fn the_retry_port_agrees_with_kfp_local() {
    let Some(python) = kfp2() else { return };
    let dir = Scratch::new("port-retry");
    let name = "local_execution__local_execution_pipeline_with_retry";
    let (theirs_counter, ours_counter) = (dir.join("kfp-local-counter"), dir.join("port-counter"));
    let theirs = kfp_local(&python, name, "pipeline_with_retry", &dir, json!({"counter_path": theirs_counter}));
    let options = RunOptions::new(dir.join("run")).param("counter_path", ours_counter.to_string_lossy());
    let report = super::pipeline_outputs::pipeline_with_retry.run_local_v2(&options).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.task("flaky").map(|task| task.attempts), Some(2), "{report:#?}");
    assert_agree(&report, &theirs);
}

#[test]
fn the_collected_artifacts_port_agrees_with_kfp_local() {
    let Some(python) = kfp2() else { return };
    let dir = Scratch::new("port-collected-artifacts");
    let name = "local_execution__pipeline_with_collected_artifacts";
    let theirs = kfp_local(&python, name, "pipeline_with_collected_artifacts", &dir, json!({}));
    let options = RunOptions::new(dir.join("run"));
    let report = super::collected_artifacts::pipeline_with_collected_artifacts.run_local_v2(&options).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    // Each iteration's artifact reached the reader, in the list it was given.
    assert_eq!(report.outputs["Output"], "0,1,2");
    assert_agree(&report, &theirs);
}
