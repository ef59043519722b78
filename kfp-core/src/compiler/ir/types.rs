//! kfp types as KFP v2 sees them: a parameter type (`NUMBER_INTEGER`, ...) or an
//! artifact type (`system.Dataset@0.0.1`), and constants written as typed JSON.

use serde_json::{json, Value};

/// What a kfp type is in the IR.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum IrType {
    /// A parameter, with its `ParameterType` name.
    Parameter(&'static str),
    /// An artifact, with its schema title (`system.Dataset`).
    Artifact(String),
}

/// kfp 2's `get_short_type_name`: `typing.List[int]` -> `List`.
fn short_name(type_name: &str) -> &str {
    let name = type_name.strip_prefix("typing.").unwrap_or(type_name);
    name.split('[').next().unwrap_or(name).trim()
}

/// kfp 2's `PARAMETER_TYPES_MAPPING`, by lowercased short type name.
fn parameter_type(type_name: &str) -> Option<&'static str> {
    Some(match short_name(type_name).to_lowercase().as_str() {
        "integer" | "int" => "NUMBER_INTEGER",
        "double" | "float" => "NUMBER_DOUBLE",
        "string" | "str" | "text" => "STRING",
        "bool" | "boolean" => "BOOLEAN",
        "dict" | "jsonobject" => "STRUCT",
        "list" | "jsonarray" => "LIST",
        "pipelinetaskfinalstatus" => "TASK_FINAL_STATUS",
        _ => return None,
    })
}

/// kfp 2's reading of a v1 type: a parameter type, a known artifact class, or
/// `system.Artifact` for any other (or no) type.
pub(super) fn ir_type(type_name: Option<&str>) -> IrType {
    let Some(type_name) = type_name.filter(|name| !name.is_empty()) else {
        return IrType::Artifact("system.Artifact".to_owned());
    };
    // A list of artifacts is its items' artifact type, with `isArtifactList`.
    if let Some(item) = crate::spec::artifact_list_item(type_name) {
        return ir_type(Some(item));
    }
    if let Some(parameter) = parameter_type(type_name) {
        return IrType::Parameter(parameter);
    }
    if is_google_type(type_name.split_once('@').map_or(type_name, |(title, version)| {
        // kfp 2's bundled form, `google.VertexModel@0.0.0`: a Google class with its own version.
        if is_schema_version(version) {
            title
        } else {
            type_name
        }
    })) {
        return IrType::Artifact(type_name.to_owned());
    }
    let class = match short_name(type_name).to_lowercase().as_str() {
        "dataset" => "Dataset",
        "model" => "Model",
        "metrics" => "Metrics",
        "classificationmetrics" => "ClassificationMetrics",
        "slicedclassificationmetrics" => "SlicedClassificationMetrics",
        "html" => "HTML",
        "markdown" => "Markdown",
        _ => "Artifact",
    };
    IrType::Artifact(format!("system.{class}"))
}

/// kfp 2's `_GOOGLE_TYPES_PATTERN` (`^google.[A-Za-z]+$`): a type such as `google.VertexModel`
/// is its own artifact schema title.
fn is_google_type(type_name: &str) -> bool {
    let mut rest = type_name.strip_prefix("google").unwrap_or_default().chars();
    rest.next().is_some() && !rest.as_str().is_empty() && rest.as_str().chars().all(|c| c.is_ascii_alphabetic())
}

/// Three dot-separated numbers (`0.0.1`), as kfp 2 checks a schema version.
fn is_schema_version(version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 3 && parts.iter().all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

/// An `artifactType` object; a schema title with `@<version>` (kfp 2's bundled form) has that version.
pub(super) fn artifact_type(schema_title: &str) -> Value {
    let (title, version) = schema_title.split_once('@').unwrap_or((schema_title, "0.0.1"));
    json!({"schemaTitle": title, "schemaVersion": version})
}

/// The item type of a list type (`List[str]` -> `STRING`), kfp 2's loop item type;
/// `STRING` when the list type names none.
pub(super) fn list_item_type(type_name: &str) -> &'static str {
    let name = type_name.strip_prefix("typing.").unwrap_or(type_name);
    name.split_once('[')
        .and_then(|(_, rest)| rest.strip_suffix(']'))
        .and_then(|item| parameter_type(item.trim()))
        .unwrap_or("STRING")
}

/// The type of a static loop's items, from the first (kfp 2's `_get_first_element_type`).
pub(super) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "BOOLEAN",
        Value::Number(number) if number.is_i64() || number.is_u64() => "NUMBER_INTEGER",
        Value::Number(_) => "NUMBER_DOUBLE",
        Value::Object(_) => "STRUCT",
        Value::Array(_) => "LIST",
        Value::String(_) | Value::Null => "STRING",
    }
}

