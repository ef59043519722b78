//! `DagSpec`: a graph component's tasks, their inputs, and the graph's outputs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::proto::{double, int32, int64, is_default, present_value};

/// `ml_pipelines.DagSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DagSpec {
    /// The tasks by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tasks: BTreeMap<String, PipelineTaskSpec>,
    /// Which tasks' outputs are the graph's outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outputs: Option<DagOutputsSpec>,
}

/// `ml_pipelines.DagOutputsSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DagOutputsSpec {
    /// Output artifacts by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub artifacts: BTreeMap<String, DagOutputArtifactSpec>,
    /// Output parameters by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, DagOutputParameterSpec>,
}

/// `DagOutputsSpec.DagOutputArtifactSpec`: the artifacts gathered into one output.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DagOutputArtifactSpec {
    /// The subtasks' outputs.
    #[serde(alias = "artifact_selectors", default, skip_serializing_if = "Vec::is_empty")]
    pub artifact_selectors: Vec<ArtifactSelectorSpec>,
}

/// `DagOutputsSpec.ArtifactSelectorSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArtifactSelectorSpec {
    /// The subtask.
    #[serde(alias = "producer_subtask", default, skip_serializing_if = "is_default")]
    pub producer_subtask: String,
    /// Its output artifact.
    #[serde(alias = "output_artifact_key", default, skip_serializing_if = "is_default")]
    pub output_artifact_key: String,
}

/// `DagOutputsSpec.DagOutputParameterSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DagOutputParameterSpec {
    /// oneof `kind`: one subtask's output.
    #[serde(alias = "value_from_parameter", default, skip_serializing_if = "Option::is_none")]
    pub value_from_parameter: Option<ParameterSelectorSpec>,
    /// oneof `kind`: the one output that was produced (branches of a condition).
    #[serde(alias = "value_from_oneof", default, skip_serializing_if = "Option::is_none")]
    pub value_from_oneof: Option<ParameterSelectorsSpec>,
}

/// `DagOutputsSpec.ParameterSelectorSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParameterSelectorSpec {
    /// The subtask.
    #[serde(alias = "producer_subtask", default, skip_serializing_if = "is_default")]
    pub producer_subtask: String,
    /// Its output parameter.
    #[serde(alias = "output_parameter_key", default, skip_serializing_if = "is_default")]
    pub output_parameter_key: String,
}

/// `DagOutputsSpec.ParameterSelectorsSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParameterSelectorsSpec {
    /// The candidates.
    #[serde(alias = "parameter_selectors", default, skip_serializing_if = "Vec::is_empty")]
    pub parameter_selectors: Vec<ParameterSelectorSpec>,
}

/// `ml_pipelines.PipelineTaskSpec`: one task of a DAG.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PipelineTaskSpec {
    /// The task's display name.
    #[serde(alias = "task_info", default, skip_serializing_if = "Option::is_none")]
    pub task_info: Option<PipelineTaskInfo>,
    /// Where each input comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<TaskInputsSpec>,
    /// Tasks that must end first (besides those whose outputs are inputs).
    #[serde(alias = "dependent_tasks", default, skip_serializing_if = "Vec::is_empty")]
    pub dependent_tasks: Vec<String>,
    /// Caching.
    #[serde(alias = "caching_options", default, skip_serializing_if = "Option::is_none")]
    pub caching_options: Option<CachingOptions>,
    /// The component the task runs (a key of `components`).
    #[serde(alias = "component_ref", default, skip_serializing_if = "Option::is_none")]
    pub component_ref: Option<ComponentRef>,
    /// When the task runs.
    #[serde(alias = "trigger_policy", default, skip_serializing_if = "Option::is_none")]
    pub trigger_policy: Option<TriggerPolicy>,
    /// oneof `iterator`: one run per artifact of a list.
    #[serde(alias = "artifact_iterator", default, skip_serializing_if = "Option::is_none")]
    pub artifact_iterator: Option<ArtifactIteratorSpec>,
    /// oneof `iterator`: one run per item of a JSON list.
    #[serde(alias = "parameter_iterator", default, skip_serializing_if = "Option::is_none")]
    pub parameter_iterator: Option<ParameterIteratorSpec>,
    /// Retries.
    #[serde(alias = "retry_policy", default, skip_serializing_if = "Option::is_none")]
    pub retry_policy: Option<RetryPolicy>,
    /// Parallelism of an iterator.
    #[serde(alias = "iterator_policy", default, skip_serializing_if = "Option::is_none")]
    pub iterator_policy: Option<IteratorPolicy>,
}

