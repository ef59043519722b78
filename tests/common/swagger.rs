//! The KFP API descriptions, `tests/fixtures/kfp-api/kfp_api_single_file.swagger.json` (v1beta1)
//! and `tests/fixtures/kfp-api/v2beta1/kfp_api_single_file.swagger.json`, for the client tests:
//! operations by method and path, strict validators of their `definitions`, and fully
//! populated example instances of them.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::fixtures::{fixtures_dir, read_fixture, swagger_path};

/// The parsed v1beta1 swagger document.
pub fn load_swagger() -> Value {
    load(&swagger_path())
}

/// The parsed v2beta1 swagger document.
pub fn load_swagger_v2() -> Value {
    load(&v2_dir().join("kfp_api_single_file.swagger.json"))
}

/// `tests/fixtures/kfp-api/v2beta1`: the v2beta1 swagger and the KFP v2 pipeline specs its tests upload.
pub fn v2_dir() -> std::path::PathBuf {
    fixtures_dir().join("kfp-api").join("v2beta1")
}

fn load(path: &std::path::Path) -> Value {
    serde_json::from_str(&read_fixture(path)).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The definitions with every object that lists its properties made strict
/// (`additionalProperties: false`), so a misspelled field is a violation.
pub fn strict_definitions(swagger: &Value) -> Value {
    fn strict(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                    map.insert("additionalProperties".into(), Value::Bool(false));
                }
                map.values_mut().for_each(strict);
            }
            Value::Array(items) => items.iter_mut().for_each(strict),
            _ => {}
        }
    }
    let mut definitions = swagger["definitions"].clone();
    strict(&mut definitions);
    definitions
}

/// A validator of `schema` (which may `$ref` into `#/definitions`).
pub fn validator(definitions: &Value, schema: &Value) -> jsonschema::Validator {
    let mut root = match schema {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    root.insert("definitions".into(), definitions.clone());
    jsonschema::validator_for(&Value::Object(root)).expect("swagger schema compiles")
}

/// The operation for `method` and a concrete `path` (`/apis/v1beta1/runs/abc`): its
/// path template and swagger object.
pub fn operation<'s>(swagger: &'s Value, method: &str, path: &str) -> Option<(&'s str, &'s Value)> {
    let paths = swagger["paths"].as_object()?;
    // Literal templates first: `/pipelines/upload` is not `/pipelines/{id}`.
    let mut candidates: Vec<(&String, &Value)> = paths.iter().collect();
    candidates.sort_by_key(|(template, _)| template.matches('{').count());
    for (template, ops) in candidates {
        if template_matches(template, path) {
            if let Some(op) = ops.get(method.to_ascii_lowercase()) {
                return Some((template.as_str(), op));
            }
        }
    }
    None
}

fn template_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            // `{id}` or `{id}:archive`
            match (t.find('{'), t.find('}')) {
                (Some(0), Some(end)) => {
                    let suffix = &t[end + 1..];
                    !p.is_empty() && p.ends_with(suffix) && p.len() > suffix.len()
                }
                _ => t == p,
            }
        })
}

/// A fully populated instance of `schema`: every property set, arrays and maps of one
/// item, enums at their second value (a real one, not the `UNKNOWN` default).
pub fn example(definitions: &Value, schema: &Value, name: &str) -> Value {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let key = reference.trim_start_matches("#/definitions/");
        return example(definitions, &definitions[key], key);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values.get(1).or(values.first()).cloned().unwrap_or(Value::Null);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") | None => {
            let mut out = BTreeMap::new();
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (key, prop) in props {
                    out.insert(key.clone(), example(definitions, prop, key));
                }
            } else if let Some(values) = schema.get("additionalProperties").filter(|values| values.is_object()) {
                // A map (`map<string, T>` in the proto).
                out.insert(format!("{name}-key"), example(definitions, values, name));
            }
            json!(out)
        }
        Some("array") => json!([example(definitions, &schema["items"], name)]),
        Some("integer") => json!(7),
        Some("number") => json!(2.5),
        Some("boolean") => json!(true),
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2024-05-01T12:00:00Z"),
            Some("byte") => json!("aGVsbG8="),
            // Proto3 JSON writes 64-bit integers as text.
            Some("int64") => json!("7"),
            _ => json!(format!("{name}-text")),
        },
        Some(other) => panic!("unexpected swagger type {other}"),
    }
}
