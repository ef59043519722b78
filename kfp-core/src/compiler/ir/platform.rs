//! A task's Kubernetes settings as kfp-kubernetes writes them into the platform
//! spec (`platforms.kubernetes.deploymentSpec.executors.<executor>`): the KFP v1
//! setters with a kfp-kubernetes equivalent (pod labels and annotations, env from
//! secrets, config maps and pod fields, secret, config map, PVC and emptyDir
//! volumes, node selector, tolerations, timeout, image pull policy, the
//! pipeline's image pull secrets) and kfp-kubernetes' own (the JSON node selector,
//! node affinity and tolerations, a task's image pull secrets) are lowered to it;
//! the rest are refused in `edges`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::EphemeralVolumeSource;
use serde_json::json;

use super::dag::{self, Node, Pipeline};
use crate::dsl::marker::{self, Piece};
use crate::ir::kubernetes::{
    ConfigMapAsEnv, ConfigMapAsVolume, ConfigMapKeyToEnv, EmptyDirMount, FieldPathAsEnv, GenericEphemeralVolume,
    ImagePullSecret, KubernetesExecutorConfig, NodeAffinityTerm, NodeSelector, PodMetadata, PvcMount, SecretAsEnv,
    SecretAsVolume, SecretKeyToEnv, Toleration,
};
use crate::ir::platform::{PlatformDeploymentConfig, PlatformSpec, SinglePlatformSpec, KUBERNETES};
use crate::ir::InputParameterSpec;

