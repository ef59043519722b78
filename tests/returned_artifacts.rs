//! Artifacts a Rust component returns (kfp 2's `-> Dataset`, "pythonic artifacts"): an
//! `OutputArtifact<T>` made at `get_uri(..)` or anywhere else, and `OutputArtifact` fields of a
//! `#[derive(ComponentOutputs)]` struct. Compiled for KFP v2 as kfp 2 writes them (the golden
//! ports are in `tests/conformance_v2/pythonic_artifacts.rs`), run from the IR by the real
//! `kfp run-local` (the next task reads the file), and run as a KFP v1 Workflow, where a
//! returned artifact is an output file artifact.

mod common;

use std::process::Command;

use common::run::Scratch;
use kfp::prelude::*;
use kfp::run::RunOptions;
use kfp::{Compiler, Target};
use serde_json::Value;

/// Writes the text where the output `Output` goes: nothing to copy.
#[component]
pub fn write_text(text: String) -> std::io::Result<OutputArtifact<Dataset>> {
    let dataset = OutputArtifact::new(get_uri("Output")?);
    std::fs::write(&dataset, text)?;
    Ok(dataset)
}

/// The two halves of a text, each an artifact of its own.
#[derive(ComponentOutputs)]
pub struct Halves {
    first: OutputArtifact<Dataset>,
    second: OutputArtifact<Dataset>,
    length: i64,
}

