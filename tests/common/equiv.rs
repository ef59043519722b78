//! Equivalence of two Argo Workflow YAML texts, as defined in
//! `tests/fixtures/kfp-1.8.22/README.md` ("Equivalent means").
//!
//! Both texts are parsed as YAML and normalized, then compared structurally:
//! - ignored: any `pipelines.kubeflow.org/pipeline_compilation_time` and any
//!   `pipelines.kubeflow.org/kfp_sdk_version` key of a `labels` or `annotations` mapping
//!   (anywhere in the tree). Then a `labels`/`annotations` mapping that is empty is treated
//!   as absent (on both sides): `labels: {kfp_sdk_version: x}`, `labels: {}` and no
//!   `labels` are all equal, since "the key is ours to keep" and Kubernetes does not tell
//!   an empty map from a missing one there. Other empty mappings/lists are NOT absent.
//! - the annotations `pipelines.kubeflow.org/{pipeline_spec, component_spec,
//!   arguments.parameters, component_ref}` are parsed as JSON and compared with the same
//!   rules as the YAML tree. A value that is not a string, or a string that is not valid
//!   JSON, is itself reported as a difference. So is a template's `podSpecPatch`.
//! - a resource template's `manifest` is parsed as YAML and compared with the same rules.
//! - mapping key order is ignored.
//! - a list under a key `templates`, `tasks`, `parameters`, `artifacts`, `volumes`,
//!   `volumeMounts` or `env` is a set keyed by each item's `name` (an item without a
//!   scalar `name` is keyed by its position `#i`). A name may repeat (kfp mounts one volume
//!   at several paths: `volumeMounts` items share the volume's name): items sharing a name
//!   are then compared as a multiset. A list under `dependencies` is a set of scalars.
//!   These rules apply only when both sides are lists (a component spec's `env` mapping
//!   stays a mapping). Every other list is ordered.
//! - scalars (string, number, bool) are compared as strings: `10` == `"10"`,
//!   `true` == `"true"`, `1.5` == `"1.5"`.
//! - null is not a scalar: `null` equals only `null`; it differs from `""`, from `"null"`,
//!   and from a missing key (README says nothing to the contrary; Argo and kfp never write
//!   an explicit null, so one in our output is worth a look). Likewise `[]`/`{}` differ
//!   from a missing key.
//! - for a template of `spec.templates` that is a Python-function component in the golden
//!   (an item of its `container.command` contains `python3 -u "$program_path"`), the
//!   `container.image` and `container.command` are removed from both sides, and so are
//!   `implementation.container.image` / `.command` inside its `component_spec` annotation.
//!   Its `args` are still compared.
//!
//! Each difference is one line: `<path>: <what>`, where the path uses names for keyed
//! sets, e.g. `spec.templates[name=add].container.args[4]: ours "x" != golden "y"`,
//! `spec.templates[name=add].outputs.parameters: missing in ours: add-Output`.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

pub const COMPILATION_TIME_ANNOTATION: &str = "pipelines.kubeflow.org/pipeline_compilation_time";
pub const SDK_VERSION_KEY: &str = "pipelines.kubeflow.org/kfp_sdk_version";
/// Annotations whose value is a JSON document, compared as parsed JSON.
pub const JSON_ANNOTATIONS: [&str; 4] = [
    "pipelines.kubeflow.org/pipeline_spec",
    "pipelines.kubeflow.org/component_spec",
    "pipelines.kubeflow.org/arguments.parameters",
    "pipelines.kubeflow.org/component_ref",
];
/// A template's field holding a JSON document, compared as parsed JSON.
pub const POD_SPEC_PATCH: &str = "podSpecPatch";
/// A resource template's field holding a YAML document, compared as parsed YAML.
pub const MANIFEST: &str = "manifest";
pub const COMPONENT_SPEC_ANNOTATION: &str = "pipelines.kubeflow.org/component_spec";
/// Lists under these keys are sets keyed by the items' `name`.
pub const KEYED_BY_NAME: [&str; 7] =
    ["templates", "tasks", "parameters", "artifacts", "volumes", "volumeMounts", "env"];
/// Lists under these keys are sets of scalars.
pub const SCALAR_SETS: [&str; 1] = ["dependencies"];
/// A container command item holding this marks a Python-function component.
pub const PYTHON_FUNCTION_MARKER: &str = "python3 -u \"$program_path\"";

/// Most differences listed by [`assert_equivalent`] before `... and N more`.
pub const MAX_LISTED_DIFFS: usize = 50;

