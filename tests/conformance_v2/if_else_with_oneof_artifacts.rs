//! `if_else_with_oneof_artifacts.yaml` and its copy
//! `critical__if_else_with_oneof_artifacts.yaml`: an If/Else whose branches each
//! make an artifact, joined by a OneOf (`one_of`) that a task reads and the
//! pipeline returns, called by another pipeline that reads it too.

use kfp::artifacts::Artifact;
use kfp::dsl::{if_, one_of, Compare, OneOf};
use kfp::prelude::*;

#[component]
pub fn flip_coin() -> String {
    "heads".to_owned()
}

#[component]
pub fn param_to_artifact(val: String, a: OutputPath<Artifact>) {
    std::fs::write(&a, val).expect("the artifact's file is writable");
}

#[component]
pub fn print_artifact(a: InputPath<Artifact>) {
    println!("{}", std::fs::read_to_string(&a).expect("the artifact's file is readable"));
}

#[pipeline]
fn flip_coin_pipeline() -> OneOf<Artifact> {
    let flip_coin_task = flip_coin_op();
    let made = if_(flip_coin_task.output().eq("heads"), || param_to_artifact_op(flip_coin_task.output()).outputs().a)
        .else_(|| param_to_artifact_op(flip_coin_task.output()).outputs().a);
    let oneof = one_of(made);
    print_artifact_op(oneof);
    oneof
}

#[pipeline]
fn outer_pipeline() {
    let flip_coin_task = flip_coin_pipeline_op();
    print_artifact_op(flip_coin_task.output());
}

#[test]
fn if_else_with_oneof_artifacts() {
    super::check("if_else_with_oneof_artifacts", outer_pipeline);
    super::check("critical__if_else_with_oneof_artifacts", outer_pipeline);
}
