//! The KFP 1.8.22 UI's own graph parser (`shared/kfp-ui`, run under node)
//! draws a Workflow with shared templates as it draws the kfp-shaped one:
//! the same nodes (ids, labels, kinds, images) and edges. Skips without
//! shared/, node or npm.

mod common;

#[path = "../examples/big_pipeline.rs"]
#[allow(dead_code)]
mod big;

#[path = "../examples/add_pipeline.rs"]
#[allow(dead_code)]
mod add_pipeline;

use std::path::{Path, PathBuf};
use std::process::Command;

use kfp::dsl::Recorded;
use kfp::Compiler;
use serde_json::Value;

/// The parser bundled for node, built once into the target directory.
fn graph_script() -> Option<PathBuf> {
    let source = common::shared_dir()?.join("kfp-ui");
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kfp-ui");
    let script = work.join("graph.js");
    if script.is_file() {
        return Some(script);
    }
    let copied = Command::new("cp").arg("-r").arg(&source).arg(&work).status().is_ok_and(|s| s.success());
    let npm = |args: &[&str]| Command::new("npm").args(args).current_dir(&work).output();
    let installed =
        copied && npm(&["install", "--no-audit", "--no-fund", "--silent"]).is_ok_and(|o| o.status.success());
    let bundled = installed
        && npm(&["exec", "--", "esbuild", "graph.ts", "--bundle", "--platform=node", "--outfile=graph.js"])
            .is_ok_and(|o| o.status.success());
    bundled.then_some(script)
}

/// The UI's graph of `workflow`: nodes (without what a shared template
/// passes differently: args and inputs) and edges.
fn graph(script: &Path, workflow: &kfp::argo::Workflow, file: &Path) -> (Vec<Value>, Value) {
    std::fs::write(file, kfp::compiler::to_yaml(workflow).unwrap()).unwrap();
    let output = Command::new("node").arg(script).arg(file).output().expect("node runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut drawn: Value = serde_json::from_slice(&output.stdout).unwrap();
    let nodes = drawn["nodes"].as_array_mut().unwrap().iter_mut().map(|node| {
        let node = node.as_object_mut().unwrap();
        node.retain(|key, _| matches!(key.as_str(), "id" | "label" | "type" | "image" | "condition"));
        Value::Object(node.clone())
    });
    (nodes.collect(), drawn["edges"].take())
}

#[test]
fn the_ui_draws_shared_templates_as_it_draws_kfps_shape() {
    if Command::new("node").arg("--version").output().is_err() {
        common::skip("node is not on PATH");
        return;
    }
    let Some(script) = graph_script() else {
        common::skip("shared/kfp-ui not found, or npm could not install its parser");
        return;
    };
    let dir = common::run::Scratch::new("kfp-ui-graph");
    let pipelines: Vec<(&str, Recorded)> = vec![
        ("big", big::big_pipeline(30).unwrap()),
        ("add", kfp::dsl::Pipeline::build(&add_pipeline::my_pipeline).unwrap()),
    ];
    for (name, recorded) in pipelines {
        let kfp_shaped = Compiler::new().compile_recorded(&recorded).unwrap();
        let shared = Compiler::new().share_templates(true).compile_recorded(&recorded).unwrap();
        assert_ne!(kfp_shaped, shared, "{name}: the shared form differs");
        let (kfp_nodes, kfp_edges) = graph(&script, &kfp_shaped, &dir.join(format!("{name}-kfp.yaml")));
        let (nodes, edges) = graph(&script, &shared, &dir.join(format!("{name}-shared.yaml")));
        assert_eq!(nodes, kfp_nodes, "{name}: nodes");
        assert_eq!(edges, kfp_edges, "{name}: edges");
        assert!(!nodes.is_empty());
    }
}
