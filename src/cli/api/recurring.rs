//! `recurring-run create|list|get|enable|disable|delete` (alias `job`): runs
//! started on a schedule (the API's jobs).

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use kfp_core::client::{Client, CreateJob, Job, PipelineSource, Schedule};

use super::{next_page_line, or_dash, print, read_package, Api, Connect, Paging};
use crate::cli::CliError;

/// Recurring run commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Start a pipeline on a schedule: a compiled Workflow file (sent with the recurring run), an uploaded pipeline or a version.
    #[command(after_help = "Examples:\n  \
        kfp recurring-run create --package add_pipeline.yaml --name nightly --cron '0 0 3 * * *' -p value_1=3 --experiment demo\n  \
        kfp recurring-run create --pipeline-id 8c1e... --name hourly --every 3600 --no-catchup\n\n\
        A cron expression has six fields, seconds first (seconds minutes hours day-of-month month day-of-week),\n\
        or is @hourly, @daily, @weekly, @monthly, @yearly, @every 1h30m.")]
    Create(Box<CreateArgs>),
    /// List recurring runs.
    List {
        /// Only those of this experiment.
        #[arg(long, value_name = "ID")]
        experiment_id: Option<String>,
        #[command(flatten)]
        paging: Paging,
        #[command(flatten)]
        connect: Connect,
    },
    /// Show a recurring run.
    Get {
        /// Recurring run ID.
        id: String,
        #[command(flatten)]
        connect: Connect,
    },
    /// Let a recurring run start runs again.
    Enable {
        /// Recurring run ID.
        id: String,
        #[command(flatten)]
        connect: Connect,
    },
    /// Stop a recurring run from starting runs (those running go on).
    Disable {
        /// Recurring run ID.
        id: String,
        #[command(flatten)]
        connect: Connect,
    },
    /// Delete a recurring run (not the runs it started).
    Delete {
        /// Recurring run ID.
        id: String,
        #[command(flatten)]
        connect: Connect,
    },
}

/// `recurring-run create`'s command line.
#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// A compiled Workflow YAML, sent with the recurring run (nothing is uploaded).
    #[arg(long, visible_alias = "pipeline-package-path", group = "source", value_name = "FILE")]
    package: Option<PathBuf>,
    /// An uploaded pipeline's ID (its default version runs).
    #[arg(long, group = "source", value_name = "ID")]
    pipeline_id: Option<String>,
    /// A pipeline version's ID.
    #[arg(long, group = "source", value_name = "ID")]
    version_id: Option<String>,
    /// Name of the recurring run.
    #[arg(long, visible_alias = "job-name")]
    name: String,
    /// Description.
    #[arg(long)]
    description: Option<String>,
    #[command(flatten)]
    target: Target,
    #[command(flatten)]
    schedule: ScheduleArgs,
    #[command(flatten)]
    connect: Connect,
}

/// Where the runs go and what they are given.
#[derive(Debug, clap::Args)]
pub struct Target {
    /// Experiment, by name (created when missing).
    #[arg(long, visible_alias = "experiment-name", conflicts_with = "experiment_id")]
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
    /// Kubernetes service account of the runs.
    #[arg(long)]
    service_account: Option<String>,
}

/// When the runs start.
#[derive(Debug, clap::Args)]
pub struct ScheduleArgs {
    /// Cron expression: six fields, seconds first (`0 0 3 * * *` is 03:00 daily), or @daily, @every 6h...
    #[arg(long, visible_alias = "cron-expression", value_name = "EXPR", conflicts_with = "every")]
    cron: Option<String>,
    /// Seconds between two runs (a periodic schedule).
    #[arg(long, visible_alias = "interval-second", value_name = "SECONDS")]
    every: Option<u64>,
    /// No run before this time (RFC 3339, 2025-01-01T00:00:00Z).
    #[arg(long, value_name = "TIME")]
    start_time: Option<String>,
    /// No run after this time (RFC 3339).
    #[arg(long, value_name = "TIME")]
    end_time: Option<String>,
    /// How many of its runs may run at once (1 to 10).
    #[arg(long, default_value_t = 1, value_name = "N")]
    max_concurrency: i64,
    /// After a pause, start only the latest missed run, not one per missed interval.
    #[arg(long)]
    no_catchup: bool,
    /// Create it disabled (`recurring-run enable ID` starts it).
    #[arg(long)]
    disabled: bool,
}

