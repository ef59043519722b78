//! `parameters_complex.yaml`: outputs of nested loops collected at several levels:
//! inside the outer loop, outside both (a list of lists), inside another loop,
//! and collected again from that loop.

use kfp::dsl::{collected, parallel_for};
use kfp::prelude::*;

#[component]
pub fn double(num: i64) -> i64 {
    2 * num
}

#[component]
pub fn simple_add(nums: Vec<i64>) -> i64 {
    nums.iter().sum()
}

#[component]
pub fn nested_add(nums: Vec<Vec<i64>>) -> i64 {
    nums.iter().flatten().sum()
}

#[component]
pub fn add_two_numbers(x: Vec<i64>, y: Vec<i64>) -> i64 {
    x.iter().sum::<i64>() + y.iter().sum::<i64>()
}

#[pipeline(name = "math-pipeline")]
fn math_pipeline() -> Output<i64> {
    let (t1, t2) = parallel_for(vec![1, 2, 3], |a| {
        let t1 = double_op(a);
        let t2 = parallel_for(vec![4, 5, 6], double_op);
        simple_add_op(collected(t2.output()));
        (t1, t2)
    });
    nested_add_op(collected(t2.output()).nested());
    let (t3, t4) = parallel_for(vec![0, 0, 0], |_| {
        let t3 = simple_add_op(collected(t1.output()));
        let t4 = nested_add_op(collected(t2.output()).nested());
        (t3, t4)
    });
    add_two_numbers_op(collected(t3.output()), collected(t4.output())).output()
}

#[test]
fn parameters_complex() {
    super::check("parameters_complex", math_pipeline);
}
