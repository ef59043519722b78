//! One call from a pipeline to a run, as kfp's `create_run_from_pipeline_func`
//! and `create_run_from_pipeline_package`: compile (or read the package), find
//! or create the experiment, start the run with the Workflow inline (nothing is
//! uploaded), and hand back the run to wait on.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::{Client, ClientError, CreateRun, PipelineSource, Run, RunDetail};
use crate::dsl::PipelineInfo;
use crate::{KfpType, Pipeline};

/// kfp's environment variable naming the experiment when none is given.
pub const DEFAULT_EXPERIMENT_ENV: &str = "KF_PIPELINES_DEFAULT_EXPERIMENT_NAME";
/// kfp's environment variable that replaces the experiment given (CI sets it).
pub const OVERRIDE_EXPERIMENT_ENV: &str = "KF_PIPELINES_OVERRIDE_EXPERIMENT_NAME";
/// The experiment of a run when neither the call nor the environment names one (kfp's).
pub const DEFAULT_EXPERIMENT: &str = "Default";

/// The arguments and settings of [`Client::create_run_from_pipeline`]: all optional.
///
/// ```
/// use kfp_core::client::Submit;
///
/// let submit = Submit::new().arg("value_1", 3).arg("value_2", 4).experiment("demo");
/// assert_eq!(submit.arguments, [("value_1".to_owned(), "3".to_owned()), ("value_2".to_owned(), "4".to_owned())]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Submit {
    /// Pipeline parameter values, as text.
    pub arguments: Vec<(String, String)>,
    /// Run name (default: the pipeline's name, or the package's file name, and the time).
    pub run_name: Option<String>,
    /// Experiment name, found or created (default: `KF_PIPELINES_DEFAULT_EXPERIMENT_NAME`, else `Default`;
    /// `KF_PIPELINES_OVERRIDE_EXPERIMENT_NAME` replaces it, as in kfp).
    pub experiment: Option<String>,
    /// Namespace of the experiment (multi-user clusters).
    pub namespace: Option<String>,
    /// Kubernetes service account of the run.
    pub service_account: Option<String>,
}

impl Submit {
    /// No arguments, every setting at its default.
    pub fn new() -> Self {
        Submit::default()
    }

    /// A parameter value of a kfp type, written as kfp passes it (`3`, `true`, `[1, 2]`).
    pub fn arg<T: KfpType>(self, name: impl Into<String>, value: T) -> Self {
        self.param(name, value.to_kfp_string())
    }

    /// A parameter value as text.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.arguments.push((name.into(), value.into()));
        self
    }

    /// The run's name.
    pub fn run_name(mut self, name: impl Into<String>) -> Self {
        self.run_name = Some(name.into());
        self
    }

    /// The experiment's name.
    pub fn experiment(mut self, name: impl Into<String>) -> Self {
        self.experiment = Some(name.into());
        self
    }

    /// The experiment's namespace.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// The run's service account.
    pub fn service_account(mut self, account: impl Into<String>) -> Self {
        self.service_account = Some(account.into());
        self
    }

    /// The experiment the run goes to, as kfp picks it.
    pub fn experiment_name(&self) -> String {
        let given = self.experiment.clone().or_else(|| env(DEFAULT_EXPERIMENT_ENV));
        env(OVERRIDE_EXPERIMENT_ENV).or(given).unwrap_or_else(|| DEFAULT_EXPERIMENT.to_owned())
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.trim().is_empty())
}

/// A run started by [`Client::create_run_from_pipeline`] (kfp's `RunPipelineResult`).
#[derive(Clone, Debug)]
pub struct SubmittedRun {
    client: Client,
    /// The run's ID.
    pub run_id: String,
    /// The run as the API created it.
    pub run: Run,
    /// The experiment it went to.
    pub experiment_id: Option<String>,
}

impl SubmittedRun {
    /// Follows the run to its end, looking every 5 s (kfp's `wait_for_run_completion`);
    /// `Err(ClientError::Timeout)` when it has not ended within `timeout`.
    pub fn wait(&self, timeout: Duration) -> Result<RunDetail, ClientError> {
        self.client.wait_for_run(&self.run_id, timeout, Duration::from_secs(5), |_| {})
    }

    /// [`SubmittedRun::wait`], looking every `poll` and calling `on_change` with each new state.
    pub fn wait_with(
        &self,
        timeout: Duration,
        poll: Duration,
        on_change: impl FnMut(&str),
    ) -> Result<RunDetail, ClientError> {
        self.client.wait_for_run(&self.run_id, timeout, poll, on_change)
    }
}

impl Client {
    /// Compiles `pipeline` and runs it (kfp's `create_run_from_pipeline_func`): the
    /// experiment is found or created, the Workflow travels inline with the run.
    /// Unknown or missing parameters, and values their type does not read, are
    /// errors before anything is sent.
    pub fn create_run_from_pipeline(
        &self,
        pipeline: impl Pipeline,
        submit: &Submit,
    ) -> Result<SubmittedRun, ClientError> {
        let info = pipeline.info();
        check_types(&info, &submit.arguments)?;
        let name = info.name;
        let yaml = crate::Compiler::new()
            .compile_to_string(pipeline)
            .map_err(|error| ClientError::Config(format!("pipeline `{name}` does not compile: {error}")))?;
        self.submit(&yaml, &name, submit)
    }

    /// Runs a compiled pipeline file (kfp's `create_run_from_pipeline_package`): a
    /// Workflow as YAML or JSON, sent inline with the run.
    pub fn create_run_from_pipeline_package(
        &self,
        package: impl AsRef<Path>,
        submit: &Submit,
    ) -> Result<SubmittedRun, ClientError> {
        let package = package.as_ref();
        let text =
            std::fs::read_to_string(package).map_err(|source| ClientError::Io { path: package.to_owned(), source })?;
        let file_name = package.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        self.submit(&text, &file_name, submit)
    }

