//! kfp's `dsl.SubGraph`: a group limiting how many of its tasks run at once,
//! against kfp 1.8.22's compile of the same pipeline (tests/fixtures/sub_graph.py).

mod common;

use kfp::dsl::{parallel_for, sub_graph, ContainerOp};
use kfp::prelude::*;

fn echo(name: &str, text: impl std::fmt::Display) {
    ContainerOp::new(name, "alpine").command(["echo".to_owned(), text.to_string()]).add();
}

#[pipeline(name = "sub graph")]
fn pipeline(#[default("hi")] message: String) {
    sub_graph(2, || {
        echo("first", message);
        parallel_for(vec![1, 2, 3], |item| echo("each", item));
    });
    echo("after", message);
}

#[test]
fn sub_graph_matches_kfp() {
    let yaml = kfp::Compiler::new().compile_to_string(pipeline).unwrap();
    common::assert_schema_valid(&yaml, "sub_graph");
    let golden = include_str!("fixtures/sub_graph.kfp.yaml");
    common::assert_equivalent(&yaml, golden, "sub_graph");
}

#[pipeline(name = "no parallelism")]
fn zero() {
    sub_graph(0, || echo("x", "y"));
}

#[test]
fn a_sub_graph_runs_at_least_one_task_at_a_time() {
    let error = kfp::Compiler::new().compile_to_string(zero).unwrap_err().to_string();
    assert!(error.contains("parallelism must be at least 1"), "{error}");
}
