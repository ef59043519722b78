//! Tests of the conformance helpers in `tests/common`: the equivalence rules of
//! `tests/fixtures/kfp-1.8.22/README.md` and the Argo schema validation, on the kfp goldens.

mod common;

use common::equiv::python_function_templates;
use common::{equivalence_diffs, golden_files, parse_yaml, read_golden};
use serde_yaml::{Mapping, Value as Y};

const COMPILATION_TIME: &str = "pipelines.kubeflow.org/pipeline_compilation_time";
const SDK_VERSION: &str = "pipelines.kubeflow.org/kfp_sdk_version";
const COMPONENT_SPEC: &str = "pipelines.kubeflow.org/component_spec";
const JSON_ANNOTATIONS: [&str; 4] = [
    "pipelines.kubeflow.org/pipeline_spec",
    "pipelines.kubeflow.org/component_spec",
    "pipelines.kubeflow.org/arguments.parameters",
    "pipelines.kubeflow.org/component_ref",
];

// ---------------------------------------------------------------------------------------
// helpers

/// All goldens as (file stem, text).
fn goldens() -> Vec<(String, String)> {
    let files = golden_files();
    assert!(files.len() >= 30, "expected the kfp corpus, found {} files", files.len());
    files
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, common::read_fixture(p))
        })
        .collect()
}

fn load(text: &str) -> Y {
    serde_yaml::from_str(text).expect("golden parses")
}

fn dump(v: &Y) -> String {
    serde_yaml::to_string(v).expect("serializes")
}

/// Applies `f` to every node, children first.
fn walk(v: &mut Y, f: &mut dyn FnMut(&mut Y)) {
    match v {
        Y::Mapping(m) => m.values_mut().for_each(|c| walk(c, f)),
        Y::Sequence(s) => s.iter_mut().for_each(|c| walk(c, f)),
        Y::Tagged(t) => walk(&mut t.value, f),
        _ => {}
    }
    f(v);
}

/// Applies `f(key, value)` to every mapping entry, recursively.
fn walk_entries(v: &mut Y, f: &mut dyn FnMut(&str, &mut Y)) {
    match v {
        Y::Mapping(m) => {
            for (k, c) in m.iter_mut() {
                walk_entries(c, f);
                if let Some(k) = k.as_str() {
                    f(k, c);
                }
            }
        }
        Y::Sequence(s) => s.iter_mut().for_each(|c| walk_entries(c, f)),
        _ => {}
    }
}

fn reverse_keys(v: &mut Y) {
    walk(v, &mut |node| {
        if let Y::Mapping(m) = node {
            let entries: Vec<(Y, Y)> = std::mem::take(m).into_iter().collect();
            *m = entries.into_iter().rev().collect::<Mapping>();
        }
    });
}

fn reverse_lists_under(v: &mut Y, keys: &[&str]) -> usize {
    let mut n = 0;
    walk_entries(v, &mut |k, c| {
        if let (true, Y::Sequence(s)) = (keys.contains(&k), &mut *c) {
            if s.len() > 1 {
                s.reverse();
                n += 1;
            }
        }
    });
    n
}

/// `"10"` -> `10`, `"true"` -> `true` (only where the string round-trips).
fn numberify_strings(v: &mut Y) -> usize {
    let mut n = 0;
    walk(v, &mut |node| {
        let Y::String(s) = node else { return };
        if let Ok(i) = s.parse::<i64>() {
            if i.to_string() == *s {
                *node = Y::Number(i.into());
                n += 1;
            }
        } else if s == "true" || s == "false" {
            *node = Y::Bool(s == "true");
            n += 1;
        }
    });
    n
}

/// `10` -> `"10"`, `true` -> `"true"`.
fn stringify_scalars(v: &mut Y) -> usize {
    let mut n = 0;
    walk(v, &mut |node| match node {
        Y::Number(x) => {
            *node = Y::String(x.to_string());
            n += 1;
        }
        Y::Bool(b) => {
            *node = Y::String(b.to_string());
            n += 1;
        }
        _ => {}
    });
    n
}

/// Sets every `labels`/`annotations` value of `key` (present ones only) to `value`.
fn set_meta_values(v: &mut Y, key: &str, value: &str) -> usize {
    let mut n = 0;
    walk_entries(v, &mut |k, c| {
        if k == "labels" || k == "annotations" {
            if let Some(slot) = c.get_mut(key) {
                *slot = Y::String(value.to_string());
                n += 1;
            }
        }
    });
    n
}

