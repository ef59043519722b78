//! `PipelineSpec` and `ComponentSpec`: the pipeline, its components and their signatures.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::dag::{DagSpec, ValueOrRuntimeParameter};
use super::deployment::DeploymentSpec;
use super::platform::SinglePlatformSpec;
use super::proto::{is_default, present_value};
use super::types::{ArtifactTypeSchema, ParameterType, PrimitiveType};

/// `ml_pipelines.PipelineSpec`: the first YAML document of a pipeline (or component) file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PipelineSpec {
    /// The pipeline's name and description.
    #[serde(alias = "pipeline_info", default, skip_serializing_if = "Option::is_none")]
    pub pipeline_info: Option<PipelineInfo>,
    /// The executors of the components (a `Struct` in the proto; kfp writes
    /// `PipelineDeploymentConfig` there, and so does this model).
    #[serde(alias = "deployment_spec", default, skip_serializing_if = "Option::is_none")]
    pub deployment_spec: Option<DeploymentSpec>,
    /// The compiler that wrote the file (kfp: `kfp-2.17.3`).
    #[serde(alias = "sdk_version", default, skip_serializing_if = "is_default")]
    pub sdk_version: String,
    /// The IR version (kfp 2.17.3: `2.1.0`).
    #[serde(alias = "schema_version", default, skip_serializing_if = "is_default")]
    pub schema_version: String,
    /// Every component but the root, by name (`comp-...`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub components: BTreeMap<String, ComponentSpec>,
    /// The pipeline itself: its signature and DAG.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<ComponentSpec>,
    /// Where outputs go when the run names no root.
    #[serde(alias = "default_pipeline_root", default, skip_serializing_if = "is_default")]
    pub default_pipeline_root: String,
}

/// `ml_pipelines.PipelineInfo`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PipelineInfo {
    /// The pipeline's name (the key of its context in ML Metadata).
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: String,
    /// The name shown in the UI.
    #[serde(alias = "display_name", default, skip_serializing_if = "is_default")]
    pub display_name: String,
    /// The pipeline's description (its doc comment).
    #[serde(default, skip_serializing_if = "is_default")]
    pub description: String,
}

/// `ml_pipelines.ComponentSpec`: a signature and either a DAG or an executor.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentSpec {
    /// The inputs.
    #[serde(alias = "input_definitions", default, skip_serializing_if = "Option::is_none")]
    pub input_definitions: Option<ComponentInputsSpec>,
    /// The outputs.
    #[serde(alias = "output_definitions", default, skip_serializing_if = "Option::is_none")]
    pub output_definitions: Option<ComponentOutputsSpec>,
    /// oneof `implementation`: the tasks of a graph component.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dag: Option<DagSpec>,
    /// oneof `implementation`: the key of the executor in `deploymentSpec.executors`.
    #[serde(alias = "executor_label", default, skip_serializing_if = "Option::is_none")]
    pub executor_label: Option<String>,
    /// Platform-specific settings of the component.
    #[serde(alias = "single_platform_specs", default, skip_serializing_if = "Vec::is_empty")]
    pub single_platform_specs: Vec<SinglePlatformSpec>,
    /// Task settings passed through to a workload the component starts.
    #[serde(alias = "task_config_passthroughs", default, skip_serializing_if = "Vec::is_empty")]
    pub task_config_passthroughs: Vec<TaskConfigPassthrough>,
}

/// `ml_pipelines.ComponentInputsSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentInputsSpec {
    /// Input artifacts by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub artifacts: BTreeMap<String, InputArtifactDefinition>,
    /// Input parameters by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, InputParameterDefinition>,
}

