//! The `kfp` binary's cluster commands against the local server built from the
//! KFP v1beta1 swagger (tests/common/api_server.rs): recurring runs, the rest of
//! a run's life, reading a run's outputs back, pipeline versions. Each command
//! runs as a user runs it, a child process with real stdout, stderr and exit
//! status; every request it sends must match the swagger.

mod common;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::api_server::Server;
use serde_json::{json, Value};

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn kfp(server: &Server, args: &[&str]) -> Ran {
    let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(args)
        .args(["--host", &server.url])
        .env_remove("KFP_TOKEN")
        .env_remove("KFP_NAMESPACE")
        .output()
        .unwrap();
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn ok(server: &Server, args: &[&str]) -> String {
    let ran = kfp(server, args);
    assert_eq!(ran.code, Some(0), "kfp {}\nstdout:\n{}\nstderr:\n{}", args.join(" "), ran.stdout, ran.stderr);
    ran.stdout
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("client-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const WORKFLOW: &str = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: add-example-}\n\
spec:\n  entrypoint: a\n  arguments: {parameters: [{name: value_1}, {name: value_2, value: '4'}]}\n  \
templates: [{name: a, container: {image: alpine}}]\n";

fn assert_no_violations(server: &Server) {
    let violations = server.violations();
    assert!(violations.is_empty(), "requests that do not match the swagger:\n{}", violations.join("\n"));
}

fn calls(server: &Server) -> Vec<String> {
    server.seen().iter().map(|seen| format!("{} {}", seen.method, seen.path)).collect()
}

#[test]
fn recurring_run_create_list_get_enable_disable_delete() {
    let dir = scratch("recurring");
    let file = dir.join("add_pipeline.yaml");
    std::fs::write(&file, WORKFLOW).unwrap();
    let file = file.to_str().unwrap();
    let server = Server::start(common::swagger::load_swagger(), Vec::new());

    let created = ok(
        &server,
        &[
            "recurring-run",
            "create",
            "--package",
            file,
            "--name",
            "nightly",
            "--cron",
            "0 0 3 * * *",
            "-p",
            "value_1=3",
            "--experiment",
            "demo",
            "--no-catchup",
            "--max-concurrency",
            "2",
            "--start-time",
            "2025-01-01T00:00:00Z",
        ],
    );
    // The example answer: what the server sends back, summarized.
    assert_eq!(created, "created recurring run id-text\tname-text\tEnabled\tcron cron-text\t2024-05-01T12:00:00Z\n");
    let listed = ok(&server, &["job", "list", "--experiment-id", "e1"]);
    assert!(listed.starts_with("id-text\tname-text\tEnabled\tcron cron-text\t"), "{listed}");
    let shown = ok(&server, &["recurring-run", "get", "j1"]);
    assert!(shown.contains("  parameter name-text = value-text"), "{shown}");
    assert_eq!(ok(&server, &["recurring-run", "disable", "j1"]), "disabled recurring run j1\n");
    assert_eq!(ok(&server, &["recurring-run", "enable", "j1"]), "enabled recurring run j1\n");
    assert_eq!(ok(&server, &["recurring-run", "delete", "j1"]), "deleted recurring run j1\n");
    let json: Value = serde_json::from_str(&ok(&server, &["recurring-run", "get", "j1", "--json"])).unwrap();
    assert_eq!(json["max_concurrency"], "7");

    assert_no_violations(&server);
    assert_eq!(
        calls(&server),
        [
            "GET /apis/v1beta1/experiments",
            "POST /apis/v1beta1/jobs",
            "GET /apis/v1beta1/jobs",
            "GET /apis/v1beta1/jobs/j1",
            "POST /apis/v1beta1/jobs/j1/disable",
            "POST /apis/v1beta1/jobs/j1/enable",
            "DELETE /apis/v1beta1/jobs/j1",
            "GET /apis/v1beta1/jobs/j1",
        ]
    );
    let job = server.seen()[1].json();
    assert_eq!(job["name"], "nightly");
    assert_eq!(job["trigger"], json!({"cron_schedule": {"cron": "0 0 3 * * *", "start_time": "2025-01-01T00:00:00Z"}}));
    assert_eq!((job["max_concurrency"].clone(), job["no_catchup"].clone()), (json!("2"), json!(true)));
    assert_eq!(job["pipeline_spec"]["parameters"], json!([{"name": "value_1", "value": "3"}]));
    // The experiment `demo` the example answer holds.
    assert_eq!(job["resource_references"][0]["key"], json!({"type": "EXPERIMENT", "id": "id-text"}));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_schedule_kfp_would_refuse_fails_before_any_request() {
    let dir = scratch("bad-schedule");
    let file = dir.join("add_pipeline.yaml");
    std::fs::write(&file, WORKFLOW).unwrap();
    let file = file.to_str().unwrap();
    let server = Server::start(common::swagger::load_swagger(), Vec::new());
    let create = |extra: &[&str]| {
        let mut args = vec!["recurring-run", "create", "--package", file, "--name", "n", "--experiment", "demo"];
        args.extend_from_slice(extra);
        kfp(&server, &args)
    };
    let unix = create(&["--cron", "0 3 * * *"]);
    assert_eq!(unix.code, Some(1));
    assert!(
        unix.stderr.contains("cron expression `0 3 * * *`: KFP's scheduler wants six fields, seconds first")
            && unix.stderr.contains("write `0 0 3 * * *`"),
        "{}",
        unix.stderr
    );
    let hours = create(&["--cron", "0 0 25 * * *"]);
    assert!(hours.stderr.contains("hours field `25`"), "{}", hours.stderr);
    let unknown = create(&["--every", "60", "-p", "value_9=1"]);
    assert!(unknown.stderr.contains("unknown parameter `value_9`: the pipeline's parameters are value_1, value_2"));
    assert!(unknown.stderr.contains("missing required parameter `value_1`"), "{}", unknown.stderr);
    let neither = create(&[]);
    assert_eq!(neither.code, Some(1));
    assert!(neither.stderr.contains("--cron EXPR or --every SECONDS"), "{}", neither.stderr);
    let both = create(&["--cron", "@daily", "--every", "60"]);
    assert_eq!(both.code, Some(2), "{}", both.stderr);
    assert!(server.seen().is_empty(), "{:?}", calls(&server));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A run whose step `add` wrote a parameter and an artifact, and the artifact's bytes.
fn run_with_outputs() -> Vec<(String, VecDeque<(u16, Value)>)> {
    use base64::Engine;
    let workflow = json!({"status": {"nodes": {
        "add-example-x7k2p-123": {"id": "add-example-x7k2p-123", "displayName": "add", "templateName": "add",
            "phase": "Succeeded", "startedAt": "2025-01-01T00:00:01Z",
            "outputs": {"parameters": [{"name": "add-Output", "value": "7"}],
                "artifacts": [{"name": "add-Output"}, {"name": "main-logs"}]}},
        "add-example-x7k2p": {"id": "add-example-x7k2p", "displayName": "add-example-x7k2p", "phase": "Succeeded"}
    }}});
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default()));
    let mut header = tar::Header::new_gnu();
    header.set_size(2);
    header.set_mode(0o644);
    builder.append_data(&mut header, "data", &b"7\n"[..]).unwrap();
    let tgz = builder.into_inner().unwrap().finish().unwrap();
    vec![
        (
            "GET /apis/v1beta1/runs/r1".into(),
            VecDeque::from([(
                200,
                json!({"run": {"id": "r1", "name": "add", "status": "Succeeded"},
                "pipeline_runtime": {"workflow_manifest": workflow.to_string()}}),
            )]),
        ),
        (
            "GET /apis/v1beta1/runs/r1/nodes/add-example-x7k2p-123/artifacts/add-Output:read".into(),
            VecDeque::from([(200, json!({"data": base64::engine::general_purpose::STANDARD.encode(tgz)}))]),
        ),
        // Argo stores a step's log as it is, without its tgz archive.
        (
            "GET /apis/v1beta1/runs/r1/nodes/add-example-x7k2p-123/artifacts/main-logs:read".into(),
            VecDeque::from([(
                200,
                json!({"data": base64::engine::general_purpose::STANDARD.encode("adding 3 and 4\n")}),
            )]),
        ),
        (
            "POST /apis/v1beta1/runs/nope/terminate".into(),
            VecDeque::from([(404, json!({"error": "Run nope not found", "code": 5, "message": "Run nope not found"}))]),
        ),
    ]
}

#[test]
fn run_outputs_are_read_back_and_artifacts_downloaded() {
    let dir = scratch("outputs");
    let server = Server::start(common::swagger::load_swagger(), run_with_outputs());
    let shown = ok(&server, &["run", "get", "r1", "--outputs"]);
    assert_eq!(
        shown,
        "r1\tadd\tSucceeded\t-\nadd (add-example-x7k2p-123): Succeeded\n  add-Output = 7\n  artifact add-Output\n  artifact main-logs\n"
    );
    let into = dir.join("out");
    let saved = ok(&server, &["run", "get", "r1", "--artifacts-dir", into.to_str().unwrap()]);
    let file = into.join("add").join("add-Output").join("data");
    assert!(saved.contains(&format!("  artifact add-Output -> {}\n", file.display())), "{saved}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "7\n");
    let log = into.join("add").join("main-logs").join("main-logs");
    assert!(saved.contains(&format!("  artifact main-logs -> {}\n", log.display())), "{saved}");
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "adding 3 and 4\n");
    let json: Value = serde_json::from_str(&ok(&server, &["run", "get", "r1", "--outputs", "--json"])).unwrap();
    assert_eq!(json["outputs"][0]["parameters"], json!({"add-Output": "7"}));
    assert_eq!(json["outputs"][0]["node_id"], "add-example-x7k2p-123");
    assert_no_violations(&server);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn terminate_retry_archive_unarchive_delete_and_versions() {
    let server = Server::start(common::swagger::load_swagger(), run_with_outputs());
    assert_eq!(ok(&server, &["run", "terminate", "r1"]), "terminated run r1\n");
    assert_eq!(ok(&server, &["run", "retry", "r1"]), "retrying run r1\n");
    assert_eq!(ok(&server, &["run", "archive", "r1"]), "archived run r1\n");
    assert_eq!(ok(&server, &["run", "unarchive", "r1"]), "unarchived run r1\n");
    assert_eq!(ok(&server, &["run", "delete", "r1"]), "deleted run r1\n");
    let versions = ok(&server, &["pipeline", "list-versions", "p1"]);
    assert!(versions.starts_with("id-text\tname-text\t2024-05-01T12:00:00Z\n"), "{versions}");
    let version = ok(&server, &["pipeline", "get-version", "v1"]);
    assert!(version.contains("  parameter name-text = value-text"), "{version}");
    assert_eq!(ok(&server, &["pipeline", "delete-version", "v1"]), "deleted pipeline version v1\n");
    let unknown = kfp(&server, &["run", "terminate", "nope"]);
    assert_eq!(unknown.code, Some(1));
    assert_eq!(unknown.stderr, "error: terminate run nope: the KFP API answered 404: Run nope not found\n");
    assert_no_violations(&server);
    assert_eq!(
        calls(&server),
        [
            "POST /apis/v1beta1/runs/r1/terminate",
            "POST /apis/v1beta1/runs/r1/retry",
            "POST /apis/v1beta1/runs/r1:archive",
            "POST /apis/v1beta1/runs/r1:unarchive",
            "DELETE /apis/v1beta1/runs/r1",
            "GET /apis/v1beta1/pipeline_versions",
            "GET /apis/v1beta1/pipeline_versions/v1",
            "DELETE /apis/v1beta1/pipeline_versions/v1",
            "POST /apis/v1beta1/runs/nope/terminate",
        ]
    );
}
