//! Sending one request and reading its JSON answer; credentials stay in here.

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::types::Status;
use super::ClientError;

/// Largest answer read (a run's detail holds its whole Workflow with status).
const MAX_BODY_BYTES: u64 = 256 * 1024 * 1024;
/// How much of an unexpected body an error shows.
const SNIPPET_CHARS: usize = 200;

/// A credential: shown as `<redacted>` by `Debug`.
#[derive(Clone)]
pub(super) struct Secret(pub(super) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A request body.
pub(super) enum Body {
    None,
    Bytes { content_type: String, bytes: Vec<u8> },
}

impl Body {
    pub(super) fn json(value: &impl Serialize) -> Result<Body, ClientError> {
        let bytes = serde_json::to_vec(value)
            .map_err(|error| ClientError::Config(format!("cannot write the request as JSON: {error}")))?;
        Ok(Body::Bytes { content_type: "application/json".to_owned(), bytes })
    }
}

/// How requests that may safely be sent again ride out transient failures
/// (connection errors, timeouts, 5xx answers but 501 and 505, and 429): they
/// are retried after a wait that starts at `first_delay` and doubles up to
/// `max_delay`, each wait a random half to whole of that (jitter), or what a
/// 429's or 503's `Retry-After` asks, until the next wait would end after
/// `budget` has passed since the first attempt. Only `GET` requests are
/// retried: a create could happen twice, and a `DELETE` whose answer was lost
/// would answer 404 the second time.
///
/// [`Client::wait_for_run`](super::Client::wait_for_run) retries each poll
/// within the wait's own timeout instead of `budget`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retry {
    /// The first wait (default 0.5 s).
    pub first_delay: Duration,
    /// The longest wait (default 8 s).
    pub max_delay: Duration,
    /// How long one call keeps retrying (default 30 s); zero never retries.
    pub budget: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            first_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            budget: Duration::from_secs(30),
        }
    }
}

impl Retry {
    /// No retries: the first failure is the answer.
    pub fn never() -> Self {
        Retry { budget: Duration::ZERO, ..Retry::default() }
    }
}

/// One attempt's failure, and whether another attempt may succeed.
struct Failure {
    error: ClientError,
    transient: bool,
    /// A `Retry-After` in seconds.
    retry_after: Option<Duration>,
}

