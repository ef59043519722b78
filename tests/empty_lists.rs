//! Where kfp 1.8.22 writes an empty list and where it leaves the key out,
//! against its compile of the same pipeline (tests/fixtures/empty_lists.py):
//! `args` of components without inputs or outputs (in the template, the
//! `component_spec` annotation and the file `output_component_file` writes),
//! and `dependencies` of tasks in groups whose producers lie outside them.

mod common;

use kfp::components::load_component_from_text;
use kfp::dsl::{condition, parallel_for, sub_graph, Compare, ContainerOp};
use kfp::prelude::*;

#[component(output_component_file = "empty_lists.hello.component.yaml")]
pub fn hello() {
    println!("hi");
}

#[component]
pub fn produce() -> Vec<i64> {
    vec![1, 2]
}

#[component]
pub fn one() -> i64 {
    1
}

#[component]
pub fn consume(x: i64) {
    println!("{x}");
}

/// No `args` key: kfp's `component_spec` leaves it out, the template's container has `args: []`.
const NO_ARGS: &str = "name: No args
implementation:
  container:
    image: alpine
    command: [echo, no args]
";

/// `args: []` as written: the `component_spec` keeps it.
const EMPTY_ARGS: &str = "name: Empty args
implementation:
  container:
    image: alpine
    command: [echo, empty args]
    args: []
";

#[pipeline(name = "empty lists")]
pub fn empty_lists(#[default(1)] n: i64) {
    hello_op();
    load_component_from_text(NO_ARGS).unwrap().call(Vec::<(&str, &str)>::new());
    load_component_from_text(EMPTY_ARGS).unwrap().call(Vec::<(&str, &str)>::new());
    ContainerOp::new("bare", "alpine").command(["echo", "bare"]).add();
    let numbers = produce_op();
    let single = one_op();
    sub_graph(2, || {
        // A loop over an output made outside the sub-graph: `dependencies: []`.
        parallel_for(numbers.output(), consume_op);
        hello_op();
    });
    // At the root, the loop depends on its producer; its tasks have no `dependencies`.
    parallel_for(numbers.output(), |item| {
        consume_op(item);
        consume_op(n);
    });
    condition(n.eq(1), || {
        let first = consume_op(single.output());
        hello_op().after(&first);
    });
}

#[test]
fn equivalent_to_kfp() {
    let golden = common::read_fixture(&common::fixtures_dir().join("empty_lists.kfp.yaml"));
    let ours = kfp::Compiler::new().compile_to_string(empty_lists).unwrap();
    common::assert_equivalent(&ours, &golden, "empty_lists");
    common::assert_schema_valid(&ours, "empty_lists");
}

#[test]
fn empty_lists_are_written_where_kfp_writes_them() {
    let workflow = kfp::Compiler::new().compile_to_workflow(empty_lists).unwrap();
    let template = |name: &str| workflow.spec.templates.iter().find(|template| template.name == name).unwrap();
    let spec_args = |name: &str| {
        let spec = &template(name).metadata.annotations["pipelines.kubeflow.org/component_spec"];
        let spec: serde_json::Value = serde_json::from_str(spec).unwrap();
        spec["implementation"]["container"].get("args").cloned()
    };
    assert_eq!(spec_args("hello"), Some(serde_json::json!([])));
    assert_eq!(spec_args("no-args"), None);
    assert_eq!(spec_args("empty-args"), Some(serde_json::json!([])));
    for name in ["hello", "no-args", "empty-args"] {
        assert_eq!(template(name).container.as_ref().unwrap().args, Some(Vec::new()), "{name}");
    }
    assert_eq!(template("bare").container.as_ref().unwrap().args, None);
    let task = |group: &str, name: &str| {
        let dag = template(group).dag.as_ref().unwrap();
        dag.tasks.iter().find(|task| task.name == name).unwrap().dependencies.clone()
    };
    assert_eq!(task("subgraph-1", "for-loop-2"), Some(Vec::new()));
    assert_eq!(task("for-loop-3", "consume-2"), None);
    assert_eq!(task("condition-4", "consume-4"), None);
    assert_eq!(task("empty-lists", "hello"), None);
}

/// The `component.yaml` `output_component_file` writes is kfp's, less the
/// program (ours runs a Rust one): `args: []` included.
#[test]
fn component_file_matches_kfp() {
    common::assert_component_file_matches_kfp(empty_lists, "empty_lists", "hello");
}
