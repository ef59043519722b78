//! `local_execution__local_execution_pipeline_with_oneof.yaml`: an If/Else on a
//! boolean pipeline parameter, the two branches' outputs joined by a OneOf
//! (`one_of`) that a task takes, whose output the pipeline returns; and
//! `if_elif_else_with_oneof_parameters.yaml`: an If/Elif/Else whose OneOf (two
//! return values and a `String` output file) a pipeline returns, called by
//! another pipeline.

use kfp::dsl::{if_, one_of, Compare, OneOf};
use kfp::prelude::*;

#[component]
pub fn branch_a() -> String {
    "A".to_owned()
}

#[component]
pub fn branch_b() -> String {
    "B".to_owned()
}

#[component]
pub fn tag_selected(value: String) -> String {
    format!("selected:{value}")
}

#[pipeline]
pub(crate) fn pipeline_with_oneof(#[default(true)] pick_a: bool) -> Output<String> {
    let picked = if_(pick_a.eq(true), || branch_a_op().output()).else_(|| branch_b_op().output());
    tag_selected_op(one_of(picked)).output()
}

#[test]
fn local_execution_pipeline_with_oneof() {
    super::check("local_execution__local_execution_pipeline_with_oneof", pipeline_with_oneof);
}

#[component]
pub fn flip_three_sided_die() -> String {
    ["heads", "tails", "draw"][std::process::id() as usize % 3].to_owned()
}

#[component]
pub fn print_and_return(text: String) -> String {
    println!("{text}");
    text
}

#[component]
pub fn special_print_and_return(text: String, output_key: OutputPath<String>) {
    println!("Got the special state: {text}");
    std::fs::write(&output_key, text).expect("the output file is writable");
}

#[pipeline]
fn roll_die_pipeline() -> OneOf<String> {
    let flip_coin_task = flip_three_sided_die_op();
    let rolled = if_(flip_coin_task.output().eq("heads"), || print_and_return_op("Got heads!").output())
        .elif(flip_coin_task.output().eq("tails"), || print_and_return_op("Got tails!").output())
        .else_(|| special_print_and_return_op("Draw!").outputs().output_key);
    one_of(rolled)
}

#[pipeline]
fn outer_pipeline() -> Output<String> {
    let flip_coin_task = roll_die_pipeline_op();
    print_and_return_op(flip_coin_task.output()).output()
}

#[test]
fn if_elif_else_with_oneof_parameters() {
    super::check("if_elif_else_with_oneof_parameters", outer_pipeline);
}
