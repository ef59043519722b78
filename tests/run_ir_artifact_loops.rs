//! Loops over lists of artifacts (kfp 2's `dsl.ParallelFor(items=<list of artifacts>)`,
//! `artifactIterator`) in local runs of KFP v2 IR: `kfp run-local` on IR compiled from a Rust
//! pipeline looping over the datasets a pipeline called as a task returns, each iteration
//! reading its own dataset, the texts read collected back in iteration order.

mod common;

use std::process::Command;

use common::run::Scratch;
use kfp::dsl::{collected, parallel_for, Collected};
use kfp::prelude::*;
use kfp::{Compiler, Target};
use serde_json::Value;

#[component]
fn make_dataset(text: String) -> std::io::Result<OutputArtifact<Dataset>> {
    let dataset = OutputArtifact::new(get_uri("Output")?);
    std::fs::write(&dataset, text)?;
    Ok(dataset)
}

#[pipeline(name = "make-datasets")]
fn make_datasets(texts: Vec<String>) -> Collected<Dataset> {
    collected(parallel_for(texts, make_dataset_op).output())
}

#[component]
fn read_dataset(dataset: InputPath<Dataset>) -> std::io::Result<String> {
    std::fs::read_to_string(dataset)
}

#[component]
fn join(texts: Vec<String>) -> String {
    texts.concat()
}

/// The texts made into datasets by one pipeline, then read back one dataset per iteration.
#[pipeline(name = "read-datasets")]
fn read_datasets(
    #[default(vec!["Hello".to_owned(), ", ".to_owned(), "wörld!".to_owned()])] texts: Vec<String>,
) -> Output<String> {
    let read = parallel_for(make_datasets_op(texts).output(), read_dataset_op);
    join_op(collected(read.output())).output()
}

/// `kfp run-local FILE --json` with `args`; the report, after checking the run succeeded.
fn run_local(file: &std::path::Path, dir: &Scratch, args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .arg("run-local")
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

#[test]
fn each_iteration_reads_its_own_artifact_and_the_texts_come_back_in_order() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH (the components' programs are built with it)");
        return;
    }
    let dir = Scratch::new("artifact-loop");
    let file = dir.join("read-datasets.ir.yaml");
    Compiler::new().target(Target::V2).compile(read_datasets, &file).expect("it compiles");
    let report = run_local(&file, &dir, &[]);
    assert_eq!(report["outputs"]["Output"], "Hello, wörld!", "{report:#}");
    let reads: Vec<&Value> =
        report["tasks"].as_array().unwrap().iter().filter(|task| task["name"] == "read-dataset").collect();
    assert_eq!(reads.len(), 3, "one task per dataset: {report:#}");
}
