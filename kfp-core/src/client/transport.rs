//! Sending one request and reading its JSON answer; credentials stay in here.

use std::fmt;
use std::time::Duration;

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

#[derive(Clone)]
pub(super) struct Transport {
    agent: ureq::Agent,
    host: String,
    token: Option<Secret>,
    headers: Vec<(String, Secret)>,
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
    pub(super) fn new(host: String, token: Option<Secret>, headers: Vec<(String, Secret)>, timeout: Duration) -> Self {
        let config = ureq::Agent::config_builder()
            // Error statuses carry KFP's error body: read it instead of failing early.
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .user_agent(concat!("kfp-rs/", env!("CARGO_PKG_VERSION")))
            .build();
        Transport { agent: config.into(), host, token, headers }
    }

    pub(super) fn host(&self) -> &str {
        &self.host
    }

    /// Sends `method path?query` with `body` and parses a 2xx answer as `T`; an
    /// error status becomes [`ClientError::Api`] with the server's message.
    pub(super) fn json<T: DeserializeOwned>(
        &self,
        operation: &str,
        method: &str,
        path: &str,
        query: &[(&str, String)],
        body: Body,
    ) -> Result<T, ClientError> {
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
            Body::Bytes { content_type, bytes } => {
                request.header("Content-Type", content_type).body(bytes).map(|request| self.agent.run(request))
            }
        };
        let mut response = sent
            .map_err(|error| transport_error(format!("invalid request: {error}")))?
            .map_err(|error| transport_error(error.to_string()))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .lossy_utf8(true)
            .read_to_string()
            .map_err(|error| transport_error(format!("cannot read the answer: {error}")))?;
        if !(200..300).contains(&status) {
            return Err(api_error(operation, status, &text));
        }
        // DELETE and the like answer `{}`; an empty body means the same.
        let text = if text.trim().is_empty() { "{}" } else { text.as_str() };
        serde_json::from_str(text).map_err(|error| ClientError::Decode {
            operation: operation.to_owned(),
            message: error.to_string(),
            snippet: snippet(text),
        })
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