/// Parses YAML text into a JSON value: mapping keys that are not strings are turned into
/// their string form, YAML tags are dropped, non-finite floats become strings.
pub fn parse_yaml(text: &str) -> Result<Value, String> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    Ok(yaml_to_json(yaml))
}

/// Converts a parsed YAML value into a JSON value (see [`parse_yaml`]).
pub fn yaml_to_json(yaml: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f).map_or_else(|| Value::String(n.to_string()), Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match yaml_to_json(k) {
                    Value::String(s) => s,
                    other => scalar_string(&other).unwrap_or_else(|| other.to_string()),
                };
                out.insert(key, yaml_to_json(v));
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

/// The string form of a non-null scalar (string, number, bool); `None` otherwise.
pub fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The differences between `ours` and `golden` (both Workflow YAML texts) under the
/// README's equivalence rules; empty when they are equivalent. See the module doc.
pub fn equivalence_diffs(ours: &str, golden: &str) -> Vec<String> {
    let mut diffs = Vec::new();
    let parsed_ours = parse_yaml(ours);
    let parsed_golden = parse_yaml(golden);
    let (mut ours, mut golden) = match (parsed_ours, parsed_golden) {
        (Ok(o), Ok(g)) => (o, g),
        (o, g) => {
            if let Err(e) = o {
                diffs.push(format!("(root): ours is not valid YAML: {e}"));
            }
            if let Err(e) = g {
                diffs.push(format!("(root): golden is not valid YAML: {e}"));
            }
            return diffs;
        }
    };
    normalize(&mut ours, "", None, "ours", &mut diffs);
    normalize(&mut golden, "", None, "golden", &mut diffs);
    let python_templates = python_function_templates(&golden);
    strip_python_function_fields(&mut ours, &python_templates);
    strip_python_function_fields(&mut golden, &python_templates);
    compare(&ours, &golden, "", None, &mut diffs);
    diffs
}

/// Panics listing every difference (at most [`MAX_LISTED_DIFFS`], then `... and N more`)
/// when `ours` is not equivalent to `golden`. `label` names the case in the message.
pub fn assert_equivalent(ours: &str, golden: &str, label: &str) {
    let diffs = equivalence_diffs(ours, golden);
    if diffs.is_empty() {
        return;
    }
    panic!("{}", format_diffs(label, &diffs));
}

/// The panic message of [`assert_equivalent`].
/// The component.yaml `output_component_file` writes beside `pipeline`'s Workflow
/// (`<stem>.<component>.component.yaml`) against kfp's file of that name in
/// `tests/fixtures/`, less the program (`image`, `command`): ours runs a Rust one.
pub fn assert_component_file_matches_kfp(pipeline: impl kfp::Pipeline, stem: &str, component: &str) {
    let dir = super::run::Scratch::new(&format!("component-file-{stem}"));
    kfp::Compiler::new().compile(pipeline, dir.join(format!("{stem}.yaml"))).unwrap();
    let file = format!("{stem}.{component}.component.yaml");
    let without_program = |text: &str| {
        let mut spec = parse_yaml(text).unwrap();
        let container = spec["implementation"]["container"].as_object_mut().unwrap();
        container.remove("command");
        container.remove("image");
        spec
    };
    let ours = std::fs::read_to_string(dir.join(&file)).unwrap();
    let golden = super::read_fixture(&super::fixtures_dir().join(&file));
    assert_eq!(without_program(&ours), without_program(&golden), "ours:\n{ours}");
}

pub fn format_diffs(label: &str, diffs: &[String]) -> String {
    let mut msg = format!(
        "{label}: not equivalent to the kfp golden ({} difference{}):\n",
        diffs.len(),
        if diffs.len() == 1 { "" } else { "s" }
    );
    for d in diffs.iter().take(MAX_LISTED_DIFFS) {
        msg.push_str("  ");
        msg.push_str(d);
        msg.push('\n');
    }
    if diffs.len() > MAX_LISTED_DIFFS {
        msg.push_str(&format!("  ... and {} more\n", diffs.len() - MAX_LISTED_DIFFS));
    }
    msg
}

/// Names of the templates of `spec.templates` that are Python-function components.
pub fn python_function_templates(workflow: &Value) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let Some(templates) = workflow.pointer("/spec/templates").and_then(Value::as_array) else {
        return names;
    };
    for t in templates {
        let is_python = t
            .pointer("/container/command")
            .and_then(Value::as_array)
            .is_some_and(|cmd| cmd.iter().any(|c| c.as_str().is_some_and(|s| s.contains(PYTHON_FUNCTION_MARKER))));
        if let (true, Some(name)) = (is_python, t.get("name").and_then(scalar_string)) {
            names.insert(name);
        }
    }
    names
}

