//! `pvc_mount_subpath.yaml`: one claim, named by a pipeline parameter, mounted with
//! a different sub path into each task (kfp-kubernetes `mount_pvc(sub_path=...)`).

use kfp::argo::{Volume, VolumeMount};
use kfp::k8s_openapi::api::core::v1::PersistentVolumeClaimVolumeSource;
use kfp::prelude::*;

#[component]
pub fn write_to_models() {
    std::fs::write("/data/model.txt", "model data").expect("the claim is mounted");
}

#[component]
pub fn write_to_logs() {
    std::fs::write("/data/log.txt", "log data").expect("the claim is mounted");
}

#[component]
pub fn read_from_models() {
    println!("Read from models: {}", std::fs::read_to_string("/data/model.txt").expect("the model was written"));
}

#[component]
pub fn read_from_logs() {
    println!("Read from logs: {}", std::fs::read_to_string("/data/log.txt").expect("the log was written"));
}

/// Folder `sub_path` of the claim `claim_name` at `/data`.
fn mount_data<O>(task: &Task<O>, claim_name: &str, sub_path: &str) {
    task.add_volume(Volume {
        name: "data".into(),
        persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
            claim_name: claim_name.into(),
            read_only: None,
        }),
        ..Default::default()
    })
    .add_volume_mount(VolumeMount {
        name: "data".into(),
        mount_path: "/data".into(),
        sub_path: Some(sub_path.into()),
        ..Default::default()
    });
}

#[pipeline(name = "pvc-mount-subpath-pipeline")]
fn my_pipeline(pvc_name: String) {
    let claim = pvc_name.to_string();
    let write_models = write_to_models_op();
    mount_data(&write_models, &claim, "models");
    let write_logs = write_to_logs_op();
    mount_data(&write_logs, &claim, "logs");
    let read_models = read_from_models_op().after(&write_models);
    mount_data(&read_models, &claim, "models");
    let read_logs = read_from_logs_op().after(&write_logs);
    mount_data(&read_logs, &claim, "logs");
}

#[test]
fn pvc_mount_subpath() {
    super::check("pvc_mount_subpath", my_pipeline);
}
