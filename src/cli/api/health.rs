//! `health`: does the KFP API answer?

use std::io::Write;

use super::{print, Api, Connect};
use crate::cli::CliError;

/// Arguments of `health`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    connect: Connect,
}

pub(crate) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let client = args.connect.client()?;
    let mode = |multi_user: Option<bool>| if multi_user == Some(true) { "multi-user" } else { "single-user" };
    match args.connect.api() {
        Api::V1 => {
            let health = client.healthz()?;
            print(&args.connect, out, &health, || {
                vec![format!("{}: healthy ({})", client.host(), mode(health.multi_user))]
            })
        }
        Api::V2 => {
            let health = client.v2().healthz()?;
            print(&args.connect, out, &health, || {
                let store = health.pipeline_store.as_deref().map(|store| format!(", pipelines in {store}"));
                vec![format!("{}: healthy ({}{})", client.host(), mode(health.multi_user), store.unwrap_or_default())]
            })
        }
    }
}