/// `ml_pipelines.PipelineTaskInfo`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PipelineTaskInfo {
    /// The display name.
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: String,
}

/// `ml_pipelines.ComponentRef`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentRef {
    /// The key in `PipelineSpec.components`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: String,
}

/// `PipelineTaskSpec.CachingOptions`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CachingOptions {
    /// Reuse an earlier run's outputs.
    #[serde(alias = "enable_cache", default, skip_serializing_if = "is_default")]
    pub enable_cache: bool,
    /// A cache key of the user's, instead of the inputs'.
    #[serde(alias = "cache_key", default, skip_serializing_if = "is_default")]
    pub cache_key: String,
}

/// `PipelineTaskSpec.TriggerPolicy`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriggerPolicy {
    /// A CEL condition on the inputs.
    #[serde(default, skip_serializing_if = "is_default")]
    pub condition: String,
    /// Which upstream ends let the task start.
    #[serde(default, skip_serializing_if = "is_default")]
    pub strategy: TriggerStrategy,
}

/// `PipelineTaskSpec.TriggerPolicy.TriggerStrategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TriggerStrategy {
    /// Not set: as `AllUpstreamTasksSucceeded`.
    #[default]
    TriggerStrategyUnspecified,
    /// Every upstream task succeeded.
    AllUpstreamTasksSucceeded,
    /// Every upstream task ended (an exit handler).
    AllUpstreamTasksCompleted,
}

/// `PipelineTaskSpec.RetryPolicy`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryPolicy {
    /// Retries before the task fails.
    #[serde(alias = "max_retry_count", default, with = "int32", skip_serializing_if = "is_default")]
    pub max_retry_count: i32,
    /// The first wait (`google.protobuf.Duration`, as `"30s"`).
    #[serde(alias = "backoff_duration", default, skip_serializing_if = "Option::is_none")]
    pub backoff_duration: Option<String>,
    /// The wait's growth factor.
    #[serde(alias = "backoff_factor", default, with = "double", skip_serializing_if = "is_default")]
    pub backoff_factor: f64,
    /// The longest wait (`google.protobuf.Duration`).
    #[serde(alias = "backoff_max_duration", default, skip_serializing_if = "Option::is_none")]
    pub backoff_max_duration: Option<String>,
}

/// `PipelineTaskSpec.IteratorPolicy`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IteratorPolicy {
    /// Iterations at once (0: all).
    #[serde(alias = "parallelism_limit", default, with = "int32", skip_serializing_if = "is_default")]
    pub parallelism_limit: i32,
}

/// `ml_pipelines.ArtifactIteratorSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArtifactIteratorSpec {
    /// The list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<ArtifactItemsSpec>,
    /// The input artifact each iteration's item is passed as.
    #[serde(alias = "item_input", default, skip_serializing_if = "is_default")]
    pub item_input: String,
}

/// `ArtifactIteratorSpec.ItemsSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArtifactItemsSpec {
    /// The task's input artifact holding the list.
    #[serde(alias = "input_artifact", default, skip_serializing_if = "is_default")]
    pub input_artifact: String,
}

/// `ml_pipelines.ParameterIteratorSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParameterIteratorSpec {
    /// The list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<ParameterItemsSpec>,
    /// The input parameter each iteration's item is passed as.
    #[serde(alias = "item_input", default, skip_serializing_if = "is_default")]
    pub item_input: String,
}

/// `ParameterIteratorSpec.ItemsSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParameterItemsSpec {
    /// oneof `kind`: the list as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// oneof `kind`: the task's input parameter holding the list.
    #[serde(alias = "input_parameter", default, skip_serializing_if = "Option::is_none")]
    pub input_parameter: Option<String>,
}

