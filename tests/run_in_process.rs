//! `Pipeline::run_local`: pipelines run in this process with the real Rust
//! functions, values passed with kfp's serialization. The add example, and
//! floats, booleans and strings, give the same outputs as the compiled
//! Workflow run with rustc-built containers; failures, retries, deadlines,
//! panics and a serialization error behave as in a container.

mod common;

#[path = "../examples/add_pipeline.rs"]
#[allow(dead_code)]
mod add_pipeline;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::run::Scratch;
use kfp::prelude::*;
use kfp::run::{Phase, RunOptions, RunReport};

fn have_rustc() -> bool {
    common::run::have_rustc()
}

/// Every task's outputs, by task id.
fn outputs(report: &RunReport) -> BTreeMap<String, BTreeMap<String, String>> {
    report.tasks.iter().map(|task| (task.id.clone(), task.outputs.clone())).collect()
}

#[test]
fn the_add_example_runs_in_process_and_agrees_with_the_workflow_run() {
    let dir = Scratch::new("inproc-add");
    let options = RunOptions::new(dir.join("local")).arg("value_1", 3_i64).arg("value_2", 4_i64);
    let local = add_pipeline::my_pipeline.run_local(&options).unwrap();
    assert!(local.succeeded(), "{local:#?}");
    assert_eq!(local.output("multiply", "multiply-Output"), Some("-7"));
    assert_eq!(local.task("add").unwrap().exit_code, Some(0));

    if !have_rustc() {
        common::skip("rustc is not on PATH; the Workflow run builds the component programs with it");
        return;
    }
    let workflow = kfp::Compiler::new().compile_to_workflow(add_pipeline::my_pipeline).unwrap();
    let options = RunOptions::new(dir.join("workflow")).param("value_1", "3").param("value_2", "4");
    let containers = kfp::run::run_workflow(&workflow, &options).unwrap();
    assert!(containers.succeeded(), "{containers:#?}");
    assert_eq!(outputs(&local), outputs(&containers));
}

#[component]
fn scale(x: f64, factor: f64) -> f64 {
    x * factor
}

#[component]
fn describe(x: f64, positive: bool, label: &str) -> String {
    format!("{label}: {x} {positive}")
}

#[component]
fn is_big(x: f64) -> bool {
    x > 100.0
}

#[pipeline(name = "values")]
fn value_pipeline(x: f64, #[default("value")] label: String) {
    let scaled = scale_op(x, 1e-5);
    let big = is_big_op(scaled.output());
    describe_op(scaled.output(), big.output(), label);
    scale_op(3.0, 2.0);
}

#[test]
fn floats_booleans_and_strings_pass_as_in_containers() {
    let dir = Scratch::new("inproc-values");
    let local = value_pipeline.run_local(&RunOptions::new(dir.join("local")).arg("x", 1.0_f64)).unwrap();
    assert!(local.succeeded(), "{local:#?}");
    // Python's str(float): 1e-05, not Rust's 0.00001.
    assert_eq!(local.output("scale", "scale-Output"), Some("1e-05"));
    assert_eq!(local.output("is-big", "is-big-Output"), Some("False"));
    assert_eq!(local.output("describe", "describe-Output"), Some("value: 0.00001 false"));
    assert_eq!(local.output("scale-2", "scale-2-Output"), Some("6.0"));

    if !have_rustc() {
        common::skip("rustc is not on PATH; the Workflow run builds the component programs with it");
        return;
    }
    let workflow = kfp::Compiler::new().compile_to_workflow(value_pipeline).unwrap();
    let containers =
        kfp::run::run_workflow(&workflow, &RunOptions::new(dir.join("workflow")).param("x", "1.0")).unwrap();
    assert!(containers.succeeded(), "{containers:#?}");
    assert_eq!(outputs(&local), outputs(&containers));
}

/// Writes a typed dataset and a number, as files.
#[component]
fn prepare(rows: i64, count_path: OutputPath<i64>, dataset_path: OutputPath<Dataset>) {
    let text: String = (0..rows).map(|row| format!("row {row}\n")).collect();
    std::fs::write(&dataset_path, text).unwrap();
    std::fs::write(&count_path, rows.to_string()).unwrap();
}

/// Repeats the dataset `times` times into a model.
#[component]
fn fit(data: InputPath<Dataset>, model: OutputPath<Model>, #[default(2)] times: i64, #[default("x")] tag: &str) {
    let text = std::fs::read_to_string(&data).unwrap();
    std::fs::write(&model, format!("{tag}:{}", text.repeat(times as usize))).unwrap();
}

#[component]
fn read_model(model: InputPath<Model>) -> String {
    std::fs::read_to_string(&model).unwrap()
}

#[pipeline(name = "typed files")]
fn typed_files() {
    let prepared = prepare_op(3).outputs();
    let counted = fit_op(prepared.dataset, prepared.count, "counted");
    let defaulted = fit_op(prepared.dataset, None, None);
    read_model_op(counted.outputs().model);
    read_model_op(defaulted.outputs().model);
}

#[test]
fn typed_files_and_input_defaults_run_as_in_containers() {
    let dir = Scratch::new("inproc-typed-files");
    let local = typed_files.run_local(&RunOptions::new(dir.join("local"))).unwrap();
    assert!(local.succeeded(), "{local:#?}");
    let rows = "row 0\nrow 1\nrow 2\n";
    // Three times: the count file read as a value; twice: the input's default.
    let counted = format!("counted:{}", rows.repeat(3));
    assert_eq!(local.output("read-model", "read-model-Output"), Some(counted.as_str()));
    let defaulted = format!("x:{}", rows.repeat(2));
    assert_eq!(local.output("read-model-2", "read-model-2-Output"), Some(defaulted.as_str()));

    if !have_rustc() {
        common::skip("rustc is not on PATH; the Workflow run builds the component programs with it");
        return;
    }
    let workflow = kfp::Compiler::new().compile_to_workflow(typed_files).unwrap();
    let containers = kfp::run::run_workflow(&workflow, &RunOptions::new(dir.join("workflow"))).unwrap();
    assert!(containers.succeeded(), "{containers:#?}");
    assert_eq!(outputs(&local), outputs(&containers));
}

