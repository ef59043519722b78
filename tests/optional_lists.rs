//! Optional lists of artifacts (kfp 2's `Optional[Input[List[Dataset]]] = None`): a component's
//! `Option<Vec<InputPath<T>>>` input and a pipeline's `Option<ArtifactList<T>>` parameter, compiled
//! as kfp 2.17.3 compiles `tests/fixtures/optional_lists_v2.py`, refused for KFP v1 naming the v2
//! target, and run by the real `kfp run-local` of the IR with the list given and left out, the
//! function getting `None` only when it is left out.

mod common;

use std::path::Path;
use std::process::Command;

use common::run::Scratch;
use kfp::dsl::{collected, parallel_for, ArtifactList};
use kfp::prelude::*;
use kfp::{Compiler, Target};
use serde_json::Value;

#[component]
pub fn count(datasets: Option<Vec<InputPath<Dataset>>>) -> i64 {
    datasets.map_or(0, |datasets| datasets.len() as i64)
}

// `tests/fixtures/optional_lists_v2.py` in Rust.
#[pipeline(name = "optional-lists")]
pub fn optional_lists(all_datasets: ArtifactList<Dataset>, in_datasets: Option<ArtifactList<Dataset>>) {
    count_op(in_datasets);
    count_op(None);
    count_op(all_datasets);
}

#[test]
fn the_ir_is_kfp_2s() {
    let ours = Compiler::new().target(Target::V2).compile_to_string(optional_lists).unwrap();
    let golden = common::read_fixture(&common::fixtures_dir().join("optional_lists_v2.kfp.yaml"));
    common::assert_ir_equivalent(&ours, &golden, "optional_lists_v2");
    // The program reads the list, or its absence, from the executor input, as kfp's Python executor does.
    let ir: Value = serde_yaml::from_str(&ours).unwrap();
    let args = &ir["deploymentSpec"]["executors"]["exec-count"]["container"]["args"];
    let args: Vec<&str> = args.as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(args.windows(2).any(|pair| pair == ["--datasets", "{{$}}"]), "{args:?}");
}

#[pipeline]
pub fn inner(datasets: Option<ArtifactList<Dataset>>) -> Output<i64> {
    count_op(datasets).output()
}

// `tests/fixtures/optional_lists_nested_v2.py` in Rust: a pipeline called as a task taking an optional list.
#[pipeline(name = "nested-optional-lists")]
pub fn outer(in_datasets: Option<ArtifactList<Dataset>>) {
    inner_op(in_datasets);
    inner_op(None);
    let made = parallel_for(vec!["a", "b"], make_op);
    inner_op(collected(made.outputs().out));
}

#[test]
fn a_pipeline_called_as_a_task_takes_an_optional_list_as_kfp_2_compiles_it() {
    let ours = Compiler::new().target(Target::V2).compile_to_string(outer).unwrap();
    let golden = common::read_fixture(&common::fixtures_dir().join("optional_lists_nested_v2.kfp.yaml"));
    common::assert_ir_equivalent(&ours, &golden, "optional_lists_nested_v2");
}

#[component]
pub fn count_any(files: Option<Vec<InputPath>>) -> i64 {
    files.map_or(-1, |files| files.len() as i64)
}

#[pipeline(name = "untyped-optional-list")]
pub fn untyped_optional_list(datasets: Option<ArtifactList<Dataset>>) {
    count_any_op(datasets);
}

#[test]
fn an_untyped_optional_list_is_a_list_of_artifacts() {
    let ir = Compiler::new().target(Target::V2).compile_to_string(untyped_optional_list).unwrap();
    let ir: Value = serde_yaml::from_str(&ir).unwrap();
    let input = &ir["components"]["comp-count-any"]["inputDefinitions"]["artifacts"]["files"];
    assert_eq!(
        *input,
        serde_json::json!({"artifactType": {"schemaTitle": "system.Artifact", "schemaVersion": "0.0.1"},
            "isArtifactList": true, "isOptional": true}),
        "{ir:#}"
    );
}

#[component]
pub fn make(text: String, out: OutputPath<Dataset>) -> Result<(), String> {
    std::fs::write(&out, text).map_err(|e| e.to_string())
}

#[component]
pub fn describe(datasets: Option<Vec<InputPath<Dataset>>>) -> Result<String, String> {
    let Some(datasets) = datasets else { return Ok("none".to_owned()) };
    let texts = datasets
        .iter()
        .map(|path| std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display())));
    Ok(format!("{} dataset(s): {}", datasets.len(), texts.collect::<Result<Vec<_>, _>>()?.join("+")))
}

// Each way a task gives an optional list, or leaves it out.
#[pipeline(name = "describe-lists")]
pub fn describe_lists(in_datasets: Option<ArtifactList<Dataset>>) {
    describe_op(in_datasets);
    describe_op(None);
    let made = parallel_for(vec!["x ✓", "y"], make_op);
    describe_op(collected(made.outputs().out));
    describe_op(Some(collected(made.outputs().out)));
}

