//! `failing__fail_v2.yaml`: one task whose component fails.

use kfp::prelude::*;

/// Fails
#[component]
pub fn fail() -> Result<(), String> {
    Err("failed on purpose".to_owned())
}

#[pipeline(name = "fail-pipeline")]
fn fail_pipeline() {
    fail_op();
}

#[test]
fn fail_v2() {
    super::check("failing__fail_v2", fail_pipeline);
}
