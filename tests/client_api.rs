//! The KFP API client against a local server that implements the swagger's
//! operations: every request the client sends must match the swagger (operation,
//! path, query parameters, body schema, strict about field names), every documented
//! answer shape must parse without losing a field, and error answers become typed
//! errors carrying the server's message.

mod common;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use kfp::client::{
    Client, ClientError, CreateRun, Experiment, Healthz, ListExperimentsResponse, ListOptions,
    ListPipelineVersionsResponse, ListPipelinesResponse, ListRunsResponse, PipelineSource, PipelineVersion, Retry,
    RunDetail,
};
use serde_json::{json, Value};

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// What the server answers for a path, overriding the generated example.
type Scripted = Vec<(String, VecDeque<(u16, Value)>)>;

struct Server {
    url: String,
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
    fn start(swagger: Value, scripted: Scripted) -> Server {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
        let url = format!("http://{}", server.server_addr().to_ip().expect("ip address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let violations = Arc::new(Mutex::new(Vec::new()));
        let (s, v, srv) = (Arc::clone(&seen), Arc::clone(&violations), Arc::clone(&server));
        let scripted = Mutex::new(scripted);
        let thread = std::thread::spawn(move || {
            let definitions = common::swagger::strict_definitions(&swagger);
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

    fn client(&self) -> Client {
        Client::builder(&self.url).token("s3cret-token").header("Cookie", "authservice_session=c00kie").build().unwrap()
    }

    /// A client whose retries wait milliseconds, for at most `budget`.
    fn quick_client(&self, budget: Duration) -> Client {
        Client::builder(&self.url).retry(quick(budget)).build().unwrap()
    }

    fn violations(&self) -> Vec<String> {
        self.violations.lock().unwrap().clone()
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn quick(budget: Duration) -> Retry {
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

fn header<'s>(seen: &'s Seen, name: &str) -> Option<&'s str> {
    seen.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// Problems of a request against its swagger operation.
fn check_request(swagger: &Value, definitions: &Value, seen: &Seen) -> Vec<String> {
    let at = format!("{} {}", seen.method, seen.path);
    let Some((_, op)) = common::swagger::operation(swagger, &seen.method, &seen.path) else {
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
                let validator = common::swagger::validator(definitions, &body["schema"]);
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
    let Some((_, op)) = common::swagger::operation(swagger, &seen.method, &seen.path) else {
        return (404, json!({"error": "no such operation", "code": 5, "message": "no such operation"}));
    };
    let schema = &op["responses"]["200"]["schema"];
    let body = common::swagger::example(definitions, schema, "answer");
    // The answer itself must fit the documented shape.
    let validator = common::swagger::validator(definitions, schema);
    problems.extend(validator.iter_errors(&body).map(|e| format!("{key}: test answer {e}")));
    (200, body)
}

fn package() -> tempfile_path::TempPath {
    tempfile_path::TempPath::with_text("add-example.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: add-example-}\nspec: {entrypoint: a, templates: [{name: a, container: {image: alpine}}]}\n")
}

/// A file in a fresh temporary directory, removed on drop.
mod tempfile_path {
    use std::path::{Path, PathBuf};

    pub struct TempPath(PathBuf);

    impl TempPath {
        pub fn with_text(name: &str, text: &str) -> TempPath {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
                "client-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            TempPath(path)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempPath {
        fn drop(&mut self) {
            if let Some(dir) = self.0.parent() {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

#[test]
fn every_call_sends_what_the_swagger_describes() {
    let swagger = common::swagger::load_swagger();
    let server = Server::start(swagger, Vec::new());
    let client = server.client();
    let file = package();

    assert_eq!(client.healthz().unwrap().multi_user, Some(true));
    let uploaded = client.upload_pipeline(file.path(), Some("add example"), Some("adds")).unwrap();
    assert_eq!(uploaded.id.as_deref(), Some("id-text"));
    client.upload_pipeline_version(file.path(), "p1", "v2", Some("second")).unwrap();
    let options = ListOptions {
        page_size: Some(5),
        page_token: Some("t/1 +".into()),
        sort_by: Some("created_at desc".into()),
        filter: Some(kfp::client::name_filter("add example")),
    };
    assert_eq!(client.list_pipelines(&options).unwrap().items.len(), 1);
    client.get_pipeline("p1").unwrap();
    assert!(client.find_pipeline("add example").unwrap().is_some());
    client.delete_pipeline("p1").unwrap();
    client.list_pipeline_versions("p1", &ListOptions::default()).unwrap();
    client.create_experiment("demo", Some("d"), Some("team-a")).unwrap();
    client.list_experiments(&options, Some("team-a")).unwrap();
    client.get_experiment("e1").unwrap();
    client.ensure_experiment("demo", None).unwrap();
    for source in [
        PipelineSource::Package(std::fs::read_to_string(file.path()).unwrap()),
        PipelineSource::Pipeline("p1".into()),
        PipelineSource::Version("v1".into()),
    ] {
        let run = CreateRun {
            name: "run 1".into(),
            description: Some("first".into()),
            experiment_id: Some("e1".into()),
            source,
            parameters: vec![("value_1".into(), "3".into()), ("value_2".into(), "[1, 2]".into())],
            service_account: Some("pipeline-runner".into()),
        };
        client.create_run(&run).unwrap();
    }
    client.get_run("r1").unwrap();
    client.list_runs(&options, Some("e1")).unwrap();

    let violations = server.violations();
    assert!(violations.is_empty(), "requests that do not match the swagger:\n{}", violations.join("\n"));
    let seen = server.seen();
    assert_eq!(seen.len(), 17, "{seen:#?}");
    for request in &seen {
        assert_eq!(header(request, "authorization"), Some("Bearer s3cret-token"), "{request:?}");
        assert_eq!(header(request, "cookie"), Some("authservice_session=c00kie"), "{request:?}");
    }
    // The inline package travels as the Workflow's JSON text.
    let create: Value = serde_json::from_slice(&seen[12].body).unwrap();
    let manifest: Value =
        serde_json::from_str(create["pipeline_spec"]["workflow_manifest"].as_str().expect("manifest")).unwrap();
    assert_eq!(manifest["metadata"]["generateName"], "add-example-");
    assert_eq!(create["resource_references"][0]["key"], json!({"type": "EXPERIMENT", "id": "e1"}));
    let by_version: Value = serde_json::from_slice(&seen[14].body).unwrap();
    assert_eq!(by_version["resource_references"][1]["key"], json!({"type": "PIPELINE_VERSION", "id": "v1"}));
    assert!(seen[3].query.contains(&("page_token".into(), "t/1 +".into())), "{:?}", seen[3].query);
}

#[test]
fn every_documented_answer_parses_without_losing_a_field() {
    let swagger = common::swagger::load_swagger();
    let definitions = common::swagger::strict_definitions(&swagger);
    fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(definitions: &Value, name: &str) {
        let full = common::swagger::example(definitions, &json!({"$ref": format!("#/definitions/{name}")}), name);
        let parsed: T = serde_json::from_value(full.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(serde_json::to_value(&parsed).unwrap(), full, "{name} lost or changed fields");
    }
    round_trip::<Healthz>(&definitions, "apiGetHealthzResponse");
    round_trip::<kfp::client::Pipeline>(&definitions, "apiPipeline");
    round_trip::<PipelineVersion>(&definitions, "apiPipelineVersion");
    round_trip::<ListPipelinesResponse>(&definitions, "apiListPipelinesResponse");
    round_trip::<ListPipelineVersionsResponse>(&definitions, "apiListPipelineVersionsResponse");
    round_trip::<Experiment>(&definitions, "apiExperiment");
    round_trip::<ListExperimentsResponse>(&definitions, "apiListExperimentsResponse");
    round_trip::<RunDetail>(&definitions, "apiRunDetail");
    round_trip::<ListRunsResponse>(&definitions, "apiListRunsResponse");
    // Proto3 JSON leaves out empty fields: the empty answer parses too.
    let empty: RunDetail = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, RunDetail::default());
}

#[test]
fn error_answers_become_typed_errors_with_the_servers_message() {
    let swagger = common::swagger::load_swagger();
    let not_found = json!({"error": "ResourceNotFoundError: Pipeline nope not found", "code": 5,
        "message": "Pipeline nope not found", "details": [{"@type": "type.googleapis.com/api.Error"}]});
    let server = Server::start(
        swagger,
        vec![
            ("GET /apis/v1beta1/pipelines/nope".into(), VecDeque::from([(404, not_found)])),
            (
                "GET /apis/v1beta1/runs".into(),
                VecDeque::from([(500, json!({"error": "database is down", "code": 13}))]),
            ),
            ("GET /apis/v1beta1/healthz".into(), VecDeque::from([(200, json!("not an object"))])),
        ],
    );
    let client = server.quick_client(Duration::from_millis(300));
    match client.get_pipeline("nope").unwrap_err() {
        ClientError::Api { status, code, message, details, operation } => {
            assert_eq!((status, code), (404, Some(5)));
            assert_eq!(message, "Pipeline nope not found");
            assert_eq!(details.len(), 1);
            assert_eq!(operation, "get pipeline nope");
        }
        other => panic!("{other:?}"),
    }
    // A 500 that persists: retried within the budget, then the server's message and how long it was tried.
    let error = client.list_runs(&ListOptions::default(), None).unwrap_err();
    assert_eq!(error.status(), Some(500));
    assert!(error.to_string().contains("database is down") && error.to_string().contains(" attempts over "), "{error}");
    // A 404 is an answer: asked once.
    let asked = server.seen().iter().filter(|seen| seen.path == "/apis/v1beta1/pipelines/nope").count();
    assert_eq!(asked, 1);
    let error = client.healthz().unwrap_err();
    assert!(matches!(error, ClientError::Decode { .. }), "{error:?}");
    // Nothing listening: a transport error naming the URL, not a panic.
    let gone = Client::builder("http://127.0.0.1:9").retry(quick(Duration::from_millis(100))).build().unwrap();
    let error = gone.healthz().unwrap_err();
    let text = error.to_string();
    assert!(
        matches!(error, ClientError::Transport { .. }) && text.contains("cannot reach") && text.contains("127.0.0.1:9"),
        "{text}"
    );
}

#[test]
fn wait_reports_state_changes_and_times_out() {
    let swagger = common::swagger::load_swagger();
    let detail = |status: &str| (200, json!({"run": {"id": "r1", "status": status}}));
    let server = Server::start(
        swagger,
        vec![
            (
                "GET /apis/v1beta1/runs/r1".into(),
                VecDeque::from([
                    (200, json!({"run": {"id": "r1"}})),
                    detail("Running"),
                    detail("Running"),
                    detail("Succeeded"),
                ]),
            ),
            ("GET /apis/v1beta1/runs/r2".into(), VecDeque::from([detail("Running")])),
        ],
    );
    let client = server.client();
    let mut states = Vec::new();
    let done = client
        .wait_for_run("r1", Duration::from_secs(30), Duration::from_millis(10), |s| states.push(s.to_owned()))
        .unwrap();
    assert_eq!(states, ["Pending", "Running", "Succeeded"]);
    assert_eq!(done.run.unwrap().status.as_deref(), Some("Succeeded"));
    let error = client.wait_for_run("r2", Duration::from_millis(200), Duration::from_millis(50), |_| {}).unwrap_err();
    assert!(matches!(&error, ClientError::Timeout { last_state, .. } if last_state == "Running"), "{error:?}");
}

#[test]
fn credentials_never_show() {
    let client = Client::builder("https://kfp.example.com/pipeline/")
        .token("s3cret-token")
        .header("Cookie", "c00kie")
        .build()
        .unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains("s3cret") && !shown.contains("c00kie"), "{shown}");
    assert!(shown.contains("kfp.example.com") && shown.contains("Cookie"), "{shown}");
    assert_eq!(client.host(), "https://kfp.example.com/pipeline");
    let error = Client::builder("kfp.example.com").build().unwrap_err();
    assert!(error.to_string().contains("http://"), "{error}");
    let error = Client::builder("http://h").header("Bad Name", "v").build().unwrap_err();
    assert!(error.to_string().contains("`Bad Name`"), "{error}");
}

#[test]
fn transient_failures_of_a_get_are_ridden_out_within_the_budget() {
    let swagger = common::swagger::load_swagger();
    let unavailable = || (503, json!({"error": "upstream connect error", "code": 14}));
    let detail = |status: &str| (200, json!({"run": {"id": "r3", "status": status}}));
    let server = Server::start(
        swagger,
        vec![
            ("GET /apis/v1beta1/runs/r3".into(), VecDeque::from([unavailable(), unavailable(), detail("Succeeded")])),
            ("GET /apis/v1beta1/runs/r4".into(), VecDeque::from([unavailable(), (429, json!({})), detail("Running")])),
        ],
    );
    let client = server.quick_client(Duration::from_secs(5));
    let done = client.wait_for_run("r3", Duration::from_secs(5), Duration::from_millis(10), |_| {}).unwrap();
    assert_eq!(done.run.unwrap().status.as_deref(), Some("Succeeded"));
    let run = client.get_run("r4").unwrap();
    assert_eq!(run.run.unwrap().status.as_deref(), Some("Running"));
    let asked = |id: &str| server.seen().iter().filter(|seen| seen.path == format!("/apis/v1beta1/runs/{id}")).count();
    assert_eq!((asked("r3"), asked("r4")), (3, 3));

    // Without retries the first 503 is the answer.
    let server = Server::start(
        common::swagger::load_swagger(),
        vec![("GET /apis/v1beta1/runs/r5".into(), VecDeque::from([unavailable(), detail("Running")]))],
    );
    let client = Client::builder(&server.url).retry(Retry::never()).build().unwrap();
    assert_eq!(client.get_run("r5").unwrap_err().status(), Some(503));
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn a_wait_retries_within_its_own_timeout() {
    let server = Server::start(
        common::swagger::load_swagger(),
        vec![("GET /apis/v1beta1/runs/r6".into(), VecDeque::from([(503, json!({"error": "down", "code": 14}))]))],
    );
    // The client's budget is long; the wait's timeout bounds the retries.
    let client = server.quick_client(Duration::from_secs(600));
    let started = std::time::Instant::now();
    let error = client.wait_for_run("r6", Duration::from_millis(300), Duration::from_millis(10), |_| {}).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert_eq!(error.status(), Some(503));
    assert!(error.to_string().contains("get run r6 (after "), "{error}");
    assert!(server.seen().len() > 1);
}

#[test]
fn a_create_answered_503_is_not_sent_again() {
    let server = Server::start(
        common::swagger::load_swagger(),
        vec![("POST /apis/v1beta1/runs".into(), VecDeque::from([(503, json!({"error": "overloaded", "code": 14}))]))],
    );
    let client = server.quick_client(Duration::from_secs(5));
    let run = CreateRun { name: "once".into(), source: PipelineSource::Pipeline("p1".into()), ..CreateRun::default() };
    let error = client.create_run(&run).unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert!(error.to_string().contains("overloaded") && !error.to_string().contains("attempts"), "{error}");
    let posts = server.seen().iter().filter(|seen| seen.method == "POST").count();
    assert_eq!(posts, 1, "a create is never retried");
}

#[test]
fn a_server_that_does_not_answer_http_is_named_as_such() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    // Answers one connection with something that is not HTTP, then stops listening.
    let answering = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 1024];
        let _ = stream.read(&mut request);
        stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n\r\n").unwrap();
    });
    let client = Client::builder(format!("http://{address}")).retry(quick(Duration::from_secs(2))).build().unwrap();
    let error = client.healthz().unwrap_err();
    let text = error.to_string();
    assert!(matches!(error, ClientError::NotHttp { .. }), "{error:?}");
    assert!(text.contains(&format!("the server at {address} did not answer HTTP")), "{text}");
    assert!(!text.contains("cannot reach"), "{text}");
    answering.join().unwrap();

    // https:// to a plain-HTTP port: the TLS handshake meets an HTTP answer.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let answering = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut hello = [0u8; 1024];
        let _ = stream.read(&mut hello);
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    });
    let client = Client::builder(format!("https://{address}")).retry(quick(Duration::from_secs(2))).build().unwrap();
    let error = client.healthz().unwrap_err();
    assert!(matches!(error, ClientError::NotHttp { .. }), "{error:?}");
    assert!(error.to_string().contains("https:// to a plain-HTTP port"), "{error}");
    answering.join().unwrap();
}
