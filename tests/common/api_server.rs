//! A local KFP API server built from a swagger, v1beta1
//! (`tests/fixtures/kfp-api/kfp_api_single_file.swagger.json`) or v2beta1
//! (`tests/fixtures/kfp-api/v2beta1/`), for the client tests and the CLI tests:
//! it checks every request against its operation
//! (path, query parameters, body schema, strict about field names) and answers
//! with the scripted answer for the path, else a fully populated example of the
//! documented answer.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use kfp::client::{Client, Retry};
use serde_json::{json, Value};

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    /// The body as JSON (panics when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{} {}: body is not JSON: {e}", self.method, self.path))
    }
}

/// What the server answers for a path, overriding the generated example.
pub type Scripted = Vec<(String, VecDeque<(u16, Value)>)>;

pub struct Server {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    violations: Arc<Mutex<Vec<String>>>,
    stop: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Server {
    /// A server answering `scripted` for their `METHOD /path`, examples otherwise.
    pub fn start(swagger: Value, scripted: Scripted) -> Server {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
        let url = format!("http://{}", server.server_addr().to_ip().expect("ip address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let violations = Arc::new(Mutex::new(Vec::new()));
        let (s, v, srv) = (Arc::clone(&seen), Arc::clone(&violations), Arc::clone(&server));
        let scripted = Mutex::new(scripted);
        let thread = std::thread::spawn(move || {
            let definitions = super::swagger::strict_definitions(&swagger);
            for mut request in srv.incoming_requests() {
                let seen = read(&mut request);
                let mut problems = check_request(&swagger, &definitions, &seen);
                let (status, body) = answer(&swagger, &definitions, &seen, &scripted, &mut problems);
                v.lock().unwrap().extend(problems);
                s.lock().unwrap().push(seen);
                let header = tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap();
                let response =
                    tiny_http::Response::from_string(body.to_string()).with_status_code(status).with_header(header);
                let _ = request.respond(response);
            }
        });
        Server { url, seen, violations, stop: server, thread: Some(thread) }
    }

    pub fn client(&self) -> Client {
        Client::builder(&self.url).token("s3cret-token").header("Cookie", "authservice_session=c00kie").build().unwrap()
    }

    /// A client whose retries wait milliseconds, for at most `budget`.
    pub fn quick_client(&self, budget: Duration) -> Client {
        Client::builder(&self.url).retry(quick(budget)).build().unwrap()
    }

    /// The problems of the requests so far against the swagger.
    pub fn violations(&self) -> Vec<String> {
        self.violations.lock().unwrap().clone()
    }

    /// The requests so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Retries that wait milliseconds, for at most `budget`.
pub fn quick(budget: Duration) -> Retry {
    Retry { first_delay: Duration::from_millis(2), max_delay: Duration::from_millis(20), budget }
}

fn read(request: &mut tiny_http::Request) -> Seen {
    let url = request.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let query = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();
    let headers = request
        .headers()
        .iter()
        .map(|h| (h.field.as_str().as_str().to_ascii_lowercase(), h.value.to_string()))
        .collect();
    let mut body = Vec::new();
    request.as_reader().read_to_end(&mut body).unwrap();
    Seen { method: request.method().as_str().to_owned(), path: path.to_owned(), query, headers, body }
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).expect("percent escape"));
            i += 3;
        } else {
            out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8 query")
}

pub fn header<'s>(seen: &'s Seen, name: &str) -> Option<&'s str> {
    seen.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// Problems of a request against its swagger operation.
fn check_request(swagger: &Value, definitions: &Value, seen: &Seen) -> Vec<String> {
    let at = format!("{} {}", seen.method, seen.path);
    let Some((_, op)) = super::swagger::operation(swagger, &seen.method, &seen.path) else {
        return vec![format!("{at}: no such operation in the swagger")];
    };
    let mut problems = Vec::new();
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    for (key, value) in &seen.query {
        match params.iter().find(|p| p["in"] == "query" && p["name"] == key.as_str()) {
            None => problems.push(format!("{at}: query parameter `{key}` is not in the swagger")),
            Some(p) => {
                if p["type"] == "integer" && value.parse::<i64>().is_err() {
                    problems.push(format!("{at}: query `{key}={value}` is not an integer"));
                }
                if let Some(values) = p["enum"].as_array() {
                    if !values.iter().any(|v| v == value.as_str()) {
                        problems.push(format!("{at}: query `{key}={value}` is not one of {values:?}"));
                    }
                }
            }
        }
    }
    for p in params.iter().filter(|p| p["required"] == true && p["in"] == "query") {
        if !seen.query.iter().any(|(k, _)| p["name"] == k.as_str()) {
            problems.push(format!("{at}: required query parameter {} missing", p["name"]));
        }
    }
    if let Some(body) = params.iter().find(|p| p["in"] == "body") {
        if header(seen, "content-type") != Some("application/json") {
            problems.push(format!("{at}: body is not sent as application/json"));
        }
        match serde_json::from_slice::<Value>(&seen.body) {
            Err(e) => problems.push(format!("{at}: body is not JSON: {e}")),
            Ok(instance) => {
                let validator = super::swagger::validator(definitions, &body["schema"]);
                for error in validator.iter_errors(&instance) {
                    problems.push(format!("{at}: body {}: {error}", error.instance_path()));
                }
            }
        }
    }
    if let Some(file) = params.iter().find(|p| p["in"] == "formData") {
        let content_type = header(seen, "content-type").unwrap_or_default();
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=");
        let body = String::from_utf8_lossy(&seen.body);
        let name = file["name"].as_str().unwrap();
        match boundary {
            None => problems.push(format!("{at}: upload is not multipart/form-data: {content_type}")),
            Some(b) if !body.starts_with(&format!("--{b}\r\n")) || !body.ends_with(&format!("\r\n--{b}--\r\n")) => {
                problems.push(format!("{at}: multipart body is not framed by its boundary"))
            }
            Some(_) if !body.contains(&format!("form-data; name=\"{name}\"; filename=")) => {
                problems.push(format!("{at}: no `{name}` file part"))
            }
            Some(_) => {}
        }
    }
    if params.iter().all(|p| p["in"] != "body" && p["in"] != "formData") && !seen.body.is_empty() {
        problems.push(format!("{at}: sends a body the operation does not take"));
    }
    problems
}

/// The scripted answer for the path, else the full example of the 200 schema.
fn answer(
    swagger: &Value,
    definitions: &Value,
    seen: &Seen,
    scripted: &Mutex<Scripted>,
    problems: &mut Vec<String>,
) -> (u16, Value) {
    let key = format!("{} {}", seen.method, seen.path);
    let mut scripted = scripted.lock().unwrap();
    if let Some((_, queue)) = scripted.iter_mut().find(|(k, _)| *k == key) {
        if let Some(front) = if queue.len() > 1 { queue.pop_front() } else { queue.front().cloned() } {
            return front;
        }
    }
    let Some((_, op)) = super::swagger::operation(swagger, &seen.method, &seen.path) else {
        return (404, json!({"error": "no such operation", "code": 5, "message": "no such operation"}));
    };
    let schema = &op["responses"]["200"]["schema"];
    let body = super::swagger::example(definitions, schema, "answer");
    // The answer itself must fit the documented shape.
    let validator = super::swagger::validator(definitions, schema);
    problems.extend(validator.iter_errors(&body).map(|e| format!("{key}: test answer {e}")));
    (200, body)
}
