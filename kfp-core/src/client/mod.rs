//! A blocking client for the KFP v1beta1 REST API (the API `kfp.Client` of kfp
//! 1.8 speaks): health, pipelines and their versions, experiments, runs (and
//! reading their outputs back), recurring runs; and kfp's one call from a
//! pipeline to a run, [`Client::create_run_from_pipeline`]. The KFP v2beta1 API
//! of KFP 2.x clusters, which runs KFP v2 pipeline specs, is [`Client::v2`] (see [`v2`]).
//!
//! ```no_run
//! # fn main() -> Result<(), kfp_core::client::ClientError> {
//! use kfp_core::client::{Client, CreateRun, PipelineSource};
//!
//! let client = Client::builder("http://localhost:8080").token_from_env().build()?;
//! let experiment = client.ensure_experiment("demo", None)?;
//! let workflow = std::fs::read_to_string("add_pipeline.yaml").unwrap();
//! let run = client.create_run(&CreateRun {
//!     name: "add 3 and 4".into(),
//!     experiment_id: experiment.id,
//!     source: PipelineSource::Package(workflow),
//!     parameters: vec![("value_1".into(), "3".into()), ("value_2".into(), "4".into())],
//!     ..CreateRun::default()
//! })?;
//! # Ok(()) }
//! ```
//!
//! Credentials travel only in request headers: a bearer token
//! ([`ClientBuilder::token`], or `KFP_TOKEN`) and any extra headers (IAP or Dex
//! cookies). `Debug` output shows neither; errors never include them.

mod cron;
mod error;
mod jobs;
mod multipart;
mod runs;
mod submit;
mod transport;
mod types;
pub mod v2;
mod wait;

use std::path::Path;
use std::time::Duration;

pub use cron::check_cron;
pub use error::ClientError;
pub use jobs::{CreateJob, Schedule};
pub use runs::{write_artifact_files, ArtifactFile, NodeOutputs};
pub use submit::{Submit, SubmittedRun, DEFAULT_EXPERIMENT, DEFAULT_EXPERIMENT_ENV, OVERRIDE_EXPERIMENT_ENV};
pub use types::{
    CronSchedule, Experiment, ExperimentStorageState, Healthz, Job, JobMode, ListExperimentsResponse, ListJobsResponse,
    ListPipelineVersionsResponse, ListPipelinesResponse, ListRunsResponse, Page, Parameter, PeriodicSchedule, Pipeline,
    PipelineRuntime, PipelineSpec, PipelineVersion, ReadArtifactResponse, Relationship, ResourceKey, ResourceReference,
    ResourceType, Run, RunDetail, RunMetric, RunStorageState, Trigger, Url,
};
pub use wait::{is_finished, FINISHED_STATES};

pub use transport::Retry;
use transport::{Body, Transport};

/// The environment variable read by [`ClientBuilder::token_from_env`].
pub const TOKEN_ENV: &str = "KFP_TOKEN";
/// The API's path prefix.
const API: &str = "/apis/v1beta1";

/// A blocking KFP API client. Cheap to clone; safe to share between threads.
#[derive(Clone)]
pub struct Client {
    transport: Transport,
}

impl std::fmt::Debug for Client {
    /// Host and header names; the token and header values show as `<redacted>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.transport.fmt(f)
    }
}

/// Settings of a [`Client`]: `Client::builder(host)...build()`.
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    host: String,
    token: Option<transport::Secret>,
    headers: Vec<(String, transport::Secret)>,
    timeout: Duration,
    retry: Retry,
}

impl ClientBuilder {
    /// Sends `Authorization: Bearer <token>` with every request.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        let token = token.into();
        self.token = (!token.trim().is_empty()).then(|| transport::Secret(token.trim().to_owned()));
        self
    }

    /// Takes the bearer token from `KFP_TOKEN` when it is set (and keeps any
    /// token already given otherwise).
    pub fn token_from_env(self) -> Self {
        match std::env::var(TOKEN_ENV) {
            Ok(token) if !token.trim().is_empty() => self.token(token),
            _ => self,
        }
    }

    /// Sends an extra header with every request (e.g. `Cookie` for Dex or IAP).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), transport::Secret(value.into())));
        self
    }

    /// Gives up on a request after `timeout` (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How `GET` requests ride out transient failures (default: [`Retry::default`];
    /// [`Retry::never`] turns retries off).
    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// The client, or what is wrong with the settings.
    pub fn build(self) -> Result<Client, ClientError> {
        let host = self.host.trim().trim_end_matches('/').to_owned();
        if !(host.starts_with("http://") || host.starts_with("https://")) {
            return Err(ClientError::Config(format!(
                "host `{host}` is not an http:// or https:// URL; give the KFP API's address, e.g. http://localhost:8080 (after `kubectl port-forward -n kubeflow svc/ml-pipeline 8080:8888`) or https://<cluster>/pipeline"
            )));
        }
        for (name, value) in &self.headers {
            transport::check_header(name, &value.0)?;
        }
        if let Some(token) = &self.token {
            transport::check_header("Authorization", &format!("Bearer {}", token.0))?;
        }
        Ok(Client { transport: Transport::new(host, self.token, self.headers, self.timeout, self.retry) })
    }
}

