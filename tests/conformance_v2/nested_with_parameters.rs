//! `nested_with_parameters.yaml`: an output inside two nested loops collected as a
//! list of lists (`collected(..).nested()`), into a task and as the pipeline's output.

use kfp::dsl::{collected, parallel_for, Collected};
use kfp::prelude::*;

#[component]
pub fn double(num: i64) -> i64 {
    2 * num
}

#[component]
pub fn add(nums: Vec<Vec<i64>>) -> i64 {
    nums.iter().flatten().sum()
}

#[component]
pub fn add_two_nums(x: i64, y: i64) -> i64 {
    x + y
}

#[pipeline(name = "math-pipeline")]
fn math_pipeline() -> Collected<Vec<i64>> {
    let t3 = parallel_for(vec![1, 2, 3], |x| {
        parallel_for(vec![1, 2, 3], |y| {
            let t1 = double_op(x);
            let t2 = double_op(y);
            add_two_nums_op(t1.output(), t2.output())
        })
    });
    add_op(collected(t3.output()).nested());
    collected(t3.output()).nested()
}

#[test]
fn nested_with_parameters() {
    super::check("nested_with_parameters", math_pipeline);
}
