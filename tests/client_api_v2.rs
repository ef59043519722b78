//! The KFP v2beta1 client (`Client::v2`) against the local server built from the
//! v2beta1 swagger: every request must match its operation (path, query
//! parameters, body schema, strict about field names), every documented answer
//! must parse without losing a field, v2 run states end a wait, and errors carry
//! the server's message. Credentials travel as for v1.

mod common;

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use common::api_server::{header, quick, Server};
use common::swagger::{load_swagger_v2, v2_dir};
use kfp::client::v2::{self, parameter_values, CreateRun, Package, RunSource, RuntimeState};
use kfp::client::{ClientError, ListOptions};
use serde_json::{json, Value};

fn typed(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
}

fn spec_of(file: &str) -> Value {
    let text = std::fs::read_to_string(v2_dir().join(file)).unwrap();
    Package::parse(&text).unwrap().run_spec().unwrap()
}

#[test]
fn every_v2_call_sends_what_the_swagger_describes() {
    let server = Server::start(load_swagger_v2(), Vec::new());
    let client = server.client();
    let api = client.v2();
    let file = v2_dir().join("critical__add_numbers.yaml");
    let options = ListOptions {
        page_size: Some(5),
        page_token: Some("t/1 +".into()),
        sort_by: Some("created_at desc".into()),
        filter: Some(v2::filter_equals("name", "add numbers")),
    };

    let health = api.healthz().unwrap();
    assert_eq!((health.multi_user, health.pipeline_store.as_deref()), (Some(true), Some("pipeline_store-text")));
    let uploaded = api.upload_pipeline(&file, Some("add numbers"), Some("adds"), Some("team-a")).unwrap();
    assert_eq!(uploaded.pipeline_id.as_deref(), Some("pipeline_id-text"));
    let version = api.upload_pipeline_version(&file, "p1", "v2", Some("second")).unwrap();
    assert_eq!(version.pipeline_version_id.as_deref(), Some("pipeline_version_id-text"));
    assert_eq!(api.list_pipelines(&options, Some("team-a")).unwrap().items.len(), 1);
    api.get_pipeline("p1").unwrap();
    assert!(api.find_pipeline("add numbers", None).unwrap().is_some());
    api.delete_pipeline("p1", true).unwrap();
    api.list_pipeline_versions("p1", &options).unwrap();
    assert!(api.latest_pipeline_version("p1").unwrap().is_some());
    api.get_pipeline_version("p1", "v1").unwrap();
    api.delete_pipeline_version("p1", "v1").unwrap();
    api.create_experiment("demo", Some("d"), Some("team-a")).unwrap();
    api.list_experiments(&options, Some("team-a")).unwrap();
    api.get_experiment("e1").unwrap();
    api.ensure_experiment("demo", None).unwrap();
    let spec = spec_of("critical__add_numbers.yaml");
    let parameters = parameter_values(&spec, &typed(&[("a", "3"), ("b", "4")])).unwrap();
    for source in [
        RunSource::Spec(spec.clone()),
        RunSource::Spec(spec_of("critical__pipeline_with_secret_as_env.yaml")),
        RunSource::Pipeline("p1".into()),
        RunSource::Version { pipeline_id: "p1".into(), version_id: "v1".into() },
    ] {
        let run = CreateRun {
            name: "run 1".into(),
            description: Some("first".into()),
            experiment_id: Some("e1".into()),
            source,
            parameters: parameters.clone(),
            pipeline_root: Some("minio://mlpipeline/v2".into()),
            service_account: Some("pipeline-runner".into()),
        };
        let created = api.create_run(&run).unwrap();
        assert_eq!(created.state, Some(RuntimeState::Pending), "the state in the example answer");
    }
    api.get_run("r1").unwrap();
    api.list_runs(&options, Some("e1"), Some("team-a")).unwrap();
    api.terminate_run("r1").unwrap();
    api.retry_run("r1").unwrap();
    api.archive_run("r1").unwrap();
    api.unarchive_run("r1").unwrap();
    api.delete_run("r1").unwrap();

    let violations = server.violations();
    assert!(violations.is_empty(), "requests that do not match the swagger:\n{}", violations.join("\n"));
    let seen = server.seen();
    let calls: Vec<String> = seen.iter().map(|seen| format!("{} {}", seen.method, seen.path)).collect();
    assert_eq!(
        calls,
        [
            "GET /apis/v2beta1/healthz",
            "POST /apis/v2beta1/pipelines/upload",
            "POST /apis/v2beta1/pipelines/upload_version",
            "GET /apis/v2beta1/pipelines",
            "GET /apis/v2beta1/pipelines/p1",
            "GET /apis/v2beta1/pipelines",
            "DELETE /apis/v2beta1/pipelines/p1",
            "GET /apis/v2beta1/pipelines/p1/versions",
            "GET /apis/v2beta1/pipelines/p1/versions",
            "GET /apis/v2beta1/pipelines/p1/versions/v1",
            "DELETE /apis/v2beta1/pipelines/p1/versions/v1",
            "POST /apis/v2beta1/experiments",
            "GET /apis/v2beta1/experiments",
            "GET /apis/v2beta1/experiments/e1",
            "GET /apis/v2beta1/experiments",
            "POST /apis/v2beta1/runs",
            "POST /apis/v2beta1/runs",
            "POST /apis/v2beta1/runs",
            "POST /apis/v2beta1/runs",
            "GET /apis/v2beta1/runs/r1",
            "GET /apis/v2beta1/runs",
            "POST /apis/v2beta1/runs/r1:terminate",
            "POST /apis/v2beta1/runs/r1:retry",
            "POST /apis/v2beta1/runs/r1:archive",
            "POST /apis/v2beta1/runs/r1:unarchive",
            "DELETE /apis/v2beta1/runs/r1",
        ]
    );
    for request in &seen {
        assert_eq!(header(request, "authorization"), Some("Bearer s3cret-token"), "{request:?}");
        assert_eq!(header(request, "cookie"), Some("authservice_session=c00kie"), "{request:?}");
    }
    let query = |i: usize| -> BTreeMap<String, String> { seen[i].query.iter().cloned().collect() };
    assert_eq!(query(1)["name"], "add numbers");
    assert_eq!(query(1)["namespace"], "team-a");
    assert_eq!((query(2)["pipelineid"].as_str(), query(2)["name"].as_str()), ("p1", "v2"));
    // The v2 filter names its operation `operation`.
    let filter: Value = serde_json::from_str(&query(3)["filter"]).unwrap();
    assert_eq!(filter, json!({"predicates": [{"key": "name", "operation": "EQUALS", "string_value": "add numbers"}]}));
    assert_eq!(query(3)["page_token"], "t/1 +");
    let filter: Value = serde_json::from_str(&query(5)["filter"]).unwrap();
    assert_eq!(filter["predicates"][0]["key"], "display_name", "found as kfp 2 finds a pipeline");
    assert_eq!(query(6)["cascade"], "true");
    let filter: Value = serde_json::from_str(&query(14)["filter"]).unwrap();
    assert_eq!(filter["predicates"][0]["key"], "display_name");
    assert_eq!(seen[11].json(), json!({"display_name": "demo", "description": "d", "namespace": "team-a"}));
    // A pipeline spec travels inline as JSON, parameters typed as it declares them.
    let inline = seen[15].json();
    assert_eq!(inline["pipeline_spec"]["pipelineInfo"], json!({"name": "add-numbers"}));
    assert_eq!(inline["pipeline_spec"], spec);
    assert_eq!(
        inline["runtime_config"],
        json!({"parameters": {"a": 3, "b": 4}, "pipeline_root": "minio://mlpipeline/v2"})
    );
    assert_eq!(
        (&inline["display_name"], &inline["experiment_id"], &inline["service_account"]),
        (&json!("run 1"), &json!("e1"), &json!("pipeline-runner"))
    );
    // With a platform spec: both, as kfp 2's client sends them.
    let platform = seen[16].json();
    assert_eq!(platform["pipeline_spec"]["pipeline_spec"]["pipelineInfo"]["name"], "pipeline-secret-env");
    assert!(platform["pipeline_spec"]["platform_spec"]["platforms"]["kubernetes"].is_object(), "{platform}");
    assert_eq!(seen[17].json()["pipeline_version_reference"], json!({"pipeline_id": "p1"}));
    assert_eq!(
        seen[18].json()["pipeline_version_reference"],
        json!({"pipeline_id": "p1", "pipeline_version_id": "v1"})
    );
    assert!(seen[18].json().get("pipeline_spec").is_none());
    assert_eq!(
        query(20),
        BTreeMap::from([
            ("experiment_id".to_owned(), "e1".to_owned()),
            ("filter".to_owned(), options.filter.clone().unwrap()),
            ("namespace".to_owned(), "team-a".to_owned()),
            ("page_size".to_owned(), "5".to_owned()),
            ("page_token".to_owned(), "t/1 +".to_owned()),
            ("sort_by".to_owned(), "created_at desc".to_owned()),
        ])
    );
}

