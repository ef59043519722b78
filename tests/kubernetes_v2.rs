//! KFP v1 task settings that kfp-kubernetes has, compiled to KFP v2: written to the
//! platform spec (the IR file's second document) as kfp-kubernetes 2.17.3 writes them;
//! those it has not are refused naming the task and the v2 way.

use kfp::argo::{EnvFromSource, EnvVar, Toleration, Volume, VolumeMount};
use kfp::dsl::get_pipeline_conf;
use kfp::k8s_openapi::api::core::v1::{
    ConfigMapEnvSource, ConfigMapKeySelector, ConfigMapVolumeSource, EmptyDirVolumeSource, EnvVarSource,
    HostPathVolumeSource,
};
use kfp::prelude::*;
use kfp::{Compiler, Target};

#[component]
pub fn train() {
    println!("training");
}

/// The IR file's documents, as JSON.
fn documents(pipeline: impl Pipeline) -> Vec<serde_json::Value> {
    let yaml = Compiler::new().target(Target::V2).compile_to_string(pipeline).expect("the pipeline compiles to v2");
    serde_yaml::Deserializer::from_str(&yaml)
        .map(|document| serde::Deserialize::deserialize(document).expect("each document is YAML"))
        .collect()
}

fn v2_error(pipeline: impl Pipeline) -> String {
    Compiler::new().target(Target::V2).compile_to_string(pipeline).expect_err("v2 refuses the pipeline").to_string()
}

