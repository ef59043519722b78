//! Errors of building, compiling and writing pipelines.

use std::path::PathBuf;

/// Result with the crate's [`enum@Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong between a recorded pipeline and a written file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The pipeline cannot compile to a valid Workflow; every problem found is listed.
    #[error("pipeline `{pipeline}` is invalid:\n{}", bullet_list(.problems))]
    InvalidPipeline {
        /// The pipeline's name.
        pipeline: String,
        /// One line per problem, each naming the thing and the fix.
        problems: Vec<String>,
    },
    /// The compiled Workflow breaks a rule of Argo or Kubernetes.
    #[error("the compiled Workflow of `{pipeline}` would be rejected by Argo:\n{}", bullet_list(.problems))]
    InvalidWorkflow {
        /// The pipeline's name.
        pipeline: String,
        /// One line per rule broken, with its YAML path.
        problems: Vec<String>,
    },
    /// The compiled Workflow is larger than a cluster takes.
    #[error("the compiled Workflow of `{pipeline}` is too large for the cluster: {too_large}")]
    TooLarge {
        /// The pipeline's name.
        pipeline: String,
        /// How large, the limit, what takes the room and the fix.
        too_large: Box<crate::argo::size::TooLarge>,
    },
    /// Reading or writing a file failed.
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        /// What was being done: `write`, `read`, `create directory`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A value could not be turned into YAML or JSON.
    #[error("cannot serialize {what}: {message}")]
    Serialize {
        /// What was being serialized.
        what: String,
        /// The serializer's message.
        message: String,
    },
}

impl Error {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { action, path: path.into(), source }
    }
}

fn bullet_list(lines: &[String]) -> String {
    lines.iter().map(|line| format!("  - {line}")).collect::<Vec<_>>().join("\n")
}
