//! Conditions, a loop over a task's JSON output, an exit handler and a retried
//! failing step, run two ways: in process (the Rust functions called directly)
//! and as the compiled Workflow (rustc-built containers). Both runs agree on
//! every output, and each construct behaves as on Argo. A static loop over
//! objects hands its body whole items and their fields.

mod common;

use std::collections::BTreeMap;

use common::run::Scratch;
use kfp::dsl::{condition, exit_handler, parallel_for, Compare};
use kfp::prelude::*;
use kfp::run::{NodeKind, Phase, RunOptions, RunReport};

#[component]
fn numbers(count: i64) -> Vec<i64> {
    (1..=count).collect()
}

#[component]
fn square(x: i64) -> i64 {
    x * x
}

#[component]
fn total(values: Vec<i64>) -> i64 {
    values.iter().sum()
}

#[component]
fn announce(message: String) -> String {
    format!("announced: {message}")
}

/// Fails on its first attempt and succeeds on the next: the marker file it
/// leaves tells the attempts apart.
#[component]
fn flaky(marker: String) -> Result<String, String> {
    if std::path::Path::new(&marker).exists() {
        return Ok("recovered".to_owned());
    }
    std::fs::write(&marker, "failed once").map_err(|error| error.to_string())?;
    Err("first attempt fails".to_owned())
}

#[component]
fn cleanup(note: String) -> String {
    format!("cleaned up after {note}")
}

#[pipeline(name = "control flow")]
fn control_flow(count: i64, marker: String) {
    let exit = cleanup_op("the run");
    exit_handler(&exit, || {
        let listed = numbers_op(count);
        parallel_for(listed.output(), |item| {
            square_op(item);
        });
        let sum = total_op(listed.output());
        condition(sum.output().gt(5), || {
            announce_op("big");
        });
        condition(sum.output().le(5), || {
            announce_op("small");
        });
        flaky_op(marker).set_retry(2);
    });
}

fn outputs(report: &RunReport) -> BTreeMap<String, BTreeMap<String, String>> {
    report.tasks.iter().map(|task| (task.id.clone(), task.outputs.clone())).collect()
}

fn phases(report: &RunReport) -> BTreeMap<String, Phase> {
    report.tasks.iter().map(|task| (task.id.clone(), task.phase)).collect()
}

fn check(report: &RunReport) {
    assert!(report.succeeded(), "{report:#?}");
    let containers: Vec<&str> =
        report.tasks.iter().filter(|task| task.kind == NodeKind::Container).map(|task| task.id.as_str()).collect();
    let squares: BTreeMap<&str, &str> = report
        .tasks
        .iter()
        .filter(|task| task.template == "square")
        .map(|task| (task.id.as_str(), task.outputs.get("square-Output").map(String::as_str).unwrap_or("")))
        .collect();
    assert_eq!(squares.values().copied().collect::<Vec<_>>(), ["1", "4", "9"], "{squares:?} of {containers:?}");
    let announce = report.tasks.iter().find(|task| task.template == "announce").expect("the big branch ran");
    assert_eq!(announce.outputs.get("announce-Output").map(String::as_str), Some("announced: big"));
    assert_eq!(report.tasks.iter().filter(|task| task.template == "announce-2").count(), 0, "{containers:?}");
    let skipped: Vec<&str> =
        report.tasks.iter().filter(|task| task.phase == Phase::Skipped).map(|task| task.id.as_str()).collect();
    assert!(skipped.iter().any(|id| id.ends_with("condition-4")), "the small branch is skipped: {skipped:?}");
    let flaky = report.tasks.iter().find(|task| task.template == "flaky").unwrap();
    assert_eq!((flaky.phase, flaky.attempts), (Phase::Succeeded, 2), "{flaky:#?}");
    let exit = report.tasks.iter().find(|task| task.template == "cleanup").expect("the exit handler ran");
    assert_eq!(exit.outputs.get("cleanup-Output").map(String::as_str), Some("cleaned up after the run"));
}

#[test]
fn control_flow_runs_in_process_and_as_a_workflow_alike() {
    let dir = Scratch::new("control-flow");
    let marker = dir.join("marker-local");
    let options = RunOptions::new(dir.join("local")).arg("count", 3_i64).arg("marker", marker.display().to_string());
    let local = control_flow.run_local(&options).unwrap();
    check(&local);

    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH; the Workflow run builds the component programs with it");
        return;
    }
    let marker = dir.join("marker-workflow");
    let workflow = kfp::Compiler::new().compile_to_workflow(control_flow).unwrap();
    let options =
        RunOptions::new(dir.join("workflow")).param("count", "3").param("marker", marker.display().to_string());
    let containers = kfp::run::run_workflow(&workflow, &options).unwrap();
    check(&containers);
    assert_eq!(phases(&local), phases(&containers));
    assert_eq!(outputs(&local), outputs(&containers));
}

