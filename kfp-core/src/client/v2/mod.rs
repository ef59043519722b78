//! The KFP v2beta1 REST API (KFP 2.x): pipelines and their versions (a KFP v2
//! pipeline spec, the IR), experiments, runs of an uploaded version or of a
//! pipeline spec given inline, health. Reached through [`Client::v2`]: the same
//! host, credentials, timeouts and retries as the v1beta1 calls.
//!
//! ```no_run
//! # fn main() -> Result<(), kfp_core::client::ClientError> {
//! use kfp_core::client::v2::{parameter_values, CreateRun, Package, RunSource};
//! use kfp_core::client::Client;
//!
//! let client = Client::builder("http://localhost:8080").token_from_env().build()?;
//! let v2 = client.v2();
//! let experiment = v2.ensure_experiment("demo", None)?;
//! let text = std::fs::read_to_string("add_numbers.yaml").unwrap();
//! let spec = Package::parse(&text)?.run_spec().expect("a KFP v2 pipeline spec");
//! let parameters = parameter_values(&spec, &[("a".into(), "3".into()), ("b".into(), "4".into())])?;
//! let run = v2.create_run(&CreateRun {
//!     name: "add 3 and 4".into(),
//!     experiment_id: experiment.experiment_id,
//!     source: RunSource::Spec(spec),
//!     parameters,
//!     ..CreateRun::default()
//! })?;
//! # Ok(()) }
//! ```

mod package;
mod types;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

pub use package::{parameter_values, Package};
pub use types::{
    ArtifactList, ChildTask, Experiment, Healthz, ListExperimentsResponse, ListPipelineVersionsResponse,
    ListPipelinesResponse, ListRunsResponse, MetadataValue, Page, Pipeline, PipelineTaskDetail,
    PipelineTaskExecutorDetail, PipelineVersion, PipelineVersionReference, PluginOutput, PluginState, RenderType,
    RpcStatus, Run, RunDetails, RuntimeConfig, RuntimeState, RuntimeStatus, StorageState, Url,
};

use super::transport::{encode, Body};
use super::{multipart, push_some, Client, ClientError, ListOptions};

/// The API's path prefix.
const API: &str = "/apis/v2beta1";

/// The v2beta1 calls of a [`Client`] (from [`Client::v2`]).
#[derive(Clone, Copy, Debug)]
pub struct V2<'c> {
    client: &'c Client,
}

/// What a run executes.
#[derive(Clone, Debug, PartialEq)]
pub enum RunSource {
    /// The latest version of an uploaded pipeline.
    Pipeline(String),
    /// A version of an uploaded pipeline.
    Version {
        /// The pipeline.
        pipeline_id: String,
        /// The version.
        version_id: String,
    },
    /// A pipeline spec, sent with the run without uploading it ([`Package::run_spec`]).
    Spec(Value),
}

impl Default for RunSource {
    fn default() -> Self {
        RunSource::Spec(Value::Null)
    }
}

/// A run to create with [`V2::create_run`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CreateRun {
    /// Run name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// The experiment it belongs to (the server's default experiment when `None`).
    pub experiment_id: Option<String>,
    /// What it executes.
    pub source: RunSource,
    /// Parameter values, typed as the pipeline declares them (see [`parameter_values`]).
    pub parameters: BTreeMap<String, Value>,
    /// Where its outputs go (the cluster's default when `None`).
    pub pipeline_root: Option<String>,
    /// Kubernetes service account (server default when `None`).
    pub service_account: Option<String>,
}

/// A filter matching the items whose `key` (`name`, `display_name`) is `value`,
/// in the v2beta1 syntax (which names the operation `operation`, not `op`).
pub fn filter_equals(key: &str, value: &str) -> String {
    serde_json::json!({"predicates": [{"key": key, "operation": "EQUALS", "string_value": value}]}).to_string()
}

impl Client {
    /// The KFP v2beta1 API (KFP 2.x clusters) through this client's connection.
    pub fn v2(&self) -> V2<'_> {
        V2 { client: self }
    }
}

