//! The KFP API client against a local server that implements the swagger's
//! operations: every request the client sends must match the swagger (operation,
//! path, query parameters, body schema, strict about field names), every documented
//! answer shape must parse without losing a field, and error answers become typed
//! errors carrying the server's message.

mod common;

use std::collections::VecDeque;
use std::time::Duration;

use common::api_server::{header, quick, Server};
use kfp::client::{
    Client, ClientError, CreateRun, Experiment, Healthz, ListExperimentsResponse, ListOptions,
    ListPipelineVersionsResponse, ListPipelinesResponse, ListRunsResponse, PipelineSource, PipelineVersion, Retry,
    RunDetail,
};
use kfp::prelude::*;
use serde_json::{json, Value};

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
    round_trip::<kfp::client::Job>(&definitions, "apiJob");
    round_trip::<kfp::client::ListJobsResponse>(&definitions, "apiListJobsResponse");
    round_trip::<kfp::client::ReadArtifactResponse>(&definitions, "apiReadArtifactResponse");
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

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[pipeline(name = "add example")]
fn add_example(value_1: i64, #[default(4)] value_2: i64) {
    add_op(value_1, value_2);
}

/// A run's detail whose Workflow status has outputs: a DAG node without, a step with a parameter and two artifacts.
fn finished_run(id: &str) -> (u16, Value) {
    let workflow = json!({
        "metadata": {"name": "add-example-x7k2p"},
        "status": {"phase": "Succeeded", "nodes": {
            "add-example-x7k2p": {"id": "add-example-x7k2p", "displayName": "add-example-x7k2p", "type": "DAG",
                "phase": "Succeeded", "startedAt": "2025-01-01T00:00:00Z"},
            "add-example-x7k2p-123": {"id": "add-example-x7k2p-123", "displayName": "add", "type": "Pod",
                "templateName": "add", "phase": "Succeeded", "startedAt": "2025-01-01T00:00:01Z",
                "outputs": {
                    "parameters": [{"name": "add-Output", "value": "7", "valueFrom": {"path": "/tmp/outputs/Output/data"}}],
                    "artifacts": [{"name": "add-Output", "s3": {"key": "a/b.tgz"}}, {"name": "main-logs", "s3": {"key": "a/l.log"}}]
                }}
        }}
    });
    (
        200,
        json!({"run": {"id": id, "name": "add", "status": "Succeeded"},
        "pipeline_runtime": {"workflow_manifest": workflow.to_string()}}),
    )
}

/// What the read-artifact endpoint answers: base64 of a gzipped tar holding `files`.
fn artifact_answer(files: &[(&str, &[u8])]) -> (u16, Value) {
    use base64::Engine;
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default()));
    for (path, contents) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(contents.len() as u64);
        header.set_mode(0o644);
        builder.append_data(&mut header, path, *contents).unwrap();
    }
    let bytes = builder.into_inner().unwrap().finish().unwrap();
    (200, json!({"data": base64::engine::general_purpose::STANDARD.encode(bytes)}))
}