/// Paging, sorting and filtering of a list call (all optional).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// Items per page (server default 10 when absent).
    pub page_size: Option<i32>,
    /// The `next_page_token` of the previous page.
    pub page_token: Option<String>,
    /// `"name"`, `"created_at desc"`, ...
    pub sort_by: Option<String>,
    /// A JSON `Filter` (see KFP's filter.proto), e.g. from [`name_filter`].
    pub filter: Option<String>,
}

impl ListOptions {
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(size) = self.page_size {
            query.push(("page_size", size.to_string()));
        }
        if let Some(token) = &self.page_token {
            query.push(("page_token", token.clone()));
        }
        if let Some(sort) = &self.sort_by {
            query.push(("sort_by", sort.clone()));
        }
        if let Some(filter) = &self.filter {
            query.push(("filter", filter.clone()));
        }
        query
    }
}

/// A filter matching the items whose `name` is `name` (as kfp's `get_experiment(experiment_name=...)`).
pub fn name_filter(name: &str) -> String {
    serde_json::json!({"predicates": [{"key": "name", "op": "EQUALS", "string_value": name}]}).to_string()
}

/// What a run executes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PipelineSource {
    /// An uploaded pipeline (its default version).
    Pipeline(String),
    /// A version of an uploaded pipeline.
    Version(String),
    /// A compiled Workflow (YAML or JSON text), sent with the run without uploading it
    /// (kfp's `create_run_from_pipeline_package`).
    Package(String),
}

impl Default for PipelineSource {
    fn default() -> Self {
        PipelineSource::Package(String::new())
    }
}

/// A run to create with [`Client::create_run`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreateRun {
    /// Run name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// The experiment it belongs to (the server's default experiment when `None`).
    pub experiment_id: Option<String>,
    /// What it executes.
    pub source: PipelineSource,
    /// Parameter values, as text (`3`, `hello`, `[1, 2]`).
    pub parameters: Vec<(String, String)>,
    /// Kubernetes service account (server default when `None`).
    pub service_account: Option<String>,
}