/// `ml_pipelines.TaskInputsSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskInputsSpec {
    /// Input parameters by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, InputParameterSpec>,
    /// Input artifacts by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub artifacts: BTreeMap<String, InputArtifactSpec>,
}

/// `TaskInputsSpec.InputParameterSpec`: where a parameter comes from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InputParameterSpec {
    /// oneof `kind`: an upstream task's output.
    #[serde(alias = "task_output_parameter", default, skip_serializing_if = "Option::is_none")]
    pub task_output_parameter: Option<TaskOutputParameterSpec>,
    /// oneof `kind`: a constant or runtime parameter.
    #[serde(alias = "runtime_value", default, skip_serializing_if = "Option::is_none")]
    pub runtime_value: Option<ValueOrRuntimeParameter>,
    /// oneof `kind`: the parent component's input.
    #[serde(alias = "component_input_parameter", default, skip_serializing_if = "Option::is_none")]
    pub component_input_parameter: Option<String>,
    /// oneof `kind`: an upstream task's final status.
    #[serde(alias = "task_final_status", default, skip_serializing_if = "Option::is_none")]
    pub task_final_status: Option<TaskFinalStatus>,
    /// A CEL expression applied to the value.
    #[serde(alias = "parameter_expression_selector", default, skip_serializing_if = "is_default")]
    pub parameter_expression_selector: String,
}

/// `InputParameterSpec.TaskOutputParameterSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskOutputParameterSpec {
    /// The upstream task.
    #[serde(alias = "producer_task", default, skip_serializing_if = "is_default")]
    pub producer_task: String,
    /// Its output parameter.
    #[serde(alias = "output_parameter_key", default, skip_serializing_if = "is_default")]
    pub output_parameter_key: String,
}

/// `InputParameterSpec.TaskFinalStatus`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskFinalStatus {
    /// The upstream task.
    #[serde(alias = "producer_task", default, skip_serializing_if = "is_default")]
    pub producer_task: String,
}

/// `TaskInputsSpec.InputArtifactSpec`: where an artifact comes from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InputArtifactSpec {
    /// oneof `kind`: an upstream task's output.
    #[serde(alias = "task_output_artifact", default, skip_serializing_if = "Option::is_none")]
    pub task_output_artifact: Option<TaskOutputArtifactSpec>,
    /// oneof `kind`: the parent component's input.
    #[serde(alias = "component_input_artifact", default, skip_serializing_if = "Option::is_none")]
    pub component_input_artifact: Option<String>,
}

/// `InputArtifactSpec.TaskOutputArtifactSpec`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskOutputArtifactSpec {
    /// The upstream task.
    #[serde(alias = "producer_task", default, skip_serializing_if = "is_default")]
    pub producer_task: String,
    /// Its output artifact.
    #[serde(alias = "output_artifact_key", default, skip_serializing_if = "is_default")]
    pub output_artifact_key: String,
}

/// `ml_pipelines.ValueOrRuntimeParameter`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValueOrRuntimeParameter {
    /// oneof `value`, deprecated: use `constant`.
    #[serde(alias = "constant_value", default, skip_serializing_if = "Option::is_none")]
    pub constant_value: Option<ProtoValue>,
    /// oneof `value`: the parent component's input parameter.
    #[serde(alias = "runtime_parameter", default, skip_serializing_if = "Option::is_none")]
    pub runtime_parameter: Option<String>,
    /// oneof `value`: a constant (`google.protobuf.Value`).
    #[serde(default, deserialize_with = "present_value", skip_serializing_if = "Option::is_none")]
    pub constant: Option<serde_json::Value>,
}

/// `ml_pipelines.Value` (deprecated, in `constantValue`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProtoValue {
    /// oneof `value`.
    #[serde(alias = "int_value", default, with = "int64::opt", skip_serializing_if = "Option::is_none")]
    pub int_value: Option<i64>,
    /// oneof `value`.
    #[serde(alias = "double_value", default, with = "double::opt", skip_serializing_if = "Option::is_none")]
    pub double_value: Option<f64>,
    /// oneof `value`.
    #[serde(alias = "string_value", default, skip_serializing_if = "Option::is_none")]
    pub string_value: Option<String>,
}
