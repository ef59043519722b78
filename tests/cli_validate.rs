//! `kfp validate` and `kfp graph` on the kfp 1.8.22 goldens, and our model held
//! against Argo's strict JSON schema: every golden is accepted by both (except the
//! two that `rules::check` knowingly rejects), and mutated Workflows are rejected.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

/// Goldens kfp 1.8.22 compiled into Workflows Argo refuses (see kfp-core/src/argo/tests.rs),
/// with the YAML path `kfp validate` must name.
const KNOWN_INVALID: &[(&str, &str)] = &[
    (
        "basic_no_decorator.yaml",
        "spec.entrypoint: template `save-most-frequent-word` requires input parameter `message`",
    ),
    ("parallelfor_item_argument_resolving.yaml", "spec.templates[13].dag.tasks[3].arguments.parameters[0].value"),
];

fn kfp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kfp")).args(args).output().expect("run kfp")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-validate-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn goldens_pass_validate_and_the_strict_schema() {
    for file in &common::golden_files() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let output = kfp(&["validate", file.to_str().unwrap()]);
        match KNOWN_INVALID.iter().find(|(known, _)| *known == name) {
            Some((_, problem)) => {
                assert_eq!(output.status.code(), Some(1), "{name}: {}", text(&output));
                assert!(text(&output).contains(problem), "{name}: {}", text(&output));
            }
            None => assert!(output.status.success(), "{name}: {}", text(&output)),
        }
        let yaml = std::fs::read_to_string(file).unwrap();
        let violations = common::schema_violations(&yaml);
        assert!(violations.is_empty(), "{name}: schema violations {violations:#?}");
    }
}

/// The golden `add_example.yaml` as JSON, changed by `mutate`, written to a file.
fn mutated(name: &str, mutate: impl FnOnce(&mut Value)) -> (PathBuf, String) {
    let golden = common::read_golden("add_example");
    let mut value: Value = serde_yaml::from_str(&golden).unwrap();
    mutate(&mut value);
    let yaml = serde_yaml::to_string(&value).unwrap();
    let path = temp_dir(name).join("workflow.yaml");
    std::fs::write(&path, &yaml).unwrap();
    (path, yaml)
}

fn dag_tasks(value: &mut Value) -> &mut Vec<Value> {
    let templates = value["spec"]["templates"].as_array_mut().unwrap();
    let dag = templates.iter_mut().find(|t| t.get("dag").is_some()).unwrap();
    dag["dag"]["tasks"].as_array_mut().unwrap()
}

