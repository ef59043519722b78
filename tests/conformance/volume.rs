//! `volume.yaml`: a secret volume mounted into a step, with environment variables.

use kfp::argo::{Volume, VolumeMount};
use kfp::dsl::ContainerOp;
use kfp::k8s_openapi::api::core::v1::SecretVolumeSource;
use kfp::prelude::*;

#[pipeline(name = "Volume", description = "A pipeline with volume.")]
fn volume_pipeline() {
    let download = ContainerOp::new("download", "google/cloud-sdk")
        .command(["sh", "-c"])
        .arguments(["ls | tee /tmp/results.txt"])
        .file_output("downloaded", "/tmp/results.txt")
        .add();
    download
        .add_volume(Volume {
            name: "gcp-credentials".to_owned(),
            secret: Some(SecretVolumeSource { secret_name: Some("user-gcp-sa".to_owned()), ..Default::default() }),
            ..Default::default()
        })
        .add_volume_mount(VolumeMount {
            name: "gcp-credentials".to_owned(),
            mount_path: "/secret/gcp-credentials".to_owned(),
            ..Default::default()
        })
        .set_env_variable("GOOGLE_APPLICATION_CREDENTIALS", "/secret/gcp-credentials/user-gcp-sa.json")
        .set_env_variable("Foo", "bar");
    ContainerOp::new("echo", "library/bash")
        .command(["sh", "-c"])
        .arguments([format!("echo {}", download.output())])
        .add();
}

#[test]
fn volume_matches_kfp() {
    super::check("volume", volume_pipeline);
}
