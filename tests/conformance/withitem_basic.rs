//! `withitem_basic.yaml`: a loop over static objects, reading their fields.

use kfp::dsl::{parallel_for, ContainerOp};
use kfp::prelude::*;
use serde_json::json;

#[pipeline(name = "my-pipeline")]
fn pipeline(#[default(10)] my_pipe_param: i64) {
    let items = vec![json!({"a": 1, "b": 2}), json!({"a": 10, "b": 20})];
    parallel_for(items, |item| {
        ContainerOp::new("my-in-coop1", "library/bash:4.4.23")
            .command(["sh", "-c"])
            .arguments([format!("echo op1 {} {}", item.field::<i64>("a"), my_pipe_param)])
            .add();
        ContainerOp::new("my-in-coop2", "library/bash:4.4.23")
            .command(["sh", "-c"])
            .arguments([format!("echo op2 {}", item.field::<i64>("b"))])
            .add();
    });
    ContainerOp::new("my-out-cop", "library/bash:4.4.23")
        .command(["sh", "-c"])
        .arguments([format!("echo {my_pipe_param}")])
        .add();
}

#[test]
fn withitem_basic() {
    super::check("withitem_basic", pipeline);
}
