//! `PipelineDeploymentConfig`: the executors (containers, importers, resolvers) of the components.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::dag::ValueOrRuntimeParameter;
use super::proto::{double, int32, int64, is_default};
use super::types::ArtifactTypeSchema;

/// `ml_pipelines.PipelineDeploymentConfig`: `PipelineSpec.deploymentSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentSpec {
    /// Executors by label (`exec-...`), the `executorLabel` of components.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub executors: BTreeMap<String, ExecutorSpec>,
}

/// `PipelineDeploymentConfig.ExecutorSpec`: one of its fields is set.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecutorSpec {
    /// oneof `spec`: starts a container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<PipelineContainerSpec>,
    /// oneof `spec`: imports an artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importer: Option<ImporterSpec>,
    /// oneof `spec`: finds artifacts in ML Metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolver: Option<ResolverSpec>,
    /// oneof `spec`, deprecated: a Google Cloud AI Platform custom job.
    #[serde(alias = "custom_job", default, skip_serializing_if = "Option::is_none")]
    pub custom_job: Option<CustomJobSpec>,
}

/// `PipelineDeploymentConfig.PipelineContainerSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PipelineContainerSpec {
    /// The image.
    #[serde(default, skip_serializing_if = "is_default")]
    pub image: String,
    /// The entrypoint (the image's when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Its arguments, with `{{$.inputs...}}` placeholders.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Hooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
    /// CPU, memory and accelerators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceSpec>,
    /// Environment variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
}

/// `PipelineContainerSpec.Lifecycle`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Lifecycle {
    /// Runs before the cache is checked.
    #[serde(alias = "pre_cache_check", default, skip_serializing_if = "Option::is_none")]
    pub pre_cache_check: Option<Exec>,
}

/// `PipelineContainerSpec.Lifecycle.Exec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Exec {
    /// The command.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Its arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
}

/// `PipelineContainerSpec.ResourceSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceSpec {
    /// Deprecated: use `resourceCpuLimit`.
    #[serde(alias = "cpu_limit", default, with = "double", skip_serializing_if = "is_default")]
    pub cpu_limit: f64,
    /// Deprecated (GB): use `resourceMemoryLimit`.
    #[serde(alias = "memory_limit", default, with = "double", skip_serializing_if = "is_default")]
    pub memory_limit: f64,
    /// Deprecated: use `resourceCpuRequest`.
    #[serde(alias = "cpu_request", default, with = "double", skip_serializing_if = "is_default")]
    pub cpu_request: f64,
    /// Deprecated (GB): use `resourceMemoryRequest`.
    #[serde(alias = "memory_request", default, with = "double", skip_serializing_if = "is_default")]
    pub memory_request: f64,
    /// CPU limit, a quantity or a placeholder.
    #[serde(alias = "resource_cpu_limit", default, skip_serializing_if = "is_default")]
    pub resource_cpu_limit: String,
    /// Memory limit, a quantity or a placeholder.
    #[serde(alias = "resource_memory_limit", default, skip_serializing_if = "is_default")]
    pub resource_memory_limit: String,
    /// CPU request, a quantity or a placeholder.
    #[serde(alias = "resource_cpu_request", default, skip_serializing_if = "is_default")]
    pub resource_cpu_request: String,
    /// Memory request, a quantity or a placeholder.
    #[serde(alias = "resource_memory_request", default, skip_serializing_if = "is_default")]
    pub resource_memory_request: String,
    /// Accelerators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accelerator: Option<AcceleratorConfig>,
}

/// `ResourceSpec.AcceleratorConfig`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AcceleratorConfig {
    /// Deprecated: use `resourceType`.
    #[serde(default, rename = "type", skip_serializing_if = "is_default")]
    pub accelerator_type: String,
    /// Deprecated: use `resourceCount`.
    #[serde(default, with = "int64", skip_serializing_if = "is_default")]
    pub count: i64,
    /// The accelerator (`nvidia.com/gpu`), or a placeholder.
    #[serde(alias = "resource_type", default, skip_serializing_if = "is_default")]
    pub resource_type: String,
    /// How many, or a placeholder.
    #[serde(alias = "resource_count", default, skip_serializing_if = "is_default")]
    pub resource_count: String,
}

/// `PipelineContainerSpec.EnvVar`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvVar {
    /// The variable.
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: String,
    /// Its value.
    #[serde(default, skip_serializing_if = "is_default")]
    pub value: String,
}

/// `PipelineDeploymentConfig.ImporterSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImporterSpec {
    /// The artifact's URI.
    #[serde(alias = "artifact_uri", default, skip_serializing_if = "Option::is_none")]
    pub artifact_uri: Option<ValueOrRuntimeParameter>,
    /// The artifact's type.
    #[serde(alias = "type_schema", default, skip_serializing_if = "Option::is_none")]
    pub type_schema: Option<ArtifactTypeSchema>,
    /// Deprecated: use `metadata`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, ValueOrRuntimeParameter>,
    /// Deprecated: use `metadata`.
    #[serde(alias = "custom_properties", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom_properties: BTreeMap<String, ValueOrRuntimeParameter>,
    /// Import again even when imported before.
    #[serde(default, skip_serializing_if = "is_default")]
    pub reimport: bool,
    /// The artifact's properties (`google.protobuf.Struct`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// Download the artifact into the pipeline's workspace.
    #[serde(alias = "download_to_workspace", default, skip_serializing_if = "is_default")]
    pub download_to_workspace: bool,
}

/// `PipelineDeploymentConfig.ResolverSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResolverSpec {
    /// A query per output artifact.
    #[serde(alias = "output_artifact_queries", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub output_artifact_queries: BTreeMap<String, ArtifactQuerySpec>,
}

/// `ResolverSpec.ArtifactQuerySpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArtifactQuerySpec {
    /// The filter.
    #[serde(default, skip_serializing_if = "is_default")]
    pub filter: String,
    /// At most this many (1 when 0).
    #[serde(default, with = "int32", skip_serializing_if = "is_default")]
    pub limit: i32,
}

/// `PipelineDeploymentConfig.AIPlatformCustomJobSpec` (deprecated).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CustomJobSpec {
    /// The CustomJob (`google.protobuf.Struct`).
    #[serde(alias = "custom_job", default, skip_serializing_if = "Option::is_none")]
    pub custom_job: Option<serde_json::Map<String, serde_json::Value>>,
}