#[test]
fn scheduling_pull_settings_and_volumes_go_to_the_platform_spec() {
    #[pipeline(name = "kubernetes settings")]
    fn pipeline() {
        get_pipeline_conf().set_image_pull_secrets(["registry-key"]);
        train_op()
            .add_node_selector_constraint("cloud.google.com/gke-accelerator", "nvidia-tesla-k80")
            .add_toleration(Toleration {
                key: Some("gpu".into()),
                operator: Some("Equal".into()),
                value: Some("true".into()),
                effect: Some("NoSchedule".into()),
                toleration_seconds: Some(60),
            })
            .set_timeout(300)
            .set_image_pull_policy("Always")
            .add_env_variable(EnvVar {
                name: "MODE".into(),
                value_from: Some(EnvVarSource {
                    config_map_key_ref: Some(ConfigMapKeySelector {
                        name: "settings".into(),
                        key: "mode".into(),
                        optional: Some(true),
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .add_volume(Volume {
                name: "config".into(),
                config_map: Some(ConfigMapVolumeSource { name: "settings".into(), ..Default::default() }),
                ..Default::default()
            })
            .add_volume_mount(VolumeMount {
                name: "config".into(),
                mount_path: "/etc/app".into(),
                ..Default::default()
            })
            .add_volume(Volume {
                name: "scratch".into(),
                empty_dir: Some(EmptyDirVolumeSource { medium: Some("Memory".into()), ..Default::default() }),
                ..Default::default()
            })
            .add_volume_mount(VolumeMount {
                name: "scratch".into(),
                mount_path: "/tmp/work".into(),
                ..Default::default()
            });
    }
    let documents = documents(pipeline);
    assert_eq!(documents.len(), 2, "a pipeline spec, then the platform spec");
    let expected = serde_json::json!({"platforms": {"kubernetes": {"deploymentSpec": {"executors": {"exec-train": {
        "nodeSelector": {"labels": {"cloud.google.com/gke-accelerator": "nvidia-tesla-k80"}},
        "tolerations": [{"key": "gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule", "tolerationSeconds": "60"}],
        "activeDeadlineSeconds": "300",
        "imagePullPolicy": "Always",
        "imagePullSecret": [{"secretName": "registry-key", "secretNameParameter": {"runtimeValue": {"constant": "registry-key"}}}],
        "configMapAsEnv": [{
            "configMapName": "settings",
            "configMapNameParameter": {"runtimeValue": {"constant": "settings"}},
            "keyToEnv": [{"configMapKey": "mode", "envVar": "MODE"}],
            "optional": true,
        }],
        "configMapAsVolume": [{
            "configMapName": "settings",
            "configMapNameParameter": {"runtimeValue": {"constant": "settings"}},
            "mountPath": "/etc/app",
            "optional": false,
        }],
        "emptyDirMounts": [{"volumeName": "scratch", "mountPath": "/tmp/work", "medium": "Memory"}],
    }}}}}});
    assert_eq!(documents[1], expected);
    let executor = &documents[0]["deploymentSpec"]["executors"]["exec-train"]["container"];
    assert!(executor.get("env").is_none(), "MODE comes from the config map, not the container's env: {executor}");
}

#[test]
fn a_task_without_kubernetes_settings_has_no_platform_spec() {
    #[pipeline(name = "plain")]
    fn pipeline() {
        train_op().set_env_variable("MODE", "fast");
    }
    assert_eq!(documents(pipeline).len(), 1);
}

#[test]
fn volumes_kfp_kubernetes_cannot_mount_are_refused_naming_the_task() {
    #[pipeline(name = "unsupported")]
    fn pipeline() {
        train_op()
            .add_volume(Volume {
                name: "host".into(),
                host_path: Some(HostPathVolumeSource { path: "/var/log".into(), type_: None }),
                ..Default::default()
            })
            .add_volume_mount(VolumeMount { name: "host".into(), mount_path: "/logs".into(), ..Default::default() })
            .add_volume_mount(VolumeMount { name: "missing".into(), mount_path: "/x".into(), ..Default::default() });
    }
    let error = v2_error(pipeline);
    assert!(error.contains("task `train`, volume `host`") && error.contains("emptyDir"), "{error}");
    assert!(error.contains("task `train` mounts volume `missing`, which it has not"), "{error}");
}

#[test]
fn env_from_a_whole_config_map_is_refused_naming_the_v2_way() {
    #[pipeline(name = "env from")]
    fn pipeline() {
        train_op().add_env_from(EnvFromSource {
            config_map_ref: Some(ConfigMapEnvSource { name: "settings".into(), optional: None }),
            ..Default::default()
        });
    }
    let error = v2_error(pipeline);
    assert!(error.contains("task `train` (add_env_from)") && error.contains("`use_secret_as_env`"), "{error}");
}

#[test]
fn a_name_that_embeds_a_value_in_text_is_refused() {
    #[pipeline(name = "embedded name")]
    fn pipeline(env: String) {
        train_op()
            .add_volume(Volume {
                name: "creds".into(),
                secret: Some(kfp::k8s_openapi::api::core::v1::SecretVolumeSource {
                    secret_name: Some(format!("creds-{env}")),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .add_volume_mount(VolumeMount { name: "creds".into(), mount_path: "/creds".into(), ..Default::default() });
    }
    let error = v2_error(pipeline);
    assert!(
        error.contains("task `train`, volume `creds`") && error.contains("pass the whole name as one value"),
        "{error}"
    );
}

#[test]
fn create_pvc_is_refused_for_kfp_v1_naming_the_v1_way() {
    #[pipeline(name = "claim")]
    fn pipeline() {
        let pvc = kfp::kubernetes::CreatePvc::new(["ReadWriteOnce"], "1Gi").call();
        kfp::kubernetes::delete_pvc(pvc.output_named("name"));
    }
    let error = Compiler::new().compile_to_string(pipeline).expect_err("v1 refuses CreatePVC").to_string();
    assert!(error.contains("task `createpvc` is kfp-kubernetes' CreatePVC"), "{error}");
    assert!(error.contains("task `deletepvc`") && error.contains("`VolumeOp`"), "{error}");
    let ir = Compiler::new().target(Target::V2).compile_to_string(pipeline).expect("v2 compiles CreatePVC");
    assert!(ir.contains("image: argostub/createpvc"), "{ir}");
}
