//! `withitem_nested.yaml`: a static loop inside a static loop, reading the outer
//! item's fields and a pipeline parameter in the inner one.

use kfp::dsl::{parallel_for, ContainerOp};
use kfp::prelude::*;
use serde_json::json;

fn bash(name: &str, script: String) {
    ContainerOp::new(name, "library/bash:4.4.23").command(["sh", "-c"]).arguments([script]).add();
}

#[pipeline(name = "my-pipeline")]
fn pipeline(#[default(10)] my_pipe_param: i64) {
    let items = vec![json!({"a": 1, "b": 2}), json!({"a": 10, "b": 20})];
    parallel_for(items, |item| {
        let a = item.field::<i64>("a");
        bash("my-in-coop1", format!("echo op1 {a} {my_pipe_param}"));
        parallel_for(vec![100, 200, 300], |inner| {
            bash("my-inner-inner-coop", format!("echo op1 {a} {inner} {my_pipe_param}"));
        });
        bash("my-in-coop2", format!("echo op2 {}", item.field::<i64>("b")));
    });
    bash("my-out-cop", format!("echo {my_pipe_param}"));
}

#[test]
fn withitem_nested() {
    super::check("withitem_nested", pipeline);
}
