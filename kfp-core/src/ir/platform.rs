//! `PlatformSpec`: the second YAML document, with Kubernetes settings per executor.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::kubernetes::KubernetesExecutorConfig;
use super::proto::{int32, is_default};

/// The platform the KFP backend reads, the key of `PlatformSpec.platforms`.
pub const KUBERNETES: &str = "kubernetes";

/// `ml_pipelines.PlatformSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlatformSpec {
    /// Settings by platform ([`KUBERNETES`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub platforms: BTreeMap<String, SinglePlatformSpec>,
}

/// `ml_pipelines.SinglePlatformSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SinglePlatformSpec {
    /// Settings per executor.
    #[serde(alias = "deployment_spec", default, skip_serializing_if = "Option::is_none")]
    pub deployment_spec: Option<PlatformDeploymentConfig>,
    /// The platform's name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub platform: String,
    /// The platform's own configuration (`google.protobuf.Struct`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<serde_json::Map<String, serde_json::Value>>,
    /// Pipeline-wide settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline_config: Option<PipelineConfig>,
}

/// `ml_pipelines.PlatformDeploymentConfig`.
///
/// The proto types an executor's settings as a `Struct`, read by the platform; the only one
/// the KFP backend reads is kfp-kubernetes' `KubernetesExecutorConfig`, typed here.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlatformDeploymentConfig {
    /// Settings by executor label.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub executors: BTreeMap<String, KubernetesExecutorConfig>,
}

/// `ml_pipelines.PipelineConfig`: settings of the whole run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PipelineConfig {
    /// Seconds the finished run's Workflow is kept.
    #[serde(alias = "resource_ttl_on_completion", default, with = "int32", skip_serializing_if = "is_default")]
    pub resource_ttl_on_completion: i32,
    /// A volume shared by the run's tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<WorkspaceConfig>,
    /// Seconds a succeeded run's Workflow is kept.
    #[serde(alias = "resource_ttl_on_success", default, with = "int32", skip_serializing_if = "is_default")]
    pub resource_ttl_on_success: i32,
    /// Seconds a failed run's Workflow is kept.
    #[serde(alias = "resource_ttl_on_failure", default, with = "int32", skip_serializing_if = "is_default")]
    pub resource_ttl_on_failure: i32,
    /// Seconds the run may take.
    #[serde(alias = "active_deadline_seconds", default, with = "int32", skip_serializing_if = "is_default")]
    pub active_deadline_seconds: i32,
}

/// `ml_pipelines.WorkspaceConfig`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkspaceConfig {
    /// Its size, a Kubernetes quantity (`250Gi`).
    #[serde(default, skip_serializing_if = "is_default")]
    pub size: String,
    /// Kubernetes settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes: Option<KubernetesWorkspaceConfig>,
}

/// `ml_pipelines.KubernetesWorkspaceConfig`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubernetesWorkspaceConfig {
    /// Merged into the workspace claim's spec (`google.protobuf.Struct`).
    #[serde(alias = "pvc_spec_patch", default, skip_serializing_if = "Option::is_none")]
    pub pvc_spec_patch: Option<serde_json::Map<String, serde_json::Value>>,
}
