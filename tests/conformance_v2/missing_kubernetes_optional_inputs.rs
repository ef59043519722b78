//! `critical__missing_kubernetes_optional_inputs.yaml`: kfp-kubernetes settings
//! taken from pipeline parameters: the JSON node affinity, node selector and
//! tolerations, a secret and a config map (optional) as env and as volumes, and
//! the task's image pull secret; every parameter optional without a default
//! (`Option<T>`, kfp's `Optional[...] = None`).

use kfp::argo::{EnvVar, Volume, VolumeMount};
use kfp::k8s_openapi::api::core::v1::{
    ConfigMapKeySelector, ConfigMapVolumeSource, EnvVarSource, SecretKeySelector, SecretVolumeSource,
};
use kfp::prelude::*;

#[component]
pub fn log_message(message: String) {
    println!("{message}");
}

#[pipeline(name = "missing-kubernetes-optional-inputs-pipeline")]
fn my_pipeline(
    optional_affinity: Option<serde_json::Value>,
    optional_selector: Option<serde_json::Value>,
    optional_secret_name: Option<String>,
    optional_config_map_name: Option<String>,
    optional_image_pull_secret_name: Option<String>,
    optional_tolerations: Option<Vec<serde_json::Value>>,
) {
    let secret = optional_secret_name.to_string();
    let config_map = optional_config_map_name.to_string();
    log_message_op("baseline task")
        .set_caching_options(false)
        .add_node_affinity_json(optional_affinity)
        .add_node_selector_json(optional_selector)
        .add_env_variable(EnvVar {
            name: "PASSWORD".into(),
            value_from: Some(EnvVarSource {
                secret_key_ref: Some(SecretKeySelector {
                    name: secret.clone(),
                    key: "password".into(),
                    optional: Some(true),
                }),
                ..Default::default()
            }),
            ..Default::default()
        })
        .add_volume(Volume {
            name: "secret".into(),
            secret: Some(SecretVolumeSource { secret_name: Some(secret), optional: Some(true), ..Default::default() }),
            ..Default::default()
        })
        .add_volume_mount(VolumeMount { name: "secret".into(), mount_path: "/mnt/secret".into(), ..Default::default() })
        .add_env_variable(EnvVar {
            name: "SETTING".into(),
            value_from: Some(EnvVarSource {
                config_map_key_ref: Some(ConfigMapKeySelector {
                    name: config_map.clone(),
                    key: "setting".into(),
                    optional: Some(true),
                }),
                ..Default::default()
            }),
            ..Default::default()
        })
        .add_volume(Volume {
            name: "config".into(),
            config_map: Some(ConfigMapVolumeSource { name: config_map, optional: Some(true), ..Default::default() }),
            ..Default::default()
        })
        .add_volume_mount(VolumeMount { name: "config".into(), mount_path: "/mnt/config".into(), ..Default::default() })
        .set_image_pull_secrets([optional_image_pull_secret_name])
        .add_toleration_json(optional_tolerations);
}

#[test]
fn missing_kubernetes_optional_inputs() {
    super::check("critical__missing_kubernetes_optional_inputs", my_pipeline);
}