/// The Kubernetes settings of task `index` (in DAG `scope`), `None` when it has none.
pub(super) fn executor_config(
    p: &Pipeline,
    index: u32,
    scope: Node,
) -> Result<Option<KubernetesExecutorConfig>, Vec<String>> {
    let task = &p.recorded.tasks[index as usize];
    let name = &p.task_names[index as usize];
    let s = &task.settings;
    let mut problems = Vec::new();
    let mut config = KubernetesExecutorConfig::default();
    // A name may be a pipeline value: kfp-kubernetes writes it as the task input it
    // would be, and a constant also in the deprecated plain field.
    let parameter = |problems: &mut Vec<String>, text: &str, what: &str| -> (String, Option<InputParameterSpec>) {
        match name_parameter(p, text, scope) {
            Ok((constant, spec)) => (constant, Some(spec)),
            Err(problem) => {
                problems.push(format!("task `{name}`, {what}: {problem}"));
                (String::new(), None)
            }
        }
    };
    for var in &s.env {
        let Some(source) = &var.value_from else { continue };
        if let Some(secret) = &source.secret_key_ref {
            let (secret_name, secret_name_parameter) =
                parameter(&mut problems, &secret.name, &format!("env `{}`", var.name));
            config.secret_as_env.push(SecretAsEnv {
                secret_name,
                key_to_env: vec![SecretKeyToEnv { secret_key: secret.key.clone(), env_var: var.name.clone() }],
                optional: Some(secret.optional.unwrap_or(false)),
                secret_name_parameter,
            });
        } else if let Some(map) = &source.config_map_key_ref {
            let (config_map_name, config_map_name_parameter) =
                parameter(&mut problems, &map.name, &format!("env `{}`", var.name));
            config.config_map_as_env.push(ConfigMapAsEnv {
                config_map_name,
                key_to_env: vec![ConfigMapKeyToEnv { config_map_key: map.key.clone(), env_var: var.name.clone() }],
                optional: Some(map.optional.unwrap_or(false)),
                config_map_name_parameter,
            });
        } else if let Some(field) = &source.field_ref {
            config
                .field_path_as_env
                .push(FieldPathAsEnv { name: var.name.clone(), field_path: field.field_path.clone() });
        } else {
            problems.push(format!(
                "task `{name}`: env `{}` takes a container resource (resourceFieldRef), which KFP v2 has not: give it \
                 a value",
                var.name
            ));
        }
    }
    for mount in &s.volume_mounts {
        let what = format!("volume `{}`", mount.name);
        let Some(volume) = s.volumes.iter().find(|volume| volume.name == mount.name) else {
            problems.push(format!("task `{name}` mounts {what}, which it has not: add it with add_volume"));
            continue;
        };
        if mount.read_only.is_some() || mount.sub_path.is_some() && volume.persistent_volume_claim.is_none() {
            problems.push(format!(
                "task `{name}`, {what}: kfp-kubernetes mounts volumes with a path only (and a sub path for a PVC): \
                 leave read_only (and sub_path) out"
            ));
        }
        let mount_path = mount.mount_path.clone();
        if let Some(secret) = &volume.secret {
            let (secret_name, secret_name_parameter) =
                parameter(&mut problems, secret.secret_name.as_deref().unwrap_or(""), &what);
            config.secret_as_volume.push(SecretAsVolume {
                secret_name,
                mount_path,
                optional: Some(secret.optional.unwrap_or(false)),
                secret_name_parameter,
            });
        } else if let Some(map) = &volume.config_map {
            let (config_map_name, config_map_name_parameter) = parameter(&mut problems, &map.name, &what);
            config.config_map_as_volume.push(ConfigMapAsVolume {
                config_map_name,
                mount_path,
                optional: Some(map.optional.unwrap_or(false)),
                config_map_name_parameter,
            });
        } else if let Some(claim) = &volume.persistent_volume_claim {
            let (constant, pvc_name_parameter) = parameter(&mut problems, &claim.claim_name, &what);
            // kfp-kubernetes also writes the deprecated oneof beside `pvcNameParameter`.
            let spec = pvc_name_parameter.clone().unwrap_or_default();
            config.pvc_mount.push(PvcMount {
                task_output_parameter: spec.task_output_parameter,
                constant: spec.runtime_value.is_some().then_some(constant),
                component_input_parameter: spec.component_input_parameter,
                mount_path,
                pvc_name_parameter,
                sub_path: mount.sub_path.clone().unwrap_or_default(),
            });
        } else if let Some(empty_dir) = &volume.empty_dir {
            config.empty_dir_mounts.push(EmptyDirMount {
                volume_name: volume.name.clone(),
                mount_path,
                medium: empty_dir.medium.clone(),
                size_limit: empty_dir.size_limit.as_ref().map(|quantity| quantity.0.clone()),
            });
        } else if let Some(ephemeral) = &volume.ephemeral {
            match ephemeral_volume(&volume.name, mount_path, ephemeral) {
                Ok(volume) => config.generic_ephemeral_volume.push(volume),
                Err(problem) => problems.push(format!("task `{name}`, {what}: {problem}")),
            }
        } else {
            problems.push(format!(
                "task `{name}`, {what}: KFP v2 mounts secrets, config maps, PVCs, emptyDir and ephemeral volumes \
                 (kfp-kubernetes), not this kind: use one of those"
            ));
        }
    }
    for volume in &s.volumes {
        if !s.volume_mounts.iter().any(|mount| mount.name == volume.name) {
            problems.push(format!(
                "task `{name}`: volume `{}` is not mounted: KFP v2 adds a volume by mounting it; add a volume mount",
                volume.name
            ));
        }
    }
    let mut json_spec = |text: &str, setter: &str| match json_parameter(p, text, scope) {
        Ok(spec) => Some(spec),
        Err(problem) => {
            problems.push(format!("task `{name}`, {setter}: {problem}"));
            None
        }
    };
    let node_selector_json = s.node_selector_json.as_deref().and_then(|text| json_spec(text, "add_node_selector_json"));
    if !s.node_selector.is_empty() || node_selector_json.is_some() {
        config.node_selector = Some(NodeSelector { labels: s.node_selector.clone(), node_selector_json });
    }
    if let Some(text) = &s.node_affinity_json {
        let node_affinity_json = json_spec(text, "add_node_affinity_json");
        config.node_affinity.push(NodeAffinityTerm { node_affinity_json, ..NodeAffinityTerm::default() });
    }
    for toleration in &s.tolerations {
        config.tolerations.push(Toleration {
            key: toleration.key.clone().unwrap_or_default(),
            operator: toleration.operator.clone().unwrap_or_default(),
            value: toleration.value.clone().unwrap_or_default(),
            effect: toleration.effect.clone().unwrap_or_default(),
            toleration_seconds: toleration.toleration_seconds,
            toleration_json: None,
        });
    }
    for text in &s.tolerations_json {
        let toleration_json = json_spec(text, "add_toleration_json");
        config.tolerations.push(Toleration { toleration_json, ..Toleration::default() });
    }
    if !s.pod_labels.is_empty() || !s.pod_annotations.is_empty() {
        config.pod_metadata =
            Some(PodMetadata { labels: s.pod_labels.clone(), annotations: s.pod_annotations.clone() });
    }
    if let Some(seconds) = s.timeout_seconds {
        config.active_deadline_seconds = i64::try_from(seconds).unwrap_or(i64::MAX);
    }
    if let Some(policy) = &s.image_pull_policy {
        config.image_pull_policy = policy.clone();
    }
    for secret in &p.recorded.conf.image_pull_secrets {
        let secret_name = secret.clone();
        config
            .image_pull_secret
            .push(ImagePullSecret { secret_name_parameter: Some(constant_parameter(&secret_name)), secret_name });
    }
    for secret in &s.image_pull_secrets {
        let (secret_name, secret_name_parameter) = parameter(&mut problems, secret, "set_image_pull_secrets");
        config.image_pull_secret.push(ImagePullSecret { secret_name, secret_name_parameter });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((config != KubernetesExecutorConfig::default()).then_some(config))
}

/// A generic ephemeral volume as kfp-kubernetes' `add_ephemeral_volume` writes it:
/// the claim's access modes, storage request and class, its labels and annotations;
/// a claim template setting more is refused, naming what.
fn ephemeral_volume(
    volume_name: &str,
    mount_path: String,
    ephemeral: &EphemeralVolumeSource,
) -> Result<GenericEphemeralVolume, String> {
    let template = ephemeral.volume_claim_template.as_ref().ok_or("an ephemeral volume needs a claim template")?;
    let spec = &template.spec;
    let resources = spec.resources.as_ref();
    let requests = resources.and_then(|resources| resources.requests.as_ref());
    let size = requests.and_then(|requests| requests.get("storage")).map(|quantity| quantity.0.clone());
    let more_requests = requests.is_some_and(|requests| requests.keys().any(|key| key != "storage"));
    let unsupported = [
        (spec.data_source.is_some() || spec.data_source_ref.is_some(), "a data source"),
        (spec.selector.is_some(), "a selector"),
        (spec.volume_mode.is_some(), "a volume mode"),
        (spec.volume_name.is_some(), "a volume name"),
        (spec.volume_attributes_class_name.is_some(), "a volume attributes class"),
        (
            resources.is_some_and(|resources| resources.limits.is_some()) || more_requests,
            "resources beyond a storage request",
        ),
    ];
    if let Some((_, what)) = unsupported.iter().find(|(set, _)| *set) {
        return Err(format!(
            "kfp-kubernetes' ephemeral volumes have access modes, a size, a storage class, labels and annotations, \
             not {what}: leave it out (`kfp::kubernetes::EphemeralVolume`)"
        ));
    }
    let size =
        size.ok_or("an ephemeral volume needs a size: request `storage` (`EphemeralVolume::new(.., \"5Gi\")`)")?;
    let metadata = template.metadata.as_ref().map(|meta| PodMetadata {
        labels: meta.labels.clone().unwrap_or_default(),
        annotations: meta.annotations.clone().unwrap_or_default(),
    });
    Ok(GenericEphemeralVolume {
        volume_name: volume_name.to_owned(),
        mount_path,
        access_modes: spec.access_modes.clone().unwrap_or_default(),
        size,
        default_storage_class: spec.storage_class_name.is_none(),
        storage_class_name: spec.storage_class_name.clone().unwrap_or_default(),
        metadata: metadata.filter(|meta| !meta.labels.is_empty() || !meta.annotations.is_empty()),
    })
}

/// The platform spec of the executors' settings, `None` when no executor has any.
pub(super) fn spec(executors: BTreeMap<String, KubernetesExecutorConfig>) -> Option<PlatformSpec> {
    if executors.is_empty() {
        return None;
    }
    let kubernetes =
        SinglePlatformSpec { deployment_spec: Some(PlatformDeploymentConfig { executors }), ..Default::default() };
    Some(PlatformSpec { platforms: BTreeMap::from([(KUBERNETES.to_owned(), kubernetes)]) })
}

/// A name that is a constant or one whole pipeline value: the constant (empty for
/// a value) and the name as a task input.
fn name_parameter(p: &Pipeline, text: &str, scope: Node) -> Result<(String, InputParameterSpec), String> {
    if !marker::has_marker(text) {
        return Ok((text.to_owned(), constant_parameter(text)));
    }
    let [Piece::Value(value)] = &marker::pieces(text)[..] else {
        return Err(format!(
            "the name `{text}` embeds a pipeline value in text, which kfp-kubernetes cannot: pass the whole name as \
             one value"
        ));
    };
    let dag::TaskInput::Parameter(spec) = dag::value_input(p, value, scope, false)? else {
        return Err("the name's value is an artifact: give a parameter".to_owned());
    };
    Ok((String::new(), spec))
}

/// A JSON setting as kfp-kubernetes writes it: one whole pipeline value as the
/// task input it would be, or a constant JSON value.
fn json_parameter(p: &Pipeline, text: &str, scope: Node) -> Result<InputParameterSpec, String> {
    if marker::has_marker(text) {
        return name_parameter(p, text, scope).map(|(_, spec)| spec);
    }
    let constant: serde_json::Value =
        serde_json::from_str(text).map_err(|error| format!("`{text}` is not JSON: {error}"))?;
    serde_json::from_value(json!({"runtimeValue": {"constant": constant}}))
        .map_err(|error| format!("the constant `{text}`: {error}"))
}

/// A constant as kfp-kubernetes writes a name's parameter.
fn constant_parameter(text: &str) -> InputParameterSpec {
    serde_json::from_value(json!({"runtimeValue": {"constant": text}})).expect("a constant string is a parameter spec")
}