#[derive(Clone)]
pub(super) struct Transport {
    agent: ureq::Agent,
    host: String,
    token: Option<Secret>,
    headers: Vec<(String, Secret)>,
    retry: Retry,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("host", &self.host)
            .field("token", &self.token)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl Transport {
    pub(super) fn new(
        host: String,
        token: Option<Secret>,
        headers: Vec<(String, Secret)>,
        timeout: Duration,
        retry: Retry,
    ) -> Self {
        let config = ureq::Agent::config_builder()
            // Error statuses carry KFP's error body: read it instead of failing early.
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .user_agent(concat!("kfp-rs/", env!("CARGO_PKG_VERSION")))
            .build();
        Transport { agent: config.into(), host, token, headers, retry }
    }

    pub(super) fn host(&self) -> &str {
        &self.host
    }

    /// Sends `method path?query` with `body` and parses a 2xx answer as `T`; an
    /// error status becomes [`ClientError::Api`] with the server's message. A
    /// `GET` is retried as [`Retry`] says.
    pub(super) fn json<T: DeserializeOwned>(
        &self,
        operation: &str,
        method: &str,
        path: &str,
        query: &[(&str, String)],
        body: Body,
    ) -> Result<T, ClientError> {
        self.json_until(operation, method, path, query, body, Instant::now() + self.retry.budget)
    }

    /// [`Transport::json`], retrying a `GET` until `deadline` at the latest.
    pub(super) fn json_until<T: DeserializeOwned>(
        &self,
        operation: &str,
        method: &str,
        path: &str,
        query: &[(&str, String)],
        body: Body,
        deadline: Instant,
    ) -> Result<T, ClientError> {
        let started = Instant::now();
        let mut delay = self.retry.first_delay;
        let mut attempts = 1;
        loop {
            let failure = match self.attempt(operation, method, path, query, &body) {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            let wait = failure.retry_after.unwrap_or_else(|| jitter(delay));
            if method != "GET" || !failure.transient || Instant::now() + wait > deadline {
                return Err(if attempts > 1 { gave_up(failure.error, attempts, started) } else { failure.error });
            }
            std::thread::sleep(wait);
            delay = (delay * 2).min(self.retry.max_delay);
            attempts += 1;
        }
    }

    fn attempt<T: DeserializeOwned>(
        &self,
        operation: &str,
        method: &str,
        path: &str,
        query: &[(&str, String)],
        body: &Body,
    ) -> Result<T, Failure> {
        let fatal = |error: ClientError| Failure { error, transient: false, retry_after: None };
        let mut url = format!("{}{path}", self.host);
        for (index, (key, value)) in query.iter().enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.push_str(&encode(key));
            url.push('=');
            url.push_str(&encode(value));
        }
        let transport_error =
            |message: String| ClientError::Transport { operation: operation.to_owned(), url: url.clone(), message };
        let mut request = ureq::http::Request::builder().method(method).uri(&url).header("Accept", "application/json");
        if let Some(token) = &self.token {
            request = request.header("Authorization", format!("Bearer {}", token.0));
        }
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.0.as_str());
        }
        let sent = match body {
            Body::None => request.body(()).map(|request| self.agent.run(request)),
            Body::Bytes { content_type, bytes } => request
                .header("Content-Type", content_type)
                .body(bytes.as_slice())
                .map(|request| self.agent.run(request)),
        };
        let sent = sent.map_err(|error| fatal(transport_error(format!("invalid request: {error}"))))?;
        let mut response = sent.map_err(|error| self.failed(operation, &url, error))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("Retry-After")
            .and_then(|value| value.to_str().ok())
            .and_then(|seconds| seconds.trim().parse().ok())
            .map(Duration::from_secs);
        let text = response.body_mut().with_config().limit(MAX_BODY_BYTES).lossy_utf8(true).read_to_string();
        let text = text.map_err(|error| Failure {
            error: transport_error(format!("cannot read the answer: {error}")),
            transient: true,
            retry_after: None,
        })?;
        if !(200..300).contains(&status) {
            let transient = status == 429 || (500..600).contains(&status) && !matches!(status, 501 | 505);
            return Err(Failure { error: api_error(operation, status, &text), transient, retry_after });
        }
        // DELETE and the like answer `{}`; an empty body means the same.
        let text = if text.trim().is_empty() { "{}" } else { text.as_str() };
        serde_json::from_str(text).map_err(|error| {
            fatal(ClientError::Decode {
                operation: operation.to_owned(),
                message: error.to_string(),
                snippet: snippet(text),
            })
        })
    }

    /// A request that got no HTTP answer: the server answered something else
    /// (a wrong port, or http:// against https://), or it could not be reached.
    fn failed(&self, operation: &str, url: &str, error: ureq::Error) -> Failure {
        // rustls' error when the answer to its handshake is not TLS, as ureq passes it on.
        let not_tls = |error: &rustls::Error| {
            matches!(error, rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. })
        };
        let not_http = match &error {
            ureq::Error::Protocol(_) => true,
            ureq::Error::Rustls(tls) => not_tls(tls),
            ureq::Error::Io(io) => io.get_ref().and_then(|inner| inner.downcast_ref()).is_some_and(not_tls),
            _ => false,
        };
        if not_http {
            let host = self.host.split_once("://").map_or(self.host.as_str(), |(_, rest)| rest);
            let host = host.split('/').next().unwrap_or(host).to_owned();
            let error = ClientError::NotHttp { operation: operation.to_owned(), host, message: error.to_string() };
            return Failure { error, transient: false, retry_after: None };
        }
        let transient = matches!(
            error,
            ureq::Error::Io(_) | ureq::Error::Timeout(_) | ureq::Error::ConnectionFailed | ureq::Error::BodyStalled
        );
        let error =
            ClientError::Transport { operation: operation.to_owned(), url: url.to_owned(), message: error.to_string() };
        Failure { error, transient, retry_after: None }
    }
}

