//! `collected` (kfp 2's `dsl.Collected`), the fan-in of a loop's outputs: compiled to
//! KFP v2 IR as kfp 2.17.3 compiles `tests/fixtures/collected_v2.py`, refused where
//! kfp refuses it and for KFP v1 (naming the way there), and run by the real
//! `kfp run-local` on IR compiled from a Rust pipeline.

mod common;

use std::path::Path;
use std::process::Command;

use common::run::Scratch;
use kfp::components::{arg, load_component_from_text};
use kfp::dsl::{collected, condition, parallel_for, Collected, Compare};
use kfp::prelude::*;
use kfp::{Compiler, Target};
use serde_json::Value;

#[component]
pub fn double(num: i64) -> i64 {
    2 * num
}

#[component]
pub fn simple_add(nums: Vec<i64>) -> i64 {
    nums.iter().sum()
}

#[component]
pub fn nested_add(nums: Vec<Vec<i64>>) -> i64 {
    nums.iter().flatten().sum()
}

// `tests/fixtures/collected_v2.py` in Rust (a doc comment would be its description).
#[pipeline(name = "collected")]
pub fn collected_pipeline(#[default(2)] threshold: i64) {
    let (t1, t2) = parallel_for(vec![1, 2, 3], |a| {
        let t1 = double_op(a);
        let t2 = parallel_for(vec![4, 5, 6], double_op);
        simple_add_op(collected(t2.output()));
        (t1, t2)
    });
    nested_add_op(collected(t2.output()).nested());
    parallel_for(vec![0, 0, 0], |_| {
        simple_add_op(collected(t1.output()));
        nested_add_op(collected(t2.output()).nested());
    });
    let t3 = parallel_for(vec![1, 2, 3], |x| condition(x.ge(threshold), || double_op(x)));
    condition(threshold.eq(2), || {
        simple_add_op(collected(t3.output()));
    });
}

#[test]
fn collected_outputs_compile_as_kfp_compiles_them() {
    let ours = Compiler::new().target(Target::V2).compile_to_string(collected_pipeline).unwrap();
    let golden = common::read_fixture(&common::fixtures_dir().join("collected_v2.kfp.yaml"));
    let diffs = common::ir_equivalence_diffs(&ours, &golden);
    assert!(diffs.is_empty(), "{}", common::format_diffs("collected_v2", &diffs));
}

fn v2_error(pipeline: impl Pipeline) -> String {
    Compiler::new().target(Target::V2).compile_to_string(pipeline).expect_err("v2 refuses the pipeline").to_string()
}

#[test]
fn collecting_what_kfp_cannot_collect_is_refused_naming_the_task_and_the_fix() {
    #[pipeline(name = "not in a loop")]
    fn not_in_a_loop() {
        let t = double_op(1);
        simple_add_op(collected(t.output()));
    }
    let error = v2_error(not_in_a_loop);
    assert!(
        error.contains("task `simple-add`") && error.contains("not inside a loop the consumer is outside of"),
        "{error}"
    );

    #[pipeline(name = "same loop")]
    fn same_loop() {
        parallel_for(vec![1, 2], |x| {
            let t = double_op(x);
            simple_add_op(collected(t.output()));
        });
    }
    let error = v2_error(same_loop);
    assert!(
        error.contains("task `simple-add`") && error.contains("not inside a loop the consumer is outside of"),
        "{error}"
    );

    #[pipeline(name = "loop in a condition")]
    fn loop_in_a_condition(#[default(1)] n: i64) {
        let t = condition(n.eq(1), || parallel_for(vec![1, 2], double_op));
        simple_add_op(collected(t.output()));
    }
    let error = v2_error(loop_in_a_condition);
    assert!(error.contains("task `simple-add`") && error.contains("inside condition `condition-1`"), "{error}");

    #[pipeline(name = "levels")]
    fn levels() {
        let t = parallel_for(vec![1, 2], |x| parallel_for(vec![3, 4], |_| double_op(x)));
        simple_add_op(collected(t.output()));
    }
    let error = v2_error(levels);
    assert!(
        error.contains("task `simple-add`") && error.contains("over 2 nested loop(s)") && error.contains(".nested()"),
        "{error}"
    );
}

const WRITE_DATASET: &str = r#"
name: write
inputs:
- {name: num, type: Integer}
outputs:
- {name: data, type: Dataset}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'echo "$0" > "$1"', {inputValue: num}, {outputPath: data}]
"#;

#[test]
fn a_returned_collected_output_must_be_in_a_group_and_artifact_lists_go_to_no_parameter() {
    #[pipeline(name = "top level")]
    fn top_level() -> Collected<i64> {
        collected(double_op(1).output())
    }
    let error = v2_error(top_level);
    assert!(
        error.contains("pipeline output `Output` collects output `Output` of `double`, which is in no loop"),
        "{error}"
    );

    #[pipeline(name = "artifact list")]
    fn artifact_list() {
        let write = load_component_from_text(WRITE_DATASET).unwrap();
        let show = load_component_from_text(SHOW).unwrap();
        let written = parallel_for(vec![1, 2], |x| write.call([("num", arg(x))]));
        show.call([("nums", arg(collected(written.output_named("data"))))]);
    }
    let error = v2_error(artifact_list);
    assert!(error.contains("task `show`: collects artifact `data` of `write` into a parameter input"), "{error}");
}

#[test]
fn kfp_v1_has_no_fan_in_and_says_what_to_do_instead() {
    #[pipeline(name = "fan in")]
    fn fan_in() {
        let t = parallel_for(vec![1, 2, 3], double_op);
        simple_add_op(collected(t.output()));
    }
    let error = Compiler::new().compile_to_string(fan_in).expect_err("v1 refuses it").to_string();
    assert!(error.contains("task `simple-add`, input `nums`"), "{error}");
    assert!(error.contains("KFP v1") && error.contains("--target v2") && error.contains("shared volume"), "{error}");
}

