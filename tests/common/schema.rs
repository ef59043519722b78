//! Validation against the strict Argo Workflow JSON schema,
//! `tests/fixtures/argo/workflow.strict.schema.json`, definition
//! `io.argoproj.workflow.v1alpha1.Workflow`. The validator is built once per test binary.

use super::equiv::{join_key, parse_yaml, scalar_string};
use super::fixtures::{read_fixture, schema_path};
use serde_json::Value;
use std::sync::OnceLock;

/// The definition a Workflow is validated against.
pub const WORKFLOW_DEFINITION: &str = "io.argoproj.workflow.v1alpha1.Workflow";
/// Longest message kept per violation (some messages embed the whole instance).
const MAX_MESSAGE: usize = 300;

static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();

/// The compiled validator. Panics if the schema file cannot be read or compiled.
fn validator() -> &'static jsonschema::Validator {
    VALIDATOR.get_or_init(|| {
        let path = schema_path();
        let schema: Value = serde_json::from_str(&read_fixture(&path))
            .unwrap_or_else(|e| panic!("Argo schema {} is not JSON: {e}", path.display()));
        let root = workflow_root_schema(schema);
        jsonschema::validator_for(&root)
            .unwrap_or_else(|e| panic!("cannot compile Argo schema {}: {e}", path.display()))
    })
}

/// The schema document with its top-level `oneOf`/`type` replaced by a `$ref` to
/// [`WORKFLOW_DEFINITION`] (the definitions stay where `#/definitions/...` finds them).
fn workflow_root_schema(schema: Value) -> Value {
    let Value::Object(mut map) = schema else {
        panic!("Argo schema is not a JSON object");
    };
    assert!(
        map.get("definitions").and_then(|d| d.get(WORKFLOW_DEFINITION)).is_some(),
        "Argo schema has no definition {WORKFLOW_DEFINITION}"
    );
    map.remove("oneOf");
    map.remove("anyOf");
    map.remove("type");
    map.insert("$ref".to_string(), Value::String(format!("#/definitions/{WORKFLOW_DEFINITION}")));
    Value::Object(map)
}

/// The schema violations of a Workflow YAML text, each `<path>: <message>` (path with
/// template/task/parameter names, e.g. `spec.templates[name=add].container.resources`).
/// A YAML parse error is reported as one violation.
pub fn schema_violations(yaml: &str) -> Vec<String> {
    let instance = match parse_yaml(yaml) {
        Ok(v) => v,
        Err(e) => return vec![format!("(root): not valid YAML: {e}")],
    };
    let mut out: Vec<String> = validator()
        .iter_errors(&instance)
        .map(|err| {
            let path = readable_pointer(&instance, err.instance_path().as_str());
            let message = err.to_string();
            let message = if message.chars().count() > MAX_MESSAGE {
                format!("{}...", message.chars().take(MAX_MESSAGE).collect::<String>())
            } else {
                message
            };
            format!("{path}: {message}")
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Panics listing the violations when `yaml` is not a valid Argo Workflow.
pub fn assert_schema_valid(yaml: &str, label: &str) {
    let violations = schema_violations(yaml);
    if violations.is_empty() {
        return;
    }
    let mut msg = format!(
        "{label}: not a valid Argo Workflow ({} schema violation{}):\n",
        violations.len(),
        if violations.len() == 1 { "" } else { "s" }
    );
    for v in violations.iter().take(super::equiv::MAX_LISTED_DIFFS) {
        msg.push_str("  ");
        msg.push_str(v);
        msg.push('\n');
    }
    if violations.len() > super::equiv::MAX_LISTED_DIFFS {
        msg.push_str(&format!("  ... and {} more\n", violations.len() - super::equiv::MAX_LISTED_DIFFS));
    }
    panic!("{msg}");
}

/// Turns a JSON pointer into a path like the equivalence diffs use: list items that have
/// a `name` are shown as `[name=x]`, others as `[i]`.
fn readable_pointer(instance: &Value, pointer: &str) -> String {
    let mut path = String::new();
    let mut node = Some(instance);
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        match node {
            Some(Value::Array(items)) => {
                let item = seg.parse::<usize>().ok().and_then(|i| items.get(i));
                match item.and_then(|it| it.get("name")).and_then(scalar_string) {
                    Some(name) => path.push_str(&format!("[name={name}]")),
                    None => path.push_str(&format!("[{seg}]")),
                }
                node = item;
            }
            Some(Value::Object(map)) => {
                path = join_key(&path, &seg);
                node = map.get(&seg);
            }
            _ => {
                path = join_key(&path, &seg);
                node = None;
            }
        }
    }
    if path.is_empty() {
        "(root)".to_string()
    } else {
        path
    }
}
