//! `withparam_output.yaml`: a loop over a container op's JSON output.

use kfp::dsl::{parallel_for, ContainerOp, LoopItem};
use kfp::prelude::*;

#[pipeline(name = "my-pipeline")]
fn pipeline() {
    let op0 = ContainerOp::new("my-out-cop0", "python:alpine3.6")
        .command(["sh", "-c"])
        .arguments([
            r#"python -c "import json; import sys; json.dump([i for i in range(20, 31)], open('/tmp/out.json', 'w'))""#,
        ])
        .file_output("out", "/tmp/out.json")
        .add();
    parallel_for(op0.output().cast::<Vec<i64>>(), |item: LoopItem<i64>| {
        ContainerOp::new("my-in-cop1", "library/bash:4.4.23")
            .command(["sh", "-c"])
            .arguments([format!("echo do output op1 item: {item}")])
            .add();
    });
    ContainerOp::new("my-out-cop2", "library/bash:4.4.23")
        .command(["sh", "-c"])
        .arguments([format!("echo do output op2, outp: {}", op0.output())])
        .add();
}

#[test]
fn withparam_output() {
    super::check("withparam_output", pipeline);
}
