//! `parallel_and_nested__parallel_for_mount_pvc.yaml`: a claim made by `CreatePVC`,
//! mounted by its output into a task in a loop: the loop takes the output in
//! (`pipelinechannel--createpvc-name`).

use kfp::argo::{Volume, VolumeMount};
use kfp::dsl::ParallelFor;
use kfp::k8s_openapi::api::core::v1::PersistentVolumeClaimVolumeSource;
use kfp::kubernetes::CreatePvc;
use kfp::prelude::*;

#[component]
pub fn example_component(item: String) -> String {
    println!("Item: {item}");
    item
}

#[pipeline(
    name = "pipeline-parallel-for-mount-pvc",
    description = "Pipeline with 1 component inside ParallelFor using mount_pvc."
)]
fn my_pipeline(#[default("test-pvc")] my_pvc_name_suffix: String) {
    // kfp's pipeline declares the parameter and leaves it unused.
    let _ = my_pvc_name_suffix;
    let pvc = CreatePvc::new(["ReadWriteOnce"], "5Mi").pvc_name_suffix("-my-pvc").storage_class_name("standard").call();
    ParallelFor::new(vec!["a".to_owned()]).run(|item| {
        example_component_op(item)
            .add_volume(Volume {
                name: "data".into(),
                persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                    claim_name: pvc.output_named("name").to_string(),
                    read_only: None,
                }),
                ..Default::default()
            })
            .add_volume_mount(VolumeMount { name: "data".into(), mount_path: "/data".into(), ..Default::default() });
    });
}

#[test]
fn parallel_for_mount_pvc() {
    let deviations = &super::pipeline_with_volume::PVC_INPUT_DESCRIPTIONS[..8];
    super::check_deviating("parallel_and_nested__parallel_for_mount_pvc", my_pipeline, deviations);
}
