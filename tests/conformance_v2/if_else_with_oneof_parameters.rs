//! `if_else_with_oneof_parameters.yaml`: an If/Else (kfp-rs's `if_(..).else_(..)`)
//! whose branches each return a parameter, joined by a OneOf (`one_of`) that a
//! task reads and the pipeline returns.

use kfp::dsl::{if_, one_of, Compare, OneOf};
use kfp::prelude::*;

#[component]
pub fn flip_coin() -> String {
    if std::process::id() % 2 == 0 { "heads" } else { "tails" }.to_owned()
}

#[component]
pub fn print_and_return(text: String) -> String {
    println!("{text}");
    text
}

#[pipeline]
fn flip_coin_pipeline() -> OneOf<String> {
    let flip_coin_task = flip_coin_op();
    let printed = if_(flip_coin_task.output().eq("heads"), || print_and_return_op("Got heads!").output())
        .else_(|| print_and_return_op("Got tails!").output());
    let x = one_of(printed);
    print_and_return_op(x);
    x
}

#[test]
fn if_else_with_oneof_parameters() {
    super::check("if_else_with_oneof_parameters", flip_coin_pipeline);
}
