//! Loaded component.yaml files in pipelines, mixed with Rust components, against
//! kfp 1.8.22's compile of the same pipeline (tests/fixtures/components_loaded.py).

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;

use kfp::components::{arg, load_component_from_file, load_component_from_text, CallError, LoadErrorKind};
use kfp::prelude::*;

/// Relative to the repo root, where cargo runs tests: kfp writes this path into `component_ref`.
const PRODUCE: &str = "tests/fixtures/loaded/produce.component.yaml";
const ALL_PLACEHOLDERS: &str = include_str!("fixtures/loaded/all_placeholders.component.yaml");

#[component]
pub fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// Loaded and function components mixed
#[pipeline(name = "loaded components")]
pub fn loaded_components(#[default("hi")] text: String, #[default(5)] n: i64) {
    let produce_op = load_component_from_file(PRODUCE).expect("produce loads");
    let all_op = load_component_from_text(ALL_PLACEHOLDERS).expect("all placeholders loads");

    let produced = produce_op.call([("text", text)]);
    // A loaded output into a Rust component.
    let total = add_op(produced.output_named("number"), n);
    // A Rust output into a loaded component, arguments of mixed types.
    let first = all_op.call([
        ("text", arg(produced.output_named("out text"))),
        ("count", arg(total.output())),
        ("data", arg("raw csv")),
        ("uri in", arg("u")),
        ("maybe", arg(text)),
    ]);
    let second = all_op
        .args()
        .arg("data", first.output_named("out data"))
        .arg("uri_in", first.output_named("uri out")) // kfp's Python name of `uri in`
        .arg("raw", "r")
        .arg("flag", false)
        .call();
    add_op(total.output(), 1).after(&second);
}

fn fixture() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/components_loaded.kfp.yaml")).unwrap()
}

#[test]
fn equivalent_to_kfp_and_valid() {
    let ours = kfp::Compiler::new().compile_to_string(loaded_components).unwrap();
    common::assert_schema_valid(&ours, "components_loaded");
    common::assert_equivalent(&ours, &fixture(), "components_loaded");
}

#[test]
fn templates_resolve_every_placeholder() {
    let workflow = kfp::Compiler::new().compile_to_workflow(loaded_components).unwrap();
    let template = |name: &str| workflow.spec.templates.iter().find(|t| t.name == name).unwrap().clone();

    let first = template("all-placeholders");
    let container = first.container.as_ref().unwrap();
    // concat joins, defaults fill in, if/isPresent picks then/else, uri placeholders stay as kfp v1 writes them.
    assert_eq!(
        container.command.as_deref().unwrap(),
        ["sh", "-c", "echo {{inputs.parameters.produce-out-text}} x{{inputs.parameters.add-Output}}"]
    );
    assert_eq!(
        container.args.as_deref().unwrap(),
        [
            "1",
            "True",
            "--maybe",
            "{{inputs.parameters.text}}",
            "yes-literal",
            "else-literal",
            "/tmp/inputs/data/data",
            "{{$.inputs.artifacts['uri in'].uri}}",
            "/tmp/outputs/out_data/data",
            "{{$.outputs.artifacts['uri out'].uri}}",
        ]
    );
    let env = container.env.as_ref().unwrap();
    assert_eq!((env[0].name.as_str(), env[0].value.as_deref()), ("FOO", Some("bar")));
    assert_eq!(first.metadata.annotations["author"], "kfp-rs");
    assert_eq!(first.metadata.labels["team"], "ml");
    let outputs: Vec<_> =
        first.outputs.artifacts.iter().map(|a| (a.name.as_str(), a.path.as_deref().unwrap())).collect();
    assert_eq!(
        outputs,
        [
            ("all-placeholders-legacy", "/tmp/legacy.txt"),
            ("all-placeholders-out-data", "/tmp/outputs/out_data/data"),
            ("all-placeholders-uri-out", "/tmp/outputs/uri_out/data"),
        ]
    );
    let reference: serde_json::Value =
        serde_json::from_str(&first.metadata.annotations["pipelines.kubeflow.org/component_ref"]).unwrap();
    assert_eq!(reference.as_object().unwrap().keys().collect::<Vec<_>>(), ["digest"]);

    let second = template("all-placeholders-2");
    let args = second.container.as_ref().unwrap().args.clone().unwrap();
    assert_eq!(&args[..4], ["1", "False", "--no-maybe", "/tmp/inputs/raw/data"]);
    let produce = template("produce");
    let reference: serde_json::Value =
        serde_json::from_str(&produce.metadata.annotations["pipelines.kubeflow.org/component_ref"]).unwrap();
    assert_eq!(reference["url"], PRODUCE);
}