    fn submit(&self, workflow: &str, default_name: &str, submit: &Submit) -> Result<SubmittedRun, ClientError> {
        let manifest = super::workflow_value(workflow)?;
        let parameters = check_arguments(&manifest, &submit.arguments)?;
        let experiment = self.ensure_experiment(&submit.experiment_name(), submit.namespace.as_deref())?;
        let request = CreateRun {
            name: submit.run_name.clone().unwrap_or_else(|| format!("{default_name} {}", now_text())),
            description: None,
            experiment_id: experiment.id.clone(),
            source: PipelineSource::Package(manifest.to_string()),
            parameters,
            service_account: submit.service_account.clone(),
        };
        let detail = self.create_run(&request)?;
        let run = detail.run.unwrap_or_default();
        let run_id = run.id.clone().ok_or_else(|| {
            ClientError::Config(format!("the KFP API created run `{}` but did not say its ID", request.name))
        })?;
        Ok(SubmittedRun { client: self.clone(), run_id, run, experiment_id: experiment.id })
    }
}

/// The arguments with kfp's names (`sanitize_k8s_name(allow_capital_underscore=True)`),
/// or every problem: a name the Workflow does not declare, a required parameter
/// without a value, a value over KFP's limit.
pub(super) fn check_arguments(
    workflow: &Value,
    arguments: &[(String, String)],
) -> Result<Vec<(String, String)>, ClientError> {
    let declared: Vec<(&str, bool)> = workflow["spec"]["arguments"]["parameters"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|p| Some((p["name"].as_str()?, p.get("value").is_some() || p.get("default").is_some())))
        .collect();
    let mut problems = Vec::new();
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in arguments {
        let name = sanitize(name);
        if out.iter().any(|(seen, _)| *seen == name) {
            problems.push(format!("parameter `{name}` is given twice: give it once"));
        } else if !declared.iter().any(|(declared, _)| *declared == name) {
            let names: Vec<&str> = declared.iter().map(|(name, _)| *name).collect();
            let known = match names.as_slice() {
                [] => "the pipeline has no parameters".to_owned(),
                names => format!("the pipeline's parameters are {}", names.join(", ")),
            };
            problems.push(format!("unknown parameter `{name}`: {known}"));
        } else if let Some(why) = crate::argo::rules::parameter_value_too_long(value) {
            problems.push(format!("parameter `{name}` {why}"));
        }
        out.push((name, value.clone()));
    }
    for (name, has_value) in &declared {
        if !has_value && !out.iter().any(|(given, _)| given == name) {
            problems.push(format!("missing required parameter `{name}`: give it a value"));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ClientError::Config(problems.join("\n")))
    }
}

/// Every value that its parameter's type does not read (`three` for an integer),
/// as the component program would refuse it on the cluster.
fn check_types(info: &PipelineInfo, arguments: &[(String, String)]) -> Result<(), ClientError> {
    let mut problems = Vec::new();
    for (name, value) in arguments {
        let Some(declared) = info.params.iter().find(|declared| declared.name == *name) else { continue };
        if let Err(error) = declared.ty.kind.check_text(value) {
            let shown: String = value.chars().take(80).collect();
            let more = if shown.len() < value.len() { "..." } else { "" };
            problems
                .push(format!("parameter `{name}`: `{shown}{more}` is not a valid {}: {error}", declared.ty.type_name));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ClientError::Config(problems.join("\n")))
    }
}

/// kfp's `sanitize_k8s_name(name, allow_capital_underscore=True)`.
fn sanitize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let keep = c.is_ascii_alphanumeric() || c == '_';
        if keep {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// Now as kfp writes it in default run names (`%Y-%m-%d %H-%M-%S`), in UTC.
fn now_text() -> String {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs() as i64);
    let (year, month, day) = crate::compiler::clock::civil_from_days(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    format!("{year:04}-{month:02}-{day:02} {:02}-{:02}-{:02}", of_day / 3600, of_day / 60 % 60, of_day % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_kfp_sanitizes_them() {
        assert_eq!(sanitize("value_1"), "value_1");
        assert_eq!(sanitize("Learning Rate!"), "Learning-Rate");
        assert_eq!(sanitize("--a  b--"), "a-b");
    }

    #[test]
    fn arguments_are_checked_against_the_workflow() {
        let manifest =
            &serde_json::json!({"spec": {"arguments": {"parameters": [{"name": "a"}, {"name": "b", "value": "4"}]}}});
        let given = [("a".to_owned(), "1".to_owned())];
        assert_eq!(check_arguments(manifest, &given).unwrap(), given);
        let error = check_arguments(manifest, &[("c".into(), "1".into())]).unwrap_err().to_string();
        assert!(error.contains("unknown parameter `c`: the pipeline's parameters are a, b"), "{error}");
        assert!(error.contains("missing required parameter `a`"), "{error}");
        let twice = check_arguments(manifest, &[("a".into(), "1".into()), ("a".into(), "2".into())]).unwrap_err();
        assert!(twice.to_string().contains("given twice"), "{twice}");
        let long = check_arguments(manifest, &[("a".into(), "x".repeat(10_001))]).unwrap_err();
        assert!(long.to_string().contains("parameter `a`"), "{long}");
    }

    #[test]
    fn run_names_carry_the_time_as_kfp_writes_it() {
        let text = now_text();
        assert_eq!(text.len(), "2025-01-01 00-00-00".len(), "{text}");
        assert!(text.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' '), "{text}");
    }
}
