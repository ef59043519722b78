//! `run create|get|list|wait|terminate|retry|archive|unarchive|delete`: runs on a KFP cluster.
//!
//! (`run FILE` runs a Workflow on this machine instead, as `run-local` does: see `RunCommand`.)

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use kfp_core::client::{is_finished, v2, Client, CreateRun, PipelineSource, Run, RunDetail};

use super::{next_page_line, or_dash, print, read_package, Api, Connect, Paging};
use crate::cli::CliError;

/// Run commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Start a run of an uploaded pipeline, a pipeline version, or a compiled pipeline file.
    #[command(
        after_help = "Examples:\n  kfp run create --package add-example.yaml -p value_1=3 -p value_2=4 --experiment demo --wait\n  kfp run create --pipeline-id 8c1e... --name nightly\n  kfp run create --package add_numbers.yaml -p a=3 -p b=4 --wait   (a KFP v2 pipeline spec: the v2 API)"
    )]
    Create {
        /// A compiled pipeline, sent with the run (nothing is uploaded): a Workflow YAML (v1 API)
        /// or a KFP v2 pipeline spec YAML (v2 API).
        #[arg(long, group = "source", value_name = "FILE")]
        package: Option<PathBuf>,
        /// An uploaded pipeline's ID (its default version runs; with --version-id, that version's pipeline).
        #[arg(long, group = "source", value_name = "ID")]
        pipeline_id: Option<String>,
        /// A pipeline version's ID (the v2 API wants its --pipeline-id too).
        #[arg(long, value_name = "ID", conflicts_with = "package")]
        version_id: Option<String>,
        /// Run name (default: the file or pipeline and the time).
        #[arg(long)]
        name: Option<String>,
        /// Experiment, by name (created when missing).
        #[arg(long, conflicts_with = "experiment_id")]
        experiment: Option<String>,
        /// Experiment, by ID.
        #[arg(long, value_name = "ID")]
        experiment_id: Option<String>,
        /// Namespace of the experiment (multi-user clusters).
        #[arg(long, env = "KFP_NAMESPACE")]
        namespace: Option<String>,
        /// A pipeline parameter, `name=value` (repeatable); `name=@FILE` reads the
        /// value from FILE, `name=@@TEXT` is the value `@TEXT`.
        #[arg(long = "param", short = 'p', value_name = "NAME=VALUE", value_parser = crate::cli::param::parse)]
        params: Vec<(String, String)>,
        /// Kubernetes service account of the run.
        #[arg(long)]
        service_account: Option<String>,
        /// Wait until the run finishes, printing its state changes; fail unless it succeeds.
        #[arg(long)]
        wait: bool,
        #[command(flatten)]
        waiting: Waiting,
        #[command(flatten)]
        connect: Connect,
    },
    /// Show a run; with --outputs, each step's output parameters and artifacts.
    Get {
        /// Run ID.
        id: String,
        /// Also print each step's output parameters and the names of its artifacts
        /// (from the run's Workflow status).
        #[arg(long)]
        outputs: bool,
        /// Download every output artifact into DIR/<step>/<artifact>/ (implies --outputs).
        #[arg(long, value_name = "DIR")]
        artifacts_dir: Option<PathBuf>,
        #[command(flatten)]
        connect: Connect,
    },
    /// List runs.
    List {
        /// Only runs of this experiment.
        #[arg(long, value_name = "ID")]
        experiment_id: Option<String>,
        #[command(flatten)]
        paging: Paging,
        #[command(flatten)]
        connect: Connect,
    },
    /// Wait until a run finishes, printing its state changes; fail unless it succeeds.
    Wait {
        /// Run ID.
        id: String,
        #[command(flatten)]
        waiting: Waiting,
        #[command(flatten)]
        connect: Connect,
    },
    /// Stop a run: its running steps end, the run ends Failed.
    Terminate {
        /// Run ID.
        id: String,
        #[command(flatten)]
        connect: Connect,
    },
    /// Run the failed steps of a failed run again.
    Retry {
        /// Run ID.
        id: String,
        #[command(flatten)]
        connect: Connect,
    },
    /// Move a run to the archive (out of the default lists).
    Archive {
        /// Run ID.
        id: String,
        #[command(flatten)]
        connect: Connect,
    },
    /// Bring a run back from the archive.
    Unarchive {
        /// Run ID.
        id: String,
        #[command(flatten)]
        connect: Connect,
    },
    /// Delete a run.
    Delete {
        /// Run ID.
        id: String,
        #[command(flatten)]
        connect: Connect,
    },
}

