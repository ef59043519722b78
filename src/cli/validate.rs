//! `validate`: is a Workflow, or a KFP v2 pipeline IR file, what its cluster accepts?

use std::io::Write;
use std::path::{Path, PathBuf};

use kfp_core::argo::{rules, size, Workflow};
use kfp_core::input::YamlError;
use kfp_core::ir::{self, PipelineFile, ReadError};

use super::CliError;

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Each problem is printed as `FILE: YAML.PATH: what is wrong`. Exit status 1 when any file has a problem.\n\
                  A file is read as KFP v2 pipeline IR when its first document has `pipelineInfo`, `root`, `components` \
                  or `deploymentSpec` and no `kind`, and as an Argo Workflow otherwise."
)]
pub struct Args {
    /// Workflow or KFP v2 pipeline IR YAML (or JSON) files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The largest Workflow the cluster takes, in bytes of JSON (Argo's MAX_WORKFLOW_SIZE).
    #[arg(long, value_name = "BYTES", default_value_t = size::DEFAULT_MAX_WORKFLOW_BYTES)]
    max_workflow_bytes: usize,
}

/// What a file holds: the two formats `validate` and `graph` take.
pub(super) enum Document {
    /// An Argo Workflow (KFP v1).
    Workflow(Box<Workflow>),
    /// A KFP v2 pipeline IR file.
    Pipeline(Box<PipelineFile>),
}

pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let mut bad_files = 0;
    let mut pipeline_files = 0;
    for file in &args.files {
        let (problems, pipeline) = problems(file, args.max_workflow_bytes);
        pipeline_files += usize::from(pipeline);
        if problems.is_empty() {
            writeln!(out, "{}: valid", file.display()).map_err(CliError::stdout)?;
        } else {
            bad_files += 1;
            for problem in &problems {
                writeln!(out, "{}: {problem}", file.display()).map_err(CliError::stdout)?;
            }
        }
    }
    let kind = match pipeline_files {
        0 => "Workflow",
        n if n == args.files.len() => "pipeline IR file",
        _ => "Workflow or pipeline IR file",
    };
    match bad_files {
        0 => Ok(()),
        1 if args.files.len() == 1 => {
            Err(CliError::Problems(format!("{} is not a valid {kind}", args.files[0].display())))
        }
        n => Err(CliError::Problems(format!("{n} of {} files are not valid ({kind}s)", args.files.len()))),
    }
}

/// Every problem of the Workflow or pipeline IR file in `file`, each `YAML.PATH: message`,
/// and whether it is pipeline IR. A Workflow's size is measured as the cluster stores it
/// (JSON, aliases expanded).
fn problems(file: &Path, max_workflow_bytes: usize) -> (Vec<String>, bool) {
    match read_document(file) {
        Ok(Document::Workflow(workflow)) => {
            let mut problems: Vec<String> = rules::check(&workflow).iter().map(ToString::to_string).collect();
            problems.extend(
                size::check_size(&workflow, max_workflow_bytes).map(|too_large| format!("(size): {too_large}")),
            );
            (problems, false)
        }
        Ok(Document::Pipeline(pipeline)) => {
            (ir::rules::check(&pipeline).iter().map(ToString::to_string).collect(), true)
        }
        Err((CliError::Invalid(message), pipeline)) => (vec![message], pipeline),
        Err((other, pipeline)) => (vec![other.to_string()], pipeline),
    }
}

/// Reads and parses a Workflow or a pipeline IR file, telling them apart by the first
/// document's top-level keys ([`PipelineFile::is_pipeline_spec`]); a parse error names the
/// YAML path, line and column, and comes with whether the file looked like pipeline IR.
pub(super) fn read_document(file: &Path) -> Result<Document, (CliError, bool)> {
    let text = read_text(file).map_err(|error| (error, false))?;
    if !is_pipeline_ir(&text) {
        let workflow = Workflow::from_yaml(&text).map_err(|error| (CliError::Invalid(parse_problem(&error)), false))?;
        return Ok(Document::Workflow(Box::new(workflow)));
    }
    match PipelineFile::from_yaml(&text) {
        Ok(pipeline) => Ok(Document::Pipeline(Box::new(pipeline))),
        Err(ReadError::Spec(error)) => Err((CliError::Invalid(parse_problem(&error)), true)),
        Err(ReadError::Platform(error)) => {
            Err((CliError::Invalid(format!("(platform spec) {}", parse_problem(&error))), true))
        }
        Err(other) => Err((CliError::Invalid(format!("(file): {other}")), true)),
    }
}

/// Whether the first YAML document of `text` is a pipeline spec rather than a Workflow.
/// Text the linear-time check refuses is left to the Workflow reader, which reports it.
pub(super) fn is_pipeline_ir(text: &str) -> bool {
    use serde::Deserialize;
    if kfp_core::input::check_yaml(text).is_err() {
        return false;
    }
    let Some(first) = serde_yaml::Deserializer::from_str(text).next() else { return false };
    serde_yaml::Value::deserialize(first).is_ok_and(|value| PipelineFile::is_pipeline_spec(&value))
}

/// The text of `file`, which must be UTF-8.
fn read_text(file: &Path) -> Result<String, CliError> {
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
    Ok(text)
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
