//! The KFP 1.8.22 UI's own graph parser (`tests/fixtures/kfp-ui`, run under node)
//! draws a Workflow with shared templates as it draws the kfp-shaped one, and a
//! loop over whole objects (`withParam`) as it draws kfp's (`withItems`): the
//! same nodes (ids, labels, kinds, images) and edges. Skips without node or
//! npm; npm installs the parser's dependencies from its registry.

mod common;

#[path = "../examples/big_pipeline.rs"]
#[allow(dead_code)]
mod big;

#[path = "../examples/add_pipeline.rs"]
#[allow(dead_code)]
mod add_pipeline;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use kfp::dsl::Recorded;
use kfp::Compiler;
use serde_json::Value;

/// Runs `npm args` in `dir`; panics with npm's output if it fails.
fn npm(dir: &Path, args: &[&str]) {
    let output = Command::new("npm").args(args).current_dir(dir).output().expect("npm runs");
    assert!(
        output.status.success(),
        "`npm {}` failed in {}:\n{}{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The parser from tests/fixtures/kfp-ui bundled for node, built in the target directory
/// once per run of these tests (they run at once, and one must not read the bundle while
/// another writes it). Its dependencies are installed once per lock file; the bundle is
/// rebuilt every run, so an edit of the fixture is always what runs.
fn graph_script() -> PathBuf {
    static SCRIPT: OnceLock<PathBuf> = OnceLock::new();
    SCRIPT.get_or_init(bundle_graph_script).clone()
}

fn bundle_graph_script() -> PathBuf {
    let source = common::kfp_ui_dir();
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kfp-ui");
    let lock = common::read_fixture(&source.join("package-lock.json"));
    let installed = work.join("node_modules").is_dir()
        && std::fs::read_to_string(work.join("package-lock.json")).is_ok_and(|old| old == lock);
    std::fs::create_dir_all(&work).unwrap_or_else(|e| panic!("cannot create {}: {e}", work.display()));
    let copied = Command::new("cp").arg("-R").arg(source.join(".")).arg(&work).status();
    assert!(copied.is_ok_and(|status| status.success()), "cannot copy {} to {}", source.display(), work.display());
    if !installed {
        npm(&work, &["ci", "--no-audit", "--no-fund", "--silent"]);
    }
    npm(
        &work,
        &[
            "exec",
            "--",
            "esbuild",
            "graph.ts",
            "--bundle",
            "--platform=node",
            "--log-level=warning",
            "--outfile=graph.js",
        ],
    );
    work.join("graph.js")
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
    let found = |tool: &str| Command::new(tool).arg("--version").output().is_ok_and(|out| out.status.success());
    if !found("node") || !found("npm") {
        common::skip("node or npm is not on PATH; the KFP UI's graph parser runs under node");
        return;
    }
    let script = graph_script();
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

/// A loop over a static list of objects whose body reads the whole item and a
/// field, after a first step: it loops with `withParam` where kfp writes
/// `withItems` of the objects.
#[kfp::prelude::pipeline(name = "whole items and fields")]
fn whole_items_and_fields() {
    use kfp::dsl::{parallel_for, ContainerOp};
    let first = ContainerOp::new("first", "alpine").command(["echo", "start"]).add();
    let items = vec![serde_json::json!({"name": "a", "x": 1}), serde_json::json!({"name": "b", "x": 2})];
    parallel_for(items, |item| {
        let name = item.field::<String>("name");
        ContainerOp::new("show", "alpine").command(["echo".to_owned(), format!("{item} {name}")]).add().after(&first);
    });
}

#[test]
fn the_ui_draws_a_loop_over_whole_objects_as_it_draws_kfps_loop() {
    let found = |tool: &str| Command::new(tool).arg("--version").output().is_ok_and(|out| out.status.success());
    if !found("node") || !found("npm") {
        common::skip("node or npm is not on PATH; the KFP UI's graph parser runs under node");
        return;
    }
    let script = graph_script();
    let dir = common::run::Scratch::new("kfp-ui-graph-whole-items");
    let ours = Compiler::new().compile_to_workflow(whole_items_and_fields).unwrap();
    // kfp's shape of the same loop: its list as `withItems`.
    let mut kfps = ours.clone();
    let looped = kfps
        .spec
        .templates
        .iter_mut()
        .flat_map(|template| template.dag.iter_mut().flat_map(|dag| dag.tasks.iter_mut()))
        .find(|task| task.with_param.is_some())
        .expect("the loop runs over withParam");
    let list: Vec<Value> = serde_json::from_str(looped.with_param.as_deref().unwrap()).unwrap();
    assert_eq!(list, [serde_json::json!({"name": "a", "x": 1}), serde_json::json!({"name": "b", "x": 2})]);
    (looped.with_items, looped.with_param) = (list, None);

    let (nodes, edges) = graph(&script, &ours, &dir.join("ours.yaml"));
    let (kfp_nodes, kfp_edges) = graph(&script, &kfps, &dir.join("kfp.yaml"));
    assert_eq!(nodes, kfp_nodes, "nodes");
    assert_eq!(edges, kfp_edges, "edges");
    let ids: Vec<&str> = nodes.iter().filter_map(|node| node["id"].as_str()).collect();
    assert_eq!(ids, ["/first", "/for-loop-2", "/for-loop-2/show"], "{nodes:?}");
    assert_eq!(edges, serde_json::json!([["/first", "/for-loop-2"], ["/for-loop-2", "/for-loop-2/show"]]));
}

/// With build steps (`Compiler::build_once`), the UI draws kfp's graph and one
/// more node per program, with an edge to every task that runs it.
#[test]
fn the_ui_draws_build_steps_beside_kfps_graph() {
    let found = |tool: &str| Command::new(tool).arg("--version").output().is_ok_and(|out| out.status.success());
    if !found("node") || !found("npm") {
        common::skip("node or npm is not on PATH; the KFP UI's graph parser runs under node");
        return;
    }
    let script = graph_script();
    let dir = common::run::Scratch::new("kfp-ui-graph-build-once");
    let pipelines: Vec<(&str, Recorded)> = vec![
        ("big", big::big_pipeline(30).unwrap()),
        ("add", kfp::dsl::Pipeline::build(&add_pipeline::my_pipeline).unwrap()),
    ];
    for (name, recorded) in pipelines {
        let kfp_shaped = Compiler::new().compile_recorded(&recorded).unwrap();
        let built = Compiler::new().build_once(true).compile_recorded(&recorded).unwrap();
        let (kfp_nodes, kfp_edges) = graph(&script, &kfp_shaped, &dir.join(format!("{name}-kfp.yaml")));
        let (nodes, edges) = graph(&script, &built, &dir.join(format!("{name}-built.yaml")));
        // kfp's graph, and a build step per component (all of these run Rust
        // functions), drawn as a container that every task of its component follows.
        let mut expected_nodes = kfp_nodes.clone();
        let mut expected_edges = kfp_edges.as_array().unwrap().clone();
        for node in &kfp_nodes {
            let build = format!("/build-{}", node["label"].as_str().unwrap().to_lowercase());
            if !expected_nodes.iter().any(|known| known["id"] == build.as_str()) {
                let label = format!("build {}", node["label"].as_str().unwrap());
                expected_nodes.push(serde_json::json!({
                    "condition": "", "id": build, "image": node["image"], "label": label, "type": "container",
                }));
            }
            expected_edges.push(serde_json::json!([build, node["id"]]));
        }
        let sorted = |mut items: Vec<Value>| {
            items.sort_by_key(|item| item.to_string());
            items
        };
        assert_eq!(sorted(nodes), sorted(expected_nodes), "{name}: nodes");
        assert_eq!(sorted(edges.as_array().unwrap().clone()), sorted(expected_edges), "{name}: edges");
    }
}