impl Client {
    /// Settings for a client of the KFP API at `host` (`http://localhost:8080`,
    /// `https://<cluster>/pipeline`).
    pub fn builder(host: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            host: host.into(),
            token: None,
            headers: Vec::new(),
            timeout: Duration::from_secs(60),
            retry: Retry::default(),
        }
    }

    /// The API's address, as given.
    pub fn host(&self) -> &str {
        self.transport.host()
    }

    /// `GET /healthz`: whether the API answers, and whether it is multi-user.
    pub fn healthz(&self) -> Result<Healthz, ClientError> {
        self.transport.json("check health", "GET", &format!("{API}/healthz"), &[], Body::None)
    }

    /// Uploads a compiled pipeline (Workflow YAML) as a new pipeline named `name`
    /// (the file name when `None`).
    pub fn upload_pipeline(
        &self,
        package: &Path,
        name: Option<&str>,
        description: Option<&str>,
    ) -> Result<Pipeline, ClientError> {
        let mut query = Vec::new();
        push_some(&mut query, "name", name);
        push_some(&mut query, "description", description);
        let form = multipart::Form::file("uploadfile", package)?;
        let operation = format!("upload pipeline {}", package.display());
        self.transport.json(&operation, "POST", &format!("{API}/pipelines/upload"), &query, form.into_body())
    }

    /// Uploads a compiled pipeline as a new version `version_name` of pipeline `pipeline_id`.
    pub fn upload_pipeline_version(
        &self,
        package: &Path,
        pipeline_id: &str,
        version_name: &str,
        description: Option<&str>,
    ) -> Result<PipelineVersion, ClientError> {
        let mut query = vec![("name", version_name.to_owned()), ("pipelineid", pipeline_id.to_owned())];
        push_some(&mut query, "description", description);
        let form = multipart::Form::file("uploadfile", package)?;
        let operation = format!("upload version {version_name} of pipeline {pipeline_id}");
        self.transport.json(&operation, "POST", &format!("{API}/pipelines/upload_version"), &query, form.into_body())
    }

    /// One page of pipelines.
    pub fn list_pipelines(&self, options: &ListOptions) -> Result<Page<Pipeline>, ClientError> {
        let list: ListPipelinesResponse =
            self.transport.json("list pipelines", "GET", &format!("{API}/pipelines"), &options.query(), Body::None)?;
        Ok(list.into())
    }

    /// The pipeline `id`.
    pub fn get_pipeline(&self, id: &str) -> Result<Pipeline, ClientError> {
        let path = format!("{API}/pipelines/{}", transport::encode(id));
        self.transport.json(&format!("get pipeline {id}"), "GET", &path, &[], Body::None)
    }

    /// The pipeline named `name`, if there is one.
    pub fn find_pipeline(&self, name: &str) -> Result<Option<Pipeline>, ClientError> {
        let options = ListOptions { filter: Some(name_filter(name)), page_size: Some(1), ..ListOptions::default() };
        Ok(self.list_pipelines(&options)?.items.into_iter().next())
    }

    /// Deletes the pipeline `id` and its versions.
    pub fn delete_pipeline(&self, id: &str) -> Result<(), ClientError> {
        let path = format!("{API}/pipelines/{}", transport::encode(id));
        let _: serde_json::Value =
            self.transport.json(&format!("delete pipeline {id}"), "DELETE", &path, &[], Body::None)?;
        Ok(())
    }

    /// One page of the versions of pipeline `pipeline_id`.
    pub fn list_pipeline_versions(
        &self,
        pipeline_id: &str,
        options: &ListOptions,
    ) -> Result<Page<PipelineVersion>, ClientError> {
        let mut query = options.query();
        query.push(("resource_key.type", "PIPELINE".to_owned()));
        query.push(("resource_key.id", pipeline_id.to_owned()));
        let operation = format!("list versions of pipeline {pipeline_id}");
        let list: ListPipelineVersionsResponse =
            self.transport.json(&operation, "GET", &format!("{API}/pipeline_versions"), &query, Body::None)?;
        Ok(list.into())
    }

    /// Creates an experiment (in `namespace` on a multi-user cluster).
    pub fn create_experiment(
        &self,
        name: &str,
        description: Option<&str>,
        namespace: Option<&str>,
    ) -> Result<Experiment, ClientError> {
        let experiment = Experiment {
            name: Some(name.to_owned()),
            description: description.map(str::to_owned),
            resource_references: namespace
                .map(|ns| vec![ResourceReference::new(ResourceType::Namespace, ns, Relationship::Owner)])
                .unwrap_or_default(),
            ..Experiment::default()
        };
        let body = Body::json(&experiment)?;
        self.transport.json(&format!("create experiment {name}"), "POST", &format!("{API}/experiments"), &[], body)
    }

    /// One page of experiments (of `namespace` on a multi-user cluster).
    pub fn list_experiments(
        &self,
        options: &ListOptions,
        namespace: Option<&str>,
    ) -> Result<Page<Experiment>, ClientError> {
        let mut query = options.query();
        if let Some(ns) = namespace {
            query.push(("resource_reference_key.type", "NAMESPACE".to_owned()));
            query.push(("resource_reference_key.id", ns.to_owned()));
        }
        let list: ListExperimentsResponse =
            self.transport.json("list experiments", "GET", &format!("{API}/experiments"), &query, Body::None)?;
        Ok(list.into())
    }

    /// The experiment `id`.
    pub fn get_experiment(&self, id: &str) -> Result<Experiment, ClientError> {
        let path = format!("{API}/experiments/{}", transport::encode(id));
        self.transport.json(&format!("get experiment {id}"), "GET", &path, &[], Body::None)
    }

    /// The experiment named `name` (in `namespace`), if there is one.
    pub fn find_experiment(&self, name: &str, namespace: Option<&str>) -> Result<Option<Experiment>, ClientError> {
        let options = ListOptions { filter: Some(name_filter(name)), page_size: Some(1), ..ListOptions::default() };
        Ok(self.list_experiments(&options, namespace)?.items.into_iter().next())
    }

    /// The experiment named `name`, created when there is none (as kfp's `create_experiment`).
    pub fn ensure_experiment(&self, name: &str, namespace: Option<&str>) -> Result<Experiment, ClientError> {
        match self.find_experiment(name, namespace)? {
            Some(experiment) => Ok(experiment),
            None => self.create_experiment(name, None, namespace),
        }
    }

    /// Starts a run.
    pub fn create_run(&self, run: &CreateRun) -> Result<RunDetail, ClientError> {
        let (spec, references) = spec_and_references(run.experiment_id.as_deref(), &run.source, &run.parameters)?;
        let body = Run {
            name: Some(run.name.clone()),
            description: run.description.clone(),
            pipeline_spec: Some(spec),
            resource_references: references,
            service_account: run.service_account.clone(),
            ..Run::default()
        };
        let body = Body::json(&body)?;
        self.transport.json(&format!("create run {}", run.name), "POST", &format!("{API}/runs"), &[], body)
    }

    /// The run `id` and its runtime state.
    pub fn get_run(&self, id: &str) -> Result<RunDetail, ClientError> {
        let path = format!("{API}/runs/{}", transport::encode(id));
        self.transport.json(&format!("get run {id}"), "GET", &path, &[], Body::None)
    }

    /// [`Client::get_run`], retrying transient failures until `deadline` at the latest.
    fn get_run_until(&self, id: &str, deadline: std::time::Instant) -> Result<RunDetail, ClientError> {
        let path = format!("{API}/runs/{}", transport::encode(id));
        self.transport.json_until(&format!("get run {id}"), "GET", &path, &[], Body::None, deadline)
    }

    /// One page of runs (of `experiment_id` when given).
    pub fn list_runs(&self, options: &ListOptions, experiment_id: Option<&str>) -> Result<Page<Run>, ClientError> {
        let mut query = options.query();
        if let Some(experiment) = experiment_id {
            query.push(("resource_reference_key.type", "EXPERIMENT".to_owned()));
            query.push(("resource_reference_key.id", experiment.to_owned()));
        }
        let list: ListRunsResponse =
            self.transport.json("list runs", "GET", &format!("{API}/runs"), &query, Body::None)?;
        Ok(list.into())
    }

    /// Polls run `id` every `poll` until it finishes (see [`FINISHED_STATES`]) or
    /// `timeout` passes; calls `on_change` with each new state. A poll that
    /// fails transiently is retried (see [`Retry`]) within `timeout`.
    pub fn wait_for_run(
        &self,
        id: &str,
        timeout: Duration,
        poll: Duration,
        on_change: impl FnMut(&str),
    ) -> Result<RunDetail, ClientError> {
        wait::wait_for_run(self, id, timeout, poll, on_change)
    }
}

