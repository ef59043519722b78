//! The `kfp` binary's cluster commands with the KFP v2beta1 API, against the
//! local server built from the v2beta1 swagger (tests/common/api_server.rs):
//! `--api v2`, or a KFP v2 pipeline spec file that picks it; every request must
//! match the swagger. Each command runs as a user runs it, a child process with
//! real stdout, stderr and exit status; the token goes in a header only.

mod common;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::api_server::{header, Server};
use common::swagger::{load_swagger, load_swagger_v2, v2_dir};
use serde_json::{json, Value};

const TOKEN: &str = "v2-s3cret-t0ken";

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn kfp_env(server: &Server, args: &[&str], env: &[(&str, &str)]) -> Ran {
    let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(args)
        .args(["--host", &server.url])
        .env("KFP_TOKEN", TOKEN)
        .env_remove("KFP_NAMESPACE")
        .env_remove("KFP_API")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let ran = Ran {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(!ran.stdout.contains(TOKEN) && !ran.stderr.contains(TOKEN), "the token was printed");
    ran
}

fn kfp(server: &Server, args: &[&str]) -> Ran {
    kfp_env(server, args, &[])
}

fn ok(server: &Server, args: &[&str]) -> String {
    let ran = kfp(server, args);
    assert_eq!(ran.code, Some(0), "kfp {}\nstdout:\n{}\nstderr:\n{}", args.join(" "), ran.stdout, ran.stderr);
    ran.stdout
}

fn fails(server: &Server, args: &[&str]) -> String {
    let ran = kfp(server, args);
    assert_eq!(ran.code, Some(1), "kfp {}\nstdout:\n{}\nstderr:\n{}", args.join(" "), ran.stdout, ran.stderr);
    ran.stderr
}

fn spec_file(name: &str) -> String {
    v2_dir().join(name).to_str().unwrap().to_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("client-cli-v2-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn assert_clean(server: &Server) {
    let violations = server.violations();
    assert!(violations.is_empty(), "requests that do not match the swagger:\n{}", violations.join("\n"));
    for seen in server.seen() {
        assert_eq!(header(&seen, "authorization"), Some(format!("Bearer {TOKEN}").as_str()), "{seen:?}");
    }
}

fn calls(server: &Server) -> Vec<String> {
    server.seen().iter().map(|seen| format!("{} {}", seen.method, seen.path)).collect()
}

const WORKFLOW: &str = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: add-example-}\n\
spec:\n  entrypoint: a\n  templates: [{name: a, container: {image: alpine}}]\n";

#[test]
fn a_pipeline_spec_file_picks_the_v2_api_and_runs_with_typed_parameters() {
    let add = spec_file("critical__add_numbers.yaml");
    let state = |state: &str| (200, json!({"run_id": "run_id-text", "display_name": "add", "state": state}));
    let server = Server::start(
        load_swagger_v2(),
        vec![("GET /apis/v2beta1/runs/run_id-text".into(), VecDeque::from([state("RUNNING"), state("SUCCEEDED")]))],
    );
    let uploaded = ok(&server, &["pipeline", "upload", &add, "--name", "add numbers", "--description", "adds"]);
    assert_eq!(uploaded, "uploaded pipeline pipeline_id-text\tdisplay_name-text\t2024-05-01T12:00:00Z\n");
    let version = ok(&server, &["pipeline", "upload-version", &add, "--pipeline", "add numbers", "--version", "v2"]);
    assert_eq!(version, "uploaded version pipeline_version_id-text\tdisplay_name-text of pipeline pipeline_id-text\n");
    let created = ok(
        &server,
        &[
            "run",
            "create",
            "--package",
            &add,
            "-p",
            "a=3",
            "-p",
            "b=4",
            "--experiment",
            "demo",
            "--name",
            "add",
            "--wait",
            "--poll",
            "1",
        ],
    );
    assert_eq!(
        created,
        "created run run_id-text\tdisplay_name-text\tPENDING\t2024-05-01T12:00:00Z\nrun run_id-text: RUNNING\nrun run_id-text: SUCCEEDED\n"
    );
    // A platform spec goes with the pipeline spec.
    let secret = spec_file("critical__pipeline_with_secret_as_env.yaml");
    ok(&server, &["run", "create", "--package", &secret, "-p", "secret_parm=db-user", "--experiment-id", "e1"]);

    assert_clean(&server);
    assert_eq!(
        calls(&server),
        [
            "POST /apis/v2beta1/pipelines/upload",
            "GET /apis/v2beta1/pipelines",
            "POST /apis/v2beta1/pipelines/upload_version",
            "GET /apis/v2beta1/experiments",
            "POST /apis/v2beta1/runs",
            "GET /apis/v2beta1/runs/run_id-text",
            "GET /apis/v2beta1/runs/run_id-text",
            "POST /apis/v2beta1/runs",
        ]
    );
    let seen = server.seen();
    let upload = String::from_utf8_lossy(&seen[0].body).into_owned();
    assert!(upload.contains("pipelineInfo:\n  name: add-numbers"), "the file is uploaded as it is");
    assert!(seen[0].query.contains(&("name".into(), "add numbers".into())), "{:?}", seen[0].query);
    // The pipeline named `add numbers` is the example answer's.
    assert!(seen[2].query.contains(&("pipelineid".into(), "pipeline_id-text".into())), "{:?}", seen[2].query);
    let run = seen[4].json();
    assert_eq!(run["runtime_config"], json!({"parameters": {"a": 3, "b": 4}}));
    assert_eq!(run["pipeline_spec"]["pipelineInfo"]["name"], "add-numbers");
    assert_eq!((&run["display_name"], &run["experiment_id"]), (&json!("add"), &json!("experiment_id-text")));
    let run = seen[7].json();
    assert_eq!(run["runtime_config"]["parameters"], json!({"secret_parm": "db-user"}));
    assert!(run["pipeline_spec"]["platform_spec"]["platforms"]["kubernetes"].is_object(), "{run}");
}

#[test]
fn the_file_and_api_must_agree_and_bad_values_fail_before_any_request() {
    let dir = scratch("disagree");
    let workflow = dir.join("add_example.yaml");
    std::fs::write(&workflow, WORKFLOW).unwrap();
    let workflow = workflow.to_str().unwrap();
    let neither = dir.join("neither.yaml");
    std::fs::write(&neither, "name: add\nimplementation: {container: {image: alpine}}\n").unwrap();
    let add = spec_file("critical__add_numbers.yaml");
    let server = Server::start(load_swagger_v2(), Vec::new());

    let stderr = fails(&server, &["pipeline", "upload", &add, "--api", "v1"]);
    assert_eq!(
        stderr,
        format!("error: {add} is a KFP v2 pipeline spec, which the v1beta1 API (--api v1) does not run: drop --api v1 (and KFP_API) to use the v2beta1 API of a KFP 2 cluster\n")
    );
    let stderr = fails(&server, &["run", "create", "--package", workflow, "--api", "v2"]);
    assert!(stderr.contains("is an Argo Workflow, which the v2beta1 API (--api v2) does not run"), "{stderr}");
    let ran = kfp_env(&server, &["pipeline", "upload", workflow], &[("KFP_API", "v2")]);
    assert!(ran.code == Some(1) && ran.stderr.contains("drop --api v2 (and KFP_API)"), "{}", ran.stderr);
    let stderr = fails(&server, &["pipeline", "upload", neither.to_str().unwrap()]);
    assert!(stderr.contains("neither.yaml: the pipeline package is neither an Argo Workflow"), "{stderr}");
    let stderr = fails(&server, &["run", "create", "--package", &add, "-p", "a=three", "-p", "b=4"]);
    assert_eq!(stderr, "error: parameter `a`: `three` is not an integer (the pipeline declares it NUMBER_INTEGER)\n");
    let stderr = fails(&server, &["run", "create", "--package", &add, "-p", "c=1"]);
    assert_eq!(stderr, "error: the pipeline has no parameter `c` (it has a, b)\n");
    let stderr = fails(&server, &["run", "create", "--package", &add, "-p", "a=1"]);
    assert_eq!(stderr, "error: the pipeline needs a value for `b`: it has no default\n");
    let stderr = fails(&server, &["run", "create", "--version-id", "v1", "--api", "v2"]);
    assert!(stderr.contains("add --pipeline-id ID"), "{stderr}");
    let stderr = fails(&server, &["pipeline", "get-version", "v1", "--api", "v2"]);
    assert!(stderr.contains("add --pipeline-id ID"), "{stderr}");
    let stderr = fails(&server, &["recurring-run", "create", "--package", &add, "--name", "n", "--every", "60"]);
    assert!(stderr.contains("is a KFP v2 pipeline spec: its recurring runs are the v2beta1 API's"), "{stderr}");
    let stderr = fails(&server, &["recurring-run", "list", "--api", "v2"]);
    assert_eq!(stderr, "error: recurring-run uses the v1beta1 API: drop --api v2 (and KFP_API) for it\n");
    let stderr = fails(&server, &["run", "get", "r1", "--outputs", "--api", "v2"]);
    assert!(stderr.contains("--outputs and --artifacts-dir read a v1 run's Workflow status"), "{stderr}");
    let usage = kfp(&server, &["health", "--api", "v3"]);
    assert_eq!(usage.code, Some(2));
    assert!(usage.stderr.contains("invalid value 'v3' for '--api <VERSION>'"), "{}", usage.stderr);
    assert!(server.seen().is_empty(), "{:?}", calls(&server));

    // A Workflow picks the v1 API, as before; so does an archive without --api (its kind is not read).
    let v1 = Server::start(load_swagger(), Vec::new());
    let uploaded = ok(&v1, &["pipeline", "upload", workflow]);
    assert!(uploaded.starts_with("uploaded pipeline id-text\t"), "{uploaded}");
    let archive = dir.join("add_example.tar.gz");
    std::fs::write(&archive, [0x1f, 0x8b, 0x08, 0x00, 0xff]).unwrap();
    ok(&v1, &["pipeline", "upload", archive.to_str().unwrap()]);
    ok(&server, &["pipeline", "upload", archive.to_str().unwrap(), "--api", "v2"]);
    assert_eq!(calls(&v1), ["POST /apis/v1beta1/pipelines/upload", "POST /apis/v1beta1/pipelines/upload"]);
    assert_eq!(calls(&server), ["POST /apis/v2beta1/pipelines/upload"]);
    assert_clean(&v1);
    assert_clean(&server);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A pipeline whose latest version declares `a` and `b` as integers.
fn versions() -> (String, VecDeque<(u16, Value)>) {
    let spec: Value =
        serde_yaml::from_str(&std::fs::read_to_string(spec_file("critical__add_numbers.yaml")).unwrap()).unwrap();
    let version = json!({"pipeline_id": "p1", "pipeline_version_id": "v9", "name": "v9", "pipeline_spec": spec});
    ("GET /apis/v2beta1/pipelines/p1/versions".into(), VecDeque::from([(200, json!({"pipeline_versions": [version]}))]))
}

#[test]
fn every_v2_command_sends_what_the_swagger_describes() {
    let failed = (200, json!({"run_id": "r2", "state": "FAILED"}));
    let server = Server::start(
        load_swagger_v2(),
        vec![
            versions(),
            ("GET /apis/v2beta1/runs/r2".into(), VecDeque::from([failed])),
            (
                "GET /apis/v2beta1/runs/r3".into(),
                VecDeque::from([(
                    200,
                    json!({"run_id": "r3", "display_name": "add", "state": "SUCCEEDED", "run_details": {"task_details": [
                        {"display_name": "add-numbers", "state": "SUCCEEDED"}]}}),
                )]),
            ),
            (
                "POST /apis/v2beta1/runs/nope:terminate".into(),
                VecDeque::from([(404, json!({"code": 5, "message": "Run nope not found"}))]),
            ),
        ],
    );
    let v2 = |args: &[&str]| -> String {
        let mut args = args.to_vec();
        args.extend(["--api", "v2"]);
        ok(&server, &args)
    };
    assert_eq!(v2(&["health"]), format!("{}: healthy (multi-user, pipelines in pipeline_store-text)\n", server.url));
    let health: Value = serde_json::from_str(&v2(&["health", "--json"])).unwrap();
    assert_eq!(health, json!({"multi_user": true, "pipeline_store": "pipeline_store-text"}));
    assert_eq!(
        v2(&["pipeline", "list", "--name", "add"]),
        "pipeline_id-text\tdisplay_name-text\t2024-05-01T12:00:00Z\nmore of 7: --page-token next_page_token-text\n"
    );
    assert_eq!(
        v2(&["pipeline", "get", "p1"]),
        "pipeline_id-text\tdisplay_name-text\t2024-05-01T12:00:00Z\n  description-text\n"
    );
    assert_eq!(v2(&["pipeline", "delete", "p1"]), "deleted pipeline p1\n");
    assert!(v2(&["pipeline", "list-versions", "p1"]).starts_with("v9\tv9\t-\n"));
    assert_eq!(
        v2(&["pipeline", "get-version", "v1", "--pipeline-id", "p1"]),
        "pipeline_version_id-text\tdisplay_name-text\t2024-05-01T12:00:00Z\n"
    );
    assert_eq!(v2(&["pipeline", "delete-version", "v1", "--pipeline-id", "p1"]), "deleted pipeline version v1\n");
    assert_eq!(
        v2(&["experiment", "create", "demo", "--description", "d", "--namespace", "team-a"]),
        "created experiment experiment_id-text\tdisplay_name-text\t2024-05-01T12:00:00Z\n"
    );
    assert!(v2(&["experiment", "list", "--name", "demo"]).starts_with("experiment_id-text\tdisplay_name-text\t"));
    assert!(v2(&["experiment", "get", "e1"]).starts_with("experiment_id-text\t"));
    // An uploaded pipeline: parameters typed as its latest version declares them.
    assert!(v2(&["run", "create", "--pipeline-id", "p1", "-p", "a=3", "-p", "b=4"])
        .starts_with("created run run_id-text\t"));
    v2(&["run", "create", "--pipeline-id", "p1", "--version-id", "v1"]);
    assert_eq!(v2(&["run", "get", "r3"]), "r3\tadd\tSUCCEEDED\t-\n  task add-numbers: SUCCEEDED\n");
    assert!(v2(&["run", "list", "--experiment-id", "e1"]).starts_with("run_id-text\tdisplay_name-text\tPENDING\t"));
    assert_eq!(v2(&["run", "wait", "r3"]), "run r3: SUCCEEDED\n");
    assert_eq!(v2(&["run", "terminate", "r1"]), "terminated run r1\n");
    assert_eq!(v2(&["run", "retry", "r1"]), "retrying run r1\n");
    assert_eq!(v2(&["run", "archive", "r1"]), "archived run r1\n");
    assert_eq!(v2(&["run", "unarchive", "r1"]), "unarchived run r1\n");
    assert_eq!(v2(&["run", "delete", "r1"]), "deleted run r1\n");
    let ran = kfp(&server, &["run", "wait", "r2", "--api", "v2"]);
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (Some(1), "run r2: FAILED\n", "error: run r2 ended FAILED\n")
    );
    let stderr = fails(&server, &["run", "terminate", "nope", "--api", "v2"]);
    assert_eq!(stderr, "error: terminate run nope: the KFP API answered 404: Run nope not found\n");

    assert_clean(&server);
    assert_eq!(
        calls(&server),
        [
            "GET /apis/v2beta1/healthz",
            "GET /apis/v2beta1/healthz",
            "GET /apis/v2beta1/pipelines",
            "GET /apis/v2beta1/pipelines/p1",
            "DELETE /apis/v2beta1/pipelines/p1",
            "GET /apis/v2beta1/pipelines/p1/versions",
            "GET /apis/v2beta1/pipelines/p1/versions/v1",
            "DELETE /apis/v2beta1/pipelines/p1/versions/v1",
            "POST /apis/v2beta1/experiments",
            "GET /apis/v2beta1/experiments",
            "GET /apis/v2beta1/experiments/e1",
            "GET /apis/v2beta1/pipelines/p1/versions",
            "POST /apis/v2beta1/runs",
            "GET /apis/v2beta1/pipelines/p1/versions/v1",
            "POST /apis/v2beta1/runs",
            "GET /apis/v2beta1/runs/r3",
            "GET /apis/v2beta1/runs",
            "GET /apis/v2beta1/runs/r3",
            "POST /apis/v2beta1/runs/r1:terminate",
            "POST /apis/v2beta1/runs/r1:retry",
            "POST /apis/v2beta1/runs/r1:archive",
            "POST /apis/v2beta1/runs/r1:unarchive",
            "DELETE /apis/v2beta1/runs/r1",
            "GET /apis/v2beta1/runs/r2",
            "POST /apis/v2beta1/runs/nope:terminate",
        ]
    );
    let seen = server.seen();
    let filter: Value = serde_json::from_str(&seen[2].query.iter().find(|(k, _)| k == "filter").unwrap().1).unwrap();
    assert_eq!(filter, json!({"predicates": [{"key": "display_name", "operation": "EQUALS", "string_value": "add"}]}));
    assert!(seen[4].query.contains(&("cascade".into(), "true".into())));
    assert_eq!(seen[8].json(), json!({"display_name": "demo", "description": "d", "namespace": "team-a"}));
    let filter = &seen[9].query.iter().find(|(k, _)| k == "filter").unwrap().1;
    assert!(filter.contains("\"display_name\""), "{filter}");
    let by_pipeline = seen[12].json();
    assert_eq!(by_pipeline["pipeline_version_reference"], json!({"pipeline_id": "p1"}));
    assert_eq!(by_pipeline["runtime_config"]["parameters"], json!({"a": 3, "b": 4}));
    let by_version = seen[14].json();
    assert_eq!(by_version["pipeline_version_reference"], json!({"pipeline_id": "p1", "pipeline_version_id": "v1"}));
    assert!(seen[16].query.contains(&("experiment_id".into(), "e1".into())), "{:?}", seen[16].query);
}