// ---------------------------------------------------------------------------------------
// normalization

/// Replaces `value`, a JSON document as text, with the parsed document; a value that is
/// not a string, or a string that is not JSON, is a difference.
fn parse_json_text(value: &mut Value, path: &str, side: &str, diffs: &mut Vec<String>) {
    match value {
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            Ok(parsed) => *value = parsed,
            Err(e) => diffs.push(format!("{path}: {side} is not valid JSON: {e}")),
        },
        other => {
            diffs.push(format!("{path}: {side} is not a string (a JSON document must be a string): {}", render(other)))
        }
    }
}

/// Replaces `value`, a YAML document as text, with the parsed document; a value that is
/// not a string, or a string that is not YAML, is a difference.
fn parse_yaml_text(value: &mut Value, path: &str, side: &str, diffs: &mut Vec<String>) {
    match value {
        Value::String(text) => match parse_yaml(text) {
            Ok(parsed) => *value = parsed,
            Err(e) => diffs.push(format!("{path}: {side} is not valid YAML: {e}")),
        },
        other => diffs.push(format!("{path}: {side} is not a string (a manifest must be a string): {}", render(other))),
    }
}

/// Drops the ignored labels/annotations and parses the JSON annotations, recursively.
/// `key` is the mapping key `value` sits under. Problems (annotation not a string, not
/// JSON) are pushed to `diffs`, tagged with `side`. Returns true when `value` is a
/// `labels`/`annotations` mapping that is empty (after the removal) and must be dropped.
fn normalize(value: &mut Value, path: &str, key: Option<&str>, side: &str, diffs: &mut Vec<String>) -> bool {
    match value {
        Value::Object(map) => {
            if matches!(key, Some("labels") | Some("annotations")) {
                map.remove(SDK_VERSION_KEY);
                if key == Some("annotations") {
                    map.remove(COMPILATION_TIME_ANNOTATION);
                    for name in JSON_ANNOTATIONS {
                        if let Some(v) = map.get_mut(name) {
                            parse_json_text(v, &join_key(path, name), side, diffs);
                        }
                    }
                }
                if map.is_empty() {
                    return true;
                }
            }
            // Argo parses a template's pod spec patch; kfp orders its keys as the setters were called.
            if let Some(patch) = map.get_mut(POD_SPEC_PATCH) {
                parse_json_text(patch, &join_key(path, POD_SPEC_PATCH), side, diffs);
            }
            // Argo parses a resource template's manifest: kfp's PyYAML text and ours may differ in style.
            if key == Some("resource") {
                if let Some(manifest) = map.get_mut(MANIFEST) {
                    parse_yaml_text(manifest, &join_key(path, MANIFEST), side, diffs);
                }
            }
            let mut dropped = Vec::new();
            for (k, v) in map.iter_mut() {
                // Parsed JSON annotations are normalized too: same rules inside.
                if normalize(v, &join_key(path, k), Some(k), side, diffs) {
                    dropped.push(k.clone());
                }
            }
            for k in dropped {
                map.remove(&k);
            }
        }
        Value::Array(items) => {
            let keyed = key.is_some_and(|k| KEYED_BY_NAME.contains(&k));
            for (i, item) in items.iter_mut().enumerate() {
                let ipath = match item.get("name").and_then(scalar_string) {
                    Some(name) if keyed => format!("{path}[name={name}]"),
                    _ => format!("{path}[{i}]"),
                };
                normalize(item, &ipath, None, side, diffs);
            }
        }
        _ => {}
    }
    false
}

fn strip_python_function_fields(workflow: &mut Value, names: &BTreeSet<String>) {
    if names.is_empty() {
        return;
    }
    let Some(templates) = workflow.pointer_mut("/spec/templates").and_then(Value::as_array_mut) else {
        return;
    };
    for t in templates {
        let Some(name) = t.get("name").and_then(scalar_string) else {
            continue;
        };
        if !names.contains(&name) {
            continue;
        }
        if let Some(c) = t.get_mut("container").and_then(Value::as_object_mut) {
            c.remove("image");
            c.remove("command");
        }
        let spec_container = t
            .get_mut("metadata")
            .and_then(|m| m.get_mut("annotations"))
            .and_then(|a| a.get_mut(COMPONENT_SPEC_ANNOTATION))
            .and_then(|s| s.pointer_mut("/implementation/container"))
            .and_then(Value::as_object_mut);
        if let Some(c) = spec_container {
            c.remove("image");
            c.remove("command");
        }
    }
}