#[test]
fn recurring_runs_and_the_rest_of_a_runs_life_send_what_the_swagger_describes() {
    use kfp::client::{CreateJob, Schedule};
    let server = Server::start(
        common::swagger::load_swagger(),
        vec![
            ("GET /apis/v1beta1/runs/r1".into(), VecDeque::from([finished_run("r1")])),
            (
                "GET /apis/v1beta1/runs/r1/nodes/add-example-x7k2p-123/artifacts/add-Output:read".into(),
                VecDeque::from([artifact_answer(&[("data", b"7\n")])]),
            ),
        ],
    );
    let client = server.client();
    let file = package();
    let package_text = std::fs::read_to_string(file.path()).unwrap();

    let mut nightly =
        CreateJob::new("nightly", PipelineSource::Package(package_text.clone()), Schedule::Cron("0 0 3 * * *".into()));
    nightly.experiment_id = Some("e1".into());
    nightly.start_time = Some("2025-01-01T00:00:00Z".into());
    nightly.end_time = Some("2026-01-01T00:00:00Z".into());
    nightly.no_catchup = true;
    nightly.max_concurrency = 3;
    nightly.service_account = Some("pipeline-runner".into());
    nightly.description = Some("every night".into());
    let created = client.create_job(&nightly).unwrap();
    assert_eq!(created.max_concurrency, Some(7), "the example answer's \"7\" reads as a number");
    let mut hourly =
        CreateJob::new("hourly", PipelineSource::Version("v1".into()), Schedule::Every(Duration::from_secs(3600)));
    hourly.enabled = false;
    hourly.parameters = vec![("value_1".into(), "3".into())];
    client.create_job(&hourly).unwrap();
    client
        .create_job(&CreateJob::new("by id", PipelineSource::Pipeline("p1".into()), Schedule::Cron("@daily".into())))
        .unwrap();
    client.get_job("j1").unwrap();
    assert_eq!(client.list_jobs(&ListOptions::default(), Some("e1")).unwrap().items.len(), 1);
    client.enable_job("j1").unwrap();
    client.disable_job("j1").unwrap();
    client.delete_job("j1").unwrap();
    client.terminate_run("r1").unwrap();
    client.retry_run("r1").unwrap();
    client.archive_run("r1").unwrap();
    client.unarchive_run("r1").unwrap();
    client.delete_run("r1").unwrap();
    client.get_pipeline_version("v1").unwrap();
    client.delete_pipeline_version("v1").unwrap();
    let detail = client.get_run("r1").unwrap();
    let outputs = detail.node_outputs().unwrap();
    assert_eq!(outputs.len(), 1, "{outputs:?}");
    assert_eq!(outputs[0].display_name, "add");
    assert_eq!(outputs[0].parameters, [("add-Output".to_owned(), "7".to_owned())]);
    assert_eq!(outputs[0].artifacts, ["add-Output", "main-logs"]);
    let files = client.read_artifact_files("r1", &outputs[0].node_id, "add-Output").unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!((files[0].path.to_str(), files[0].contents.as_slice()), (Some("data"), &b"7\n"[..]));

    let violations = server.violations();
    assert!(violations.is_empty(), "requests that do not match the swagger:\n{}", violations.join("\n"));
    let seen = server.seen();
    let calls: Vec<String> = seen.iter().map(|seen| format!("{} {}", seen.method, seen.path)).collect();
    assert_eq!(
        calls,
        [
            "POST /apis/v1beta1/jobs",
            "POST /apis/v1beta1/jobs",
            "POST /apis/v1beta1/jobs",
            "GET /apis/v1beta1/jobs/j1",
            "GET /apis/v1beta1/jobs",
            "POST /apis/v1beta1/jobs/j1/enable",
            "POST /apis/v1beta1/jobs/j1/disable",
            "DELETE /apis/v1beta1/jobs/j1",
            "POST /apis/v1beta1/runs/r1/terminate",
            "POST /apis/v1beta1/runs/r1/retry",
            "POST /apis/v1beta1/runs/r1:archive",
            "POST /apis/v1beta1/runs/r1:unarchive",
            "DELETE /apis/v1beta1/runs/r1",
            "GET /apis/v1beta1/pipeline_versions/v1",
            "DELETE /apis/v1beta1/pipeline_versions/v1",
            "GET /apis/v1beta1/runs/r1",
            "GET /apis/v1beta1/runs/r1/nodes/add-example-x7k2p-123/artifacts/add-Output:read",
        ]
    );
    let job = seen[0].json();
    assert_eq!(
        job["trigger"],
        json!({"cron_schedule": {"cron": "0 0 3 * * *", "start_time": "2025-01-01T00:00:00Z", "end_time": "2026-01-01T00:00:00Z"}})
    );
    assert_eq!(
        (job["max_concurrency"].clone(), job["no_catchup"].clone(), job["enabled"].clone()),
        (json!("3"), json!(true), json!(true))
    );
    let manifest: Value = serde_json::from_str(job["pipeline_spec"]["workflow_manifest"].as_str().unwrap()).unwrap();
    assert_eq!(manifest["metadata"]["generateName"], "add-example-");
    assert_eq!(job["resource_references"][0]["key"], json!({"type": "EXPERIMENT", "id": "e1"}));
    let hourly = seen[1].json();
    assert_eq!(hourly["trigger"], json!({"periodic_schedule": {"interval_second": "3600"}}));
    assert_eq!((hourly["enabled"].clone(), hourly.get("no_catchup")), (json!(false), None));
    assert_eq!(hourly["resource_references"][0]["key"], json!({"type": "PIPELINE_VERSION", "id": "v1"}));
    assert_eq!(hourly["pipeline_spec"]["parameters"], json!([{"name": "value_1", "value": "3"}]));
    assert_eq!(
        seen[4].query,
        [
            ("resource_reference_key.type".into(), "EXPERIMENT".into()),
            ("resource_reference_key.id".into(), "e1".into())
        ]
    );
}

