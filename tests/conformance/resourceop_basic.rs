//! `resourceop_basic.yaml`: a ResourceOp creates a Secret from pipeline
//! parameters; a step mounts it by the name the op outputs.

use kfp::dsl::{ContainerOp, PipelineVolume, ResourceOp};
use kfp::k8s_openapi::api::core::v1::{SecretVolumeSource, Volume};
use kfp::prelude::*;
use kfp::types::Untyped;
use serde_json::json;

#[pipeline(name = "ResourceOp Basic", description = "A Basic Example on ResourceOp Usage.")]
fn resourceop_basic(username: Untyped, password: Untyped) {
    let secret = json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"generateName": "my-secret-"},
        "type": "Opaque",
        "data": {"username": username.to_string(), "password": password.to_string()},
    });
    let rop = ResourceOp::new("create-my-secret", secret).attribute_output("name", "{.metadata.name}").add();
    let secret_volume = Volume {
        name: "my-secret".to_owned(),
        secret: Some(SecretVolumeSource { secret_name: Some(rop.output().to_string()), ..Default::default() }),
        ..Default::default()
    };
    ContainerOp::new("cop", "library/bash:4.4.23")
        .command(["sh", "-c"])
        .arguments(["ls /etc/secret-volume"])
        .pvolume("/etc/secret-volume", PipelineVolume::new(secret_volume))
        .add();
}

#[test]
fn resourceop_basic_matches_kfp() {
    super::check("resourceop_basic", resourceop_basic);
}
