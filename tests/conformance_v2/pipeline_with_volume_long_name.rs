//! `pipeline_with_volume_long_name.yaml`: a pipeline with a long name making a
//! claim with kfp-kubernetes' `CreatePVC` beside a task that does not use it.

use kfp::kubernetes::CreatePvc;
use kfp::prelude::*;

#[component]
pub fn dummy_task() {
    println!("hello");
}

#[pipeline(name = "here-is-a-pipeline-very-long-name")]
fn my_pipeline() {
    dummy_task_op();
    CreatePvc::new(["ReadWriteOnce"], "1Gi").pvc_name_suffix("-my-pvc").storage_class_name("standard").call();
}

#[test]
fn pipeline_with_volume_long_name() {
    super::check_deviating(
        "pipeline_with_volume_long_name",
        my_pipeline,
        &super::pipeline_with_volume::PVC_INPUT_DESCRIPTIONS[..8],
    );
}
