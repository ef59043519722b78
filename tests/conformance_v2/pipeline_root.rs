//! `take_nap_pipeline_root.yaml`: `#[pipeline(pipeline_root = ...)]` (kfp 2's
//! `pipeline_root`, the IR's `defaultPipelineRoot`) on the take-nap pipeline, its
//! components with a base image; refused for KFP v1.

use kfp::prelude::*;
use kfp::Compiler;

/// Sleeps for secs
#[component(
    base_image = "registry.redhat.io/ubi8/python-39@sha256:3523b184212e1f2243e76d8094ab52b01ea3015471471290d011625e1763af61"
)]
pub fn take_nap(naptime_secs: i64) -> String {
    println!("Sleeping for {naptime_secs} seconds: Zzzzzz ...");
    std::thread::sleep(std::time::Duration::from_secs(naptime_secs.max(0) as u64));
    "I'm awake now. Did I snore?".to_owned()
}

/// Wakes up from nap printing a message
#[component(
    base_image = "registry.redhat.io/ubi8/python-39@sha256:3523b184212e1f2243e76d8094ab52b01ea3015471471290d011625e1763af61"
)]
pub fn wake_up(message: String) {
    println!("{message}");
}

#[pipeline(
    name = "take-nap-pipeline",
    description = "Pipeline that sleeps for 15 mins (900 secs)",
    pipeline_root = "s3://change/me"
)]
fn take_nap_pipeline(#[default(900)] naptime_secs: i64) {
    let take_nap_task = take_nap_op(naptime_secs).set_caching_options(false);
    wake_up_op(take_nap_task.output()).set_caching_options(false);
}

#[test]
fn take_nap_pipeline_root() {
    super::check("take_nap_pipeline_root", take_nap_pipeline);
}

#[test]
fn kfp_v1_refuses_a_pipeline_root() {
    let error = Compiler::new().compile_to_string(take_nap_pipeline).unwrap_err().to_string();
    assert!(error.contains("`#[pipeline(pipeline_root = ..)]` is KFP v2's"), "{error}");
}
