//! Fields of loop items (kfp 2's subvars) in local runs of KFP v2 IR: `kfp run-local` on IR
//! compiled from a Rust pipeline that passes a field of an item to a task, compares one in a
//! condition and loops over one, with the pipeline's default and with a list given on the
//! command line; and the same fields in kfp 2.17.3's own IR.

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

/// What the run's `say` tasks said, sorted.
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
    assert_eq!(said(&report), ["1", "2", "a", "b"], "{report:#}");
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
    assert_eq!(said(&report), ["a", "a", "c", "x", "é"], "{report:#}");
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
