//! Task settings (kfp's `ContainerOp` setters) written into a task's template,
//! as kfp's `_op_to_template` writes them.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, EnvVar, EnvVarSource, ObjectFieldSelector, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::shared;
use crate::argo::{Backoff, RetryStrategy, Template, Text, UserContainer};
use crate::dsl::{PipelineInfo, Sidecar, TaskSettings};
use crate::wire::json::to_json;

/// A problem for each setting of task `name` that only KFP v2 (kfp 2 or
/// kfp-kubernetes) has, with the KFP v1 way.
pub(super) fn v2_only(name: &str, settings: &TaskSettings) -> Vec<String> {
    let mut problems = Vec::new();
    let v2_only = [
        (settings.node_selector_json.is_some(), "add_node_selector_json", "add_node_selector_constraint(key, value)"),
        (settings.node_affinity_json.is_some(), "add_node_affinity_json", "add_affinity(Affinity { .. })"),
        (
            !settings.tolerations_json.is_empty(),
            "add_toleration_json with a pipeline value",
            "add_toleration(Toleration { .. }) with constants",
        ),
        (
            settings.accelerator_type.is_some() || settings.accelerator_limit.is_some(),
            "set_accelerator_type/set_accelerator_limit",
            "set_gpu_limit_for_vendor(count, vendor) and add_node_selector_constraint(key, accelerator)",
        ),
        (
            !settings.image_pull_secrets.is_empty(),
            "set_image_pull_secrets",
            "get_pipeline_conf().set_image_pull_secrets([..]) for the whole pipeline",
        ),
    ];
    if settings.ignore_upstream_failure {
        problems.push(format!(
            "task `{name}` (ignore_upstream_failure): KFP v1 runs a task only when its upstream tasks succeed: \
             compile for KFP v2 (`Target::V2`), or for KFP v1 make it the exit task of an `exit_handler` around them"
        ));
    }
    problems.extend((v2_only.into_iter()).filter(|(set, _, _)| *set).map(|(_, setter, v1_way)| {
        format!(
            "task `{name}` ({setter}): a setting only KFP v2 reads (kfp 2's or kfp-kubernetes'): compile for \
             KFP v2 (`Target::V2`), or for KFP v1 use {v1_way}"
        )
    }));
    problems
}

/// A problem for each pipeline setting only KFP v2 has, with the KFP v1 way.
pub(super) fn v2_only_pipeline(info: &PipelineInfo) -> Vec<String> {
    let v2_only = [
        (info.display_name.is_some(), "display_name", "KFP v1 shows the pipeline's `name`"),
        (
            info.pipeline_root.is_some(),
            "pipeline_root",
            "KFP v1 keeps artifacts in the artifact repository the cluster configures",
        ),
    ];
    (v2_only.into_iter())
        .filter(|(set, _, _)| *set)
        .map(|(_, key, v1_way)| {
            format!("`#[pipeline({key} = ..)]` is KFP v2's: compile for KFP v2 (`Target::V2`), or remove it: {v1_way}")
        })
        .collect()
}