fn remove_meta_key(v: &mut Y, key: &str) -> usize {
    let mut n = 0;
    walk_entries(v, &mut |k, c| {
        if k == "labels" || k == "annotations" {
            if let Some(m) = c.as_mapping_mut() {
                n += usize::from(m.remove(key).is_some());
            }
        }
    });
    n
}

/// JSON with keys in reverse order, pretty-printed with a 3-space indent.
fn reversed_pretty_json(v: &serde_json::Value, indent: usize, out: &mut String) {
    let pad = |n: usize| " ".repeat(3 * n);
    match v {
        serde_json::Value::Object(m) if !m.is_empty() => {
            out.push_str("{\n");
            let entries: Vec<_> = m.iter().collect();
            for (i, (k, c)) in entries.iter().rev().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&serde_json::Value::String((*k).clone()).to_string());
                out.push_str(" :  ");
                reversed_pretty_json(c, indent + 1, out);
                if i + 1 < entries.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        serde_json::Value::Array(a) if !a.is_empty() => {
            out.push_str("[ ");
            for (i, c) in a.iter().enumerate() {
                reversed_pretty_json(c, indent + 1, out);
                if i + 1 < a.len() {
                    out.push_str(" ,\n");
                    out.push_str(&pad(indent + 1));
                }
            }
            out.push_str(" ]");
        }
        serde_json::Value::Object(_) => out.push_str("{ }"),
        serde_json::Value::Array(_) => out.push_str("[ ]"),
        other => out.push_str(&other.to_string()),
    }
}

fn reformat_json_annotations(v: &mut Y) -> usize {
    let mut n = 0;
    walk_entries(v, &mut |k, c| {
        if k != "annotations" {
            return;
        }
        for name in JSON_ANNOTATIONS {
            let Some(Y::String(text)) = c.get_mut(name) else {
                continue;
            };
            let parsed: serde_json::Value = serde_json::from_str(text).expect("JSON annotation");
            let mut out = String::new();
            reversed_pretty_json(&parsed, 0, &mut out);
            assert_ne!(out, *text);
            *text = out;
            n += 1;
        }
    });
    n
}

fn templates_mut(doc: &mut Y) -> &mut Vec<Y> {
    doc["spec"]["templates"].as_sequence_mut().expect("spec.templates")
}

fn template_mut<'a>(doc: &'a mut Y, name: &str) -> &'a mut Y {
    templates_mut(doc)
        .iter_mut()
        .find(|t| t["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("no template {name}"))
}

fn task_mut<'a>(doc: &'a mut Y, template: &str, task: &str) -> &'a mut Y {
    template_mut(doc, template)["dag"]["tasks"]
        .as_sequence_mut()
        .expect("dag.tasks")
        .iter_mut()
        .find(|t| t["name"].as_str() == Some(task))
        .unwrap_or_else(|| panic!("no task {task}"))
}

/// Edits the parsed JSON of a template's component_spec annotation.
fn edit_component_spec(template: &mut Y, f: impl FnOnce(&mut serde_json::Value)) {
    let slot = &mut template["metadata"]["annotations"][COMPONENT_SPEC];
    let mut spec: serde_json::Value = serde_json::from_str(slot.as_str().expect("component_spec")).unwrap();
    f(&mut spec);
    *slot = Y::String(spec.to_string());
}

/// Replaces image and command of the golden's Python-function templates (container and
/// component_spec) by a Rust program's. Returns how many templates were changed.
fn replace_python_programs(doc: &mut Y, golden_text: &str) -> usize {
    let names = python_function_templates(&parse_yaml(golden_text).unwrap());
    for name in &names {
        let t = template_mut(doc, name);
        t["container"]["image"] = Y::String("ghcr.io/kfp-rs/components:0.1.0".into());
        t["container"]["command"] = serde_yaml::from_str(&format!("[/usr/local/bin/components, {name}]")).unwrap();
        if t["metadata"]["annotations"].get(COMPONENT_SPEC).is_some() {
            edit_component_spec(t, |spec| {
                let c = &mut spec["implementation"]["container"];
                c["image"] = "rust:1.85-slim".into();
                c["command"] = serde_json::json!(["/usr/local/bin/components", name]);
            });
        }
    }
    names.len()
}