pub(crate) fn run(command: &Command, out: &mut dyn Write) -> Result<(), CliError> {
    let connect = match command {
        Command::Create(args) => &args.connect,
        Command::List { connect, .. }
        | Command::Get { connect, .. }
        | Command::Enable { connect, .. }
        | Command::Disable { connect, .. }
        | Command::Delete { connect, .. } => connect,
    };
    connect.v1_only("recurring-run")?;
    match command {
        Command::Create(args) => {
            let CreateArgs { package, pipeline_id, version_id, name, description, target, schedule, connect } = &**args;
            let source = match (package, pipeline_id, version_id) {
                (Some(file), _, _) => {
                    let (text, package) = read_package(file)?;
                    if connect.api_for(file, &package)? == Api::V2 {
                        return Err(CliError::Invalid(format!(
                            "{} is a KFP v2 pipeline spec: its recurring runs are the v2beta1 API's, which these commands do not speak yet; give a Workflow (kfp-rs's `compile`), or create a run with `kfp run create --package`",
                            file.display()
                        )));
                    }
                    PipelineSource::Package(text)
                }
                (None, Some(id), _) => PipelineSource::Pipeline(id.clone()),
                (None, None, Some(id)) => PipelineSource::Version(id.clone()),
                (None, None, None) => {
                    return Err(CliError::Invalid(
                        "say what to run: --package FILE, --pipeline-id ID or --version-id ID".to_owned(),
                    ))
                }
            };
            let job = create(connect, name, description.clone(), source, target, schedule)?;
            print(connect, out, &job, || vec![format!("created recurring run {}", line(&job))])
        }
        Command::List { experiment_id, paging, connect } => {
            let page = connect.client()?.list_jobs(&paging.options(), experiment_id.as_deref())?;
            let json = serde_json::json!({
                "jobs": page.items, "total_size": page.total_size, "next_page_token": page.next_page_token,
            });
            print(connect, out, &json, || {
                let mut lines: Vec<String> = page.items.iter().map(line).collect();
                lines.extend(next_page_line(&page.next_page_token, page.total_size));
                lines
            })
        }
        Command::Get { id, connect } => {
            let job = connect.client()?.get_job(id)?;
            print(connect, out, &job, || {
                let mut lines = vec![line(&job)];
                let parameters = job.pipeline_spec.iter().flat_map(|spec| &spec.parameters);
                for parameter in parameters {
                    lines.push(format!("  parameter {} = {}", or_dash(&parameter.name), or_dash(&parameter.value)));
                }
                lines
            })
        }
        Command::Enable { id, connect } => {
            connect.client()?.enable_job(id)?;
            print(connect, out, &serde_json::json!({}), || vec![format!("enabled recurring run {id}")])
        }
        Command::Disable { id, connect } => {
            connect.client()?.disable_job(id)?;
            print(connect, out, &serde_json::json!({}), || vec![format!("disabled recurring run {id}")])
        }
        Command::Delete { id, connect } => {
            connect.client()?.delete_job(id)?;
            print(connect, out, &serde_json::json!({}), || vec![format!("deleted recurring run {id}")])
        }
    }
}

/// Creates the recurring run (the experiment too, when named and missing).
pub(crate) fn create(
    connect: &Connect,
    name: &str,
    description: Option<String>,
    source: PipelineSource,
    target: &Target,
    schedule: &ScheduleArgs,
) -> Result<Job, CliError> {
    let trigger = match (&schedule.cron, schedule.every) {
        (Some(cron), _) => Schedule::Cron(cron.clone()),
        (None, Some(seconds)) => Schedule::Every(Duration::from_secs(seconds)),
        (None, None) => return Err(CliError::Invalid("say when: --cron EXPR or --every SECONDS".to_owned())),
    };
    let mut job = CreateJob::new(name, source, trigger);
    job.description = description;
    job.parameters = target.params.clone();
    job.service_account = target.service_account.clone();
    job.start_time = schedule.start_time.clone();
    job.end_time = schedule.end_time.clone();
    job.max_concurrency = schedule.max_concurrency;
    job.no_catchup = schedule.no_catchup;
    job.enabled = !schedule.disabled;
    let client: Client = connect.client()?;
    // A bad schedule is refused before the experiment is created.
    job.experiment_id = match (&target.experiment, &target.experiment_id) {
        (Some(experiment), _) => {
            job.check()?;
            client.ensure_experiment(experiment, target.namespace.as_deref())?.id
        }
        (None, id) => id.clone(),
    };
    Ok(client.create_job(&job)?)
}

/// `ID  NAME  Enabled|Disabled  SCHEDULE  CREATED`.
pub(crate) fn line(job: &Job) -> String {
    let state = match job.enabled {
        Some(true) => "Enabled",
        Some(false) => "Disabled",
        None => or_dash(&job.status),
    };
    let trigger = job.trigger.clone().unwrap_or_default();
    let schedule = match (trigger.cron_schedule, trigger.periodic_schedule) {
        (Some(cron), _) => format!("cron {}", cron.cron.unwrap_or_default()),
        (None, Some(periodic)) => format!("every {}s", periodic.interval_second.unwrap_or_default()),
        (None, None) => "-".to_owned(),
    };
    format!("{}\t{}\t{state}\t{schedule}\t{}", or_dash(&job.id), or_dash(&job.name), or_dash(&job.created_at))
}
