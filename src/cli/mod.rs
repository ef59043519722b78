//! Command lines: [`main`] gives a user's binary the commands over its own
//! `#[pipeline]`s (`list`, `compile`, `run-local NAME`), the dispatch of its
//! prebuilt-image components (`component NAME ARGS...`, what their containers
//! run), plus the tools of the standalone `kfp` binary ([`kfp_main`]):
//! `validate`, `graph`, `run-local FILE` and, with the `client` feature, the
//! KFP API commands `health`, `pipeline`, `experiment`, `run` and
//! `recurring-run`; with `client`, a user's binary also gets `submit NAME` and
//! `schedule NAME` (its pipelines run on a cluster).
//!
//! One module per command; a new command is a module and a variant of
//! [`UserCommand`] (commands over the binary's pipelines) or [`ToolCommand`]
//! (commands on files and the API).
//!
//! In `src/main.rs` of a crate whose modules define `#[pipeline]`s:
//!
//! ```text
//! fn main() {
//!     kfp::cli::main()
//! }
//! ```

mod compile;
mod component;
mod error;
mod graph;
mod list;
mod param;
pub mod run;
mod validate;

#[cfg(feature = "client")]
mod api;
#[cfg(feature = "client")]
mod submit;

use std::ffi::OsString;
use std::io::Write;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

pub use error::CliError;

/// Commands that need no pipeline of the binary: the standalone `kfp` binary has these.
#[derive(Debug, Subcommand)]
pub enum ToolCommand {
    /// Check a Workflow or KFP v2 pipeline IR YAML file: our typed model (unknown fields and
    /// wrong types are errors), Argo's rules and KFP's limits or the IR's rules; each problem
    /// names its YAML path.
    Validate(validate::Args),
    /// Draw a Workflow's or pipeline IR file's DAG (conditions, loops and the exit handler as
    /// groups) as DOT or Mermaid.
    Graph(graph::Args),
    /// Run a Workflow on this machine: each container as a local process, tasks in
    /// dependency order, independent ones in parallel; logs in a run directory.
    #[command(name = "run-local")]
    RunLocal(run::RunArgs),
    /// Check that the KFP API answers.
    #[cfg(feature = "client")]
    Health(api::health::Args),
    /// Upload, list, get and delete pipelines and their versions on a KFP cluster.
    #[cfg(feature = "client")]
    #[command(subcommand)]
    Pipeline(api::pipeline::Command),
    /// Create, list and get experiments on a KFP cluster.
    #[cfg(feature = "client")]
    #[command(subcommand)]
    Experiment(api::experiment::Command),
    /// Run a Workflow file on this machine (`run FILE`, as `run-local`), or start,
    /// watch, get, list, stop, retry, archive and delete runs on a KFP cluster
    /// (`run create|get|list|wait|terminate|retry|archive|unarchive|delete`).
    #[cfg(feature = "client")]
    Run(Box<RunCommand>),
    /// Create, list, get, enable, disable and delete recurring runs (scheduled runs) on a KFP cluster.
    #[cfg(feature = "client")]
    #[command(subcommand, name = "recurring-run", visible_alias = "job")]
    RecurringRun(Box<api::recurring::Command>),
}

/// `run`: `run WORKFLOW.yaml -p NAME=VALUE` runs the file here, as `run-local`
/// does; `run create|get|list|wait` talk to a KFP cluster.
#[cfg(feature = "client")]
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct RunCommand {
    #[command(subcommand)]
    cluster: Option<api::run::Command>,
    #[command(flatten)]
    local: Option<run::RunArgs>,
}

/// Commands of a user's binary ([`main`]): its pipelines, then every [`ToolCommand`].
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// List the pipelines of this program (every `#[pipeline]` linked into it).
    List(list::Args),
    /// Compile pipelines to Argo Workflow YAML for KFP v1 (kfp's `dsl-compile`), or with
    /// `--target v2` to pipeline IR for KFP v2: one, or all of them.
    Compile(compile::Args),
    #[command(flatten)]
    #[allow(missing_docs)]
    Tool(Box<ToolCommand>),
    /// Run one prebuilt-image component (`#[component(image = ...)]`) as its container does:
    /// `component NAME --value-1 3 ----output-paths FILE`.
    Component(component::Args),
    /// Compile one of this program's pipelines and run it on a KFP cluster, in one call
    /// (kfp's `create_run_from_pipeline_func`).
    #[cfg(feature = "client")]
    Submit(Box<submit::SubmitArgs>),
    /// Compile one of this program's pipelines and run it on a KFP cluster on a schedule (a recurring run).
    #[cfg(feature = "client")]
    Schedule(Box<submit::ScheduleCommand>),
}

/// The standalone `kfp` binary.
#[derive(Debug, Parser)]
#[command(
    name = "kfp",
    version,
    about = "Kubeflow Pipelines tools: check and draw Argo Workflow YAML, and talk to a KFP cluster",
    after_help = "Pipelines are compiled by your own program: call kfp::cli::main() in its main for `list`, `compile` and `run-local NAME`."
)]
struct KfpCli {
    #[command(subcommand)]
    command: ToolCommand,
}

