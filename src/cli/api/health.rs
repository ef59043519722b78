//! `health`: does the KFP API answer?

use std::io::Write;

use super::{print, Connect};
use crate::cli::CliError;

/// Arguments of `health`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    connect: Connect,
}

pub(crate) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let client = args.connect.client()?;
    let health = client.healthz()?;
    print(&args.connect, out, &health, || {
        let mode = match health.multi_user {
            Some(true) => "multi-user",
            _ => "single-user",
        };
        vec![format!("{}: healthy ({mode})", client.host())]
    })
}
