//! `run create|get|list|wait|terminate|retry|archive|unarchive|delete`: runs on a KFP cluster.
//!
//! (`run FILE` runs a Workflow on this machine instead, as `run-local` does: see `RunCommand`.)

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use kfp_core::client::{is_finished, Client, CreateRun, PipelineSource, Run, RunDetail};

use super::{next_page_line, or_dash, print, Connect, Paging};
use crate::cli::CliError;

/// Run commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Start a run of an uploaded pipeline, a pipeline version, or a compiled Workflow file.
    #[command(
        after_help = "Examples:\n  kfp run create --package add-example.yaml -p value_1=3 -p value_2=4 --experiment demo --wait\n  kfp run create --pipeline-id 8c1e... --name nightly"
    )]
    Create {
        /// A compiled Workflow YAML, sent with the run (nothing is uploaded).
        #[arg(long, group = "source", value_name = "FILE")]
        package: Option<PathBuf>,
        /// An uploaded pipeline's ID (its default version runs).
        #[arg(long, group = "source", value_name = "ID")]
        pipeline_id: Option<String>,
        /// A pipeline version's ID.
        #[arg(long, group = "source", value_name = "ID")]
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
            let client = connect.client()?;
            let (source, default_name) = match (package, pipeline_id, version_id) {
                (Some(file), _, _) => {
                    let text = std::fs::read_to_string(file).map_err(|source| CliError::Io {
                        action: "read",
                        path: file.display().to_string(),
                        source,
                    })?;
                    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                    (PipelineSource::Package(text), stem)
                }
                (None, Some(id), _) => (PipelineSource::Pipeline(id.clone()), format!("pipeline {id}")),
                (None, None, Some(id)) => (PipelineSource::Version(id.clone()), format!("version {id}")),
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
