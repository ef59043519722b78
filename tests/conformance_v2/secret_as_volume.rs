//! `pipeline_with_secret_as_volume.yaml`: a secret named by a pipeline parameter,
//! mounted as a volume (kfp-kubernetes `use_secret_as_volume`).

use kfp::argo::{Volume, VolumeMount};
use kfp::k8s_openapi::api::core::v1::SecretVolumeSource;
use kfp::prelude::*;

#[component]
pub fn comp() {
    let username = std::fs::read_to_string("/mnt/my_vol/username").expect("the secret is mounted");
    println!("username: {username}");
}

#[pipeline(name = "pipeline-secret-volume")]
fn my_pipeline(#[default("test-secret-1")] secret_param: String) {
    comp_op()
        .add_volume(Volume {
            name: "secret".into(),
            secret: Some(SecretVolumeSource { secret_name: Some(secret_param.to_string()), ..Default::default() }),
            ..Default::default()
        })
        .add_volume_mount(VolumeMount {
            name: "secret".into(),
            mount_path: "/mnt/my_vol".into(),
            ..Default::default()
        });
}

#[test]
fn secret_as_volume() {
    super::check("pipeline_with_secret_as_volume", my_pipeline);
}
