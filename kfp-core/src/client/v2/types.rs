//! The KFP v2beta1 API's JSON messages (`definitions` of the v2beta1
//! `kfp_api_single_file.swagger.json`), with the API's snake_case field names.
//!
//! As for v1beta1: every field is optional (proto3 JSON leaves out empty
//! fields), a request sends only what is set, unknown fields in answers are
//! ignored, times are RFC 3339 text. A pipeline spec (the IR) travels as JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::types::list_response;
pub use crate::client::types::{Page, Url};

/// `v2beta1GetHealthzResponse`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Healthz {
    /// Whether the cluster runs KFP in multi-user mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_user: Option<bool>,
    /// Where pipelines are stored: `database` or `kubernetes`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_store: Option<String>,
}

/// `googleRpcStatus`: an error the server reports inside an answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RpcStatus {
    /// gRPC status code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i32>,
    /// The message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Details (`protobufAny` messages), as sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Value>,
}

/// `v2beta1Pipeline`: an uploaded pipeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Pipeline {
    /// Unique ID, set by the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_id: Option<String>,
    /// Name shown in the UI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Name (unique in its namespace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Creation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// The namespace it belongs to (multi-user clusters; shared when empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Set when the server could not read this pipeline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RpcStatus>,
    /// User-defined tags.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// `v2beta1PipelineVersion`: one version of a pipeline, with its pipeline spec.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineVersion {
    /// The pipeline it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_id: Option<String>,
    /// Unique ID, set by the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_version_id: Option<String>,
    /// Name shown in the UI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Version name (unique within the pipeline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Creation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Where its package was read from (versions created by URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_url: Option<Url>,
    /// Where its code lives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_source_url: Option<String>,
    /// The pipeline spec (IR), or `{pipeline_spec, platform_spec}` when it has a platform spec.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_spec: Option<Value>,
    /// Set when the server could not read this version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RpcStatus>,
    /// User-defined tags.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// `v2beta1Experiment`: a group of runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Experiment {
    /// Unique ID, set by the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experiment_id: Option<String>,
    /// Name (unique in its namespace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Creation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Its namespace (multi-user clusters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Available or archived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_state: Option<StorageState>,
    /// When its last run was created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_run_created_at: Option<String>,
}

/// `v2beta1ExperimentStorageState` and `v2beta1RunStorageState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StorageState {
    /// Available.
    #[serde(rename = "AVAILABLE")]
    Available,
    /// Archived.
    #[serde(rename = "ARCHIVED")]
    Archived,
    /// Not set (also any state this client does not know).
    #[serde(rename = "STORAGE_STATE_UNSPECIFIED", other)]
    Unspecified,
}

/// `v2beta1Run`: one execution of a pipeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Run {
    /// The experiment it belongs to (the default experiment when not given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experiment_id: Option<String>,
    /// Unique ID, set by the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// Name (not unique).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Available or archived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_state: Option<StorageState>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Deprecated by the API for `pipeline_version_reference`; still sent by older servers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_version_id: Option<String>,
    /// The pipeline spec run, given inline instead of an uploaded version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_spec: Option<Value>,
    /// The uploaded pipeline (and version) run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_version_reference: Option<PipelineVersionReference>,
    /// Parameter values and the pipeline root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_config: Option<RuntimeConfig>,
    /// Kubernetes service account of the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// Creation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Scheduled start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<String>,
    /// End time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// Where the run is: `PENDING`, `RUNNING`, `SUCCEEDED`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<RuntimeState>,
    /// Set when the server could not read this run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RpcStatus>,
    /// Its tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_details: Option<RunDetails>,
    /// The recurring run that started it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recurring_run_id: Option<String>,
    /// Its states so far, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub state_history: Vec<RuntimeStatus>,
    /// Inputs of server plugins, by plugin name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub plugins_input: BTreeMap<String, Value>,
    /// Outputs of server plugins, by plugin name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub plugins_output: BTreeMap<String, PluginOutput>,
}

impl Run {
    /// The run's state as the API names it; `PENDING` before the backend has set one.
    pub fn state_name(&self) -> &'static str {
        match self.state {
            None | Some(RuntimeState::Unspecified) => RuntimeState::Pending.as_str(),
            Some(state) => state.as_str(),
        }
    }
}

/// `v2beta1PipelineVersionReference`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineVersionReference {
    /// The pipeline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_id: Option<String>,
    /// Its version (the latest when not given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_version_id: Option<String>,
}

/// `v2beta1RuntimeConfig`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuntimeConfig {
    /// Parameter values, typed as the pipeline declares them (`3`, `"text"`, `true`, `[1, 2]`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, Value>,
    /// Where outputs are written (`gs://...`, `minio://...`); the cluster's default when not given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_root: Option<String>,
}

