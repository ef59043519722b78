//! Task settings (kfp's `ContainerOp` setters) written into a task's template.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{EnvVar, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::argo::{RetryStrategy, Template};
use crate::dsl::TaskSettings;

/// Writes `settings` into `template`, a container template whose metadata
/// already holds the annotations and labels every task has.
pub(super) fn apply(settings: &TaskSettings, template: &mut Template) {
    let annotations = &mut template.metadata.annotations;
    if let Some(display_name) = &settings.display_name {
        annotations.insert("pipelines.kubeflow.org/task_display_name".to_owned(), display_name.clone());
    }
    if let Some(staleness) = &settings.max_cache_staleness {
        annotations.insert("pipelines.kubeflow.org/max_cache_staleness".to_owned(), staleness.clone());
    }
    template
        .metadata
        .labels
        .insert("pipelines.kubeflow.org/enable_caching".to_owned(), settings.caching.unwrap_or(true).to_string());

    if let Some(container) = template.container.as_mut() {
        if !settings.requests.is_empty() || !settings.limits.is_empty() {
            container.resources = Some(ResourceRequirements {
                requests: quantities(&settings.requests),
                limits: quantities(&settings.limits),
                ..ResourceRequirements::default()
            });
        }
        if !settings.env.is_empty() {
            // After the component's own variables; a task setting replaces one of the same name.
            let mut env = container.env.take().unwrap_or_default();
            env.retain(|var| !settings.env.iter().any(|(name, _)| *name == var.name));
            env.extend(settings.env.iter().map(|(name, value)| EnvVar {
                name: name.clone(),
                value: Some(value.clone()),
                ..EnvVar::default()
            }));
            container.env = Some(env);
        }
    }
    template.retry_strategy = settings
        .retries
        .map(|limit| RetryStrategy { limit: Some(IntOrString::Int(limit as i32)), ..RetryStrategy::default() });
    template.active_deadline_seconds =
        settings.timeout_seconds.map(|seconds| IntOrString::Int(seconds.min(i32::MAX as u64) as i32));
    template.node_selector = settings.node_selector.clone();
}

fn quantities(map: &BTreeMap<String, String>) -> Option<BTreeMap<String, Quantity>> {
    (!map.is_empty()).then(|| map.iter().map(|(key, value)| (key.clone(), Quantity(value.clone()))).collect())
}