/// What a run or recurring run executes, and the experiment (and version) it belongs to.
fn spec_and_references(
    experiment_id: Option<&str>,
    source: &PipelineSource,
    parameters: &[(String, String)],
) -> Result<(PipelineSpec, Vec<ResourceReference>), ClientError> {
    let mut references = Vec::new();
    if let Some(experiment) = experiment_id {
        references.push(ResourceReference::new(ResourceType::Experiment, experiment, Relationship::Owner));
    }
    let mut spec = PipelineSpec {
        parameters: parameters.iter().map(|(name, value)| Parameter::new(name, value)).collect(),
        ..PipelineSpec::default()
    };
    match source {
        PipelineSource::Pipeline(id) => spec.pipeline_id = Some(id.clone()),
        PipelineSource::Version(id) => {
            references.push(ResourceReference::new(ResourceType::PipelineVersion, id, Relationship::Creator))
        }
        PipelineSource::Package(text) => spec.workflow_manifest = Some(workflow_json(text)?),
    }
    Ok((spec, references))
}

fn push_some(query: &mut Vec<(&'static str, String)>, key: &'static str, value: Option<&str>) {
    if let Some(value) = value {
        query.push((key, value.to_owned()));
    }
}

/// A Workflow given as YAML (or JSON) text, as the JSON text the API wants in
/// `workflow_manifest`.
fn workflow_json(text: &str) -> Result<String, ClientError> {
    workflow_value(text).map(|value| value.to_string())
}

/// The Workflow of a pipeline package (YAML or JSON), parsed; not a mapping is an error.
fn workflow_value(text: &str) -> Result<serde_json::Value, ClientError> {
    let value: serde_json::Value = crate::input::from_yaml(text)
        .map_err(|error| ClientError::Config(format!("the pipeline package is not YAML or JSON: {error}")))?;
    if !value.is_object() {
        return Err(ClientError::Config(
            "the pipeline package is not a Workflow: expected a YAML mapping with apiVersion, kind, metadata and spec"
                .to_owned(),
        ));
    }
    Ok(value)
}
