//! The KFP v1beta1 API's JSON messages (`definitions` of
//! `kfp_api_single_file.swagger.json`), with the API's snake_case field names.
//!
//! Every field is optional, as in proto3 JSON: the server leaves out empty
//! fields, and a request sends only what is set. Unknown fields in answers are
//! ignored, so a newer server still works. Times are RFC 3339 text.

use serde::{Deserialize, Serialize};

/// `apiPipeline`: an uploaded pipeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Pipeline {
    /// Unique ID, set by the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Creation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Name (the file name when not given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The pipeline's parameters, with their defaults.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// Source URL (pipelines created by URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
    /// Set instead of the other fields when the server could not read this pipeline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The version used by default (the latest).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_version: Option<PipelineVersion>,
    /// The namespace it belongs to (multi-user clusters).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_references: Vec<ResourceReference>,
}

/// `apiPipelineVersion`: one version of a pipeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineVersion {
    /// Unique ID, set by the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Version name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Creation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Parameters of this version.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// Where its code lives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_source_url: Option<String>,
    /// Where its package lives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_url: Option<Url>,
    /// The pipeline it belongs to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_references: Vec<ResourceReference>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `apiUrl`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Url {
    /// The URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_url: Option<String>,
}

/// `apiParameter`: a pipeline parameter and its value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Parameter {
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Value, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Parameter {
    /// A parameter with a value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Parameter { name: Some(name.into()), value: Some(value.into()) }
    }
}

/// `apiExperiment`: a group of runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Experiment {
    /// Unique ID, set by the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Unique name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Creation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// The namespace it belongs to (multi-user clusters).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_references: Vec<ResourceReference>,
    /// Available or archived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_state: Option<ExperimentStorageState>,
}

/// `apiExperimentStorageState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExperimentStorageState {
    /// Available.
    #[serde(rename = "STORAGESTATE_AVAILABLE")]
    Available,
    /// Archived.
    #[serde(rename = "STORAGESTATE_ARCHIVED")]
    Archived,
    /// Not set (also any state this client does not know).
    #[serde(rename = "STORAGESTATE_UNSPECIFIED", other)]
    Unspecified,
}

/// `apiRun`: one execution of a pipeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Run {
    /// Unique ID, set by the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name (not unique).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Available or archived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_state: Option<RunStorageState>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What runs: an uploaded pipeline, or a Workflow given inline, and the parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_spec: Option<PipelineSpec>,
    /// The experiment (and pipeline version) it belongs to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_references: Vec<ResourceReference>,
    /// Kubernetes service account of the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// Creation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Scheduled time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduled_at: Option<String>,
    /// End time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// State: `Pending`, `Running`, `Succeeded`, `Skipped`, `Failed` or `Error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Set when the server could not read this run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Metrics the run reported.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<RunMetric>,
}

/// `apiRunStorageState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunStorageState {
    /// Archived.
    #[serde(rename = "STORAGESTATE_ARCHIVED")]
    Archived,
    /// Available (also any state this client does not know).
    #[serde(rename = "STORAGESTATE_AVAILABLE", other)]
    Available,
}

/// `apiPipelineSpec`: what a run executes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineSpec {
    /// An uploaded pipeline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_id: Option<String>,
    /// Its name (set by the server).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_name: Option<String>,
    /// A Workflow as JSON text, instead of an uploaded pipeline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow_manifest: Option<String>,
    /// A pipeline spec as JSON text (v2; not written by kfp-rs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_manifest: Option<String>,
    /// Parameter values (override the Workflow's defaults).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
}

/// `apiRunMetric`: a metric a run reported.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunMetric {
    /// Metric name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The node that reported it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_id: Option<String>,
    /// Value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_value: Option<f64>,
    /// `UNSPECIFIED`, `RAW` or `PERCENTAGE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

/// `apiResourceReference`: a link from one resource to another.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResourceReference {
    /// The resource referred to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<ResourceKey>,
    /// Its name (set by the server).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `OWNER` or `CREATOR`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relationship: Option<Relationship>,
}

impl ResourceReference {
    /// A reference to the resource `id` of type `kind`.
    pub fn new(kind: ResourceType, id: impl Into<String>, relationship: Relationship) -> Self {
        ResourceReference {
            key: Some(ResourceKey { kind: Some(kind), id: Some(id.into()) }),
            name: None,
            relationship: Some(relationship),
        }
    }
}

/// `apiResourceKey`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResourceKey {
    /// Type of the resource.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<ResourceType>,
    /// ID of the resource (the name, for a namespace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// `apiResourceType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ResourceType {
    /// An experiment.
    Experiment,
    /// A recurring run.
    Job,
    /// A pipeline.
    Pipeline,
    /// A pipeline version.
    PipelineVersion,
    /// A Kubernetes namespace.
    Namespace,
    /// Not set (also any type this client does not know).
    #[serde(other)]
    UnknownResourceType,
}

