//! `pvc_mount.yaml`: a claim named by a pipeline parameter, mounted into two tasks
//! (kfp-kubernetes `mount_pvc`).

use kfp::argo::{Volume, VolumeMount};
use kfp::k8s_openapi::api::core::v1::PersistentVolumeClaimVolumeSource;
use kfp::prelude::*;

#[component]
pub fn producer() -> String {
    std::fs::write("/data/file.txt", "hello").expect("the claim is mounted");
    std::fs::read_to_string("/data/file.txt").expect("the file was written")
}

#[component]
pub fn consumer() {
    println!("{}", std::fs::read_to_string("/data/file.txt").expect("the producer wrote the file"));
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

#[pipeline(name = "pvc-mount-pipeline")]
fn my_pipeline(pvc_name: String) {
    let p = producer_op();
    let c = consumer_op().after(&p);
    mount_data(&p, &pvc_name.to_string());
    mount_data(&c, &pvc_name.to_string());
}

#[test]
fn pvc_mount() {
    super::check("pvc_mount", my_pipeline);
}
