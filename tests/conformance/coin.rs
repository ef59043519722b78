//! `coin.yaml`: nested conditions on container op outputs (kfp's `coin.py`).

use kfp::dsl::{condition, Compare, ContainerOp, FileOutputs};
use kfp::prelude::*;

const FLIP: &str = r#"python -c "import random; result = 'heads' if random.randint(0,1) == 0 else 'tails'; print(result)" | tee /tmp/output"#;

fn flip_op(name: &str) -> Task<FileOutputs> {
    ContainerOp::new(name, "python:alpine3.6")
        .command(["sh", "-c"])
        .arguments([FLIP])
        .file_output("output", "/tmp/output")
        .add()
}

fn print(name: &str, message: impl std::fmt::Display) {
    ContainerOp::new(name, "alpine:3.6").command(["echo".to_owned(), message.to_string()]).add();
}

#[pipeline(name = "pipeline flip coin", description = "shows how to use dsl.Condition.")]
fn flipcoin() {
    let flip = flip_op("flip");
    let again = condition(flip.output().eq("heads"), || {
        let flip_again = flip_op("flip-again");
        condition(flip_again.output().eq("tails"), || print("print1", flip_again.output()));
        flip_again.output()
    });
    condition(flip.output().eq("tails"), || print("print2", again));
}

#[test]
fn coin() {
    super::check("coin", flipcoin);
}
