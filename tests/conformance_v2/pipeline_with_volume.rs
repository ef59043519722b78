//! `pipeline_with_volume.yaml`: a claim made by kfp-kubernetes' `CreatePVC`, mounted
//! into two tasks by its output, then deleted with `DeletePVC`.

use kfp::argo::{Volume, VolumeMount};
use kfp::k8s_openapi::api::core::v1::PersistentVolumeClaimVolumeSource;
use kfp::kubernetes::{delete_pvc, CreatePvc};
use kfp::prelude::*;

#[component]
pub fn producer() -> String {
    std::fs::write("/data/file.txt", "Hello world").expect("the claim is mounted");
    std::fs::read_to_string("/data/file.txt").expect("the file was written")
}

#[component]
pub fn consumer() -> String {
    std::fs::read_to_string("/data/file.txt").expect("the producer wrote the file")
}

/// The claim `claim_name` at `/data`.
fn mount_data<O>(task: &Task<O>, claim_name: &str) {
    task.add_volume(Volume {
        name: "data".into(),
        persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
            claim_name: claim_name.into(),
            read_only: None,
        }),
        ..Default::default()
    })
    .add_volume_mount(VolumeMount { name: "data".into(), mount_path: "/data".into(), ..Default::default() });
}

#[pipeline(name = "pipeline-with-volume")]
fn my_pipeline() {
    let pvc1 =
        CreatePvc::new(["ReadWriteOnce"], "5Mi").pvc_name_suffix("-my-pvc").storage_class_name("standard").call();
    let claim = pvc1.output_named("name");
    let task1 = producer_op();
    let task2 = consumer_op().after(&task1);
    mount_data(&task1, &claim.to_string());
    mount_data(&task2, &claim.to_string());
    delete_pvc(claim).after(&task2);
}

/// The input descriptions kfp takes from the docstrings of kfp-kubernetes' Python
/// components; kfp-rs loads them as component.yaml, whose descriptions kfp 2 leaves out.
pub const PVC_INPUT_DESCRIPTIONS: [&str; 9] = [
    "PipelineSpec.components.comp-createpvc.inputDefinitions.parameters.access_modes.description",
    "PipelineSpec.components.comp-createpvc.inputDefinitions.parameters.annotations.description",
    "PipelineSpec.components.comp-createpvc.inputDefinitions.parameters.data_source.description",
    "PipelineSpec.components.comp-createpvc.inputDefinitions.parameters.pvc_name.description",
    "PipelineSpec.components.comp-createpvc.inputDefinitions.parameters.pvc_name_suffix.description",
    "PipelineSpec.components.comp-createpvc.inputDefinitions.parameters.size.description",
    "PipelineSpec.components.comp-createpvc.inputDefinitions.parameters.storage_class_name.description",
    "PipelineSpec.components.comp-createpvc.inputDefinitions.parameters.volume_name.description",
    "PipelineSpec.components.comp-deletepvc.inputDefinitions.parameters.pvc_name.description",
];

#[test]
fn pipeline_with_volume() {
    super::check_deviating("pipeline_with_volume", my_pipeline, &PVC_INPUT_DESCRIPTIONS);
}