#[test]
fn a_recurring_run_kfp_would_refuse_is_refused_before_anything_is_sent() {
    use kfp::client::{CreateJob, Schedule};
    let server = Server::start(common::swagger::load_swagger(), Vec::new());
    let client = server.client();
    let cron =
        |text: &str| CreateJob::new("nightly", PipelineSource::Pipeline("p1".into()), Schedule::Cron(text.into()));
    let error = client.create_job(&cron("0 3 * * *")).unwrap_err().to_string();
    assert!(
        error.contains("recurring run `nightly`: cron expression `0 3 * * *`") && error.contains("`0 0 3 * * *`"),
        "{error}"
    );
    let error = client.create_job(&cron("0 0 25 * * *")).unwrap_err().to_string();
    assert!(error.contains("hours field `25`"), "{error}");
    let mut busy = cron("@hourly");
    busy.max_concurrency = 11;
    busy.start_time = Some("tomorrow".into());
    let error = client.create_job(&busy).unwrap_err().to_string();
    assert!(error.contains("give 1 to 10") && error.contains("start time `tomorrow`"), "{error}");
    let never = CreateJob::new("x", PipelineSource::Pipeline("p1".into()), Schedule::Every(Duration::from_millis(500)));
    assert!(client.create_job(&never).unwrap_err().to_string().contains("at least 1"));
    let forever = CreateJob::new("x", PipelineSource::Pipeline("p1".into()), Schedule::Every(Duration::MAX));
    assert!(client.create_job(&forever).unwrap_err().to_string().contains("more than KFP counts"));
    let mut unknown = CreateJob::new(
        "x",
        PipelineSource::Package(std::fs::read_to_string(package().path()).unwrap()),
        Schedule::Cron("@daily".into()),
    );
    unknown.parameters = vec![("value_3".into(), "1".into())];
    let error = client.create_job(&unknown).unwrap_err().to_string();
    assert!(error.contains("unknown parameter `value_3`: the pipeline has no parameters"), "{error}");
    assert!(server.seen().is_empty(), "{:?}", server.seen());
}

#[test]
fn one_call_compiles_finds_the_experiment_runs_inline_and_waits() {
    let detail = |status: &str| (200, json!({"run": {"id": "run-9", "status": status}}));
    let server = Server::start(
        common::swagger::load_swagger(),
        vec![
            // No experiment of that name yet: it is created.
            ("GET /apis/v1beta1/experiments".into(), VecDeque::from([(200, json!({}))])),
            (
                "POST /apis/v1beta1/experiments".into(),
                VecDeque::from([(200, json!({"id": "exp-1", "name": "Default"}))]),
            ),
            ("POST /apis/v1beta1/runs".into(), VecDeque::from([(200, json!({"run": {"id": "run-9", "name": "x"}}))])),
            ("GET /apis/v1beta1/runs/run-9".into(), VecDeque::from([detail("Running"), detail("Succeeded")])),
        ],
    );
    let client = server.client();
    let started = client.create_run_from_pipeline(add_example, &kfp::client::Submit::new().arg("value_1", 3)).unwrap();
    assert_eq!((started.run_id.as_str(), started.experiment_id.as_deref()), ("run-9", Some("exp-1")));
    let mut states = Vec::new();
    let done = started
        .wait_with(Duration::from_secs(30), Duration::from_millis(10), |state| states.push(state.to_owned()))
        .unwrap();
    assert_eq!(states, ["Running", "Succeeded"]);
    assert_eq!(done.run.unwrap().status.as_deref(), Some("Succeeded"));

    let violations = server.violations();
    assert!(violations.is_empty(), "requests that do not match the swagger:\n{}", violations.join("\n"));
    let seen = server.seen();
    let calls: Vec<String> = seen.iter().map(|seen| format!("{} {}", seen.method, seen.path)).collect();
    assert_eq!(
        calls[..3],
        ["GET /apis/v1beta1/experiments", "POST /apis/v1beta1/experiments", "POST /apis/v1beta1/runs"]
    );
    // kfp's default experiment, looked up by name.
    let filter: Value = serde_json::from_str(&seen[0].query.iter().find(|(k, _)| k == "filter").unwrap().1).unwrap();
    assert_eq!(filter["predicates"][0]["string_value"], "Default");
    assert_eq!(seen[1].json()["name"], "Default");
    let run = seen[2].json();
    // Named as kfp names it: the pipeline and the time.
    let name = run["name"].as_str().unwrap();
    assert!(name.starts_with("add example 20") && name.len() == "add example 2025-01-01 00-00-00".len(), "{name}");
    assert_eq!(run["resource_references"][0]["key"], json!({"type": "EXPERIMENT", "id": "exp-1"}));
    assert_eq!(run["pipeline_spec"]["parameters"], json!([{"name": "value_1", "value": "3"}]));
    // The Workflow travels inline: the pipeline compiled, as `compile` writes it.
    let manifest: Value = serde_json::from_str(run["pipeline_spec"]["workflow_manifest"].as_str().unwrap()).unwrap();
    let compiled: Value = serde_yaml::from_str(&kfp::Compiler::new().compile_to_string(add_example).unwrap()).unwrap();
    assert_eq!(manifest["spec"], compiled["spec"]);
    assert_eq!(manifest["metadata"]["generateName"], "add-example-");
}