/// A constant written as kfp text (`3`, `True`, `[1, 2]`) as the JSON value of a
/// parameter of type `parameter_type`, or a problem naming `what`.
pub(super) fn typed_constant(text: &str, parameter_type: &str, what: &str) -> Result<Value, String> {
    let parsed = match parameter_type {
        // A protobuf Value holds a double: kfp 2 writes 3 as 3.0.
        "NUMBER_INTEGER" => text.trim().parse::<i64>().ok().map(|n| json!(n as f64)),
        "NUMBER_DOUBLE" => {
            text.trim().parse::<f64>().ok().and_then(|n| serde_json::Number::from_f64(n).map(Value::Number))
        }
        "BOOLEAN" => match text.trim().to_lowercase().as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        "LIST" | "STRUCT" => serde_json::from_str(text).ok().map(doubles),
        _ => Some(Value::String(text.to_owned())),
    };
    parsed.ok_or_else(|| format!("{what}: `{text}` is not a value of KFP v2 type {parameter_type}"))
}

/// `value` with every number a double, as a protobuf Value holds it: kfp 2 writes `[1, 2]` as `[1.0, 2.0]`.
fn doubles(value: Value) -> Value {
    match value {
        Value::Number(number) => {
            number.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Number(number), Value::Number)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(doubles).collect()),
        Value::Object(fields) => Value::Object(fields.into_iter().map(|(key, value)| (key, doubles(value))).collect()),
        other => other,
    }
}

/// kfp 2's `sanitize_input_name`: the name of a loaded component's input or output in the IR.
pub(super) fn sanitize_input_name(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut in_run = false;
    for c in lower.chars() {
        if c == '_' || c.is_ascii_digit() || c.is_ascii_lowercase() {
            out.push(c);
            in_run = false;
        } else if !in_run {
            // A run of other characters becomes one `_`.
            out.push('_');
            in_run = true;
        }
    }
    out.trim_matches('_').to_owned()
}

/// kfp 2's `_cpu_to_float`: cores.
pub(super) fn cpu_to_float(cpu: &str) -> Option<f64> {
    match cpu.strip_suffix('m') {
        Some(milli) => milli.parse::<f64>().ok().map(|m| m / 1000.0),
        None => cpu.parse().ok(),
    }
}

/// kfp 2's `_memory_to_float`: gigabytes (10^9 bytes).
pub(super) fn memory_to_float(memory: &str) -> Option<f64> {
    const UNITS: [(&str, f64); 12] = [
        ("Ei", 1_152_921_504_606_846_976.0),
        ("Pi", 1_125_899_906_842_624.0),
        ("Ti", 1_099_511_627_776.0),
        ("Gi", 1_073_741_824.0),
        ("Mi", 1_048_576.0),
        ("Ki", 1024.0),
        ("E", 1e18),
        ("P", 1e15),
        ("T", 1e12),
        ("G", 1e9),
        ("M", 1e6),
        ("K", 1e3),
    ];
    for (suffix, bytes) in UNITS {
        if let Some(number) = memory.strip_suffix(suffix) {
            return number.parse::<f64>().ok().map(|n| n * bytes / 1e9);
        }
    }
    memory.parse::<f64>().ok().map(|n| n / 1e9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_map_as_kfp_2_maps_them() {
        assert_eq!(ir_type(Some("Integer")), IrType::Parameter("NUMBER_INTEGER"));
        assert_eq!(ir_type(Some("typing.List[int]")), IrType::Parameter("LIST"));
        assert_eq!(ir_type(Some("JsonObject")), IrType::Parameter("STRUCT"));
        assert_eq!(ir_type(Some("Dataset")), IrType::Artifact("system.Dataset".to_owned()));
        assert_eq!(ir_type(Some("GCSPath")), IrType::Artifact("system.Artifact".to_owned()));
        assert_eq!(ir_type(None), IrType::Artifact("system.Artifact".to_owned()));
        assert_eq!(ir_type(Some("google.VertexModel")), IrType::Artifact("google.VertexModel".to_owned()));
        assert_eq!(ir_type(Some("google.Vertex2")), IrType::Artifact("system.Artifact".to_owned()));
        assert_eq!(ir_type(Some("googleX")), IrType::Artifact("system.Artifact".to_owned()));
        assert_eq!(list_item_type("typing.List[int]"), "NUMBER_INTEGER");
        assert_eq!(list_item_type("JsonArray"), "STRING");
    }

    #[test]
    fn constants_and_quantities() {
        assert_eq!(typed_constant("3", "NUMBER_INTEGER", "x"), Ok(json!(3.0)));
        assert_eq!(typed_constant("True", "BOOLEAN", "x"), Ok(json!(true)));
        // kfp 2 writes a list's numbers as protobuf doubles.
        assert_eq!(typed_constant("[1, 2]", "LIST", "x"), Ok(json!([1.0, 2.0])));
        assert!(typed_constant("three", "NUMBER_INTEGER", "x").unwrap_err().contains("`three`"));
        assert_eq!(sanitize_input_name("Value 1"), "value_1");
        assert_eq!(cpu_to_float("500m"), Some(0.5));
        assert_eq!(memory_to_float("256Mi"), Some(0.268435456));
    }
}
