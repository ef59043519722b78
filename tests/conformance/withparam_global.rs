//! `withparam_global.yaml` and `withparam_global_dict.yaml`: loops over a pipeline
//! parameter holding a JSON list, of numbers or of objects.

use kfp::dsl::{parallel_for, ContainerOp, FileOutputs, LoopItem};
use kfp::prelude::*;
use serde_json::json;

fn producer() -> Task<FileOutputs> {
    ContainerOp::new("my-out-cop0", "python:alpine3.6")
        .command(["sh", "-c"])
        .arguments([
            r#"python -c "import json; import sys; json.dump([i for i in range(20, 31)], open('/tmp/out.json', 'w'))""#,
        ])
        .file_output("out", "/tmp/out.json")
        .add()
}

fn bash(name: &str, script: String) -> Task<FileOutputs> {
    ContainerOp::new(name, "library/bash:4.4.23").command(["sh", "-c"]).arguments([script]).add()
}

#[pipeline(name = "my-pipeline")]
fn over_numbers(#[default(vec![3, 5, 7, 9])] loopidy_doop: Vec<i64>) {
    let op0 = producer();
    parallel_for(loopidy_doop, |item: LoopItem<i64>| {
        bash("my-in-cop1", format!("echo no output global op1, item: {item}")).after(&op0);
    });
    bash("my-out-cop2", format!("echo no output global op2, outp: {}", op0.output()));
}

#[pipeline(name = "my-pipeline")]
fn over_objects(#[default(json!([{"a": 1, "b": 2}, {"a": 10, "b": 20}]))] loopidy_doop: serde_json::Value) {
    let op0 = producer();
    parallel_for(loopidy_doop, |item| {
        bash("my-in-cop1", format!("echo no output global op1, item.a: {}", item.field::<i64>("a"))).after(&op0);
    });
    bash("my-out-cop2", format!("echo no output global op2, outp: {}", op0.output()));
}

#[test]
fn withparam_global() {
    super::check("withparam_global", over_numbers);
}

#[test]
fn withparam_global_dict() {
    super::check("withparam_global_dict", over_objects);
}