fn assert_no_diffs(ours: &str, golden: &str, label: &str) {
    let diffs = equivalence_diffs(ours, golden);
    assert!(diffs.is_empty(), "{}", common::format_diffs(label, &diffs));
}

/// Runs `mutate` on every golden and asserts the result is still equivalent. `mutate`
/// returns how many changes it made; the total over the corpus must be > 0.
fn assert_equivalent_after(what: &str, mut mutate: impl FnMut(&mut Y, &str) -> usize) {
    let goldens = goldens();
    let mut total = 0;
    for (name, text) in &goldens {
        let mut doc = load(text);
        total += mutate(&mut doc, text);
        assert_no_diffs(&dump(&doc), text, &format!("{name} after {what}"));
    }
    assert!(total > 0, "{what}: the mutation changed nothing in the corpus");
}

/// Mutates one golden and returns (our text, the golden text, diffs).
fn diffs_after(golden: &str, mutate: impl FnOnce(&mut Y)) -> Vec<String> {
    let text = read_golden(golden);
    let mut doc = load(&text);
    mutate(&mut doc);
    equivalence_diffs(&dump(&doc), &text)
}

// ---------------------------------------------------------------------------------------
// equivalent

#[test]
fn every_golden_is_equivalent_to_itself() {
    let goldens = goldens();
    for (name, text) in &goldens {
        assert_no_diffs(text, text, name);
        // Also through a serde_yaml round trip (different quoting and layout).
        assert_no_diffs(&dump(&load(text)), text, &format!("{name} re-serialized"));
    }
}

#[test]
fn equivalent_after_reordering_keys() {
    assert_equivalent_after("reversing every mapping's key order", |doc, _| {
        reverse_keys(doc);
        1
    });
}

#[test]
fn equivalent_after_reordering_keyed_sets() {
    assert_equivalent_after("reversing templates/tasks/parameters/... lists", |doc, _| {
        reverse_lists_under(
            doc,
            &["templates", "tasks", "parameters", "artifacts", "volumes", "volumeMounts", "env", "dependencies"],
        )
    });
}

#[test]
fn equivalent_after_turning_numeric_strings_into_numbers() {
    assert_equivalent_after("\"10\" -> 10, \"true\" -> true", |doc, _| numberify_strings(doc));
}

#[test]
fn equivalent_after_turning_numbers_into_strings() {
    assert_equivalent_after("10 -> \"10\", true -> \"true\"", |doc, _| stringify_scalars(doc));
}

#[test]
fn equivalent_after_changing_compilation_time() {
    assert_equivalent_after("changing the compilation time", |doc, _| {
        set_meta_values(doc, COMPILATION_TIME, "1999-01-01T00:00:00")
    });
    assert_equivalent_after("removing the compilation time", |doc, _| remove_meta_key(doc, COMPILATION_TIME));
}

#[test]
fn equivalent_after_changing_sdk_version() {
    assert_equivalent_after("changing kfp_sdk_version", |doc, _| set_meta_values(doc, SDK_VERSION, "0.1.0-rs"));
    assert_equivalent_after("removing kfp_sdk_version", |doc, _| remove_meta_key(doc, SDK_VERSION));
}

#[test]
fn equivalent_after_dropping_labels_left_empty_by_ignored_keys() {
    // The workflow's labels hold only kfp_sdk_version: no labels at all is equivalent.
    let diffs = diffs_after("add_example", |doc| {
        let meta = doc["metadata"].as_mapping_mut().unwrap();
        assert!(meta.remove("labels").is_some());
    });
    assert_eq!(diffs, Vec::<String>::new());
}

#[test]
fn empty_labels_equal_missing_labels() {
    // kfp_sdk_version removed by hand, leaving `labels: {}`: still equivalent.
    let diffs = diffs_after("add_example", |doc| {
        remove_meta_key(doc, SDK_VERSION);
        assert_eq!(doc["metadata"]["labels"], Y::Mapping(Mapping::new()));
    });
    assert_eq!(diffs, Vec::<String>::new());
    // But an empty mapping elsewhere is not the same as a missing one.
    let diffs = diffs_after("add_example", |doc| {
        template_mut(doc, "add")["nodeSelector"] = Y::Mapping(Mapping::new());
    });
    assert_eq!(diffs, ["spec.templates[name=add]: extra in ours: nodeSelector = {}"]);
}

