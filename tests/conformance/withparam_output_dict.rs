//! `withparam_output_dict.yaml`: a loop over a task output holding JSON objects.

use kfp::dsl::{parallel_for, ContainerOp};
use kfp::prelude::*;

#[pipeline(name = "my-pipeline")]
fn pipeline() {
    let op0 = ContainerOp::new("my-out-cop0", "python:alpine3.6")
        .command(["sh", "-c"])
        .arguments([r#"python -c "import json; import sys; json.dump([{'a': 1, 'b': 2}, {'a': 10, 'b': 20}], open('/tmp/out.json', 'w'))""#])
        .file_output("out", "/tmp/out.json")
        .add();
    parallel_for(op0.output().cast::<serde_json::Value>(), |item| {
        ContainerOp::new("my-in-cop1", "library/bash:4.4.23")
            .command(["sh", "-c"])
            .arguments([format!("echo do output op1 item.a: {}", item.field::<i64>("a"))])
            .add();
    });
    ContainerOp::new("my-out-cop2", "library/bash:4.4.23")
        .command(["sh", "-c"])
        .arguments([format!("echo do output op2, outp: {}", op0.output())])
        .add();
}

#[test]
fn withparam_output_dict() {
    super::check("withparam_output_dict", pipeline);
}
