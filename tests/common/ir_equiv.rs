//! Equivalence of two KFP v2 pipeline IR texts, as defined in
//! `tests/fixtures/kfp-2.17.3/README.md` ("Equivalent means (IR)").
//!
//! Both texts are parsed as YAML, every document in order (the pipeline spec, then the
//! platform spec when there is one), then compared structurally:
//! - ignored: the pipeline spec's `sdkVersion`, comments (YAML drops them), mapping key order;
//! - scalars (string, number, bool) are compared as strings: `10` == `"10"`, `true` == `"true"`;
//!   `null` equals only `null`, and a missing key differs from an empty `{}` or `[]`;
//! - for an executor of `deploymentSpec.executors` that is a Python-function component in
//!   the golden (its container's `args` hold `--executor_input` and `--function_to_execute`),
//!   the container's `image`, `command` and `args` are removed from both sides;
//! - every list is ordered.
//!
//! Each difference is one line, `<document>.<path>: <what>`, the document named
//! `PipelineSpec` or `PlatformSpec`, e.g.
//! `PipelineSpec.root.dag.tasks.add.componentRef.name: ours "comp-a" != golden "comp-add"`.

use serde_json::{Map, Value};

use super::equiv::{format_diffs, join_key, scalar_string, yaml_to_json};

/// The argument that marks a Python-function executor (with [`FUNCTION_TO_EXECUTE`]).
pub const EXECUTOR_INPUT: &str = "--executor_input";
/// The argument that marks a Python-function executor (with [`EXECUTOR_INPUT`]).
pub const FUNCTION_TO_EXECUTE: &str = "--function_to_execute";
/// Longest rendering of a value in a difference.
const RENDER_MAX: usize = 120;

/// Every YAML document of `text`, as JSON values.
pub fn parse_ir_documents(text: &str) -> Result<Vec<Value>, String> {
    use serde::Deserialize;
    serde_yaml::Deserializer::from_str(text)
        .map(|document| serde_yaml::Value::deserialize(document).map(yaml_to_json).map_err(|e| e.to_string()))
        .collect()
}

/// The differences between `ours` and `golden` (both pipeline IR texts) under the README's
/// IR equivalence rules; empty when they are equivalent.
pub fn ir_equivalence_diffs(ours: &str, golden: &str) -> Vec<String> {
    let (mut ours, mut golden) = match (parse_ir_documents(ours), parse_ir_documents(golden)) {
        (Ok(ours), Ok(golden)) => (ours, golden),
        (ours, golden) => {
            let mut diffs = Vec::new();
            if let Err(e) = ours {
                diffs.push(format!("(file): ours is not valid YAML: {e}"));
            }
            if let Err(e) = golden {
                diffs.push(format!("(file): golden is not valid YAML: {e}"));
            }
            return diffs;
        }
    };
    let mut diffs = Vec::new();
    if ours.len() != golden.len() {
        diffs.push(format!(
            "(file): ours has {} YAML document{}, golden {} ({})",
            ours.len(),
            if ours.len() == 1 { "" } else { "s" },
            golden.len(),
            "a PipelineSpec, then a PlatformSpec when the pipeline sets Kubernetes options"
        ));
    }
    if let (Some(ours_spec), Some(golden_spec)) = (ours.first_mut(), golden.first_mut()) {
        for spec in [&mut *ours_spec, &mut *golden_spec] {
            if let Some(fields) = spec.as_object_mut() {
                fields.remove("sdkVersion");
            }
        }
        for label in python_function_executors(golden_spec) {
            for spec in [&mut *ours_spec, &mut *golden_spec] {
                let container =
                    spec.pointer_mut(&format!("/deploymentSpec/executors/{}/container", pointer_key(&label)));
                if let Some(Value::Object(container)) = container {
                    for field in ["image", "command", "args"] {
                        container.remove(field);
                    }
                }
            }
        }
    }
    diffs.extend(document_diffs(&ours, &golden));
    diffs
}