#[component]
fn check_positive(x: i64) -> Result<i64, String> {
    if x > 0 {
        Ok(x)
    } else {
        Err(format!("{x} is not positive"))
    }
}

#[component]
fn explode(x: i64) -> i64 {
    if x < 0 {
        panic!("negative input {x}");
    }
    x
}

#[pipeline(name = "failing")]
fn failing(x: i64) {
    let checked = check_positive_op(x);
    checked.set_retry(2);
    explode_op(checked.output());
    explode_op(x);
}

#[test]
fn a_failing_function_is_retried_then_fails_the_pipeline() {
    let dir = Scratch::new("inproc-failing");
    let report = failing.run_local(&RunOptions::new(&*dir).arg("x", -5_i64)).unwrap();
    assert_eq!(report.phase, Phase::Failed);
    let checked = report.task("check-positive").unwrap();
    assert_eq!((checked.phase, checked.exit_code, checked.attempts), (Phase::Failed, Some(1), 3));
    let log = std::fs::read_to_string(checked.log.as_ref().unwrap()).unwrap();
    assert!(log.contains("Check positive: -5 is not positive"), "{log}");
    assert_eq!(report.task("explode").unwrap().phase, Phase::Omitted);
    let exploded = report.task("explode-2").unwrap();
    assert_eq!((exploded.phase, exploded.exit_code), (Phase::Failed, Some(101)));
    let log = std::fs::read_to_string(exploded.log.as_ref().unwrap()).unwrap();
    assert!(log.contains("panicked: negative input -5"), "{log}");
}

#[test]
fn bad_input_text_fails_the_task_as_the_program_does() {
    let dir = Scratch::new("inproc-bad-input");
    let report = failing.run_local(&RunOptions::new(&*dir).param("x", "seven")).unwrap();
    let checked = report.task("check-positive").unwrap();
    assert_eq!(checked.phase, Phase::Failed);
    let log = std::fs::read_to_string(checked.log.as_ref().unwrap()).unwrap();
    assert!(log.contains("input x: invalid integer \"seven\""), "{log}");
}

#[component]
fn ratios(values: Vec<f64>) -> Vec<f64> {
    values.iter().map(|value| value / values[0]).collect()
}

#[pipeline(name = "nan")]
fn nan_pipeline(values: Vec<f64>) {
    ratios_op(values);
}

#[test]
fn a_value_json_cannot_hold_fails_like_in_the_container() {
    let dir = Scratch::new("inproc-nan");
    let ok = nan_pipeline.run_local(&RunOptions::new(dir.join("ok")).arg("values", vec![2.0_f64, 5.0])).unwrap();
    assert_eq!(ok.output("ratios", "ratios-Output"), Some("[1.0, 2.5]"));
    let nan = nan_pipeline.run_local(&RunOptions::new(dir.join("nan")).arg("values", vec![0.0_f64, 0.0])).unwrap();
    let task = nan.task("ratios").unwrap();
    assert_eq!(task.phase, Phase::Failed);
    let log = std::fs::read_to_string(task.log.as_ref().unwrap()).unwrap();
    assert!(log.contains("NaN/Infinity cannot be passed as JSON"), "{log}");
}

#[component]
fn sleepy(millis: u64) -> u64 {
    std::thread::sleep(std::time::Duration::from_millis(millis));
    millis
}

#[pipeline(name = "slow")]
fn slow(millis: u64) {
    sleepy_op(millis).set_timeout(1);
}

#[test]
fn a_function_past_its_deadline_fails_its_task() {
    let dir = Scratch::new("inproc-deadline");
    let started = Instant::now();
    let report = slow.run_local(&RunOptions::new(&*dir).arg("millis", 3000_u64)).unwrap();
    assert!(started.elapsed() < Duration::from_millis(2500), "{:?}", started.elapsed());
    let task = report.task("sleepy").unwrap();
    assert_eq!(task.phase, Phase::Failed);
    assert!(task.message.as_deref().unwrap_or_default().contains("deadline"), "{task:?}");
    // The function cannot be killed and writes its output when it returns:
    // let it, before the scratch directory goes.
    std::thread::sleep(Duration::from_millis(3000).saturating_sub(started.elapsed()) + Duration::from_millis(500));
}

#[component]
fn meet(mine: String, theirs: String) -> String {
    std::fs::write(&mine, "here").map_err(|e| e.to_string()).unwrap();
    for _ in 0..200 {
        if std::path::Path::new(&theirs).exists() {
            return "met".to_owned();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    "alone".to_owned()
}

#[pipeline(name = "meeting")]
fn meeting(a: String, b: String) {
    meet_op(a, b);
    meet_op(b, a);
}

#[test]
fn independent_tasks_run_in_parallel() {
    let dir = Scratch::new("inproc-parallel");
    let (a, b) = (dir.join("a").to_string_lossy().into_owned(), dir.join("b").to_string_lossy().into_owned());
    let options = RunOptions::new(dir.join("run")).parallelism(2).param("a", a).param("b", b);
    let report = meeting.run_local(&options).unwrap();
    assert_eq!(report.output("meet", "meet-Output"), Some("met"));
    assert_eq!(report.output("meet-2", "meet-2-Output"), Some("met"));
}