#[test]
fn kfp_v1_refuses_an_optional_list_naming_the_v2_target() {
    let error = Compiler::new().compile_to_string(describe_lists).expect_err("v1 refuses it").to_string();
    assert!(
        error.contains(
            "task `Describe`: input `datasets` is a list of artifacts (kfp 2's `Input[List[Dataset]]`), which KFP v1 \
             has not, nor any way to pass one: compile for KFP v2 (`Target::V2`)"
        ),
        "{error}"
    );
}

/// `kfp run-local FILE --json --run-dir DIR -p PARAM...`, run from `dir`: the report of a run that succeeded.
fn run_local(file: &Path, dir: &Path, run: &str, params: &[&str]) -> Value {
    run_local_with(&[], file, dir, run, params)
}

/// [`run_local`] with more options (`--python PYTHON`).
fn run_local_with(options: &[&str], file: &Path, dir: &Path, run: &str, params: &[&str]) -> Value {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kfp"));
    command.arg("run-local").args(options).arg(file).args(["--json", "--run-dir"]).arg(dir.join(run)).current_dir(dir);
    for param in params {
        command.args(["-p", param]);
    }
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_str(&stdout).expect("stdout is one JSON document")
}

fn task_output<'a>(report: &'a Value, id: &str) -> &'a str {
    let tasks = report["tasks"].as_array().unwrap();
    let task = tasks.iter().find(|task| task["id"] == id).unwrap_or_else(|| panic!("no task `{id}` in {report:#}"));
    task["outputs"]["Output"].as_str().unwrap_or_else(|| panic!("no output `Output` of `{id}` in {report:#}"))
}

#[test]
fn kfp_run_local_gives_none_for_a_list_left_out_and_the_files_of_one_given() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH (the components' programs are built with it)");
        return;
    }
    let dir = Scratch::new("optional-lists-cli");
    let ir = dir.join("describe_lists.yaml");
    Compiler::new().target(Target::V2).compile(describe_lists, &ir).unwrap();
    let report = run_local(&ir, &dir, "absent", &[]);
    assert_eq!(task_output(&report, "describe"), "none", "the pipeline's list left out leaves the task's out");
    assert_eq!(task_output(&report, "describe-2"), "none");
    assert_eq!(task_output(&report, "describe-3"), "2 dataset(s): x ✓+y");
    assert_eq!(task_output(&report, "describe-4"), "2 dataset(s): x ✓+y");

    std::fs::write(dir.join("a.csv"), "Grüße").unwrap();
    std::fs::write(dir.join("b.csv"), "b").unwrap();
    let report = run_local(&ir, &dir, "given", &["in_datasets=a.csv", "in_datasets=b.csv"]);
    assert_eq!(task_output(&report, "describe"), "2 dataset(s): Grüße+b");
    assert_eq!(task_output(&report, "describe-2"), "none");

    // The port of the fixture: its required list given, its optional one left out, then given.
    let ir = dir.join("optional_lists.yaml");
    Compiler::new().target(Target::V2).compile(optional_lists, &ir).unwrap();
    let report = run_local(&ir, &dir, "fixture", &["all_datasets=a.csv"]);
    let counts: Vec<&str> = ["count", "count-2", "count-3"].iter().map(|id| task_output(&report, id)).collect();
    assert_eq!(counts, ["0", "0", "1"]);
    let report = run_local(&ir, &dir, "fixture-given", &["all_datasets=a.csv", r#"in_datasets=["a.csv", "b.csv"]"#]);
    assert_eq!(task_output(&report, "count"), "2");

    // Through a pipeline called as a task: its input left out with the outer pipeline's, or given.
    let ir = dir.join("outer.yaml");
    Compiler::new().target(Target::V2).compile(outer, &ir).unwrap();
    let report = run_local(&ir, &dir, "nested", &[]);
    let counts: Vec<&str> = ["inner", "inner-2", "inner-3"].iter().map(|id| task_output(&report, id)).collect();
    assert_eq!(counts, ["0", "0", "2"]);
    let report = run_local(&ir, &dir, "nested-given", &["in_datasets=b.csv"]);
    assert_eq!(task_output(&report, "inner"), "1");
}

#[test]
fn kfp_run_local_of_kfps_own_ir_gives_its_python_component_none_for_a_list_left_out() {
    let Some(python) = common::kfp2_python() else {
        common::skip(common::KFP2_NOT_INSTALLED);
        return;
    };
    let dir = Scratch::new("optional-lists-python");
    std::fs::write(dir.join("a.csv"), "a").unwrap();
    std::fs::write(dir.join("b.csv"), "b").unwrap();
    // kfp 2.17.3's own compile of the fixture: its `count` is `0 if datasets is None else len(datasets)`.
    let ir = common::fixtures_dir().join("optional_lists_v2.kfp.yaml");
    let options = ["--python", python.as_str()];
    let report = run_local_with(&options, &ir, &dir, "absent", &["all_datasets=a.csv"]);
    let counts: Vec<&str> = ["count", "count-2", "count-3"].iter().map(|id| task_output(&report, id)).collect();
    assert_eq!(counts, ["0", "0", "1"]);
    let report =
        run_local_with(&options, &ir, &dir, "given", &["all_datasets=a.csv", "in_datasets=a.csv", "in_datasets=b.csv"]);
    assert_eq!(task_output(&report, "count"), "2");
}
