//! `critical__flip_coin.yaml`: `dsl.If` (kfp-rs's `if_`) on a task output, with
//! an `if_` on an integer output nested in each branch, and the value written
//! into a message; caching off.

use kfp::dsl::{if_, Compare};
use kfp::prelude::*;

/// Generate a random number between low and high.
#[component]
pub fn random_num(low: i64, high: i64) -> i64 {
    let result = low + i64::from(std::process::id()) % (high - low + 1);
    println!("{result}");
    result
}

/// Flip a coin and output heads or tails randomly.
#[component]
pub fn flip_coin() -> String {
    let result = if std::process::id() % 2 == 0 { "heads" } else { "tails" };
    println!("{result}");
    result.to_owned()
}

/// Print a message.
#[component]
pub fn print_msg(msg: String) {
    println!("{msg}");
}

#[pipeline(name = "conditional-execution-pipeline", description = "Shows how to use dsl.If().")]
fn flipcoin_pipeline() {
    let flip = flip_coin_op();
    flip.set_caching_options(false);
    for (side, low, high, threshold) in [("heads", 0, 9, 5), ("tails", 10, 19, 15)] {
        if_(flip.output().eq(side), || {
            let num = random_num_op(low, high);
            num.set_caching_options(false);
            if_(num.output().gt(threshold), || {
                print_msg_op(format!("{side} and {} > {threshold}!", num.output())).set_caching_options(false);
            });
            if_(num.output().le(threshold), || {
                print_msg_op(format!("{side} and {} <= {threshold}!", num.output())).set_caching_options(false);
            });
        });
    }
}

#[test]
fn critical_flip_coin() {
    super::check("critical__flip_coin", flipcoin_pipeline);
}
