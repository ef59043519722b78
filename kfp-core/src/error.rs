//! Errors of building, compiling and writing pipelines.

use std::fmt;
use std::path::PathBuf;

/// Result with the crate's [`enum@Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong between a recorded pipeline and a written file.
///
/// Its `Debug` is its message, as `fn main() -> kfp::Result<()>` prints it (see [`fmt_error_chain`]).
#[derive(thiserror::Error)]
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
        /// One line per rule broken: the task and the setter at fault (`task `add`
        /// (add_pod_label): ...`) when the rule concerns one, and the YAML path.
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

/// Writes `error`'s message, then each cause whose message it does not already
/// hold, as anyhow does: what `fn main() -> Result<(), E>` prints after `Error: `
/// is `E`'s `Debug`, and the `Debug` of this crate's errors is this, not the
/// fields of their variants.
pub fn fmt_error_chain(error: &(dyn std::error::Error + 'static), f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let mut shown = error.to_string();
    f.write_str(&shown)?;
    let mut first = true;
    let mut cause = error.source();
    while let Some(source) = cause {
        let message = source.to_string();
        if !shown.contains(&message) {
            f.write_str(if first { "\n\nCaused by:" } else { "" })?;
            write!(f, "\n    {message}")?;
            shown.push_str(&message);
            first = false;
        }
        cause = source.source();
    }
    Ok(())
}

/// `impl Debug for ...` as [`fmt_error_chain`], for the crate's error types.
macro_rules! debug_as_message {
    ($($error:ty),+) => {$(
        impl std::fmt::Debug for $error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                $crate::error::fmt_error_chain(self, f)
            }
        }
    )+};
}
pub(crate) use debug_as_message;

debug_as_message!(Error);

fn bullet_list(lines: &[String]) -> String {
    lines.iter().map(|line| format!("  - {line}")).collect::<Vec<_>>().join("\n")
}