/// `ComponentInputsSpec.ArtifactSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InputArtifactDefinition {
    /// The artifact's type.
    #[serde(alias = "artifact_type", default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<ArtifactTypeSchema>,
    /// A list of artifacts rather than one.
    #[serde(alias = "is_artifact_list", default, skip_serializing_if = "is_default")]
    pub is_artifact_list: bool,
    /// The task may leave it out.
    #[serde(alias = "is_optional", default, skip_serializing_if = "is_default")]
    pub is_optional: bool,
    /// What it is.
    #[serde(default, skip_serializing_if = "is_default")]
    pub description: String,
}

/// `ComponentInputsSpec.ParameterSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InputParameterDefinition {
    /// Deprecated type (`INT`, `DOUBLE`, `STRING`); kfp writes `parameterType`.
    #[serde(default, rename = "type", skip_serializing_if = "is_default")]
    pub primitive_type: PrimitiveType,
    /// The parameter's type.
    #[serde(alias = "parameter_type", default, skip_serializing_if = "is_default")]
    pub parameter_type: ParameterType,
    /// The default value (`google.protobuf.Value`).
    #[serde(
        alias = "default_value",
        default,
        deserialize_with = "present_value",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_value: Option<serde_json::Value>,
    /// The task may leave it out.
    #[serde(alias = "is_optional", default, skip_serializing_if = "is_default")]
    pub is_optional: bool,
    /// What it is.
    #[serde(default, skip_serializing_if = "is_default")]
    pub description: String,
    /// The only values accepted (a `Literal[...]` type), when not empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub literals: Vec<serde_json::Value>,
}

/// `ml_pipelines.ComponentOutputsSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentOutputsSpec {
    /// Output artifacts by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub artifacts: BTreeMap<String, OutputArtifactDefinition>,
    /// Output parameters by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, OutputParameterDefinition>,
}

/// `ComponentOutputsSpec.ArtifactSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutputArtifactDefinition {
    /// The artifact's type.
    #[serde(alias = "artifact_type", default, skip_serializing_if = "Option::is_none")]
    pub artifact_type: Option<ArtifactTypeSchema>,
    /// Deprecated: use `metadata`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, ValueOrRuntimeParameter>,
    /// Deprecated: use `metadata`.
    #[serde(alias = "custom_properties", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom_properties: BTreeMap<String, ValueOrRuntimeParameter>,
    /// The artifact's properties (`google.protobuf.Struct`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// A list of artifacts rather than one.
    #[serde(alias = "is_artifact_list", default, skip_serializing_if = "is_default")]
    pub is_artifact_list: bool,
    /// What it is.
    #[serde(default, skip_serializing_if = "is_default")]
    pub description: String,
}

/// `ComponentOutputsSpec.ParameterSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutputParameterDefinition {
    /// Deprecated type (`INT`, `DOUBLE`, `STRING`); kfp writes `parameterType`.
    #[serde(default, rename = "type", skip_serializing_if = "is_default")]
    pub primitive_type: PrimitiveType,
    /// The parameter's type.
    #[serde(alias = "parameter_type", default, skip_serializing_if = "is_default")]
    pub parameter_type: ParameterType,
    /// What it is.
    #[serde(default, skip_serializing_if = "is_default")]
    pub description: String,
}

/// `ml_pipelines.TaskConfigPassthrough`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskConfigPassthrough {
    /// What is passed through.
    #[serde(default, skip_serializing_if = "is_default")]
    pub field: TaskConfigPassthroughType,
    /// Also apply it to the task's own pod.
    #[serde(alias = "apply_to_task", default, skip_serializing_if = "is_default")]
    pub apply_to_task: bool,
}

/// `ml_pipelines.TaskConfigPassthroughType.TaskConfigPassthroughTypeEnum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskConfigPassthroughType {
    /// Not set.
    #[default]
    None,
    /// Resource requests and limits.
    Resources,
    /// Environment variables.
    Env,
    /// Node affinity.
    KubernetesAffinity,
    /// Tolerations.
    KubernetesTolerations,
    /// Node selector.
    KubernetesNodeSelector,
    /// Volumes (PVCs, config maps and secrets as volumes).
    KubernetesVolumes,
}
