//! `experiment create|list|get`.

use std::io::Write;

use kfp_core::client::{v2, Experiment};

use super::{next_page_line, or_dash, print, Api, Connect, Paging};
use crate::cli::CliError;

/// Experiment commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an experiment.
    Create {
        /// Experiment name (unique).
        name: String,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        /// Namespace (multi-user clusters).
        #[arg(long, env = "KFP_NAMESPACE")]
        namespace: Option<String>,
        #[command(flatten)]
        connect: Connect,
    },
    /// List experiments.
    List {
        /// Namespace (multi-user clusters).
        #[arg(long, env = "KFP_NAMESPACE")]
        namespace: Option<String>,
        #[command(flatten)]
        paging: Paging,
        #[command(flatten)]
        connect: Connect,
    },
    /// Show an experiment.
    Get {
        /// Experiment ID.
        id: String,
        #[command(flatten)]
        connect: Connect,
    },
}

pub(crate) fn run(command: &Command, out: &mut dyn Write) -> Result<(), CliError> {
    let (Command::Create { connect, .. } | Command::List { connect, .. } | Command::Get { connect, .. }) = command;
    if connect.api() == Api::V2 {
        return run_v2(command, out);
    }
    match command {
        Command::Create { name, description, namespace, connect } => {
            let experiment = connect.client()?.create_experiment(name, description.as_deref(), namespace.as_deref())?;
            print(connect, out, &experiment, || vec![format!("created experiment {}", line(&experiment))])
        }
        Command::List { namespace, paging, connect } => {
            let page = connect.client()?.list_experiments(&paging.options(), namespace.as_deref())?;
            let json = serde_json::json!({
                "experiments": page.items, "total_size": page.total_size, "next_page_token": page.next_page_token,
            });
            print(connect, out, &json, || {
                let mut lines: Vec<String> = page.items.iter().map(line).collect();
                lines.extend(next_page_line(&page.next_page_token, page.total_size));
                lines
            })
        }
        Command::Get { id, connect } => {
            let experiment = connect.client()?.get_experiment(id)?;
            print(connect, out, &experiment, || vec![line(&experiment)])
        }
    }
}

/// `ID  NAME  CREATED`.
fn line(experiment: &Experiment) -> String {
    format!("{}\t{}\t{}", or_dash(&experiment.id), or_dash(&experiment.name), or_dash(&experiment.created_at))
}

/// The commands through the v2beta1 API.
fn run_v2(command: &Command, out: &mut dyn Write) -> Result<(), CliError> {
    match command {
        Command::Create { name, description, namespace, connect } => {
            let experiment =
                connect.client()?.v2().create_experiment(name, description.as_deref(), namespace.as_deref())?;
            print(connect, out, &experiment, || vec![format!("created experiment {}", line_v2(&experiment))])
        }
        Command::List { namespace, paging, connect } => {
            let options = paging.options_v2("display_name");
            let page = connect.client()?.v2().list_experiments(&options, namespace.as_deref())?;
            let json = serde_json::json!({
                "experiments": page.items, "total_size": page.total_size, "next_page_token": page.next_page_token,
            });
            print(connect, out, &json, || {
                let mut lines: Vec<String> = page.items.iter().map(line_v2).collect();
                lines.extend(next_page_line(&page.next_page_token, page.total_size));
                lines
            })
        }
        Command::Get { id, connect } => {
            let experiment = connect.client()?.v2().get_experiment(id)?;
            print(connect, out, &experiment, || vec![line_v2(&experiment)])
        }
    }
}

/// `ID  NAME  CREATED`.
fn line_v2(experiment: &v2::Experiment) -> String {
    format!(
        "{}\t{}\t{}",
        or_dash(&experiment.experiment_id),
        or_dash(&experiment.display_name),
        or_dash(&experiment.created_at)
    )
}
