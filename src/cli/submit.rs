//! `submit NAME` and `schedule NAME`: one of this program's pipelines, compiled
//! in memory and run on a KFP cluster now (kfp's `create_run_from_pipeline_func`),
//! or on a schedule (a recurring run).

use std::io::Write;

use kfp_core::client::{PipelineSource, Submit};

use super::api::recurring::{ScheduleArgs, Target};
use super::api::run::{line, wait_and_report, Waiting};
use super::api::{print, Connect};
use super::CliError;

/// `submit`'s command line.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  \
    cargo run -- submit \"add example\" -p value_1=3 -p value_2=4 --host http://localhost:8080 --experiment demo --wait\n\n\
    The Workflow travels inline with the run (nothing is uploaded). Without --experiment the run goes to\n\
    $KF_PIPELINES_DEFAULT_EXPERIMENT_NAME, else `Default`; $KF_PIPELINES_OVERRIDE_EXPERIMENT_NAME replaces either.")]
pub struct SubmitArgs {
    /// The pipeline: its name, Rust name or Rust path (see `list`).
    pipeline: String,
    /// A pipeline parameter, `name=value` (repeatable); `name=@FILE` reads the
    /// value from FILE, `name=@@TEXT` is the value `@TEXT`.
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE", value_parser = super::param::parse)]
    params: Vec<(String, String)>,
    /// Run name (default: the pipeline's name and the time, as kfp names runs).
    #[arg(long)]
    name: Option<String>,
    /// Experiment, by name (created when missing).
    #[arg(long)]
    experiment: Option<String>,
    /// Namespace of the experiment (multi-user clusters).
    #[arg(long, env = "KFP_NAMESPACE")]
    namespace: Option<String>,
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
}

/// `schedule`'s command line.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  \
    cargo run -- schedule \"add example\" --name nightly --cron '0 0 3 * * *' -p value_1=3 -p value_2=4 --experiment demo\n\n\
    A cron expression has six fields, seconds first (seconds minutes hours day-of-month month day-of-week),\n\
    or is @hourly, @daily, @weekly, @monthly, @yearly, @every 1h30m. The Workflow travels inline.")]
pub struct ScheduleCommand {
    /// The pipeline: its name, Rust name or Rust path (see `list`).
    pipeline: String,
    /// Name of the recurring run.
    #[arg(long)]
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

pub(super) fn submit(args: &SubmitArgs, out: &mut dyn Write) -> Result<(), CliError> {
    args.connect.v1_only("submit (it sends the pipeline compiled to an Argo Workflow)")?;
    let entry = super::compile::find(&args.pipeline)?;
    let client = args.connect.client()?;
    let mut submit = Submit { arguments: args.params.clone(), ..Submit::new() };
    submit.run_name = args.name.clone();
    submit.experiment = args.experiment.clone();
    submit.namespace = args.namespace.clone();
    submit.service_account = args.service_account.clone();
    let started = client.create_run_from_pipeline(entry.pipeline(), &submit)?;
    if !args.wait {
        return print(&args.connect, out, &started.run, || vec![format!("created run {}", line(&started.run))]);
    }
    writeln!(out, "created run {}", line(&started.run)).map_err(CliError::stdout)?;
    wait_and_report(&client, &started.run_id, &args.waiting, &args.connect, out)
}

pub(super) fn schedule(args: &ScheduleCommand, out: &mut dyn Write) -> Result<(), CliError> {
    args.connect.v1_only("schedule (it sends the pipeline compiled to an Argo Workflow)")?;
    let entry = super::compile::find(&args.pipeline)?;
    let yaml = kfp_core::Compiler::new().compile_to_string(entry.pipeline())?;
    let job = super::api::recurring::create(
        &args.connect,
        &args.name,
        args.description.clone(),
        PipelineSource::Package(yaml),
        &args.target,
        &args.schedule,
    )?;
    print(&args.connect, out, &job, || vec![format!("created recurring run {}", super::api::recurring::line(&job))])
}