/// A wait of a random half to whole of `delay`, so that clients failing
/// together do not retry together.
fn jitter(delay: Duration) -> Duration {
    // std's RandomState is seeded from the OS's random source.
    let random = std::collections::hash_map::RandomState::new().build_hasher().finish();
    delay.mul_f64(0.5 + (random >> 11) as f64 / (1u64 << 53) as f64 / 2.0)
}

/// `error`, saying how many attempts were made over how long.
fn gave_up(error: ClientError, attempts: u32, started: Instant) -> ClientError {
    let tried = format!(" (after {attempts} attempts over {:.1} s)", started.elapsed().as_secs_f64());
    match error {
        ClientError::Api { operation, status, code, message, details } => {
            ClientError::Api { operation: operation + &tried, status, code, message, details }
        }
        ClientError::Transport { operation, url, message } => {
            ClientError::Transport { operation: operation + &tried, url, message }
        }
        other => other,
    }
}

/// KFP's error body (`apiStatus`, or grpc-gateway's status with `message`) as
/// an error; any other body (a proxy's HTML page) is quoted.
fn api_error(operation: &str, status: u16, text: &str) -> ClientError {
    let parsed = serde_json::from_str::<Status>(text).ok().filter(|s| s.error.is_some() || s.message.is_some());
    let (message, code, details) = match parsed {
        Some(status) => {
            let message = status.message.filter(|m| !m.is_empty()).or(status.error).unwrap_or_default();
            (message, status.code, status.details)
        }
        None if text.trim().is_empty() => (reason(status).to_owned(), None, Vec::new()),
        None => (snippet(text), None, Vec::new()),
    };
    ClientError::Api { operation: operation.to_owned(), status, code, message, details }
}

fn reason(status: u16) -> &'static str {
    match status {
        401 => {
            "unauthenticated: give a token (--token or KFP_TOKEN) or the cookie your cluster's login sets (--header)"
        }
        403 => "permission denied",
        404 => "not found: check the host (a full Kubeflow install serves the API under /pipeline)",
        _ => "no error message in the answer",
    }
}

fn snippet(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.chars().count() > SNIPPET_CHARS {
        format!("{}...", trimmed.chars().take(SNIPPET_CHARS).collect::<String>())
    } else {
        trimmed.to_owned()
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub(super) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Refuses a header the HTTP library would refuse later, naming it (not its value).
pub(super) fn check_header(name: &str, value: &str) -> Result<(), ClientError> {
    let bad_name = ureq::http::HeaderName::from_bytes(name.as_bytes()).is_err();
    let bad_value = ureq::http::HeaderValue::from_str(value).is_err();
    if bad_name || bad_value {
        let what = if bad_name { "name" } else { "value" };
        return Err(ClientError::Config(format!(
            "header `{name}` has an invalid {what}: header names are letters, digits and `-`; values are visible ASCII without line breaks"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_carry_the_servers_message() {
        let body =
            r#"{"error":"pipeline not found","code":5,"message":"Pipeline 7 not found","details":[{"@type":"x"}]}"#;
        match api_error("get pipeline 7", 404, body) {
            ClientError::Api { status, code, message, details, .. } => {
                assert_eq!((status, code, message.as_str(), details.len()), (404, Some(5), "Pipeline 7 not found", 1));
            }
            other => panic!("{other:?}"),
        }
        let error = api_error("list runs", 502, "<html>Bad gateway</html>");
        assert!(error.to_string().contains("502: <html>Bad gateway</html>"), "{error}");
        let error = api_error("list runs", 401, "");
        assert!(error.to_string().contains("KFP_TOKEN"), "{error}");
    }

    #[test]
    fn encode_keeps_unreserved() {
        assert_eq!(encode("a b/ü&=~"), "a%20b%2F%C3%BC%26%3D~");
    }
}
