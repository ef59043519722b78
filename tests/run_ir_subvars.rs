//! Fields of loop items (kfp 2's subvars) in local runs of KFP v2 IR: `kfp run-local` on IR
//! compiled from a Rust pipeline that passes a field of an item to a task, compares one in a
//! condition and loops over one, with the pipeline's default and with a list given on the
//! command line; and kfp 2.17.3's own IR of its subvar goldens, whose Python components print
//! the fields they are given (needs kfp 2.17.3, `KFP2_PYTHON`).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::run::Scratch;
use kfp::components::{arg, load_component_from_text};
use kfp::dsl::{condition, parallel_for, Compare};
use kfp::prelude::*;
use kfp::{Compiler, Target};
use serde::{Deserialize, Serialize};
use serde_json::Value;

const SAY: &str = r#"
name: Say
inputs:
- {name: text, type: String}
outputs:
- {name: said, type: String}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'printf "%s" "$0" > "$1"', {inputValue: text}, {outputPath: said}]
"#;

const SHOW: &str = r#"
name: Show
inputs:
- {name: item, type: JsonObject}
outputs:
- {name: said, type: String}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'printf "%s" "$0" > "$1"', {inputValue: item}, {outputPath: said}]
"#;

#[derive(Serialize, Deserialize)]
pub struct Shard {
    name: String,
    parts: Vec<String>,
}

fn shard(name: &str, parts: &[&str]) -> Shard {
    Shard { name: name.to_owned(), parts: parts.iter().map(|part| (*part).to_owned()).collect() }
}

/// Each shard's name said; the parts of shard `a` alone said, one task each.
#[pipeline(name = "shards")]
pub fn shard_pipeline(#[default(vec![shard("a", &["1", "2"]), shard("b", &["3"])])] shards: Vec<Shard>) {
    let say = load_component_from_text(SAY).unwrap();
    parallel_for(shards, |shard| {
        say.call([("text", arg(kfp::field!(shard.name)))]);
        condition(kfp::field!(shard.name).eq("a"), || {
            parallel_for(kfp::field!(shard.parts), |part| {
                say.call([("text", arg(part))]);
            });
        });
    });
    // A static list of objects, each item passed whole.
    let show = load_component_from_text(SHOW).unwrap();
    parallel_for(vec![serde_json::json!({"id": "s"})], |item| {
        show.call([("item", arg(item))]);
    });
}

/// `kfp run-local FILE --json --run-dir DIR/run ARGS...`.
fn run_local(file: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kfp"))
        .arg("run-local")
        .arg(file)
        .args(["--json", "--run-dir"])
        .arg(dir.join("run"))
        .args(args)
        .output()
        .unwrap()
}

/// The report of a run that succeeded.
fn succeeded(output: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    report
}

/// What the run's `say` and `show` tasks said, sorted.
fn said(report: &Value) -> Vec<String> {
    let tasks = report["tasks"].as_array().unwrap();
    let mut said: Vec<String> = tasks
        .iter()
        .filter(|task| task["kind"] == "container")
        .map(|task| task["outputs"]["said"].as_str().expect("each say task said something").to_owned())
        .collect();
    said.sort();
    said
}

fn compiled(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("shards.ir.yaml");
    Compiler::new().target(Target::V2).compile(shard_pipeline, &file).unwrap();
    file
}