impl V2<'_> {
    fn get<T: serde::de::DeserializeOwned>(
        &self,
        operation: &str,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, ClientError> {
        self.client.transport.json(operation, "GET", path, query, Body::None)
    }

    fn act(&self, operation: &str, method: &str, path: &str, query: &[(&str, String)]) -> Result<(), ClientError> {
        let _: Value = self.client.transport.json(operation, method, path, query, Body::None)?;
        Ok(())
    }

    /// `GET /healthz`: whether the API answers, whether it is multi-user, where it keeps pipelines.
    pub fn healthz(&self) -> Result<Healthz, ClientError> {
        self.get("check health", &format!("{API}/healthz"), &[])
    }

    /// Uploads a compiled pipeline (a pipeline spec YAML) as a new pipeline named
    /// `name` (the file name when `None`), in `namespace` on a multi-user cluster.
    pub fn upload_pipeline(
        &self,
        package: &Path,
        name: Option<&str>,
        description: Option<&str>,
        namespace: Option<&str>,
    ) -> Result<Pipeline, ClientError> {
        let mut query = Vec::new();
        push_some(&mut query, "name", name);
        push_some(&mut query, "description", description);
        push_some(&mut query, "namespace", namespace);
        let form = multipart::Form::file("uploadfile", package)?;
        let operation = format!("upload pipeline {}", package.display());
        let path = format!("{API}/pipelines/upload");
        self.client.transport.json(&operation, "POST", &path, &query, form.into_body())
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
        let path = format!("{API}/pipelines/upload_version");
        self.client.transport.json(&operation, "POST", &path, &query, form.into_body())
    }

    /// One page of pipelines (of `namespace` and the shared ones on a multi-user cluster).
    pub fn list_pipelines(
        &self,
        options: &ListOptions,
        namespace: Option<&str>,
    ) -> Result<Page<Pipeline>, ClientError> {
        let mut query = options.query();
        push_some(&mut query, "namespace", namespace);
        let list: ListPipelinesResponse = self.get("list pipelines", &format!("{API}/pipelines"), &query)?;
        Ok(list.into())
    }

    /// The pipeline `id`.
    pub fn get_pipeline(&self, id: &str) -> Result<Pipeline, ClientError> {
        self.get(&format!("get pipeline {id}"), &format!("{API}/pipelines/{}", encode(id)), &[])
    }

    /// The pipeline whose display name is `name` (in `namespace`), if there is one
    /// (as kfp 2's `get_pipeline_id`; the server takes the name as display name when
    /// no other is given).
    pub fn find_pipeline(&self, name: &str, namespace: Option<&str>) -> Result<Option<Pipeline>, ClientError> {
        let options = ListOptions {
            filter: Some(filter_equals("display_name", name)),
            page_size: Some(1),
            ..ListOptions::default()
        };
        Ok(self.list_pipelines(&options, namespace)?.items.into_iter().next())
    }

    /// Deletes the pipeline `id`; with `cascade`, its versions too (KFP refuses to
    /// delete a pipeline that has versions otherwise).
    pub fn delete_pipeline(&self, id: &str, cascade: bool) -> Result<(), ClientError> {
        let query = if cascade { vec![("cascade", "true".to_owned())] } else { Vec::new() };
        self.act(&format!("delete pipeline {id}"), "DELETE", &format!("{API}/pipelines/{}", encode(id)), &query)
    }

    /// One page of the versions of pipeline `pipeline_id`.
    pub fn list_pipeline_versions(
        &self,
        pipeline_id: &str,
        options: &ListOptions,
    ) -> Result<Page<PipelineVersion>, ClientError> {
        let path = format!("{API}/pipelines/{}/versions", encode(pipeline_id));
        let list: ListPipelineVersionsResponse =
            self.get(&format!("list versions of pipeline {pipeline_id}"), &path, &options.query())?;
        Ok(list.into())
    }

    /// The newest version of pipeline `pipeline_id`, if it has any.
    pub fn latest_pipeline_version(&self, pipeline_id: &str) -> Result<Option<PipelineVersion>, ClientError> {
        let options =
            ListOptions { page_size: Some(1), sort_by: Some("created_at desc".into()), ..ListOptions::default() };
        Ok(self.list_pipeline_versions(pipeline_id, &options)?.items.into_iter().next())
    }

    /// The version `version_id` of pipeline `pipeline_id`, with its pipeline spec.
    pub fn get_pipeline_version(&self, pipeline_id: &str, version_id: &str) -> Result<PipelineVersion, ClientError> {
        let path = format!("{API}/pipelines/{}/versions/{}", encode(pipeline_id), encode(version_id));
        self.get(&format!("get version {version_id} of pipeline {pipeline_id}"), &path, &[])
    }

    /// Deletes the version `version_id` of pipeline `pipeline_id`.
    pub fn delete_pipeline_version(&self, pipeline_id: &str, version_id: &str) -> Result<(), ClientError> {
        let path = format!("{API}/pipelines/{}/versions/{}", encode(pipeline_id), encode(version_id));
        self.act(&format!("delete version {version_id} of pipeline {pipeline_id}"), "DELETE", &path, &[])
    }

    /// Creates an experiment (in `namespace` on a multi-user cluster).
    pub fn create_experiment(
        &self,
        name: &str,
        description: Option<&str>,
        namespace: Option<&str>,
    ) -> Result<Experiment, ClientError> {
        let experiment = Experiment {
            display_name: Some(name.to_owned()),
            description: description.map(str::to_owned),
            namespace: namespace.map(str::to_owned),
            ..Experiment::default()
        };
        let body = Body::json(&experiment)?;
        let path = format!("{API}/experiments");
        self.client.transport.json(&format!("create experiment {name}"), "POST", &path, &[], body)
    }

    /// One page of experiments (of `namespace` on a multi-user cluster).
    pub fn list_experiments(
        &self,
        options: &ListOptions,
        namespace: Option<&str>,
    ) -> Result<Page<Experiment>, ClientError> {
        let mut query = options.query();
        push_some(&mut query, "namespace", namespace);
        let list: ListExperimentsResponse = self.get("list experiments", &format!("{API}/experiments"), &query)?;
        Ok(list.into())
    }

    /// The experiment `id`.
    pub fn get_experiment(&self, id: &str) -> Result<Experiment, ClientError> {
        self.get(&format!("get experiment {id}"), &format!("{API}/experiments/{}", encode(id)), &[])
    }

    /// The experiment named `name` (in `namespace`), if there is one.
    pub fn find_experiment(&self, name: &str, namespace: Option<&str>) -> Result<Option<Experiment>, ClientError> {
        let options = ListOptions {
            filter: Some(filter_equals("display_name", name)),
            page_size: Some(1),
            ..ListOptions::default()
        };
        Ok(self.list_experiments(&options, namespace)?.items.into_iter().next())
    }

    /// The experiment named `name`, created when there is none (as kfp 2's `create_experiment`).
    pub fn ensure_experiment(&self, name: &str, namespace: Option<&str>) -> Result<Experiment, ClientError> {
        match self.find_experiment(name, namespace)? {
            Some(experiment) => Ok(experiment),
            None => self.create_experiment(name, None, namespace),
        }
    }

    /// Starts a run.
    pub fn create_run(&self, run: &CreateRun) -> Result<Run, ClientError> {
        let (pipeline_spec, pipeline_version_reference) = match &run.source {
            RunSource::Spec(Value::Object(spec)) => (Some(Value::Object(spec.clone())), None),
            RunSource::Spec(_) => {
                return Err(ClientError::Config(
                    "the run's pipeline spec is not a mapping: give a KFP v2 pipeline spec (see Package::run_spec)"
                        .to_owned(),
                ))
            }
            RunSource::Pipeline(id) => {
                (None, Some(PipelineVersionReference { pipeline_id: Some(id.clone()), pipeline_version_id: None }))
            }
            RunSource::Version { pipeline_id, version_id } => (
                None,
                Some(PipelineVersionReference {
                    pipeline_id: Some(pipeline_id.clone()),
                    pipeline_version_id: Some(version_id.clone()),
                }),
            ),
        };
        let body = Run {
            display_name: Some(run.name.clone()),
            description: run.description.clone(),
            experiment_id: run.experiment_id.clone(),
            pipeline_spec,
            pipeline_version_reference,
            runtime_config: Some(RuntimeConfig {
                parameters: run.parameters.clone(),
                pipeline_root: run.pipeline_root.clone(),
            }),
            service_account: run.service_account.clone(),
            ..Run::default()
        };
        let body = Body::json(&body)?;
        self.client.transport.json(&format!("create run {}", run.name), "POST", &format!("{API}/runs"), &[], body)
    }

    /// The run `id`, its state and its tasks.
    pub fn get_run(&self, id: &str) -> Result<Run, ClientError> {
        self.get(&format!("get run {id}"), &format!("{API}/runs/{}", encode(id)), &[])
    }

    /// One page of runs (of `experiment_id`, or of `namespace`, when given).
    pub fn list_runs(
        &self,
        options: &ListOptions,
        experiment_id: Option<&str>,
        namespace: Option<&str>,
    ) -> Result<Page<Run>, ClientError> {
        let mut query = options.query();
        push_some(&mut query, "experiment_id", experiment_id);
        push_some(&mut query, "namespace", namespace);
        let list: ListRunsResponse = self.get("list runs", &format!("{API}/runs"), &query)?;
        Ok(list.into())
    }

    /// Stops the run `id`: it ends `CANCELED`.
    pub fn terminate_run(&self, id: &str) -> Result<(), ClientError> {
        self.act(&format!("terminate run {id}"), "POST", &format!("{API}/runs/{}:terminate", encode(id)), &[])
    }

    /// Runs the failed tasks of the failed run `id` again.
    pub fn retry_run(&self, id: &str) -> Result<(), ClientError> {
        self.act(&format!("retry run {id}"), "POST", &format!("{API}/runs/{}:retry", encode(id)), &[])
    }

    /// Moves the run `id` to the archive (out of the default lists).
    pub fn archive_run(&self, id: &str) -> Result<(), ClientError> {
        self.act(&format!("archive run {id}"), "POST", &format!("{API}/runs/{}:archive", encode(id)), &[])
    }

    /// Brings the run `id` back from the archive.
    pub fn unarchive_run(&self, id: &str) -> Result<(), ClientError> {
        self.act(&format!("unarchive run {id}"), "POST", &format!("{API}/runs/{}:unarchive", encode(id)), &[])
    }

    /// Deletes the run `id`.
    pub fn delete_run(&self, id: &str) -> Result<(), ClientError> {
        self.act(&format!("delete run {id}"), "DELETE", &format!("{API}/runs/{}", encode(id)), &[])
    }

    /// Polls run `id` every `poll` until it finishes ([`RuntimeState::is_finished`])
    /// or `timeout` passes; calls `on_change` with each new state (`PENDING`,
    /// `RUNNING`, ...). A poll that fails transiently is retried within `timeout`.
    pub fn wait_for_run(
        &self,
        id: &str,
        timeout: Duration,
        poll: Duration,
        on_change: impl FnMut(&str),
    ) -> Result<Run, ClientError> {
        let path = format!("{API}/runs/{}", encode(id));
        let operation = format!("get run {id}");
        super::wait::poll_until_finished(id, timeout, poll, on_change, |deadline| {
            let run: Run = self.client.transport.json_until(&operation, "GET", &path, &[], Body::None, deadline)?;
            let state = run.state_name().to_owned();
            Ok((run, state))
        })
    }
}