// ---------------------------------------------------------------------------------------
// comparison

fn compare(ours: &Value, golden: &Value, path: &str, key: Option<&str>, diffs: &mut Vec<String>) {
    match (ours, golden) {
        (Value::Object(o), Value::Object(g)) => compare_maps(o, g, path, diffs),
        (Value::Array(o), Value::Array(g)) => match key {
            Some(k) if KEYED_BY_NAME.contains(&k) => compare_keyed(o, g, path, diffs),
            Some(k) if SCALAR_SETS.contains(&k) => compare_scalar_sets(o, g, path, diffs),
            _ => compare_ordered(o, g, path, diffs),
        },
        (Value::Null, Value::Null) => {}
        _ => match (scalar_string(ours), scalar_string(golden)) {
            (Some(o), Some(g)) => {
                if o != g {
                    diffs.push(format!("{}: {}", show_path(path), scalar_mismatch(ours, golden, &o, &g)));
                }
            }
            _ => diffs.push(format!("{}: ours {} != golden {}", show_path(path), typed(ours), typed(golden))),
        },
    }
}

fn compare_maps(ours: &Map<String, Value>, golden: &Map<String, Value>, path: &str, diffs: &mut Vec<String>) {
    let keys: BTreeSet<&String> = ours.keys().chain(golden.keys()).collect();
    for k in keys {
        match (ours.get(k), golden.get(k)) {
            (Some(o), Some(g)) => compare(o, g, &join_key(path, k), Some(k), diffs),
            (None, Some(g)) => {
                diffs.push(format!("{}: missing in ours: {} = {}", show_path(path), show_key(k), render(g)))
            }
            (Some(o), None) => {
                diffs.push(format!("{}: extra in ours: {} = {}", show_path(path), show_key(k), render(o)))
            }
            (None, None) => unreachable!(),
        }
    }
}

/// Groups the items of a list by `name` (items without a scalar `name` get their own
/// group `#i`), keeping list order inside a group. BTreeMap: diffs come out sorted.
fn group_by_name(items: &[Value]) -> BTreeMap<String, Vec<&Value>> {
    let mut out: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let key = item.get("name").and_then(scalar_string).unwrap_or_else(|| format!("#{i}"));
        out.entry(key).or_default().push(item);
    }
    out
}

fn equivalent_values(ours: &Value, golden: &Value) -> bool {
    let mut scratch = Vec::new();
    compare(ours, golden, "", None, &mut scratch);
    scratch.is_empty()
}

/// A set keyed by `name`. A name may repeat (e.g. one volume mounted at several paths):
/// the items sharing a name are then matched as a multiset (equal items pair up whatever
/// their order); the items left are compared in order as `[name=x#1]`, `[name=x#2]`...,
/// and any surplus is reported missing/extra with its value.
fn compare_keyed(ours: &[Value], golden: &[Value], path: &str, diffs: &mut Vec<String>) {
    let o = group_by_name(ours);
    let g = group_by_name(golden);
    let names: BTreeSet<&String> = o.keys().chain(g.keys()).collect();
    let shown = show_path(path);
    // Missing/extra names first, then the differences inside the common ones.
    for name in &names {
        if !o.contains_key(*name) {
            for item in &g[*name] {
                diffs.push(match g[*name].len() {
                    1 => format!("{shown}: missing in ours: {name}"),
                    _ => format!("{shown}: missing in ours: {name} = {}", render(item)),
                });
            }
        }
    }
    for name in &names {
        if !g.contains_key(*name) {
            for item in &o[*name] {
                diffs.push(match o[*name].len() {
                    1 => format!("{shown}: extra in ours: {name}"),
                    _ => format!("{shown}: extra in ours: {name} = {}", render(item)),
                });
            }
        }
    }
    for name in names {
        let (Some(os), Some(gs)) = (o.get(name), g.get(name)) else {
            continue;
        };
        if os.len() == 1 && gs.len() == 1 {
            compare(os[0], gs[0], &format!("{path}[name={name}]"), None, diffs);
            continue;
        }
        let mut o_used = vec![false; os.len()];
        let mut g_left = Vec::new();
        for (gi, gv) in gs.iter().enumerate() {
            let hit = (0..os.len()).find(|&oi| !o_used[oi] && equivalent_values(os[oi], gv));
            match hit {
                Some(oi) => o_used[oi] = true,
                None => g_left.push(gi),
            }
        }
        let o_left: Vec<usize> = (0..os.len()).filter(|&oi| !o_used[oi]).collect();
        for (&oi, &gi) in o_left.iter().zip(&g_left) {
            compare(os[oi], gs[gi], &format!("{path}[name={name}#{}]", gi + 1), None, diffs);
        }
        for &gi in g_left.iter().skip(o_left.len()) {
            diffs.push(format!("{shown}: missing in ours: {name} = {}", render(gs[gi])));
        }
        for &oi in o_left.iter().skip(g_left.len()) {
            diffs.push(format!("{shown}: extra in ours: {name} = {}", render(os[oi])));
        }
    }
}