#[test]
fn a_field_of_a_loop_item_is_an_argument_a_condition_and_a_loop() {
    let dir = Scratch::new("ir-subvars");
    let file = compiled(&dir);
    let report = succeeded(&run_local(&file, &dir, &[]));
    assert_eq!(said(&report), ["1", "2", "a", "b", r#"{"id":"s"}"#], "{report:#}");
    let tasks = report["tasks"].as_array().unwrap();
    let skipped: Vec<&Value> = tasks.iter().filter(|task| task["status"] == "Skipped").collect();
    assert_eq!(skipped.len(), 1, "shard b's condition alone is false: {report:#}");
    assert!(skipped[0]["message"].as_str().unwrap().contains("'b' == 'a'"), "{report:#}");
}

#[test]
fn the_fields_come_from_the_list_the_run_is_given() {
    let dir = Scratch::new("ir-subvars-given");
    let file = compiled(&dir);
    let given =
        r#"shards=[{"name": "a", "parts": ["x", "é"]}, {"name": "a", "parts": []}, {"name": "c", "parts": ["y"]}]"#;
    let report = succeeded(&run_local(&file, &dir, &["-p", given]));
    assert_eq!(said(&report), ["a", "a", "c", "x", r#"{"id":"s"}"#, "é"], "{report:#}");
}

#[test]
fn a_field_an_item_lacks_fails_the_run_naming_it() {
    let dir = Scratch::new("ir-subvars-missing");
    let file = compiled(&dir);
    let output = run_local(&file, &dir, &["-p", r#"shards=[{"name": "a"}]"#]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{stdout}");
    assert!(stdout.contains("has no field `parts`"), "the failure names the missing field: {stdout}");
}

/// What kfp's Python print tasks whose id ends with `task` printed, `msg: <msg>,` of each, sorted.
fn printed(report: &Value, task: &str) -> Vec<String> {
    let tasks = report["tasks"].as_array().unwrap();
    let logs = (tasks.iter())
        .filter(|t| t["id"].as_str().unwrap().ends_with(&format!(".{task}")))
        .map(|t| std::fs::read_to_string(t["log"].as_str().expect("a task that ran has a log")).unwrap());
    let mut lines: Vec<String> = logs
        .flat_map(|log| {
            log.lines().filter_map(|line| line.split_once(',')).map(|(msg, _)| msg.to_owned()).collect::<Vec<_>>()
        })
        .filter(|msg| msg.starts_with("msg:"))
        .collect();
    lines.sort();
    lines
}

fn kfp_golden(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/kfp-2.17.3/{name}.yaml"))
}

#[test]
fn kfps_own_ir_of_its_subvar_goldens_runs() {
    let Some(python) = common::kfp2_python() else {
        common::skip(common::KFP2_NOT_INSTALLED);
        return;
    };
    let dir = Scratch::new("ir-subvars-kfp-nested");
    let report = succeeded(&run_local(&kfp_golden("pipeline_with_nested_loops"), &dir, &["--python", &python]));
    // The loop over each item's `p_a` prints each `q_a`.
    assert_eq!(printed(&report, "print-op"), ["msg: 1", "msg: 11", "msg: 2", "msg: 22"], "{report:#}");

    let dir = Scratch::new("ir-subvars-kfp-conditions");
    let golden = kfp_golden("pipeline_with_loops_and_conditions");
    let report = succeeded(&run_local(&golden, &dir, &["--python", &python]));
    let tasks = report["tasks"].as_array().unwrap();
    let ids = |status: &str| -> Vec<&str> {
        let mut ids: Vec<&str> =
            tasks.iter().filter(|task| task["status"] == status).map(|task| task["id"].as_str().unwrap()).collect();
        ids.sort_unstable();
        ids
    };
    // The last loop: its `B_b` looped over where `A_a` is heads, skipped where tails.
    let grandchild: Vec<&str> = ids("Succeeded").into_iter().filter(|id| id.contains("print-text-9")).collect();
    assert_eq!(
        grandchild,
        [
            "for-loop-14-0.condition-15.for-loop-16-0.print-text-9",
            "for-loop-14-0.condition-15.for-loop-16-1.print-text-9"
        ]
    );
    assert!(ids("Skipped").contains(&"for-loop-14-1.condition-15"), "{report:#}");
    // The output's items: `A_a` is 1 and 10, so both its conditions on `A_a` are false; each `B_b` is looped over.
    assert_eq!(printed(&report, "print-text-4"), ["msg: 2", "msg: 20", "msg: 22", "msg: 222"], "{report:#}");
    let skipped = ids("Skipped");
    let on_a_a = skipped.iter().filter(|id| id.ends_with("condition-3") || id.ends_with("condition-5"));
    assert_eq!(on_a_a.count(), 4, "{report:#}");
}