#[test]
fn the_package_form_names_the_run_after_the_file_and_checks_the_arguments() {
    let server = Server::start(common::swagger::load_swagger(), Vec::new());
    let client = server.client();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("client-package-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("add_pipeline.yaml");
    std::fs::write(&path, kfp::Compiler::new().compile_to_string(add_example).unwrap()).unwrap();

    let error = client
        .create_run_from_pipeline_package(&path, &kfp::client::Submit::new().param("value_3", "1"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("unknown parameter `value_3`: the pipeline's parameters are value_1, value_2"), "{error}");
    assert!(error.contains("missing required parameter `value_1`"), "{error}");
    assert!(server.seen().is_empty(), "nothing is sent for arguments the pipeline refuses");

    let submit = kfp::client::Submit::new()
        .param("value_1", "3")
        .experiment("demo")
        .run_name("add 3 and 4")
        .service_account("sa");
    let started = client.create_run_from_pipeline_package(&path, &submit).unwrap();
    assert_eq!(started.run_id, "id-text");
    let seen = server.seen();
    // The example answer has an experiment named `demo`: it is used, not created.
    assert_eq!(seen.iter().filter(|seen| seen.method == "POST").count(), 1);
    let run = seen.last().unwrap().json();
    assert_eq!((run["name"].as_str(), run["service_account"].as_str()), (Some("add 3 and 4"), Some("sa")));
    assert_eq!(run["resource_references"][0]["key"]["id"], "id-text");
    let default_name = Server::start(common::swagger::load_swagger(), Vec::new());
    default_name
        .client()
        .create_run_from_pipeline_package(&path, &kfp::client::Submit::new().arg("value_1", 3))
        .unwrap();
    let run = default_name.seen().last().unwrap().json();
    assert!(run["name"].as_str().unwrap().starts_with("add_pipeline.yaml 20"), "{run}");
    assert!(server.violations().is_empty() && default_name.violations().is_empty(), "{:?}", server.violations());
    let missing =
        client.create_run_from_pipeline_package(dir.join("nope.yaml"), &kfp::client::Submit::new()).unwrap_err();
    assert!(missing.to_string().contains("nope.yaml"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unknown_run_is_named_in_the_error() {
    let not_found = json!({"error": "Run nope not found", "code": 5, "message": "Run nope not found"});
    let server = Server::start(
        common::swagger::load_swagger(),
        vec![("POST /apis/v1beta1/runs/nope/terminate".into(), VecDeque::from([(404, not_found)]))],
    );
    let error = server.client().terminate_run("nope").unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.to_string(), "terminate run nope: the KFP API answered 404: Run nope not found");
}