/// The differences between two files' documents, compared as they are (scalars as strings,
/// key order ignored, nothing removed); documents past the shorter list are not compared.
pub fn document_diffs(ours: &[Value], golden: &[Value]) -> Vec<String> {
    let mut diffs = Vec::new();
    for (index, (ours, golden)) in ours.iter().zip(golden).enumerate() {
        let document =
            if index == 0 { "PipelineSpec".to_owned() } else { format!("PlatformSpec(document {})", index + 1) };
        compare(ours, golden, &document, &mut diffs);
    }
    diffs
}

/// Panics listing the differences (paths first) when `ours` is not equivalent to `golden`.
pub fn assert_ir_equivalent(ours: &str, golden: &str, label: &str) {
    let diffs = ir_equivalence_diffs(ours, golden);
    if !diffs.is_empty() {
        panic!("{}", format_diffs(label, &diffs));
    }
}

/// Labels of the executors whose container runs a Python function (kfp's
/// `--executor_input ... --function_to_execute` arguments).
pub fn python_function_executors(spec: &Value) -> Vec<String> {
    let Some(executors) = spec.pointer("/deploymentSpec/executors").and_then(Value::as_object) else {
        return Vec::new();
    };
    executors
        .iter()
        .filter(|(_, executor)| {
            let args = executor.pointer("/container/args").and_then(Value::as_array);
            let has = |flag: &str| args.is_some_and(|args| args.iter().any(|arg| arg.as_str() == Some(flag)));
            has(EXECUTOR_INPUT) && has(FUNCTION_TO_EXECUTE)
        })
        .map(|(label, _)| label.clone())
        .collect()
}

/// A key escaped for a JSON pointer.
fn pointer_key(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn compare(ours: &Value, golden: &Value, path: &str, diffs: &mut Vec<String>) {
    match (ours, golden) {
        (Value::Object(ours), Value::Object(golden)) => compare_maps(ours, golden, path, diffs),
        (Value::Array(ours), Value::Array(golden)) => {
            for (index, (o, g)) in ours.iter().zip(golden).enumerate() {
                compare(o, g, &format!("{path}[{index}]"), diffs);
            }
            for (index, extra) in ours.iter().enumerate().skip(golden.len()) {
                diffs.push(format!("{path}[{index}]: extra in ours: {}", render(extra)));
            }
            for (index, missing) in golden.iter().enumerate().skip(ours.len()) {
                diffs.push(format!("{path}[{index}]: missing in ours: {}", render(missing)));
            }
        }
        (Value::Null, Value::Null) => {}
        _ => match (scalar_string(ours), scalar_string(golden)) {
            (Some(o), Some(g)) if o == g => {}
            (Some(_), Some(_)) => diffs.push(format!("{path}: ours {} != golden {}", render(ours), render(golden))),
            _ => diffs.push(format!("{path}: ours {} != golden {}", typed(ours), typed(golden))),
        },
    }
}

fn compare_maps(ours: &Map<String, Value>, golden: &Map<String, Value>, path: &str, diffs: &mut Vec<String>) {
    for (key, g) in golden {
        match ours.get(key) {
            Some(o) => compare(o, g, &join_key(path, key), diffs),
            None => diffs.push(format!("{}: missing in ours: {}", join_key(path, key), render(g))),
        }
    }
    for (key, o) in ours {
        if !golden.contains_key(key) {
            diffs.push(format!("{}: extra in ours: {}", join_key(path, key), render(o)));
        }
    }
}

/// `null`, or the kind and value: `mapping {"a":1}`.
fn typed(value: &Value) -> String {
    let kind = match value {
        Value::Null => return "null".to_owned(),
        Value::Bool(_) | Value::Number(_) | Value::String(_) => "scalar",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    };
    format!("{kind} {}", render(value))
}

/// Compact one-line JSON, truncated.
fn render(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= RENDER_MAX {
        text
    } else {
        format!("{}...", text.chars().take(RENDER_MAX).collect::<String>())
    }
}