/// `apiRelationship`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Relationship {
    /// The referred resource owns this one.
    Owner,
    /// The referred resource created this one.
    Creator,
    /// Not set (also any relationship this client does not know).
    #[serde(other)]
    UnknownRelationship,
}

/// `apiRunDetail`: a run and its runtime state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunDetail {
    /// The run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<Run>,
    /// The Workflow's runtime state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_runtime: Option<PipelineRuntime>,
}

/// `apiPipelineRuntime`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineRuntime {
    /// Runtime pipeline manifest (JSON text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_manifest: Option<String>,
    /// The Argo Workflow with its status (JSON text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow_manifest: Option<String>,
}

/// `apiGetHealthzResponse`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Healthz {
    /// Whether the cluster runs KFP in multi-user mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_user: Option<bool>,
}

/// One page of a list answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// How many items match in all.
    pub total_size: Option<i32>,
    /// Token for the next page (`None` on the last page).
    pub next_page_token: Option<String>,
}

macro_rules! list_response {
    ($(#[$meta:meta])* $name:ident, $field:ident: $item:ty) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct $name {
            /// The items.
            #[serde(skip_serializing_if = "Vec::is_empty")]
            pub $field: Vec<$item>,
            /// How many items match in all.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub total_size: Option<i32>,
            /// Token for the next page.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub next_page_token: Option<String>,
        }

        impl From<$name> for Page<$item> {
            fn from(list: $name) -> Self {
                Page {
                    items: list.$field,
                    total_size: list.total_size,
                    next_page_token: list.next_page_token.filter(|token| !token.is_empty()),
                }
            }
        }
    };
}

// The v2beta1 lists have the same shape.
pub(super) use list_response;

list_response!(
    /// `apiListPipelinesResponse`.
    ListPipelinesResponse, pipelines: Pipeline
);
list_response!(
    /// `apiListPipelineVersionsResponse`.
    ListPipelineVersionsResponse, versions: PipelineVersion
);
list_response!(
    /// `apiListExperimentsResponse`.
    ListExperimentsResponse, experiments: Experiment
);
list_response!(
    /// `apiListRunsResponse`.
    ListRunsResponse, runs: Run
);
list_response!(
    /// `apiListJobsResponse`.
    ListJobsResponse, jobs: Job
);

/// `apiJob`: a recurring run, which starts runs on a schedule.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Job {
    /// Unique ID, set by the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name (not unique).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What each run executes, and its parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline_spec: Option<PipelineSpec>,
    /// The experiment (and pipeline version) its runs belong to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_references: Vec<ResourceReference>,
    /// Kubernetes service account of its runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account: Option<String>,
    /// How many of its runs may run at once (1 to 10).
    #[serde(skip_serializing_if = "Option::is_none", with = "int64_text")]
    pub max_concurrency: Option<i64>,
    /// When runs start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Trigger>,
    /// Enabled or disabled (set by the server).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<JobMode>,
    /// Creation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Last change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// `Enable`, `Disable` or `Error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Set when the server could not read this job.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Whether it starts runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// After a pause, start only the latest missed run instead of one per missed interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_catchup: Option<bool>,
}

/// `apiTrigger`: a cron or a periodic schedule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Trigger {
    /// Runs at the times a cron expression gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cron_schedule: Option<CronSchedule>,
    /// Runs every so many seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub periodic_schedule: Option<PeriodicSchedule>,
}

/// `apiCronSchedule`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CronSchedule {
    /// No run before this time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// No run after this time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Six fields, seconds first: `0 0 3 * * *` is 03:00 every day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cron: Option<String>,
}

/// `apiPeriodicSchedule`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeriodicSchedule {
    /// No run before this time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// No run after this time (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Seconds between the starts of two runs.
    #[serde(skip_serializing_if = "Option::is_none", with = "int64_text")]
    pub interval_second: Option<i64>,
}

/// `JobMode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum JobMode {
    /// Starts runs.
    Enabled,
    /// Starts no run.
    Disabled,
    /// Not set (also any mode this client does not know).
    #[serde(other)]
    UnknownMode,
}

/// `apiReadArtifactResponse`: an artifact's bytes (a gzipped tar of its file).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadArtifactResponse {
    /// The bytes, base64 in JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

/// Proto3 JSON writes 64-bit integers as text (`"10"`); numbers are read too.
mod int64_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(value: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(number) => serializer.serialize_str(&number.to_string()),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Int64 {
            Text(String),
            Number(i64),
        }
        match Option::<Int64>::deserialize(deserializer)? {
            None => Ok(None),
            Some(Int64::Number(number)) => Ok(Some(number)),
            Some(Int64::Text(text)) => text
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a 64-bit integer"))),
        }
    }
}

/// `apiStatus` (and grpc-gateway's `googlerpcStatus`): the body of an error answer.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub(crate) struct Status {
    pub(crate) error: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) code: Option<i32>,
    pub(crate) details: Vec<serde_json::Value>,
}
