//! `opsgroups.yaml`, `recursive_while.yaml` and `recursive_do_while.yaml`: graph
//! components, ordered with `.after()`, and calling themselves under a condition.

// kfp's parameter is `maxVal`, and Argo parameter names are the Rust names.
#![allow(non_snake_case)]

use kfp::dsl::{condition, graph_component, Compare, ContainerOp, FileOutputs, Graph};
use kfp::prelude::*;
use kfp::types::Untyped;

const FLIP: &str = r#"python -c "import random; result = 'heads' if random.randint(0,1) == 0 else 'tails'; print(result)" | tee /tmp/output"#;

fn flip_op() -> Task<FileOutputs> {
    ContainerOp::new("flip", "python:alpine3.6")
        .command(["sh", "-c"])
        .arguments([FLIP])
        .file_output("output", "/tmp/output")
        .add()
}

fn print_op(message: impl std::fmt::Display) -> Task<FileOutputs> {
    ContainerOp::new("print", "alpine:3.6").command(["echo".to_owned(), message.to_string()]).add()
}

fn echo(name: &str, text: Param<Untyped>) {
    ContainerOp::new(name, "library/bash:4.4.23")
        .command(["sh", "-c"])
        .arguments(["echo \"$0\"".to_owned(), text.to_string()])
        .add();
}

fn echo1_graph_component(text1: Param<Untyped>) -> Graph {
    graph_component("echo1_graph_component", [("text1", text1.into())], || echo("echo1-task1", text1))
}

fn echo2_graph_component(text2: Param<Untyped>) -> Graph {
    graph_component("echo2_graph_component", [("text2", text2.into())], || echo("echo2-task1", text2))
}

#[pipeline(name = "Opsgroups pipeline")]
fn opsgroups_pipeline(#[default("message 1")] text1: Untyped, #[default("message 2")] text2: Untyped) {
    let step1 = echo1_graph_component(text1);
    let step2 = echo2_graph_component(text2);
    step2.after(&step1);
}

/// Flips until tails, checking before each flip.
fn flip_while(flip_result: Output<String>, max_val: Param<Untyped>) -> Graph {
    graph_component("flip_component", [("flip_result", flip_result.into()), ("maxVal", max_val.into())], || {
        condition(flip_result.eq("heads"), || {
            let print_flip = print_op(flip_result);
            let flip = flip_op();
            flip.after(&print_flip);
            flip_while(flip.output(), max_val);
        });
    })
}

#[pipeline(name = "pipeline flip coin", description = "shows how to use dsl.Condition.")]
fn flipcoin_while(#[default("12")] maxVal: Untyped) {
    let flip_a = flip_op();
    let flip_b = flip_op();
    let flip_loop = flip_while(flip_a.output(), maxVal);
    flip_loop.after(&flip_b);
    print_op(format!("cool, it is over. {}", flip_a.output())).after(&flip_loop);
}

/// Flips until tails, flipping before each check.
fn flip_do_while(flip_result: Output<String>) -> Graph {
    graph_component("flip_component", [("flip_result", flip_result.into())], || {
        let print_flip = print_op(flip_result);
        let flip = flip_op();
        flip.after(&print_flip);
        condition(flip.output().eq("heads"), || {
            flip_do_while(flip.output());
        });
    })
}

#[pipeline(name = "pipeline flip coin", description = "shows how to use graph_component.")]
fn flipcoin_do_while() {
    let flip_a = flip_op();
    let flip_b = flip_op();
    let flip_loop = flip_do_while(flip_a.output());
    flip_loop.after(&flip_b);
    print_op(format!("cool, it is over. {}", flip_a.output())).after(&flip_loop);
}

#[test]
fn opsgroups() {
    super::check("opsgroups", opsgroups_pipeline);
}

#[test]
fn recursive_while() {
    super::check("recursive_while", flipcoin_while);
}

#[test]
fn recursive_do_while() {
    super::check("recursive_do_while", flipcoin_do_while);
}
