//! `essential__pipeline_with_condition.yaml`: a condition on a task output, with a
//! pipeline parameter and another task's output used inside.

use kfp::dsl::{condition, Compare};
use kfp::prelude::*;

/// Flip a coin and output heads or tails randomly.
#[component(name = "flip_coin_op")]
pub fn flip_coin() -> String {
    if std::process::id() % 2 == 0 { "heads" } else { "tails" }.to_owned()
}

/// Print a message.
#[component(name = "print_op")]
pub fn print(msg: String) {
    println!("{msg}");
}

#[pipeline(name = "single-condition-pipeline")]
fn my_pipeline(#[default("condition test")] text: String) {
    let flip1 = flip_coin_op();
    flip1.set_caching_options(false);
    print_op(flip1.output());
    condition(flip1.output().eq("heads"), || {
        let flip2 = flip_coin_op();
        flip2.set_caching_options(false);
        print_op(flip2.output());
        print_op(text);
    });
}

#[test]
fn pipeline_with_condition() {
    super::check("essential__pipeline_with_condition", my_pipeline);
}