/// Writes `settings` into `template`, a task template whose metadata already
/// holds the annotations and labels every task has.
pub(super) fn apply(settings: &TaskSettings, template: &mut Template) {
    let metadata = &mut template.metadata;
    let text = |(key, value): (&String, &String)| (Text::from(key.as_str()), Text::from(value.as_str()));
    metadata.annotations.extend(settings.pod_annotations.iter().map(text));
    metadata.labels.extend(settings.pod_labels.iter().map(text));
    if let Some(display_name) = &settings.display_name {
        metadata.annotations.insert("pipelines.kubeflow.org/task_display_name".into(), display_name.as_str().into());
    }
    if let Some(staleness) = &settings.max_cache_staleness {
        metadata.annotations.insert("pipelines.kubeflow.org/max_cache_staleness".into(), staleness.as_str().into());
    }
    let caching = if settings.caching.unwrap_or(true) { shared::yes() } else { shared::no() };
    metadata.labels.insert(shared::enable_caching_key(), caching);
    if settings.is_default() {
        return;
    }

    if let Some(container) = template.container.as_mut() {
        if !settings.requests.is_empty() || !settings.limits.is_empty() {
            container.resources = Some(ResourceRequirements {
                requests: quantities(&settings.requests),
                limits: quantities(&settings.limits),
                ..ResourceRequirements::default()
            });
        }
        let mut env = container.env.take().unwrap_or_default();
        // A task setting replaces the component's variable of the same name.
        env.retain(|var| !settings.env.iter().any(|set| set.name == var.name));
        env.extend(settings.env.iter().cloned());
        if settings.pod_labels.get("add-pod-env").is_some_and(|value| value == "true") {
            env.extend(pod_env());
        }
        container.env = (!env.is_empty()).then_some(env);
        if !settings.env_from.is_empty() {
            container.env_from.get_or_insert_with(Vec::new).extend(settings.env_from.iter().cloned());
        }
        if !settings.volume_mounts.is_empty() {
            container.volume_mounts.get_or_insert_with(Vec::new).extend(settings.volume_mounts.iter().cloned());
        }
        if settings.image_pull_policy.is_some() {
            container.image_pull_policy = settings.image_pull_policy.clone();
        }
        if settings.security_context.is_some() {
            container.security_context = settings.security_context.clone();
        }
    }
    if !settings.node_selector.is_empty() {
        template.node_selector.get_or_insert_with(BTreeMap::new).extend(settings.node_selector.clone());
    }
    template.tolerations.extend(settings.tolerations.iter().cloned());
    if settings.affinity.is_some() {
        template.affinity = settings.affinity.clone();
    }
    template.retry_strategy = settings.retry.as_ref().map(|retry| {
        Box::new(RetryStrategy {
            limit: Some(IntOrString::Int(retry.limit.min(i32::MAX as u32) as i32)),
            retry_policy: retry.policy.clone(),
            backoff: retry.backoff_duration.as_ref().map(|duration| Backoff {
                duration: Some(duration.clone()),
                factor: retry.backoff_factor.map(|factor| IntOrString::Int(factor.min(i32::MAX as u32) as i32)),
                max_duration: retry.backoff_max_duration.clone(),
                ..Backoff::default()
            }),
            ..RetryStrategy::default()
        })
    });
    template.active_deadline_seconds =
        settings.timeout_seconds.map(|seconds| IntOrString::Int(seconds.min(i32::MAX as u64) as i32));
    template.init_containers.extend(settings.init_containers.iter().map(user_container));
    template.sidecars.extend(settings.sidecars.iter().map(user_container));
    if !settings.volumes.is_empty() {
        template.volumes.extend(settings.volumes.iter().cloned());
        template.volumes.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// A sidecar or init container as Argo's `UserContainer`: a Kubernetes container
/// (every field named, so a field Kubernetes adds is a compile error here, not
/// one dropped) and `mirrorVolumeMounts`.
fn user_container(sidecar: &Sidecar) -> UserContainer {
    let Container {
        args,
        command,
        env,
        env_from,
        image,
        image_pull_policy,
        lifecycle,
        liveness_probe,
        name,
        ports,
        readiness_probe,
        resize_policy,
        resources,
        restart_policy,
        security_context,
        startup_probe,
        stdin,
        stdin_once,
        termination_message_path,
        termination_message_policy,
        tty,
        volume_devices,
        volume_mounts,
        working_dir,
    } = sidecar.container.clone();
    UserContainer {
        name,
        mirror_volume_mounts: sidecar.mirror_volume_mounts,
        args,
        command: command.map(|command| command.into_iter().map(Text::from).collect()),
        env,
        env_from,
        image,
        image_pull_policy,
        lifecycle: lifecycle.map(Box::new),
        liveness_probe: liveness_probe.map(Box::new),
        ports,
        readiness_probe: readiness_probe.map(Box::new),
        resize_policy,
        resources,
        restart_policy,
        security_context: security_context.map(Box::new),
        startup_probe: startup_probe.map(Box::new),
        stdin,
        stdin_once,
        termination_message_path,
        termination_message_policy,
        tty,
        volume_devices,
        volume_mounts,
        working_dir,
    }
}

/// An Argo `UserContainer`, which the task and container op setters took before the
/// dsl had [`Sidecar`], still sets one.
impl From<UserContainer> for Sidecar {
    fn from(user: UserContainer) -> Self {
        let UserContainer {
            name,
            mirror_volume_mounts,
            args,
            command,
            env,
            env_from,
            image,
            image_pull_policy,
            lifecycle,
            liveness_probe,
            ports,
            readiness_probe,
            resize_policy,
            resources,
            restart_policy,
            security_context,
            startup_probe,
            stdin,
            stdin_once,
            termination_message_path,
            termination_message_policy,
            tty,
            volume_devices,
            volume_mounts,
            working_dir,
        } = user;
        let container = Container {
            name,
            args,
            command: command.map(|command| command.into_iter().map(String::from).collect()),
            env,
            env_from,
            image,
            image_pull_policy,
            lifecycle: lifecycle.map(|boxed| *boxed),
            liveness_probe: liveness_probe.map(|boxed| *boxed),
            ports,
            readiness_probe: readiness_probe.map(|boxed| *boxed),
            resize_policy,
            resources,
            restart_policy,
            security_context: security_context.map(|boxed| *boxed),
            startup_probe: startup_probe.map(|boxed| *boxed),
            stdin,
            stdin_once,
            termination_message_path,
            termination_message_policy,
            tty,
            volume_devices,
            volume_mounts,
            working_dir,
        };
        Sidecar { container, mirror_volume_mounts }
    }
}

/// Moves the resource amounts and node-selector constraints that are pipeline
/// values (resolved to `{{inputs.parameters...}}`) into the template's
/// `podSpecPatch`, as kfp's `_op_to_template` does: Kubernetes reads a resource
/// amount as a quantity when Argo loads the Workflow, before any value is filled
/// in, while Argo fills in the patch first. kfp moves an amount only of `cpu`,
/// `memory`, `ephemeral-storage`, the GPUs or a resource named by a value; this
/// moves every amount that is a value, since one left in `resources` cannot run.
/// What is moved out leaves an empty `resources`/`nodeSelector` behind, as in kfp.
pub(super) fn patch_run_time_values(template: &mut Template) -> Result<(), String> {
    let mut node_selector = BTreeMap::new();
    if let Some(selector) = template.node_selector.as_mut() {
        let (moved, kept) = std::mem::take(selector)
            .into_iter()
            .partition(|(key, value): &(String, String)| is_run_time_value(key) || is_run_time_value(value));
        node_selector = moved;
        *selector = kept;
    }
    let mut resources = BTreeMap::new();
    if let Some(container_resources) = template.container.as_mut().and_then(|container| container.resources.as_mut()) {
        for (setting, amounts) in
            [("limits", &mut container_resources.limits), ("requests", &mut container_resources.requests)]
        {
            let Some(map) = amounts.as_mut() else { continue };
            let (moved, kept): (BTreeMap<_, _>, BTreeMap<_, _>) = std::mem::take(map)
                .into_iter()
                .partition(|(name, Quantity(amount))| is_run_time_value(name) || is_run_time_value(amount));
            if !moved.is_empty() {
                resources.insert(setting, moved);
            }
            *amounts = (!kept.is_empty()).then_some(kept);
        }
    }
    // kfp writes the node selector first, then the main container.
    let mut parts = Vec::new();
    if !node_selector.is_empty() {
        parts.push(format!("\"nodeSelector\": {}", to_json(&node_selector)?));
    }
    if !resources.is_empty() {
        parts.push(format!("\"containers\": [{{\"name\": \"main\", \"resources\": {}}}]", to_json(&resources)?));
    }
    if !parts.is_empty() {
        template.pod_spec_patch = Some(format!("{{{}}}", parts.join(", ")));
    }
    Ok(())
}

/// kfp's test for a setting that is a pipeline value: `^{{inputs.parameters.*}}$`.
fn is_run_time_value(text: &str) -> bool {
    text.starts_with("{{inputs.parameters.") && text.ends_with("}}")
}

fn quantities(map: &BTreeMap<String, String>) -> Option<BTreeMap<String, Quantity>> {
    (!map.is_empty()).then(|| map.iter().map(|(key, value)| (key.clone(), Quantity(value.clone()))).collect())
}

/// What kfp's `add_pod_env` gives a pod labelled `add-pod-env: "true"`.
fn pod_env() -> impl Iterator<Item = EnvVar> {
    [
        ("KFP_POD_NAME", "metadata.name"),
        ("KFP_POD_UID", "metadata.uid"),
        ("KFP_NAMESPACE", "metadata.namespace"),
        ("WORKFLOW_ID", "metadata.labels['workflows.argoproj.io/workflow']"),
        ("KFP_RUN_ID", "metadata.labels['pipeline/runid']"),
        ("ENABLE_CACHING", "metadata.labels['pipelines.kubeflow.org/enable_caching']"),
    ]
    .into_iter()
    .map(|(name, field_path)| EnvVar {
        name: name.to_owned(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                field_path: field_path.to_owned(),
                ..ObjectFieldSelector::default()
            }),
            ..EnvVarSource::default()
        }),
        ..EnvVar::default()
    })
}