#[test]
fn every_documented_v2_answer_parses_without_losing_a_field() {
    let swagger = load_swagger_v2();
    let definitions = common::swagger::strict_definitions(&swagger);
    fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(definitions: &Value, name: &str) {
        let full = common::swagger::example(definitions, &json!({"$ref": format!("#/definitions/{name}")}), name);
        let parsed: T = serde_json::from_value(full.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(serde_json::to_value(&parsed).unwrap(), full, "{name} lost or changed fields");
    }
    round_trip::<v2::Healthz>(&definitions, "v2beta1GetHealthzResponse");
    round_trip::<v2::Pipeline>(&definitions, "v2beta1Pipeline");
    round_trip::<v2::PipelineVersion>(&definitions, "v2beta1PipelineVersion");
    round_trip::<v2::ListPipelinesResponse>(&definitions, "v2beta1ListPipelinesResponse");
    round_trip::<v2::ListPipelineVersionsResponse>(&definitions, "v2beta1ListPipelineVersionsResponse");
    round_trip::<v2::Experiment>(&definitions, "v2beta1Experiment");
    round_trip::<v2::ListExperimentsResponse>(&definitions, "v2beta1ListExperimentsResponse");
    round_trip::<v2::Run>(&definitions, "v2beta1Run");
    round_trip::<v2::ListRunsResponse>(&definitions, "v2beta1ListRunsResponse");
    // The example fills every field, maps included: a run's tasks and plugin outputs are all there.
    let run = common::swagger::example(&definitions, &json!({"$ref": "#/definitions/v2beta1Run"}), "run");
    let run: v2::Run = serde_json::from_value(run).unwrap();
    let task = &run.run_details.as_ref().unwrap().task_details[0];
    assert_eq!(task.outputs["outputs-key"].artifact_ids, ["7"]);
    assert_eq!(run.plugins_output["plugins_output-key"].entries.len(), 1);
    // Every state the API documents reads as itself, and writes back the same.
    let states = swagger["definitions"]["v2beta1RuntimeState"]["enum"].as_array().unwrap();
    for state in states {
        let parsed: RuntimeState = serde_json::from_value(state.clone()).unwrap();
        assert_eq!(parsed.as_str(), state.as_str().unwrap());
    }
    // Proto3 JSON leaves out empty fields: the empty answer parses too, as a pending run.
    let empty: v2::Run = serde_json::from_str("{}").unwrap();
    assert_eq!((empty.clone(), empty.state_name()), (v2::Run::default(), "PENDING"));
}

#[test]
fn wait_understands_v2_states() {
    let state = |state: &str| (200, json!({"run_id": "r1", "state": state}));
    let server = Server::start(
        load_swagger_v2(),
        vec![
            (
                "GET /apis/v2beta1/runs/r1".into(),
                VecDeque::from([
                    (200, json!({"run_id": "r1"})),
                    state("RUNNING"),
                    state("RUNNING"),
                    state("SUCCEEDED"),
                ]),
            ),
            ("GET /apis/v2beta1/runs/r2".into(), VecDeque::from([state("CANCELING"), state("CANCELED")])),
            ("GET /apis/v2beta1/runs/r3".into(), VecDeque::from([state("RUNNING")])),
            // A 503 is retried within the wait's timeout.
            (
                "GET /apis/v2beta1/runs/r4".into(),
                VecDeque::from([(503, json!({"code": 14, "message": "unavailable"})), state("FAILED")]),
            ),
        ],
    );
    let client = server.quick_client(Duration::from_secs(5));
    let ms = Duration::from_millis;
    let mut states = Vec::new();
    let run = client.v2().wait_for_run("r1", Duration::from_secs(10), ms(5), |s| states.push(s.to_owned())).unwrap();
    assert_eq!(states, ["PENDING", "RUNNING", "SUCCEEDED"]);
    assert_eq!(run.state, Some(RuntimeState::Succeeded));
    let run = client.v2().wait_for_run("r2", Duration::from_secs(10), ms(5), |_| {}).unwrap();
    assert_eq!(run.state_name(), "CANCELED");
    assert!(kfp::client::is_finished("CANCELED") && !kfp::client::is_finished("CANCELING"));
    match client.v2().wait_for_run("r3", ms(100), ms(10), |_| {}).unwrap_err() {
        ClientError::Timeout { run_id, last_state, .. } => {
            assert_eq!((run_id.as_str(), last_state.as_str()), ("r3", "RUNNING"))
        }
        other => panic!("{other:?}"),
    }
    let run = client.v2().wait_for_run("r4", Duration::from_secs(10), ms(5), |_| {}).unwrap();
    assert_eq!(run.state, Some(RuntimeState::Failed));
    assert!(server.violations().is_empty(), "{:?}", server.violations());
}

#[test]
fn v2_error_answers_carry_the_servers_message() {
    let not_found = json!({"code": 5, "message": "Failed to get pipeline nope: ResourceNotFoundError",
        "details": [{"@type": "type.googleapis.com/google.rpc.Status"}]});
    let server = Server::start(
        load_swagger_v2(),
        vec![("GET /apis/v2beta1/pipelines/nope".into(), VecDeque::from([(404, not_found)]))],
    );
    let client = server.quick_client(Duration::from_millis(300));
    match client.v2().get_pipeline("nope").unwrap_err() {
        ClientError::Api { status, code, message, details, operation } => {
            assert_eq!((status, code, details.len()), (404, Some(5), 1));
            assert_eq!(message, "Failed to get pipeline nope: ResourceNotFoundError");
            assert_eq!(operation, "get pipeline nope");
        }
        other => panic!("{other:?}"),
    }
    // What cannot be sent is refused before any request.
    let bad = client.v2().create_run(&CreateRun { source: RunSource::Spec(json!([1])), ..CreateRun::default() });
    assert!(bad.unwrap_err().to_string().contains("not a mapping"));
    let error = parameter_values(&spec_of("critical__add_numbers.yaml"), &typed(&[("a", "three")])).unwrap_err();
    assert_eq!(error.to_string(), "parameter `a`: `three` is not an integer (the pipeline declares it NUMBER_INTEGER)");
    assert_eq!(server.seen().len(), 1);
    // Nothing listening: a transport error naming the URL.
    let gone =
        kfp::client::Client::builder("http://127.0.0.1:9").retry(quick(Duration::from_millis(50))).build().unwrap();
    assert!(gone.v2().healthz().unwrap_err().to_string().contains("127.0.0.1:9"));
}