#[test]
fn equivalent_after_reformatting_json_annotations() {
    assert_equivalent_after("reformatting JSON annotations", |doc, _| reformat_json_annotations(doc));
}

#[test]
fn equivalent_after_changing_python_function_image_and_command() {
    assert_equivalent_after("changing image/command of Python-function templates", replace_python_programs);
}

#[test]
fn python_function_templates_are_found() {
    let text = read_golden("add_example");
    let names = python_function_templates(&parse_yaml(&text).unwrap());
    assert_eq!(names.into_iter().collect::<Vec<_>>(), ["add", "multiply", "subtract"]);
    let text = read_golden("default_value");
    assert!(python_function_templates(&parse_yaml(&text).unwrap()).is_empty());
}

#[test]
fn equivalent_after_all_equivalence_preserving_changes_at_once() {
    assert_equivalent_after("all equivalence-preserving changes", |doc, golden| {
        let mut n = replace_python_programs(doc, golden);
        n += reformat_json_annotations(doc);
        n += set_meta_values(doc, COMPILATION_TIME, "1999-01-01T00:00:00");
        n += set_meta_values(doc, SDK_VERSION, "0.1.0-rs");
        n += numberify_strings(doc);
        n += reverse_lists_under(doc, &["templates", "tasks", "parameters", "artifacts", "dependencies"]);
        reverse_keys(doc);
        n
    });
}

// ---------------------------------------------------------------------------------------
// not equivalent, each with its expected diff lines

#[test]
fn task_name_change_is_a_diff() {
    let diffs = diffs_after("add_example", |doc| {
        task_mut(doc, "add-example", "add")["name"] = Y::String("add-renamed".into());
    });
    assert_eq!(
        diffs,
        [
            "spec.templates[name=add-example].dag.tasks: missing in ours: add",
            "spec.templates[name=add-example].dag.tasks: extra in ours: add-renamed",
        ]
    );
}

#[test]
fn dependency_change_is_a_diff() {
    let diffs = diffs_after("add_example", |doc| {
        task_mut(doc, "add-example", "multiply")["dependencies"] = serde_yaml::from_str("[add, divide]").unwrap();
    });
    assert_eq!(
        diffs,
        [
            "spec.templates[name=add-example].dag.tasks[name=multiply].dependencies: missing in ours: subtract",
            "spec.templates[name=add-example].dag.tasks[name=multiply].dependencies: extra in ours: divide",
        ]
    );
}

#[test]
fn dependency_order_is_not_a_diff() {
    let diffs = diffs_after("add_example", |doc| {
        task_mut(doc, "add-example", "multiply")["dependencies"] = serde_yaml::from_str("[subtract, add]").unwrap();
    });
    assert_eq!(diffs, Vec::<String>::new());
}