/// Splits a text: the first half is a directory made beside the outputs (copied whole), the
/// second a file made in a directory of the function's own (copied to the output).
#[component]
pub fn split(text: InputPath<Dataset>) -> Result<Halves, String> {
    let text = std::fs::read_to_string(&text).map_err(|e| e.to_string())?;
    let (first_half, second_half) = text.split_at(text.len() / 2);
    let first = get_uri("first-half").map_err(|e| e.to_string())?;
    std::fs::create_dir_all(first.join("part")).map_err(|e| e.to_string())?;
    std::fs::write(first.join("part").join("text"), first_half).map_err(|e| e.to_string())?;
    let scratch = std::env::temp_dir().join(format!("kfp-returned-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    std::fs::write(scratch.join("second"), second_half).map_err(|e| e.to_string())?;
    Ok(Halves {
        first: OutputArtifact::new(first),
        second: OutputArtifact::new(scratch.join("second")),
        length: text.len() as i64,
    })
}

/// Reads both halves back.
#[component]
pub fn join(first: InputPath<Dataset>, second: InputPath<Dataset>) -> Result<String, String> {
    let first = std::fs::read_to_string(first.join("part").join("text")).map_err(|e| e.to_string())?;
    let second = std::fs::read_to_string(&second).map_err(|e| e.to_string())?;
    Ok(format!("{first}|{second}"))
}

#[pipeline(name = "returned-artifacts")]
pub fn returned_artifacts(#[default("abcdef")] text: String) -> Output<Dataset> {
    let written = write_text_op(text);
    let halves = split_op(written.output());
    join_op(halves.outputs().first, halves.outputs().second);
    written.output()
}

/// Returns an artifact it never wrote.
#[component]
pub fn forget() -> std::io::Result<OutputArtifact<Model>> {
    Ok(OutputArtifact::new(get_uri("never-written")?))
}

#[pipeline(name = "forgotten-artifact")]
pub fn forgotten_artifact() {
    forget_op();
}

fn have_rustc() -> bool {
    let found = common::run::have_rustc();
    if !found {
        common::skip("rustc is not on PATH (the component's program is built with it)");
    }
    found
}

#[test]
fn a_returned_artifact_is_the_output_output_of_kfp_2() {
    let ir: Value = serde_yaml::from_str(
        &Compiler::new().target(Target::V2).compile_to_string(returned_artifacts).expect("compiles for KFP v2"),
    )
    .unwrap();
    let outputs = &ir["components"]["comp-write-text"]["outputDefinitions"];
    assert_eq!(outputs["artifacts"]["Output"]["artifactType"]["schemaTitle"], "system.Dataset", "{outputs:#}");
    let outputs = &ir["components"]["comp-split"]["outputDefinitions"];
    assert_eq!(outputs["artifacts"]["first"]["artifactType"]["schemaTitle"], "system.Dataset", "{outputs:#}");
    assert_eq!(outputs["artifacts"]["second"]["artifactType"]["schemaTitle"], "system.Dataset", "{outputs:#}");
    assert_eq!(outputs["parameters"]["length"]["parameterType"], "NUMBER_INTEGER", "{outputs:#}");
    // The program gets the launcher's local path of each returned artifact.
    let args = ir["deploymentSpec"]["executors"]["exec-split"]["container"]["args"].as_array().unwrap();
    let paths: Vec<&str> = args.iter().filter_map(Value::as_str).skip_while(|arg| *arg != "----output-paths").collect();
    assert_eq!(
        paths,
        [
            "----output-paths",
            "{{$.outputs.artifacts['first'].path}}",
            "{{$.outputs.artifacts['second'].path}}",
            "{{$.outputs.parameters['length'].output_file}}",
        ]
    );
}

#[test]
fn kfp_run_local_puts_returned_artifacts_where_the_next_task_reads_them() {
    if !have_rustc() {
        return;
    }
    let dir = Scratch::new("returned-artifacts-ir");
    let file = dir.join("returned_artifacts.ir.yaml");
    Compiler::new().target(Target::V2).compile(returned_artifacts, &file).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(["run-local", file.to_str().unwrap(), "--json", "--run-dir"])
        .arg(dir.join("run"))
        .args(["-p", "text=hello world!"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    let task = |id: &str| {
        let tasks = report["tasks"].as_array().unwrap();
        tasks.iter().find(|task| task["id"] == id).unwrap_or_else(|| panic!("no task `{id}` in {report:#}")).clone()
    };
    assert_eq!(task("join")["outputs"]["Output"], "hello |world!", "{report:#}");
    assert_eq!(task("split")["outputs"]["length"], "12", "{report:#}");
    // An artifact whose content is short text is in the report beside the parameters.
    assert_eq!(task("write-text")["outputs"]["Output"], "hello world!", "{report:#}");
    // The pipeline returns the artifact the first task returned.
    assert_eq!(report["outputs"]["Output"], "hello world!", "{report:#}");
}

#[test]
fn an_artifact_returned_but_never_written_fails_its_task_saying_so() {
    if !have_rustc() {
        return;
    }
    let dir = Scratch::new("returned-artifacts-forgotten");
    let report = forgotten_artifact.run_local_v2(&RunOptions::new(dir.join("run"))).unwrap();
    assert!(!report.succeeded(), "{report:#?}");
    let task = report.tasks.iter().find(|task| task.id == "forget").expect("the task ran");
    let log = std::fs::read_to_string(task.log.as_ref().expect("the task has a log")).unwrap();
    assert!(log.contains("the returned artifact") && log.contains("never-written"), "{log}");
    assert!(log.contains("write it before returning it"), "{log}");
}

#[test]
fn under_kfp_v1_a_returned_artifact_is_an_output_file() {
    if !have_rustc() {
        return;
    }
    let dir = Scratch::new("returned-artifacts-v1");
    let report =
        returned_artifacts.run_local(&RunOptions::new(dir.join("run")).arg("text", "1234".to_owned())).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("join", "join-Output"), Some("12|34"), "{report:#?}");
    let first = report.task("split").and_then(|split| split.artifacts.get("split-first")).expect("split's first half");
    assert_eq!(std::fs::read_to_string(first.join("part").join("text")).unwrap(), "12");
}

#[test]
fn get_uri_outside_a_task_is_an_error_not_a_panic() {
    let error = write_text("text".to_owned()).unwrap_err();
    assert!(error.to_string().contains("get_uri is known only while"), "{error}");
}
