//! The add example against kfp 1.8.22's own compilation of it, the Argo schema,
//! and the things a user checks by eye.

mod common;

#[path = "../examples/add_pipeline.rs"]
#[allow(dead_code)]
mod add_pipeline;

use std::time::{Duration, UNIX_EPOCH};

use add_pipeline::my_pipeline;
use kfp::Compiler;

fn compile() -> String {
    Compiler::new().compile_to_string(my_pipeline).expect("the add example compiles")
}

#[test]
fn equivalent_to_kfp_golden() {
    let golden = common::read_golden("add_example");
    common::assert_equivalent(&compile(), &golden, "add_example");
}

#[test]
fn valid_against_argo_schema() {
    common::assert_schema_valid(&compile(), "add_example");
}

#[test]
fn korean_doc_comment_becomes_description() {
    let yaml = compile();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
    let add =
        workflow["spec"]["templates"].as_sequence().unwrap().iter().find(|template| template["name"] == "add").unwrap();
    let spec = add["metadata"]["annotations"]["pipelines.kubeflow.org/component_spec"].as_str().unwrap();
    // The annotation is JSON with non-ASCII escaped, as kfp writes it...
    assert!(spec.contains(r#""description": "\ub354\ud558\uae30 (adds two numbers)""#), "{spec}");
    // ...and the same text once parsed.
    let spec: serde_json::Value = serde_json::from_str(spec).unwrap();
    assert_eq!(spec["description"], "더하기 (adds two numbers)");
    let component = add_pipeline::add_component();
    assert_eq!(component.spec.description.as_deref(), Some("더하기 (adds two numbers)"));
    assert!(component.spec.to_yaml().unwrap().contains("description: 더하기 (adds two numbers)"));
}

#[test]
fn output_is_deterministic_with_fixed_time() {
    let compiler = Compiler::new().compilation_time(UNIX_EPOCH + Duration::from_secs(1_795_878_000));
    let first = compiler.compile_to_string(my_pipeline).unwrap();
    let second = compiler.compile_to_string(my_pipeline).unwrap();
    assert_eq!(first, second);
    // Quoted, as kfp writes it: plain, YAML 1.1 readers (PyYAML) would read a timestamp.
    assert!(first.contains("pipeline_compilation_time: \"2026-11-28T15:00:00.000000\""), "{first}");
}

#[test]
fn compile_writes_workflow_and_component_file() {
    let dir = std::env::temp_dir().join(format!("kfp-add-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let workflow = dir.join("out/add_pipeline.yaml");
    let compiled = Compiler::new().compile(my_pipeline, &workflow).unwrap();
    assert_eq!(compiled.workflow, workflow);
    // Beside the Workflow, not in the current directory.
    let beside = dir.join("out/add.component.yaml");
    assert_eq!(compiled.component_files, vec![beside.clone()]);
    let component = std::fs::read_to_string(&beside).unwrap();
    assert!(component.starts_with("name: Add\n"), "{component}");
    assert!(std::fs::read_to_string(&workflow).unwrap().contains("generateName: add-example-"));
    std::fs::remove_dir_all(&dir).unwrap();
}