#[test]
fn arg_change_is_a_diff_even_in_a_python_function_template() {
    let diffs = diffs_after("add_example", |doc| {
        template_mut(doc, "add")["container"]["args"][4] = Y::String("--output-paths".into());
    });
    assert_eq!(
        diffs,
        [r#"spec.templates[name=add].container.args[4]: ours "--output-paths" != golden "----output-paths""#]
    );
}

#[test]
fn arg_order_is_a_diff() {
    let diffs = diffs_after("add_example", |doc| {
        template_mut(doc, "add")["container"]["args"].as_sequence_mut().unwrap().swap(0, 2);
    });
    assert_eq!(
        diffs,
        [
            r#"spec.templates[name=add].container.args[0]: ours "--value-2" != golden "--value-1""#,
            r#"spec.templates[name=add].container.args[2]: ours "--value-1" != golden "--value-2""#,
        ]
    );
}

#[test]
fn pod_spec_patch_is_compared_as_parsed_json() {
    let path = common::fixtures_dir().join("run_time_resources.kfp.yaml");
    let text = common::read_fixture(&path);
    let edit_patch = |edit: &dyn Fn(&mut serde_json::Value) -> String| {
        let mut doc = load(&text);
        let slot = &mut template_mut(&mut doc, "add")["podSpecPatch"];
        let mut patch: serde_json::Value = serde_json::from_str(slot.as_str().expect("podSpecPatch")).unwrap();
        *slot = Y::String(edit(&mut patch));
        equivalence_diffs(&dump(&doc), &text)
    };
    let reordered = edit_patch(&|patch| {
        let mut out = String::new();
        reversed_pretty_json(patch, 0, &mut out);
        out
    });
    assert_eq!(reordered, Vec::<String>::new());
    let changed = edit_patch(&|patch| {
        patch["nodeSelector"]["zone"] = "b".into();
        patch.to_string()
    });
    assert_eq!(
        changed,
        [r#"spec.templates[name=add].podSpecPatch.nodeSelector.zone: ours "b" != golden "{{inputs.parameters.zone}}""#]
    );
}

#[test]
fn component_spec_value_change_is_a_diff() {
    let diffs = diffs_after("add_example", |doc| {
        edit_component_spec(template_mut(doc, "add"), |spec| spec["name"] = "Addition".into());
    });
    assert_eq!(
        diffs,
        [
            r#"spec.templates[name=add].metadata.annotations["pipelines.kubeflow.org/component_spec"].name: ours "Addition" != golden "Add""#
        ]
    );
}

#[test]
fn component_spec_args_change_is_a_diff_in_a_python_function_template() {
    let diffs = diffs_after("add_example", |doc| {
        edit_component_spec(template_mut(doc, "add"), |spec| {
            spec["implementation"]["container"]["args"][0] = "--value-one".into();
        });
    });
    assert_eq!(
        diffs,
        [
            r#"spec.templates[name=add].metadata.annotations["pipelines.kubeflow.org/component_spec"].implementation.container.args[0]: ours "--value-one" != golden "--value-1""#
        ]
    );
}

#[test]
fn invalid_json_annotation_is_a_diff() {
    let diffs = diffs_after("add_example", |doc| {
        template_mut(doc, "add")["metadata"]["annotations"][COMPONENT_SPEC] = Y::String("{not json".into());
    });
    let path = r#"spec.templates[name=add].metadata.annotations["pipelines.kubeflow.org/component_spec"]"#;
    assert!(diffs.len() == 2, "{diffs:#?}");
    assert!(diffs[0].starts_with(&format!("{path}: ours is not valid JSON: ")), "{diffs:#?}");
    assert!(diffs[1].starts_with(&format!("{path}: ours string \"{{not json\" != golden mapping ")), "{diffs:#?}");
}

#[test]
fn removed_output_parameter_is_a_diff() {
    let diffs = diffs_after("add_example", |doc| {
        template_mut(doc, "add")["outputs"]["parameters"].as_sequence_mut().unwrap().clear();
    });
    assert_eq!(diffs, ["spec.templates[name=add].outputs.parameters: missing in ours: add-Output"]);
}

#[test]
fn extra_label_is_a_diff() {
    let diffs = diffs_after("add_example", |doc| {
        template_mut(doc, "add")["metadata"]["labels"]["foo"] = Y::String("bar".into());
    });
    assert_eq!(diffs, [r#"spec.templates[name=add].metadata.labels: extra in ours: foo = "bar""#]);
}

#[test]
fn image_change_of_a_non_python_template_is_a_diff() {
    let diffs = diffs_after("default_value", |doc| {
        template_mut(doc, "download")["container"]["image"] = Y::String("google/cloud-sdk:latest".into());
    });
    assert_eq!(
        diffs,
        [
            r#"spec.templates[name=download].container.image: ours "google/cloud-sdk:latest" != golden "google/cloud-sdk""#
        ]
    );
}

#[test]
fn command_change_of_a_non_python_template_is_a_diff() {
    let diffs = diffs_after("default_value", |doc| {
        template_mut(doc, "download")["container"]["command"][1] = Y::String("-ec".into());
    });
    assert_eq!(diffs, [r#"spec.templates[name=download].container.command[1]: ours "-ec" != golden "-c""#]);
}

#[test]
fn null_differs_from_missing_and_from_empty_string() {
    let diffs = diffs_after("add_example", |doc| {
        template_mut(doc, "add")["nodeSelector"] = Y::Null;
    });
    assert_eq!(diffs, ["spec.templates[name=add]: extra in ours: nodeSelector = null"]);

    let text = read_golden("add_example");
    let mut golden = load(&text);
    template_mut(&mut golden, "add")["nodeSelector"] = Y::Null;
    let diffs = equivalence_diffs(&text, &dump(&golden));
    assert_eq!(diffs, ["spec.templates[name=add]: missing in ours: nodeSelector = null"]);

    let mut ours = load(&text);
    template_mut(&mut ours, "add")["nodeSelector"] = Y::String(String::new());
    let diffs = equivalence_diffs(&dump(&ours), &dump(&golden));
    assert_eq!(diffs, [r#"spec.templates[name=add].nodeSelector: ours string "" != golden null"#]);
}

#[test]
fn scalars_compare_as_strings_but_containers_do_not() {
    let ours = "a: 10\nb: true\nc: 1.5\nd: [x]\n";
    let golden = "a: '10'\nb: 'true'\nc: '1.5'\nd: x\n";
    assert_eq!(equivalence_diffs(ours, golden), [r#"d: ours list ["x"] != golden string "x""#]);
}

#[test]
fn long_string_diffs_show_the_first_difference() {
    let a = "x".repeat(300) + "AB" + &"y".repeat(300);
    let b = "x".repeat(300) + "AC" + &"y".repeat(300);
    let diffs = equivalence_diffs(&format!("s: {a}\n"), &format!("s: {b}\n"));
    assert_eq!(diffs.len(), 1);
    assert!(diffs[0].contains("first difference at char 301"), "{}", diffs[0]);
    assert!(diffs[0].len() < 400, "{}", diffs[0]);
}

#[test]
fn unparsable_yaml_is_reported_not_panicked() {
    let diffs = equivalence_diffs("a: [unclosed", "a: 1\n");
    assert_eq!(diffs.len(), 1);
    assert!(diffs[0].starts_with("(root): ours is not valid YAML: "), "{}", diffs[0]);
}

#[test]
fn assert_equivalent_lists_at_most_fifty_diffs() {
    let ours: String = (0..60).map(|i| format!("k{i}: a\n")).collect();
    let golden: String = (0..60).map(|i| format!("k{i}: b\n")).collect();
    let err = std::panic::catch_unwind(|| common::assert_equivalent(&ours, &golden, "sixty")).expect_err("must panic");
    let msg = err.downcast_ref::<String>().expect("panic message");
    assert!(msg.starts_with("sixty: not equivalent to the kfp golden (60 differences):"), "{msg}");
    assert!(msg.contains("  k0: ours \"a\" != golden \"b\"\n"), "{msg}");
    assert!(msg.contains("  ... and 10 more\n"), "{msg}");
    assert_eq!(msg.lines().count(), 1 + 50 + 1, "{msg}");
    common::assert_equivalent(&ours, &ours, "same");
}

#[test]
fn repeated_names_compare_as_a_multiset() {
    // artifact_passing_using_volume mounts volume `data-storage` three times in `processor`.
    let text = read_golden("artifact_passing_using_volume");
    let mut doc = load(&text);
    let mounts = template_mut(&mut doc, "processor")["container"]["volumeMounts"].as_sequence_mut().unwrap();
    assert_eq!(mounts.len(), 3);
    assert!(mounts.iter().all(|m| m["name"].as_str() == Some("data-storage")));
    mounts.rotate_left(1);
    assert_no_diffs(&dump(&doc), &text, "rotated volumeMounts");

    // One of them changed: reported under name#k (k counts the golden's items of that name).
    let mounts = template_mut(&mut doc, "processor")["container"]["volumeMounts"].as_sequence_mut().unwrap();
    let golden_path = mounts[2]["mountPath"].as_str().unwrap().to_string();
    mounts[2]["mountPath"] = Y::String("/tmp/elsewhere".into());
    let diffs = equivalence_diffs(&dump(&doc), &text);
    assert_eq!(diffs.len(), 1, "{diffs:#?}");
    assert!(
        diffs[0].starts_with("spec.templates[name=processor].container.volumeMounts[name=data-storage#"),
        "{diffs:#?}"
    );
    assert!(
        diffs[0].ends_with(&format!(r#"].mountPath: ours "/tmp/elsewhere" != golden "{golden_path}""#)),
        "{diffs:#?}"
    );

    // One of them removed: reported missing, with its value.
    let mounts = template_mut(&mut doc, "processor")["container"]["volumeMounts"].as_sequence_mut().unwrap();
    mounts.remove(2);
    let diffs = equivalence_diffs(&dump(&doc), &text);
    assert_eq!(diffs.len(), 1, "{diffs:#?}");
    assert!(
        diffs[0]
            .starts_with("spec.templates[name=processor].container.volumeMounts: missing in ours: data-storage = {"),
        "{diffs:#?}"
    );
    assert!(diffs[0].contains(&golden_path), "{diffs:#?}");
}

// ---------------------------------------------------------------------------------------
// Argo schema

/// Goldens that fail the strict Argo schema, with their violations. The README says one
/// file has a GPU limit written as an integer instead of a quantity string; in this corpus
/// every GPU limit is a string (basic.yaml, basic_no_decorator.yaml: `nvidia.com/gpu: '2'`),
/// so none fails. If the corpus changes, this list says exactly which may fail and how.
const KNOWN_SCHEMA_FAILURES: &[(&str, &[&str])] = &[];

#[test]
fn goldens_are_valid_argo_workflows_except_known_failures() {
    let goldens = goldens();
    let mut failing: Vec<(String, Vec<String>)> = Vec::new();
    for (name, text) in &goldens {
        let violations = common::schema_violations(text);
        if !violations.is_empty() {
            failing.push((name.clone(), violations));
        }
    }
    let expected: Vec<(String, Vec<String>)> =
        KNOWN_SCHEMA_FAILURES.iter().map(|(n, v)| (n.to_string(), v.iter().map(|s| s.to_string()).collect())).collect();
    assert_eq!(failing, expected);
}

#[test]
fn integer_gpu_limit_is_the_only_violation() {
    // What kfp writes for `set_gpu_limit(2)` with an int: an integer, not a quantity string.
    let text = read_golden("basic");
    let mut doc = load(&text);
    template_mut(&mut doc, "save")["container"]["resources"]["limits"]["nvidia.com/gpu"] = Y::Number(2.into());
    assert_eq!(
        common::schema_violations(&dump(&doc)),
        [r#"spec.templates[name=save].container.resources.limits["nvidia.com/gpu"]: 2 is not of type "string""#]
    );
}

#[test]
fn schema_is_strict() {
    let text = read_golden("add_example");
    let mut doc = load(&text);
    template_mut(&mut doc, "add")["container"]["imagePullPolicyy"] = Y::String("Always".into());
    doc["spec"]["entrypoint"] = Y::Number(1.into());
    doc["kind"] = Y::String("Workflo".into());
    assert_eq!(
        common::schema_violations(&dump(&doc)),
        [
            r#"kind: "Workflow" was expected"#,
            r#"spec.entrypoint: 1 is not of type "string""#,
            r#"spec.templates[name=add].container: Additional properties are not allowed ('imagePullPolicyy' was unexpected)"#,
        ]
    );
    let err = std::panic::catch_unwind(|| common::assert_schema_valid(&dump(&doc), "broken")).expect_err("must panic");
    let msg = err.downcast_ref::<String>().expect("panic message");
    assert!(msg.starts_with("broken: not a valid Argo Workflow (3 schema violations):\n"), "{msg}");
    common::assert_schema_valid(&text, "add_example");
}

#[test]
fn schema_reports_unparsable_yaml() {
    let v = common::schema_violations("a: [unclosed");
    assert_eq!(v.len(), 1);
    assert!(v[0].starts_with("(root): not valid YAML: "), "{v:?}");
}

#[test]
fn manifest_is_compared_as_parsed_yaml() {
    let text = common::read_golden("resourceop_basic");
    let edit_manifest = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut doc = load(&text);
        let slot = &mut template_mut(&mut doc, "create-my-secret")["resource"]["manifest"];
        let mut manifest: serde_json::Value = serde_yaml::from_str(slot.as_str().expect("manifest")).unwrap();
        edit(&mut manifest);
        // JSON is YAML in another style: the same document, other text.
        *slot = Y::String(serde_json::to_string_pretty(&manifest).unwrap());
        equivalence_diffs(&dump(&doc), &text)
    };
    assert_eq!(edit_manifest(&|_| {}), Vec::<String>::new());
    assert_eq!(
        edit_manifest(&|manifest| manifest["type"] = "kubernetes.io/tls".into()),
        [
            r#"spec.templates[name=create-my-secret].resource.manifest.type: ours "kubernetes.io/tls" != golden "Opaque""#
        ]
    );
}
