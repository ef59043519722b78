//! Errors of the KFP API client.

use std::path::PathBuf;
use std::time::Duration;

/// What can go wrong talking to the KFP API.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The server answered with an error status (4xx, 5xx), usually with KFP's
    /// error body (`{"error": ..., "code": ..., "message": ..., "details": ...}`).
    #[error("{operation}: the KFP API answered {status}: {message}")]
    Api {
        /// What the client was doing (`upload pipeline`, `get run 1234`).
        operation: String,
        /// HTTP status.
        status: u16,
        /// gRPC status code from the body, when there is one (5 = not found, 16 = unauthenticated).
        code: Option<i32>,
        /// The server's message (or the start of a body that is not KFP's error JSON).
        message: String,
        /// The body's `details`, as sent.
        details: Vec<serde_json::Value>,
    },
    /// The request did not get an answer (connection refused, DNS, TLS, timeout).
    #[error("{operation}: cannot reach the KFP API at {url}: {message}")]
    Transport {
        /// What the client was doing.
        operation: String,
        /// The URL requested (never holds credentials: they travel in headers).
        url: String,
        /// The transport's message.
        message: String,
    },
    /// The server answered, but not in HTTP: the port is not the API's, or an
    /// `https://` URL names a plain-HTTP port (or `http://` a TLS one).
    #[error(
        "{operation}: the server at {host} did not answer HTTP ({message}): check the port, and http:// against https:// (https:// to a plain-HTTP port, or the reverse, answers like this)"
    )]
    NotHttp {
        /// What the client was doing.
        operation: String,
        /// `host:port` of the URL.
        host: String,
        /// The HTTP library's message.
        message: String,
    },
    /// The answer is not the JSON the API documents.
    #[error(
        "{operation}: the KFP API's answer is not what the API documents ({message}); body starts with: {snippet}"
    )]
    Decode {
        /// What the client was doing.
        operation: String,
        /// The JSON parser's message.
        message: String,
        /// The start of the body.
        snippet: String,
    },
    /// A setting of the client is unusable.
    #[error("{0}")]
    Config(String),
    /// Reading a pipeline package failed.
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A run did not finish in time.
    #[error("run {run_id} did not finish within {}s (last state: {last_state})", .waited.as_secs())]
    Timeout {
        /// The run.
        run_id: String,
        /// How long the client waited.
        waited: Duration,
        /// The run's last state (`Running`, ...).
        last_state: String,
    },
}

crate::error::debug_as_message!(ClientError);

impl ClientError {
    /// The HTTP status of an [`ClientError::Api`] error.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}
