//! `conditional_producer_and_consumers.yaml`: a producer under a condition inside
//! a loop, collected into a task under another condition, whose output the
//! pipeline returns collected through that condition.

use kfp::dsl::{collected, condition, parallel_for, Collected, Compare};
use kfp::prelude::*;

#[component]
pub fn double(num: i64) -> i64 {
    2 * num
}

#[component]
pub fn add(nums: Vec<i64>) -> i64 {
    nums.iter().sum()
}

#[pipeline(name = "math-pipeline")]
fn math_pipeline(#[default(2)] threshold: i64) -> Collected<i64> {
    let t = parallel_for(vec![1, 2, 3], |x| condition(x.ge(threshold), || double_op(x)));
    let t = condition(threshold.eq(2), || add_op(collected(t.output())));
    collected(t.output())
}

#[test]
fn conditional_producer_and_consumers() {
    super::check("conditional_producer_and_consumers", math_pipeline);
}
