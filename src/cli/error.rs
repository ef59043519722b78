//! Why a command failed.

/// A failed command. Its `Display` is the message printed after `error: `; its
/// `Debug` is the same message (what `fn main() -> Result<(), CliError>` prints).
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// The command line is wrong (clap's rendered message, with usage).
    #[error("{0}")]
    Usage(String),
    /// Something the user asked for does not exist or does not fit.
    #[error("{0}")]
    Invalid(String),
    /// Files were checked and problems found (each already printed with its path).
    #[error("{0}")]
    Problems(String),
    /// Compiling a pipeline failed.
    #[error(transparent)]
    Compile(#[from] kfp_core::Error),
    /// A KFP API call failed.
    #[cfg(feature = "client")]
    #[error(transparent)]
    Client(#[from] kfp_core::client::ClientError),
    /// A run ended in a state other than `Succeeded`.
    #[error("run {run_id} ended {state}")]
    RunFailed {
        /// The run.
        run_id: String,
        /// Its final state.
        state: String,
    },
    /// A signal (Ctrl-C, SIGTERM, SIGHUP) stopped a local run: the exit code is
    /// 128 + its number, as a shell reports a process the signal ended.
    #[error("run {run_id} ended {state}")]
    Stopped {
        /// The run.
        run_id: String,
        /// Its final state and the signal.
        state: String,
        /// The signal's number.
        signal: i32,
    },
    /// A prebuilt-image component's program failed (`component NAME ...`): what
    /// an embedded-source component's program prints before exiting with 1.
    #[error("{component}: {message}")]
    ComponentFailed {
        /// The component's name.
        component: String,
        /// The program's error.
        message: String,
    },
    /// Reading or writing a file (or stdout) failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// `read`, `write`.
        action: &'static str,
        /// The file (`stdout` for the output).
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

impl std::fmt::Debug for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        kfp_core::fmt_error_chain(self, f)
    }
}

impl CliError {
    /// The process exit code: 2 for usage errors, 128 + the signal for a run a
    /// signal stopped (130 for Ctrl-C), 1 for the rest.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Stopped { signal, .. } => 128 + signal,
            _ => 1,
        }
    }

    pub(crate) fn stdout(source: std::io::Error) -> Self {
        CliError::Io { action: "write", path: "stdout".to_owned(), source }
    }
}