// Container components, run as processes by local runs.
const DOUBLE: &str = r#"
name: double
inputs:
- {name: num, type: Integer}
outputs:
- {name: doubled, type: Integer}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'mkdir -p "$(dirname "$1")"; echo $(( $0 * 2 )) > "$1"', {inputValue: num}, {outputPath: doubled}]
"#;

// Its output is text, `1`, `true`: a collected list keeps it text.
const SAY: &str = r#"
name: say
inputs:
- {name: word, type: String}
outputs:
- {name: said, type: String}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'mkdir -p "$(dirname "$1")"; printf %s "$0" > "$1"', {inputValue: word}, {outputPath: said}]
"#;

const SHOW: &str = r#"
name: show
inputs:
- {name: nums, type: JsonArray}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'echo "$0"', {inputValue: nums}]
"#;

// Doubles in a loop, in nested loops and under a condition in a loop; shows each list
// and returns the first.
#[pipeline(name = "collect locally")]
pub fn collect_locally(#[default(2)] threshold: i64) -> Collected<i64> {
    let double = load_component_from_text(DOUBLE).unwrap();
    let show = load_component_from_text(SHOW).unwrap();
    let flat = parallel_for(vec![1, 2, 3], |x| double.call([("num", arg(x))]));
    show.call([("nums", arg(collected(flat.output_named("doubled"))))]);
    let table = parallel_for(vec![1, 2], |x| parallel_for(vec![10, 20], |_| double.call([("num", arg(x))])));
    show.call([("nums", arg(collected(table.output_named("doubled")).nested()))]);
    let some = parallel_for(vec![1, 2, 3], |x| condition(x.ge(threshold), || double.call([("num", arg(x))])));
    show.call([("nums", arg(collected(some.output_named("doubled"))))]);
    let say = load_component_from_text(SAY).unwrap();
    let words: Vec<serde_json::Value> = vec!["1".into(), "true".into(), "[x]".into()];
    let said = parallel_for(words, |word| say.call([("word", arg(word))]));
    show.call([("nums", arg(collected(said.output_named("said"))))]);
    collected(flat.output_named("doubled").cast())
}

fn report(file: &Path, dir: &Path) -> Value {
    report_with(file, dir, &[])
}

/// `kfp run-local FILE --json --run-dir DIR/run ARGS...`: the report of a run that succeeded.
fn report_with(file: &Path, dir: &Path, args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(["run-local"])
        .arg(file)
        .args(["--json", "--run-dir"])
        .arg(dir.join("run"))
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_str(&stdout).expect("stdout is one JSON document")
}

fn log_of(report: &Value, id: &str) -> String {
    let tasks = report["tasks"].as_array().unwrap();
    let task = tasks.iter().find(|task| task["id"] == id).unwrap_or_else(|| panic!("no task `{id}` in {report:#}"));
    std::fs::read_to_string(task["log"].as_str().expect("the task has a log")).unwrap()
}

#[test]
fn local_runs_give_the_list_of_each_iterations_value_in_order() {
    let dir = Scratch::new("collected-v2-local");
    let file = dir.join("collect.ir.yaml");
    Compiler::new().target(Target::V2).compile(collect_locally, &file).unwrap();
    let report = report(&file, &dir);
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    assert_eq!(log_of(&report, "show").trim(), "[2,4,6]");
    assert_eq!(log_of(&report, "show-2").trim(), "[[2,2],[4,4]]");
    // Iterations the condition skipped give nothing.
    assert_eq!(log_of(&report, "show-3").trim(), "[4,6]");
    assert_eq!(report["outputs"]["Output"], "[2,4,6]", "{report:#}");
    // Text stays text, though `1` and `true` read as JSON.
    assert_eq!(log_of(&report, "show-4").trim(), r#"["1","true","[x]"]"#);
}

#[test]
fn kfps_own_collected_pipelines_run_locally() {
    let Some(python) = common::kfp2_python() else {
        common::skip(common::KFP2_NOT_INSTALLED);
        return;
    };
    let golden = |name: &str| common::ir_golden_dir().join(format!("{name}.yaml"));
    // Its container component runs `jq` on this machine.
    if Command::new("jq").arg("--version").output().is_ok_and(|out| out.status.success()) {
        let dir = Scratch::new("collected-v2-kfp-simple");
        let report = report_with(&golden("critical__parameters_simple"), &dir, &["--python", &python]);
        assert_eq!(report["status"], "Succeeded", "{report:#}");
        assert_eq!(report["outputs"]["Output"], "[2,4,6]", "{report:#}");
        let task = |id: &str| report["tasks"].as_array().unwrap().iter().find(|task| task["id"] == id).cloned();
        // A Python component and a container component each sum the list.
        assert_eq!(task("add").unwrap()["outputs"]["Output"], "12", "{report:#}");
        assert_eq!(task("add-container").unwrap()["outputs"]["sum"], "12\n", "{report:#}");
    } else {
        common::skip("jq is not installed (critical__parameters_simple's container component runs it)");
    }

    // The condition skips x = 1: the list is [4, 6], and the pipeline returns their sum collected
    // through the condition around `add`.
    let dir = Scratch::new("collected-v2-kfp-conditional");
    let report = report_with(&golden("conditional_producer_and_consumers"), &dir, &["--python", &python]);
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    assert_eq!(report["outputs"]["Output"], "10", "{report:#}");
}
