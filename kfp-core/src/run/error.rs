//! Why a run could not start. Once tasks run, failures are in the report, not errors.

use std::path::PathBuf;

/// A problem found before anything ran, or a run directory that cannot be made.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The text is not a Workflow: not YAML, an unknown field, a wrong type.
    #[error("not a valid Workflow: {0}")]
    Malformed(String),
    /// The Workflow breaks Argo's rules (each problem with its YAML path).
    #[error("the Workflow is invalid:\n{}", bullets(.0))]
    Invalid(Vec<String>),
    /// The KFP v2 pipeline IR breaks the IR's rules (a reference that does not resolve, a type mismatch).
    #[error("the pipeline IR is invalid:\n{}", bullets(.0))]
    IrInvalid(Vec<String>),
    /// Parameters are missing, unknown or given twice.
    #[error("{}", parameter_message(.0))]
    Parameters(Vec<String>),
    /// The Workflow uses something this machine cannot run (a resource template, an S3 artifact, ...).
    #[error("the Workflow cannot run on this machine:\n{}", bullets(.0))]
    Unsupported(Vec<String>),
    /// The KFP v2 pipeline IR uses something local runs cannot run yet (a task's feature, a placeholder).
    #[error("the pipeline IR cannot run on this machine:\n{}", bullets(.0))]
    IrUnsupported(Vec<String>),
    /// The container engine asked for (`docker`, `podman`) is not on `PATH`.
    #[error("the `{program}` program is not on PATH, and `--engine {program}` runs every container with it: install {name} (or put it on PATH), or leave out --engine to run each container as a local process")]
    EngineMissing {
        /// `docker`, `podman`.
        program: &'static str,
        /// `Docker`, `Podman`.
        name: &'static str,
    },
    /// The pipeline did not build or compile (in-process runs).
    #[error(transparent)]
    Pipeline(#[from] crate::Error),
    /// The run directory could not be prepared.
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        /// `create directory`, `write`.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

crate::error::debug_as_message!(RunError);

impl RunError {
    /// Every problem, one per line (the lines of every variant that lists problems).
    pub fn problems(&self) -> Vec<String> {
        match self {
            RunError::Invalid(problems)
            | RunError::IrInvalid(problems)
            | RunError::Parameters(problems)
            | RunError::Unsupported(problems)
            | RunError::IrUnsupported(problems) => problems.clone(),
            other => vec![other.to_string()],
        }
    }
}

fn bullets(lines: &[String]) -> String {
    lines.iter().map(|line| format!("  - {line}")).collect::<Vec<_>>().join("\n")
}

fn parameter_message(lines: &[String]) -> String {
    match lines {
        [one] => one.clone(),
        many => format!("parameters:\n{}", bullets(many)),
    }
}
