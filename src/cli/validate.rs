//! `validate`: is a Workflow YAML file what Argo and KFP accept?

use std::io::Write;
use std::path::{Path, PathBuf};

use kfp_core::argo::{rules, size, Workflow};
use kfp_core::input::YamlError;

use super::CliError;

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each problem is printed as `FILE: YAML.PATH: what is wrong`. Exit status 1 when any file has a problem."
)]
pub struct Args {
    /// Workflow YAML (or JSON) files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The largest Workflow the cluster takes, in bytes of JSON (Argo's MAX_WORKFLOW_SIZE).
    #[arg(long, value_name = "BYTES", default_value_t = size::DEFAULT_MAX_WORKFLOW_BYTES)]
    max_workflow_bytes: usize,
}

pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let mut bad_files = 0;
    for file in &args.files {
        let problems = problems(file, args.max_workflow_bytes);
        if problems.is_empty() {
            writeln!(out, "{}: valid", file.display()).map_err(CliError::stdout)?;
        } else {
            bad_files += 1;
            for problem in &problems {
                writeln!(out, "{}: {problem}", file.display()).map_err(CliError::stdout)?;
            }
        }
    }
    match bad_files {
        0 => Ok(()),
        1 if args.files.len() == 1 => {
            Err(CliError::Problems(format!("{} is not a valid Workflow", args.files[0].display())))
        }
        n => Err(CliError::Problems(format!("{n} of {} files are not valid Workflows", args.files.len()))),
    }
}

/// Every problem of the Workflow in `file`, each `YAML.PATH: message`; its
/// size is measured as the cluster stores it (JSON, aliases expanded).
fn problems(file: &Path, max_workflow_bytes: usize) -> Vec<String> {
    match read_workflow(file) {
        Ok(workflow) => {
            let mut problems: Vec<String> = rules::check(&workflow).iter().map(ToString::to_string).collect();
            problems.extend(
                size::check_size(&workflow, max_workflow_bytes).map(|too_large| format!("(size): {too_large}")),
            );
            problems
        }
        Err(CliError::Invalid(message)) => vec![message],
        Err(other) => vec![other.to_string()],
    }
}

/// Reads and parses a Workflow; a parse error names the YAML path, line and column.
pub(super) fn read_workflow(file: &Path) -> Result<Workflow, CliError> {
    let bytes = std::fs::read(file).map_err(|source| CliError::Io {
        action: "read",
        path: file.display().to_string(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|error| {
        CliError::Invalid(format!(
            "(file): not UTF-8 text (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        ))
    })?;
    Workflow::from_yaml(&text).map_err(|error| CliError::Invalid(parse_problem(&error)))
}

/// serde_yaml's message as `PATH: message (line L, column C)`.
fn parse_problem(error: &YamlError) -> String {
    let mut message = error.to_string();
    let mut place = String::new();
    if let Some((line, column)) = error.location() {
        if let Some(stripped) = message.strip_suffix(&format!(" at line {line} column {column}")) {
            message = stripped.to_owned();
        }
        place = format!(" (line {line}, column {column})");
    }
    // serde_yaml starts the message with the YAML path when it is not the root.
    match message.split_once(": ") {
        Some((path, _)) if !path.is_empty() && !path.contains(' ') => format!("{message}{place}"),
        _ => format!("(root): {message}{place}"),
    }
}
