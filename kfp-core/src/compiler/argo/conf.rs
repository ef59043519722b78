//! Pipeline-level settings (kfp's `PipelineConf`) written into the Workflow, as
//! kfp's `_create_pipeline_workflow` writes them.

use k8s_openapi::api::core::v1::LocalObjectReference;
use k8s_openapi::api::policy::v1::PodDisruptionBudgetSpec;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::volume_passing;
use crate::argo::{TtlStrategy, Workflow};
use crate::dsl::PipelineConf;

/// Writes `conf` into `workflow`; the error is a refused volume data passing.
pub(super) fn apply(conf: &PipelineConf, workflow: &mut Workflow) -> Result<(), String> {
    let spec = &mut workflow.spec;
    spec.active_deadline_seconds = conf.timeout_seconds.map(|seconds| seconds.min(i64::MAX as u64) as i64);
    spec.parallelism = conf.parallelism.map(i64::from);
    spec.ttl_strategy = conf.ttl_seconds_after_finished.map(|seconds| TtlStrategy {
        seconds_after_completion: Some(seconds.min(i32::MAX as u32) as i32),
        ..TtlStrategy::default()
    });
    spec.pod_disruption_budget = conf.pod_disruption_budget_min_available.as_ref().map(|min| PodDisruptionBudgetSpec {
        min_available: Some(match min.parse() {
            Ok(count) => IntOrString::Int(count),
            Err(_) => IntOrString::String(min.clone()),
        }),
        ..PodDisruptionBudgetSpec::default()
    });
    spec.image_pull_secrets =
        conf.image_pull_secrets.iter().map(|name| LocalObjectReference { name: name.clone() }).collect();
    spec.node_selector = conf.default_pod_node_selector.clone();
    spec.dns_config = conf.dns_config.clone();
    if let Some(policy) = &conf.image_pull_policy {
        for container in spec.templates.iter_mut().filter_map(|template| template.container.as_mut()) {
            if container.image_pull_policy.is_none() {
                container.image_pull_policy = Some(policy.clone());
            }
        }
    }
    if let Some(method) = &conf.data_passing_method {
        volume_passing::rewrite(workflow, method.volume.clone(), &method.path_prefix)?;
    }
    Ok(())
}
