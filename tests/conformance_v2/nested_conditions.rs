//! `essential__pipeline_with_nested_conditions.yaml`: a condition inside a
//! condition, comparing two task outputs; outputs of outer tasks come in as the
//! groups' inputs.

use kfp::dsl::{condition, Compare};
use kfp::prelude::*;

#[component(name = "flip_coin_op")]
pub fn flip_coin() -> String {
    if std::process::id() % 2 == 0 { "heads" } else { "tails" }.to_owned()
}

#[component(name = "print_op")]
pub fn print(msg: String) {
    println!("{msg}");
}

#[pipeline(name = "nested-conditions-pipeline")]
fn my_pipeline() {
    let flip1 = flip_coin_op();
    print_op(flip1.output());
    let flip2 = flip_coin_op();
    print_op(flip2.output());
    condition(flip1.output().ne("no-such-result"), || {
        let flip3 = flip_coin_op();
        print_op(flip3.output());
        condition(flip2.output().eq(flip3.output()), || {
            let flip4 = flip_coin_op();
            print_op(flip4.output());
        });
    });
}

#[test]
fn nested_conditions() {
    super::check("essential__pipeline_with_nested_conditions", my_pipeline);
}