/// The same pipeline compiled by kfp 1.8.22 now, when it is installed (the fixture
/// is the checked-in copy of its output).
#[test]
fn equivalent_to_live_kfp() {
    let python = std::env::var("KFP_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let has_kfp = Command::new(&python)
        .args(["-c", "import kfp, sys; sys.exit(kfp.__version__ != '1.8.22')"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !has_kfp {
        common::skip(common::KFP_NOT_INSTALLED);
        return;
    }
    let dir = common::run::Scratch::new("components-loaded");
    let out = dir.join("kfp.yaml");
    let run = Command::new(&python)
        .arg("tests/fixtures/components_loaded.py")
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let ours = kfp::Compiler::new().compile_to_string(loaded_components).unwrap();
    common::assert_equivalent(&ours, &std::fs::read_to_string(&out).unwrap(), "components_loaded (live kfp)");
}

#[pipeline(name = "wrong names")]
pub fn wrong_names(n: i64) {
    let produce_op = load_component_from_file(PRODUCE).unwrap();
    let produced = produce_op.call([("txt", "x")]);
    produce_op.call(Vec::<(&str, &str)>::new());
    add_op(produced.output_named("nmber"), n);
}

#[test]
fn wrong_or_missing_names_fail_the_build_listing_the_real_ones() {
    let error = kfp::Compiler::new().compile_to_string(wrong_names).unwrap_err().to_string();
    assert!(error.contains("component `Produce` has no input `txt`; its inputs: `text`"), "{error}");
    assert!(error.contains("component `Produce` needs input `text`; its inputs: `text`"), "{error}");
    assert!(error.contains("component `Produce` has no output `nmber`; its outputs: `out text`, `number`"), "{error}");
}

#[pipeline(name = "try call")]
pub fn try_call(text: String) {
    let produce_op = load_component_from_file(PRODUCE).unwrap();
    let error = produce_op.try_call([("text", arg(text)), ("nope", arg(1))]).unwrap_err();
    assert!(matches!(error, CallError::UnknownInput { ref name, .. } if name == "nope"));
    let task = produce_op.try_call([("text", text)]).unwrap();
    assert!(matches!(task.try_output_named("x"), Err(CallError::UnknownOutput { .. })));
    assert_eq!(task.output_names(), ["out text", "number"]);
}

#[test]
fn try_call_reports_without_recording() {
    let yaml = kfp::Compiler::new().compile_to_string(try_call).unwrap();
    assert_eq!(yaml.matches("template: produce").count(), 1, "{yaml}");
}

#[pipeline(name = "type mismatch")]
pub fn type_mismatch(n: i64) {
    let produce_op = load_component_from_file(PRODUCE).unwrap();
    produce_op.call([("text", n)]);
    let produced = produce_op.call([("text", "x")]);
    add_op(produced.output_named("out text"), 1);
}

#[test]
fn kfp_types_are_checked_when_the_pipeline_is_built() {
    let error = kfp::Compiler::new().compile_to_string(type_mismatch).unwrap_err().to_string();
    assert!(
        error.contains(
            "pipeline parameter has type `Integer`, which cannot feed input `text` of `Produce` of type `String`"
        ),
        "{error}"
    );
    assert!(
        error.contains(
            "output `out text` of `Produce` has type `String`, which cannot feed input `a` of `Add` of type `Integer`"
        ),
        "{error}"
    );
}

/// Serves `body` once at `http://127.0.0.1:<port>/<path>`.
fn serve_once(body: &'static str, status: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let answer =
                format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    format!("http://127.0.0.1:{port}/components/produce.yaml")
}

#[test]
fn loads_from_url() {
    let url = serve_once(include_str!("fixtures/loaded/produce.component.yaml"), "200 OK");
    let loaded = kfp::components::load_component_from_url(&url).unwrap();
    assert_eq!(loaded.spec().name, "Produce");
    assert_eq!(loaded.reference()["url"], url.as_str());
    let from_file = load_component_from_file(PRODUCE).unwrap();
    assert_eq!(loaded.reference()["digest"], from_file.reference()["digest"]);
}

#[test]
fn url_errors_name_the_url() {
    let url = serve_once("no", "404 Not Found");
    let error = kfp::components::load_component_from_url(&url).unwrap_err();
    assert_eq!(error.kind, LoadErrorKind::Fetch);
    assert!(error.to_string().starts_with(&url), "{error}");
    let url = serve_once("name: x\nimplementation: {container: {}}\n", "200 OK");
    let error = kfp::components::load_component_from_url(&url).unwrap_err();
    assert_eq!(error.kind, LoadErrorKind::MissingField);
    assert!(error.to_string().starts_with(&format!("{url}:2:")), "{error}");
}
