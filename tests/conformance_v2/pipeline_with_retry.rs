//! `pipeline_with_retry.yaml`: a task retried three times, with kfp 2's default backoff.

use kfp::prelude::*;

#[component]
pub fn add(a: f64, b: f64) -> f64 {
    a + b
}

#[pipeline(name = "test-pipeline")]
fn my_pipeline(#[default(1.0)] a: f64, #[default(7.0)] b: f64) {
    add_op(a, b).set_retry(3);
}

#[test]
fn pipeline_with_retry() {
    super::check("pipeline_with_retry", my_pipeline);
}