/// `v2beta1RuntimeState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RuntimeState {
    /// Waiting to start.
    Pending,
    /// Running.
    Running,
    /// Finished successfully.
    Succeeded,
    /// Not run.
    Skipped,
    /// Finished with an error.
    Failed,
    /// Being stopped.
    Canceling,
    /// Stopped.
    Canceled,
    /// Paused.
    Paused,
    /// Not set (also any state this client does not know).
    #[serde(rename = "RUNTIME_STATE_UNSPECIFIED", other)]
    Unspecified,
}

impl RuntimeState {
    /// The API's name: `SUCCEEDED`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            RuntimeState::Pending => "PENDING",
            RuntimeState::Running => "RUNNING",
            RuntimeState::Succeeded => "SUCCEEDED",
            RuntimeState::Skipped => "SKIPPED",
            RuntimeState::Failed => "FAILED",
            RuntimeState::Canceling => "CANCELING",
            RuntimeState::Canceled => "CANCELED",
            RuntimeState::Paused => "PAUSED",
            RuntimeState::Unspecified => "RUNTIME_STATE_UNSPECIFIED",
        }
    }

    /// Whether a run in this state changes no more.
    pub fn is_finished(self) -> bool {
        matches!(self, RuntimeState::Succeeded | RuntimeState::Skipped | RuntimeState::Failed | RuntimeState::Canceled)
    }
}

/// `v2beta1RuntimeStatus`: one state of a run or task, and when it began.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuntimeStatus {
    /// When the state was entered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    /// The state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<RuntimeState>,
    /// The error of a failed state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RpcStatus>,
}

/// `v2beta1RunDetails`: a run's tasks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunDetails {
    /// ML Metadata context of the pipeline (an int64, as text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_context_id: Option<String>,
    /// ML Metadata context of the run (an int64, as text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_run_context_id: Option<String>,
    /// The tasks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub task_details: Vec<PipelineTaskDetail>,
}

/// `v2beta1PipelineTaskDetail`: one task of a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineTaskDetail {
    /// The run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// Task ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// The task's name in the pipeline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Creation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    /// Start time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// End time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// The Kubernetes jobs it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executor_detail: Option<PipelineTaskExecutorDetail>,
    /// Its state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<RuntimeState>,
    /// ML Metadata execution (an int64, as text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
    /// The error of a failed task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RpcStatus>,
    /// Input artifacts, by input name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub inputs: BTreeMap<String, ArtifactList>,
    /// Output artifacts, by output name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub outputs: BTreeMap<String, ArtifactList>,
    /// The task whose component holds this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_task_id: Option<String>,
    /// Its states so far.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub state_history: Vec<RuntimeStatus>,
    /// Its pod (Argo's node ID).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_name: Option<String>,
    /// The tasks it started.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub child_tasks: Vec<ChildTask>,
}

/// `v2beta1PipelineTaskExecutorDetail`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineTaskExecutorDetail {
    /// The job of the main container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main_job: Option<String>,
    /// The job of the cache check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_caching_check_job: Option<String>,
    /// Earlier failed main jobs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed_main_jobs: Vec<String>,
    /// Earlier failed cache-check jobs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed_pre_caching_check_jobs: Vec<String>,
}

/// `v2beta1ArtifactList`: ML Metadata artifact IDs (int64s, as text).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArtifactList {
    /// The IDs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub artifact_ids: Vec<String>,
}

/// `PipelineTaskDetailChildTask`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChildTask {
    /// Task ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// Its pod.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_name: Option<String>,
}

/// `v2beta1PluginOutput`: what a server plugin reports about a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PluginOutput {
    /// Values, by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub entries: BTreeMap<String, MetadataValue>,
    /// The plugin's state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<PluginState>,
    /// Its message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_message: Option<String>,
}

/// `v2beta1MetadataValue`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MetadataValue {
    /// The value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// How the UI shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub render_type: Option<RenderType>,
}

/// `MetadataValueRenderType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RenderType {
    /// A link.
    Url,
    /// Text (also any type this client does not know).
    #[serde(other)]
    Unspecified,
}

/// `v2beta1PluginState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PluginState {
    /// Running.
    #[serde(rename = "PLUGIN_RUNNING")]
    Running,
    /// Done.
    #[serde(rename = "PLUGIN_SUCCEEDED")]
    Succeeded,
    /// Failed.
    #[serde(rename = "PLUGIN_FAILED")]
    Failed,
    /// Not set (also any state this client does not know).
    #[serde(rename = "PLUGIN_STATE_UNSPECIFIED", other)]
    Unspecified,
}

list_response!(
    /// `v2beta1ListPipelinesResponse`.
    ListPipelinesResponse, pipelines: Pipeline
);
list_response!(
    /// `v2beta1ListPipelineVersionsResponse`.
    ListPipelineVersionsResponse, pipeline_versions: PipelineVersion
);
list_response!(
    /// `v2beta1ListExperimentsResponse`.
    ListExperimentsResponse, experiments: Experiment
);
list_response!(
    /// `v2beta1ListRunsResponse`.
    ListRunsResponse, runs: Run
);