fn compare_scalar_sets(ours: &[Value], golden: &[Value], path: &str, diffs: &mut Vec<String>) {
    let as_set = |items: &[Value]| -> BTreeSet<String> {
        items.iter().map(|v| scalar_string(v).unwrap_or_else(|| v.to_string())).collect()
    };
    let o = as_set(ours);
    let g = as_set(golden);
    for x in g.difference(&o) {
        diffs.push(format!("{}: missing in ours: {x}", show_path(path)));
    }
    for x in o.difference(&g) {
        diffs.push(format!("{}: extra in ours: {x}", show_path(path)));
    }
}

fn compare_ordered(ours: &[Value], golden: &[Value], path: &str, diffs: &mut Vec<String>) {
    for (i, (o, g)) in ours.iter().zip(golden).enumerate() {
        compare(o, g, &format!("{path}[{i}]"), None, diffs);
    }
    for (i, g) in golden.iter().enumerate().skip(ours.len()) {
        diffs.push(format!("{path}[{i}]: missing in ours: {}", render(g)));
    }
    for (i, o) in ours.iter().enumerate().skip(golden.len()) {
        diffs.push(format!("{path}[{i}]: extra in ours: {}", render(o)));
    }
}

// ---------------------------------------------------------------------------------------
// rendering

const RENDER_MAX: usize = 120;
const LONG_STRING: usize = 160;
const WINDOW: usize = 50;

fn is_plain_key(k: &str) -> bool {
    let mut chars = k.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn show_key(k: &str) -> String {
    if is_plain_key(k) {
        k.to_string()
    } else {
        Value::String(k.to_string()).to_string()
    }
}

/// `path.key`, or `path["odd/key"]` for keys that are not plain identifiers.
pub fn join_key(path: &str, k: &str) -> String {
    if is_plain_key(k) {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    } else {
        format!("{path}[{}]", Value::String(k.to_string()))
    }
}

fn show_path(path: &str) -> &str {
    if path.is_empty() {
        "(root)"
    } else {
        path
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let head: String = s.chars().take(max).collect();
        format!("{head}...")
    }
}

/// `null`, or the type and compact value: `string "x"`, `list ["a"]`.
fn typed(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        _ => format!("{} {}", type_name(v), render(v)),
    }
}

/// Compact one-line JSON of a value, truncated.
fn render(v: &Value) -> String {
    truncate(&v.to_string(), RENDER_MAX)
}

/// Scalars in their own form: strings quoted (JSON-escaped: one line), numbers/bools bare.
/// Long strings are shown as a window around the first difference.
fn scalar_mismatch(ours: &Value, golden: &Value, o: &str, g: &str) -> String {
    let oc: Vec<char> = o.chars().collect();
    let gc: Vec<char> = g.chars().collect();
    if oc.len() <= LONG_STRING && gc.len() <= LONG_STRING {
        return format!("ours {} != golden {}", ours, golden);
    }
    let first = oc.iter().zip(&gc).take_while(|(a, b)| a == b).count();
    let start = first.saturating_sub(WINDOW);
    let window = |cs: &[char]| -> String {
        let end = (first + WINDOW).min(cs.len());
        let body: String = cs[start.min(cs.len())..end].iter().collect();
        let quoted = Value::String(body).to_string();
        let pre = if start > 0 { "..." } else { "" };
        let post = if end < cs.len() { "..." } else { "" };
        format!("{pre}{quoted}{post}")
    };
    format!(
        "ours {} != golden {} (first difference at char {first}; lengths {} vs {})",
        window(&oc),
        window(&gc),
        oc.len(),
        gc.len()
    )
}