#[test]
fn the_other_branch_runs_when_the_condition_turns() {
    let dir = Scratch::new("control-flow-small");
    // count 2: the sum is 3, so the small branch runs and the big one is skipped.
    let marker = dir.join("marker");
    let options = RunOptions::new(dir.join("local")).arg("count", 2_i64).arg("marker", marker.display().to_string());
    let report = control_flow.run_local(&options).unwrap();
    assert!(report.succeeded(), "{:#?}", phases(&report));
    let small = report.tasks.iter().find(|task| task.template == "announce-2").expect("the small branch ran");
    assert_eq!(small.outputs.get("announce-2-Output").map(String::as_str), Some("announced: small"));
    assert!(report.tasks.iter().all(|task| task.template != "announce"), "{:#?}", phases(&report));
    let skipped = report.tasks.iter().find(|task| task.id.ends_with("condition-3")).unwrap();
    assert_eq!(skipped.phase, Phase::Skipped);
}

#[test]
fn the_exit_handler_runs_after_a_failure() {
    let dir = Scratch::new("control-flow-fail");
    // The marker's directory does not exist, so `flaky` fails on every attempt.
    let marker = dir.join("missing/dir/marker");
    let options = RunOptions::new(dir.join("local")).arg("count", 3_i64).arg("marker", marker.display().to_string());
    let report = control_flow.run_local(&options).unwrap();
    assert!(!report.succeeded(), "{:#?}", phases(&report));
    let flaky = report.tasks.iter().find(|task| task.template == "flaky").unwrap();
    assert_eq!((flaky.phase, flaky.attempts), (Phase::Failed, 3), "{flaky:#?}");
    let exit = report.tasks.iter().find(|task| task.template == "cleanup").expect("the exit handler ran");
    assert_eq!(exit.phase, Phase::Succeeded);
    assert_eq!(exit.outputs.get("cleanup-Output").map(String::as_str), Some("cleaned up after the run"));
}

/// Receives a loop item whole (its JSON text) and two of its fields.
#[component]
fn describe(point: String, name: String, x: i64) -> Result<String, String> {
    let parsed: serde_json::Value = serde_json::from_str(&point).map_err(|e| format!("{point}: {e}"))?;
    Ok(format!("{name} at x={x}, y={}; whole {point}", parsed["y"]))
}

#[pipeline(name = "whole items and fields")]
fn whole_items_and_fields() {
    let points = vec![
        serde_json::json!({"name": "origin", "x": 0, "y": 0}),
        serde_json::json!({"name": "café", "x": 10, "y": -2}),
    ];
    parallel_for(points, |point| {
        describe_op(point, point.field::<String>("name"), point.field::<i64>("x"));
    });
}

#[test]
fn a_static_loop_passes_whole_object_items_and_their_fields() {
    // Argo resolves `{{item}}` of object items over withParam only.
    let workflow = kfp::Compiler::new().compile_to_workflow(whole_items_and_fields).unwrap();
    common::assert_schema_valid(&kfp::compiler::to_yaml(&workflow).unwrap(), "whole items and fields");
    let root = workflow.spec.templates.iter().find(|t| t.name == "whole-items-and-fields").unwrap();
    let looped = &root.dag.as_ref().unwrap().tasks[0];
    assert!(looped.with_items.is_empty(), "{looped:#?}");
    // Argo passes a string field as its JSON text: `café` must not be written `caf\u00e9`.
    let list = looped.with_param.as_deref().unwrap();
    assert!(list.contains(r#""name":"café""#), "{list}");

    let check = |report: &RunReport| {
        assert!(report.succeeded(), "{report:#?}");
        let described: BTreeMap<&str, &str> = report
            .tasks
            .iter()
            .filter(|task| task.template == "describe")
            .map(|task| (task.id.as_str(), task.outputs.get("describe-Output").map(String::as_str).unwrap_or("")))
            .collect();
        assert_eq!(
            described.values().copied().collect::<Vec<_>>(),
            [
                r#"origin at x=0, y=0; whole {"name":"origin","x":0,"y":0}"#,
                r#"café at x=10, y=-2; whole {"name":"café","x":10,"y":-2}"#,
            ],
            "{described:?}"
        );
    };
    let dir = Scratch::new("whole-items");
    check(&whole_items_and_fields.run_local(&RunOptions::new(dir.join("local"))).unwrap());

    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH; the Workflow run builds the component programs with it");
        return;
    }
    // As containers, the item reaches the program on its command line.
    check(&kfp::run::run_workflow(&workflow, &RunOptions::new(dir.join("workflow"))).unwrap());
}