/// A user's binary.
#[derive(Debug, Parser)]
#[command(
    version,
    about = "The Kubeflow pipelines of this program: list and compile them, check and draw Workflows, run them on KFP"
)]
struct UserCli {
    #[command(subcommand)]
    command: UserCommand,
}

/// The `main` of a program whose crate defines `#[pipeline]`s: parses the
/// command line, runs the command and exits (0 on success, 1 on failure, 2 on
/// a usage error).
pub fn main() {
    let args: Vec<OsString> = std::env::args_os().collect();
    let name = program_name(&args);
    let command = user_command().bin_name(name);
    let matches = command.try_get_matches_from(args).unwrap_or_else(|error| error.exit());
    let cli = UserCli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    // Not `stdout().lock()`: in-process components print from the run's threads,
    // and would wait for a lock held for the whole command.
    exit(run_user(cli.command, &mut std::io::stdout()));
}

/// The `main` of the standalone `kfp` binary.
pub fn kfp_main() {
    let cli = KfpCli::parse();
    exit(run_tool(cli.command, &mut std::io::stdout()));
}

/// Runs a user-binary command line (`["prog", "compile", ...]`), writing its
/// output to `out`; for embedding and tests.
pub fn try_run<I, T>(args: I, out: &mut dyn Write) -> Result<(), CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let parsed = user_command().try_get_matches_from(args).and_then(|matches| UserCli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        // `--help` and `--version` are answers, not errors.
        Err(error) if !error.use_stderr() => {
            return write!(out, "{}", error.render()).map_err(CliError::stdout);
        }
        Err(error) => return Err(CliError::Usage(error.render().to_string())),
    };
    run_user(cli.command, out)
}

/// The user binary's command line: the derived one, with `run-local` taking a
/// pipeline of the program as well as a Workflow file.
fn user_command() -> clap::Command {
    UserCli::command().mut_subcommand("run-local", |command| {
        command
            .about(
                "Run one of this program's pipelines on this machine, its Rust functions called in process \
                 (or a Workflow YAML file, each container as a local process)",
            )
            .mut_arg("workflow", |arg| {
                arg.value_name("PIPELINE")
                    .help("The pipeline: its name, Rust name or Rust path (see `list`); or a Workflow YAML file")
            })
    })
}

fn run_user(command: UserCommand, out: &mut dyn Write) -> Result<(), CliError> {
    match command {
        UserCommand::List(args) => list::run(&args, out),
        UserCommand::Compile(args) => compile::run(&args, out),
        UserCommand::Component(args) => component::run(&args, out),
        #[cfg(feature = "client")]
        UserCommand::Submit(args) => submit::submit(&args, out),
        #[cfg(feature = "client")]
        UserCommand::Schedule(args) => submit::schedule(&args, out),
        UserCommand::Tool(command) => match *command {
            ToolCommand::RunLocal(args) => run::execute_in_program(&args, out),
            #[cfg(feature = "client")]
            ToolCommand::Run(command) => match *command {
                RunCommand { local: Some(args), .. } => run::execute_in_program(&args, out),
                command => run_tool(ToolCommand::Run(Box::new(command)), out),
            },
            command => run_tool(command, out),
        },
    }
}

fn run_tool(command: ToolCommand, out: &mut dyn Write) -> Result<(), CliError> {
    match command {
        ToolCommand::Validate(args) => validate::run(&args, out),
        ToolCommand::Graph(args) => graph::run(&args, out),
        ToolCommand::RunLocal(args) => run::execute(&args, out),
        #[cfg(feature = "client")]
        ToolCommand::Health(args) => api::health::run(&args, out),
        #[cfg(feature = "client")]
        ToolCommand::Pipeline(command) => api::pipeline::run(&command, out),
        #[cfg(feature = "client")]
        ToolCommand::Experiment(command) => api::experiment::run(&command, out),
        #[cfg(feature = "client")]
        ToolCommand::RecurringRun(command) => api::recurring::run(&command, out),
        #[cfg(feature = "client")]
        ToolCommand::Run(command) => match *command {
            RunCommand { cluster: Some(command), .. } => api::run::run(&command, out),
            RunCommand { local: Some(args), .. } => run::execute(&args, out),
            RunCommand { cluster: None, local: None } => {
                Err(CliError::Usage("`run` needs a Workflow file or one of create, get, list, wait".to_owned()))
            }
        },
    }
}

/// Prints the error (problems were already listed on stdout) and exits.
fn exit(result: Result<(), CliError>) -> ! {
    match result {
        Ok(()) => std::process::exit(0),
        Err(error) => {
            let _ = std::io::stdout().flush();
            // Not eprintln!, which panics when stderr fails: after SIGHUP the terminal is gone.
            let _ = writeln!(std::io::stderr(), "error: {error}");
            std::process::exit(error.exit_code())
        }
    }
}

/// The binary's file name, for `--help` (`my-pipelines`, not `kfp`).
fn program_name(args: &[OsString]) -> String {
    args.first()
        .and_then(|arg0| std::path::Path::new(arg0).file_stem().map(|stem| stem.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "pipelines".to_owned())
}