#[test]
fn mutations_are_rejected_with_their_yaml_path() {
    // (name, mutation, what `kfp validate` must say, whether the schema sees it)
    type Mutation = (&'static str, fn(&mut Value), &'static str, bool);
    let cases: [Mutation; 5] = [
        (
            "unknown-field",
            |v| v["spec"]["templates"][0]["retryStrategyy"] = json!({"limit": 2}),
            "spec.templates[0]: unknown field `retryStrategyy`",
            true,
        ),
        ("unknown-field-top", |v| v["spec"]["entryPoint"] = json!("x"), "spec: unknown field `entryPoint`", true),
        ("wrong-type", |v| v["spec"]["parallelism"] = json!("many"), "spec.parallelism: invalid type", true),
        ("wrong-type-list", |v| dag_tasks(v)[0]["dependencies"] = json!("add"), "dependencies: invalid type", true),
        // A structural schema cannot see references between names: only the rules do.
        (
            "dangling-reference",
            |v| dag_tasks(v)[2]["dependencies"] = json!(["no-such-task"]),
            ".dependencies[0]",
            false,
        ),
    ];
    for (name, mutate, expected, schema_sees_it) in cases {
        let (path, yaml) = mutated(name, mutate);
        let output = kfp(&["validate", path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", text(&output));
        assert!(text(&output).contains(expected), "{name}: expected `{expected}` in {}", text(&output));
        let violations = common::schema_violations(&yaml);
        assert_eq!(!violations.is_empty(), schema_sees_it, "{name}: schema says {violations:#?}");
    }
    let (path, _) = mutated("dangling-template", |v| dag_tasks(v)[0]["template"] = json!("nope"));
    let output = kfp(&["validate", path.to_str().unwrap()]);
    assert!(text(&output).contains("`nope`"), "{}", text(&output));
}

#[test]
fn outputs_read_from_one_file_are_rejected() {
    // Two outputs read from one file, as kfp writes outputs `o p` and `o_p` of one component.
    let (path, _) = mutated("shared-path", |v| {
        let outputs = &mut v["spec"]["templates"][0]["outputs"];
        let parameters = outputs["parameters"].as_array_mut().unwrap();
        parameters.push(json!({"name": "add-Output-2", "valueFrom": {"path": "/tmp/outputs/Output/data"}}));
        let artifacts = outputs["artifacts"].as_array_mut().unwrap();
        artifacts.push(json!({"name": "add-Output-2", "path": "/tmp/outputs/Output/data"}));
    });
    let output = kfp(&["validate", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let said = text(&output);
    for expected in [
        "spec.templates[0].outputs.parameters[1].valueFrom.path: output parameter `add-Output-2` has the path \
         `/tmp/outputs/Output/data` of output parameter `add-Output`, so one of their values is lost",
        "spec.templates[0].outputs.artifacts[1].path: output artifact `add-Output-2` has the path \
         `/tmp/outputs/Output/data` of output artifact `add-Output`",
    ] {
        assert!(said.contains(expected), "expected `{expected}` in {said}");
    }
}

#[test]
fn resource_amounts_that_are_not_quantities_are_rejected() {
    let (path, _) = mutated("bad-quantity", |v| {
        v["spec"]["templates"][0]["container"]["resources"] =
            json!({"limits": {"memory": "lots", "cpu": "500m"}, "requests": {"cpu": "{{inputs.parameters.value_1}}"}});
    });
    let output = kfp(&["validate", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let said = text(&output);
    let expected = "spec.templates[0].container.resources.limits.memory: \"lots\" (memory) is not a Kubernetes \
                    quantity: write a number with an optional suffix, such as 512Mi, 2G, 500m or 1.5";
    assert!(said.contains(expected), "expected `{expected}` in {said}");
    let expected = "spec.templates[0].container.resources.requests.cpu: \"{{inputs.parameters.value_1}}\" (cpu) holds \
                    a pipeline value where Argo reads a Kubernetes quantity before filling values in: make the whole \
                    amount one pipeline value";
    assert!(said.contains(expected), "expected `{expected}` in {said}");
    assert!(said.contains("which writes it into the template's podSpecPatch"), "{said}");
    assert!(!said.contains("limits.cpu"), "500m is a quantity: {said}");
}

/// kfp 1.8.22 moves run-time amounts into `podSpecPatch` and leaves a custom resource's
/// run-time amount in `resources`, where Argo cannot load it.
#[test]
fn run_time_amounts_pass_in_the_pod_spec_patch_and_fail_in_resources() {
    let golden = common::fixtures_dir().join("run_time_resources.kfp.yaml");
    let output = kfp(&["validate", golden.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));

    let mut workflow: Value = serde_yaml::from_str(&common::read_fixture(&golden)).unwrap();
    let templates = workflow["spec"]["templates"].as_array_mut().unwrap();
    let index = templates.iter().position(|template| template["name"] == "add").unwrap();
    templates[index]["container"]["resources"]["limits"]["example.com/foo"] = json!("{{inputs.parameters.cpus}}");
    let path = temp_dir("custom-resource").join("workflow.yaml");
    std::fs::write(&path, serde_yaml::to_string(&workflow).unwrap()).unwrap();
    let output = kfp(&["validate", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let expected = format!(
        "spec.templates[{index}].container.resources.limits[\"example.com/foo\"]: \"{{{{inputs.parameters.cpus}}}}\" \
         (example.com/foo) holds a pipeline value"
    );
    assert!(text(&output).contains(&expected), "expected `{expected}` in {}", text(&output));
}

#[test]
fn validate_explains_unreadable_input() {
    let dir = temp_dir("unreadable");
    let not_utf8 = dir.join("latin1.yaml");
    std::fs::write(&not_utf8, b"kind: \xe9\n").unwrap();
    let not_yaml = dir.join("broken.yaml");
    std::fs::write(&not_yaml, "kind: 'unterminated\n").unwrap();
    let output = kfp(&["validate", not_utf8.to_str().unwrap(), not_yaml.to_str().unwrap(), "/no/such/file.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    let shown = text(&output);
    assert!(shown.contains("not UTF-8"), "{shown}");
    assert!(shown.contains("broken.yaml: (root): ") && shown.contains("(line "), "{shown}");
    assert!(shown.contains("/no/such/file.yaml: cannot read"), "{shown}");
    assert!(shown.contains("3 of 3 files"), "{shown}");
    let usage = kfp(&["validate"]);
    assert_eq!(usage.status.code(), Some(2), "{}", text(&usage));
}

#[test]
fn graph_draws_every_golden() {
    for file in &common::golden_files() {
        for format in ["dot", "mermaid"] {
            let output = kfp(&["graph", file.to_str().unwrap(), "--format", format]);
            assert!(output.status.success(), "{}: {}", file.display(), text(&output));
            let drawing = String::from_utf8(output.stdout).unwrap();
            if format == "dot" {
                assert!(drawing.starts_with("digraph "), "{drawing}");
            } else {
                assert_eq!(
                    drawing.matches("subgraph ").count(),
                    drawing.lines().filter(|l| l.trim() == "end").count(),
                    "{drawing}"
                );
            }
        }
    }
    let coin = common::golden_dir().join("coin.yaml");
    let output = kfp(&["graph", coin.to_str().unwrap()]);
    let dot = String::from_utf8(output.stdout).unwrap();
    assert!(dot.contains("if \\\"flip-output\\\" == \\\"heads\\\""), "{dot}");
    let basic = common::golden_dir().join("basic.yaml");
    let mermaid = String::from_utf8(kfp(&["graph", basic.to_str().unwrap(), "-f", "mermaid"]).stdout).unwrap();
    assert!(mermaid.contains("[\"exit handler\"]") && mermaid.contains("-.-> exit"), "{mermaid}");
}