/// How long to wait for a run.
#[derive(Debug, clap::Args)]
pub struct Waiting {
    /// Give up waiting after this many seconds.
    #[arg(long, default_value_t = 3600, value_name = "SECONDS")]
    timeout: u64,
    /// Seconds between two looks at the run.
    #[arg(long, default_value_t = 5, value_name = "SECONDS")]
    poll: u64,
}

pub(crate) fn run(command: &Command, out: &mut dyn Write) -> Result<(), CliError> {
    match command {
        Command::Create { .. } => {}
        Command::Get { connect, .. }
        | Command::List { connect, .. }
        | Command::Wait { connect, .. }
        | Command::Terminate { connect, .. }
        | Command::Retry { connect, .. }
        | Command::Archive { connect, .. }
        | Command::Unarchive { connect, .. }
        | Command::Delete { connect, .. } => {
            if connect.api() == Api::V2 {
                return run_v2(command, out);
            }
        }
    }
    match command {
        Command::Create {
            package,
            pipeline_id,
            version_id,
            name,
            experiment,
            experiment_id,
            namespace,
            params,
            service_account,
            wait,
            waiting,
            connect,
        } => {
            // Checked here rather than refused by the API after the pipeline is read.
            let too_long: Vec<String> = params
                .iter()
                .filter_map(|(name, value)| {
                    kfp_core::argo::rules::parameter_value_too_long(value).map(|why| format!("--param {name} {why}"))
                })
                .collect();
            if !too_long.is_empty() {
                return Err(CliError::Invalid(too_long.join("\n")));
            }
            let package = package.as_ref().map(|file| read_package(file).map(|read| (file, read))).transpose()?;
            let api = match &package {
                Some((file, (_, read))) => connect.api_for(file, read)?,
                None => connect.api(),
            };
            let client = connect.client()?;
            if api == Api::V2 {
                let request = CreateV2 {
                    package: package.as_ref().map(|(file, (_, read))| (file.as_path(), read)),
                    pipeline_id: pipeline_id.as_deref(),
                    version_id: version_id.as_deref(),
                    name: name.as_deref(),
                    experiment: experiment.as_deref(),
                    experiment_id: experiment_id.as_deref(),
                    namespace: namespace.as_deref(),
                    params,
                    service_account: service_account.as_deref(),
                };
                return create_v2(&client, &request, wait.then_some(waiting), connect, out);
            }
            let (source, default_name) = match (package, pipeline_id, version_id) {
                (Some((file, (text, _))), _, _) => {
                    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                    (PipelineSource::Package(text), stem)
                }
                (None, _, Some(id)) => (PipelineSource::Version(id.clone()), format!("version {id}")),
                (None, Some(id), None) => (PipelineSource::Pipeline(id.clone()), format!("pipeline {id}")),
                (None, None, None) => {
                    return Err(CliError::Invalid(
                        "say what to run: --package FILE, --pipeline-id ID or --version-id ID".to_owned(),
                    ))
                }
            };
            let experiment_id = match (experiment, experiment_id) {
                (Some(name), _) => client.ensure_experiment(name, namespace.as_deref())?.id,
                (None, id) => id.clone(),
            };
            let request = CreateRun {
                name: name.clone().unwrap_or_else(|| format!("{default_name} {}", now_text())),
                description: None,
                experiment_id,
                source,
                parameters: params.clone(),
                service_account: service_account.clone(),
            };
            let detail = client.create_run(&request)?;
            let run = detail.run.clone().unwrap_or_default();
            let id = run
                .id
                .clone()
                .ok_or_else(|| CliError::Invalid("the KFP API created a run but did not say its ID".to_owned()))?;
            if !*wait {
                return print(connect, out, &detail, || vec![format!("created run {}", line(&run))]);
            }
            writeln!(out, "created run {}", line(&run)).map_err(CliError::stdout)?;
            wait_and_report(&client, &id, waiting, connect, out)
        }
        Command::Get { id, outputs, artifacts_dir, connect } => {
            let client = connect.client()?;
            let detail = client.get_run(id)?;
            if !*outputs && artifacts_dir.is_none() {
                return print(connect, out, &detail, || detail.run.iter().map(line).collect());
            }
            let nodes = detail.node_outputs()?;
            let mut saved = Vec::new();
            if let Some(dir) = artifacts_dir {
                for node in &nodes {
                    for artifact in &node.artifacts {
                        let files = client.read_artifact_files(id, &node.node_id, artifact)?;
                        let into = dir.join(file_name(&node.display_name)).join(file_name(artifact));
                        let written = kfp_core::client::write_artifact_files(&into, &files)?;
                        saved.push((node.node_id.clone(), artifact.clone(), written));
                    }
                }
            }
            let json = serde_json::json!({
                "run": detail.run,
                "outputs": nodes.iter().map(|node| serde_json::json!({
                    "node_id": node.node_id, "name": node.display_name, "template": node.template, "phase": node.phase,
                    "parameters": node.parameters.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
                    "artifacts": node.artifacts,
                    "saved": saved.iter().filter(|(id, ..)| *id == node.node_id)
                        .map(|(_, artifact, files)| serde_json::json!({"artifact": artifact, "files": files}))
                        .collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            });
            print(connect, out, &json, || {
                let mut lines: Vec<String> = detail.run.iter().map(line).collect();
                if nodes.is_empty() {
                    lines.push("no outputs yet (the run has not written its Workflow status)".to_owned());
                }
                for node in &nodes {
                    lines.push(format!("{} ({}): {}", node.display_name, node.node_id, or_dash(&node.phase)));
                    for (name, value) in &node.parameters {
                        lines.push(format!("  {name} = {value}"));
                    }
                    for artifact in &node.artifacts {
                        let files = saved.iter().filter(|(id, name, _)| *id == node.node_id && name == artifact);
                        let files: Vec<String> =
                            files.flat_map(|(_, _, files)| files.iter().map(|f| f.display().to_string())).collect();
                        match files.as_slice() {
                            [] => lines.push(format!("  artifact {artifact}")),
                            files => lines.push(format!("  artifact {artifact} -> {}", files.join(", "))),
                        }
                    }
                }
                lines
            })
        }
        Command::Terminate { id, connect } => {
            connect.client()?.terminate_run(id)?;
            print(connect, out, &serde_json::json!({}), || vec![format!("terminated run {id}")])
        }
        Command::Retry { id, connect } => {
            connect.client()?.retry_run(id)?;
            print(connect, out, &serde_json::json!({}), || vec![format!("retrying run {id}")])
        }
        Command::Archive { id, connect } => {
            connect.client()?.archive_run(id)?;
            print(connect, out, &serde_json::json!({}), || vec![format!("archived run {id}")])
        }
        Command::Unarchive { id, connect } => {
            connect.client()?.unarchive_run(id)?;
            print(connect, out, &serde_json::json!({}), || vec![format!("unarchived run {id}")])
        }
        Command::Delete { id, connect } => {
            connect.client()?.delete_run(id)?;
            print(connect, out, &serde_json::json!({}), || vec![format!("deleted run {id}")])
        }
        Command::List { experiment_id, paging, connect } => {
            let page = connect.client()?.list_runs(&paging.options(), experiment_id.as_deref())?;
            let json = serde_json::json!({
                "runs": page.items, "total_size": page.total_size, "next_page_token": page.next_page_token,
            });
            print(connect, out, &json, || {
                let mut lines: Vec<String> = page.items.iter().map(line).collect();
                lines.extend(next_page_line(&page.next_page_token, page.total_size));
                lines
            })
        }
        Command::Wait { id, waiting, connect } => {
            let client = connect.client()?;
            wait_and_report(&client, id, waiting, connect, out)
        }
    }
}

/// What `run create` was given, for the v2beta1 API.
struct CreateV2<'a> {
    package: Option<(&'a std::path::Path, &'a v2::Package)>,
    pipeline_id: Option<&'a str>,
    version_id: Option<&'a str>,
    name: Option<&'a str>,
    experiment: Option<&'a str>,
    experiment_id: Option<&'a str>,
    namespace: Option<&'a str>,
    params: &'a [(String, String)],
    service_account: Option<&'a str>,
}

/// `run create` through the v2beta1 API: the parameters are typed and checked
/// as the pipeline spec declares them, read from the file, or from the version run.
fn create_v2(
    client: &Client,
    request: &CreateV2,
    waiting: Option<&Waiting>,
    connect: &Connect,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let api = client.v2();
    // A version without its spec can still run, when there is nothing to check.
    let version_spec = |version: v2::PipelineVersion, what: String| match version.pipeline_spec {
        Some(spec) => Ok(Some(spec)),
        None if request.params.is_empty() => Ok(None),
        None => Err(CliError::Invalid(format!("the KFP API sent {what} without its pipeline spec"))),
    };
    let (source, spec, default_name) = match (request.package, request.pipeline_id, request.version_id) {
        (Some((file, package)), _, _) => {
            let spec = package.run_spec().unwrap_or_default();
            let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            (v2::RunSource::Spec(spec.clone()), Some(spec), stem)
        }
        (None, Some(pipeline_id), Some(version_id)) => {
            let version = api.get_pipeline_version(pipeline_id, version_id)?;
            let spec = version_spec(version, format!("version {version_id}"))?;
            let source =
                v2::RunSource::Version { pipeline_id: pipeline_id.to_owned(), version_id: version_id.to_owned() };
            (source, spec, format!("version {version_id}"))
        }
        (None, Some(pipeline_id), None) => {
            let version = api.latest_pipeline_version(pipeline_id)?.ok_or_else(|| {
                CliError::Invalid(format!(
                    "pipeline {pipeline_id} has no version to run: upload one (`kfp pipeline upload-version`)"
                ))
            })?;
            let spec = version_spec(version, format!("the latest version of pipeline {pipeline_id}"))?;
            (v2::RunSource::Pipeline(pipeline_id.to_owned()), spec, format!("pipeline {pipeline_id}"))
        }
        (None, None, Some(_)) => {
            return Err(CliError::Invalid(
                "the v2 API names a version by its pipeline too: add --pipeline-id ID".to_owned(),
            ))
        }
        (None, None, None) => {
            return Err(CliError::Invalid(
                "say what to run: --package FILE, --pipeline-id ID or --version-id ID with --pipeline-id ID".to_owned(),
            ))
        }
    };
    let parameters = match &spec {
        Some(spec) => v2::parameter_values(spec, request.params)?,
        None => Default::default(),
    };
    let experiment_id = match (request.experiment, request.experiment_id) {
        (Some(name), _) => api.ensure_experiment(name, request.namespace)?.experiment_id,
        (None, id) => id.map(str::to_owned),
    };
    let run = api.create_run(&v2::CreateRun {
        name: request.name.map(str::to_owned).unwrap_or_else(|| format!("{default_name} {}", now_text())),
        description: None,
        experiment_id,
        source,
        parameters,
        pipeline_root: None,
        service_account: request.service_account.map(str::to_owned),
    })?;
    let id = run
        .run_id
        .clone()
        .ok_or_else(|| CliError::Invalid("the KFP API created a run but did not say its ID".to_owned()))?;
    let Some(waiting) = waiting else {
        return print(connect, out, &run, || vec![format!("created run {}", line_v2(&run))]);
    };
    writeln!(out, "created run {}", line_v2(&run)).map_err(CliError::stdout)?;
    wait_and_report_v2(client, &id, waiting, connect, out)
}

/// The run commands but `create` through the v2beta1 API.
fn run_v2(command: &Command, out: &mut dyn Write) -> Result<(), CliError> {
    let done = |connect: &Connect, out: &mut dyn Write, what: String| {
        print(connect, out, &serde_json::json!({}), || vec![what])
    };
    match command {
        Command::Create { .. } => unreachable!("create picks its API from its package"),
        Command::Get { id, outputs, artifacts_dir, connect } => {
            if *outputs || artifacts_dir.is_some() {
                return Err(CliError::Invalid(
                    "--outputs and --artifacts-dir read a v1 run's Workflow status; a v2 run's tasks are in `kfp run get ID --api v2` (and its --json)".to_owned(),
                ));
            }
            let run = connect.client()?.v2().get_run(id)?;
            print(connect, out, &run, || {
                let mut lines = vec![line_v2(&run)];
                for task in run.run_details.iter().flat_map(|details| &details.task_details) {
                    let state = task.state.map_or("-", v2::RuntimeState::as_str);
                    lines.push(format!("  task {}: {state}", or_dash(&task.display_name)));
                }
                lines
            })
        }
        Command::List { experiment_id, paging, connect } => {
            let options = paging.options_v2("display_name");
            let page = connect.client()?.v2().list_runs(&options, experiment_id.as_deref(), None)?;
            let json = serde_json::json!({
                "runs": page.items, "total_size": page.total_size, "next_page_token": page.next_page_token,
            });
            print(connect, out, &json, || {
                let mut lines: Vec<String> = page.items.iter().map(line_v2).collect();
                lines.extend(next_page_line(&page.next_page_token, page.total_size));
                lines
            })
        }
        Command::Wait { id, waiting, connect } => wait_and_report_v2(&connect.client()?, id, waiting, connect, out),
        Command::Terminate { id, connect } => {
            connect.client()?.v2().terminate_run(id)?;
            done(connect, out, format!("terminated run {id}"))
        }
        Command::Retry { id, connect } => {
            connect.client()?.v2().retry_run(id)?;
            done(connect, out, format!("retrying run {id}"))
        }
        Command::Archive { id, connect } => {
            connect.client()?.v2().archive_run(id)?;
            done(connect, out, format!("archived run {id}"))
        }
        Command::Unarchive { id, connect } => {
            connect.client()?.v2().unarchive_run(id)?;
            done(connect, out, format!("unarchived run {id}"))
        }
        Command::Delete { id, connect } => {
            connect.client()?.v2().delete_run(id)?;
            done(connect, out, format!("deleted run {id}"))
        }
    }
}

/// [`wait_and_report`] for a v2beta1 run.
fn wait_and_report_v2(
    client: &Client,
    id: &str,
    waiting: &Waiting,
    connect: &Connect,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut write_error = None;
    let run = client.v2().wait_for_run(
        id,
        Duration::from_secs(waiting.timeout),
        Duration::from_secs(waiting.poll.max(1)),
        |state| {
            if let Err(error) = writeln!(out, "run {id}: {state}").and_then(|()| out.flush()) {
                write_error.get_or_insert(error);
            }
        },
    )?;
    if let Some(error) = write_error {
        return Err(CliError::stdout(error));
    }
    if connect.json {
        print(connect, out, &run, Vec::new)?;
    }
    match run.state {
        Some(v2::RuntimeState::Succeeded) => Ok(()),
        _ => Err(CliError::RunFailed { run_id: id.to_owned(), state: run.state_name().to_owned() }),
    }
}

/// `ID  NAME  STATE  CREATED`.
fn line_v2(run: &v2::Run) -> String {
    format!(
        "{}\t{}\t{}\t{}",
        or_dash(&run.run_id),
        or_dash(&run.display_name),
        run.state_name(),
        or_dash(&run.created_at)
    )
}

/// Waits, printing each state; an unsuccessful end is an error.
pub(crate) fn wait_and_report(
    client: &Client,
    id: &str,
    waiting: &Waiting,
    connect: &Connect,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut write_error = None;
    let detail: RunDetail = client.wait_for_run(
        id,
        Duration::from_secs(waiting.timeout),
        Duration::from_secs(waiting.poll.max(1)),
        |state| {
            if let Err(error) = writeln!(out, "run {id}: {state}").and_then(|()| out.flush()) {
                write_error.get_or_insert(error);
            }
        },
    )?;
    if let Some(error) = write_error {
        return Err(CliError::stdout(error));
    }
    let state = detail.run.as_ref().and_then(|run| run.status.clone()).unwrap_or_default();
    if connect.json {
        print(connect, out, &detail, Vec::new)?;
    }
    if is_finished(&state) && state.eq_ignore_ascii_case("Succeeded") {
        Ok(())
    } else {
        Err(CliError::RunFailed { run_id: id.to_owned(), state })
    }
}

/// A step's or artifact's name as one directory name: path separators and
/// what some file systems refuse become `_`.
fn file_name(name: &str) -> String {
    let cleaned: String =
        name.chars()
            .map(|c| {
                if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                    '_'
                } else {
                    c
                }
            })
            .collect();
    match cleaned.trim() {
        "" | "." | ".." => "_".to_owned(),
        name => name.to_owned(),
    }
}

/// `ID  NAME  STATUS  CREATED`.
pub(crate) fn line(run: &Run) -> String {
    format!("{}\t{}\t{}\t{}", or_dash(&run.id), or_dash(&run.name), or_dash(&run.status), or_dash(&run.created_at))
}

/// Seconds since the Unix epoch, to tell default run names apart.
fn now_text() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    format!("@{seconds}")
}
