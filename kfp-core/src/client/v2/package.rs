//! Compiled pipeline files as the two APIs take them: an Argo Workflow
//! (v1beta1) or a KFP v2 pipeline spec, the IR (v2beta1); and parameter values
//! typed as the pipeline spec declares them.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::client::ClientError;

/// A compiled pipeline file, read.
#[derive(Clone, Debug, PartialEq)]
pub enum Package {
    /// An Argo Workflow (`kind: Workflow`): what kfp 1.8 and kfp-rs compile, for the v1beta1 API.
    Workflow(Value),
    /// A KFP v2 pipeline spec (`pipelineInfo`, `root`, `components`): what kfp 2 compiles, for the v2beta1 API.
    PipelineSpec {
        /// The pipeline spec (the file's first YAML document).
        spec: Value,
        /// The platform spec (Kubernetes settings), the second document when there is one.
        platform_spec: Option<Value>,
    },
}

impl Package {
    /// Reads a compiled pipeline (YAML or JSON text) and tells which kind it is.
    pub fn parse(text: &str) -> Result<Package, ClientError> {
        crate::input::check_yaml(text).map_err(|error| not_readable(&error.to_string()))?;
        let mut documents = Vec::new();
        for document in serde_yaml::Deserializer::from_str(text) {
            let value = Value::deserialize(document).map_err(|error| not_readable(&error.to_string()))?;
            // `---` at the end (or a comment-only document) reads as null.
            if !value.is_null() {
                documents.push(value);
            }
        }
        let mut documents = documents.into_iter();
        let first = documents.next().unwrap_or(Value::Null);
        let is_spec = ["pipelineInfo", "root", "components"].iter().any(|key| first.get(key).is_some());
        if first.get("kind").and_then(Value::as_str) == Some("Workflow") {
            if documents.next().is_some() {
                return Err(ClientError::Config(
                    "the pipeline package holds more than one YAML document after its Workflow; give the Workflow alone"
                        .to_owned(),
                ));
            }
            return Ok(Package::Workflow(first));
        }
        if !is_spec {
            return Err(ClientError::Config(
                "the pipeline package is neither an Argo Workflow (`kind: Workflow`, what kfp 1.8 and kfp-rs compile) nor a KFP v2 pipeline spec (top-level `pipelineInfo`, `root` and `components`, what kfp 2 compiles)".to_owned(),
            ));
        }
        let platform_spec = documents.next();
        if documents.next().is_some() {
            return Err(ClientError::Config(
                "the pipeline package holds more than two YAML documents; a KFP v2 package is the pipeline spec and at most a platform spec".to_owned(),
            ));
        }
        Ok(Package::PipelineSpec { spec: first, platform_spec })
    }

    /// The API that runs this kind of package: `"v1"` for a Workflow, `"v2"` for a pipeline spec.
    pub fn api(&self) -> &'static str {
        match self {
            Package::Workflow(_) => "v1",
            Package::PipelineSpec { .. } => "v2",
        }
    }

    /// A v2beta1 run's `pipeline_spec`: the spec, or `{pipeline_spec, platform_spec}`
    /// when there is a platform spec (as kfp 2's client sends it); `None` for a Workflow.
    pub fn run_spec(&self) -> Option<Value> {
        match self {
            Package::Workflow(_) => None,
            Package::PipelineSpec { spec, platform_spec: None } => Some(spec.clone()),
            Package::PipelineSpec { spec, platform_spec: Some(platform) } => {
                Some(serde_json::json!({"pipeline_spec": spec, "platform_spec": platform}))
            }
        }
    }
}

fn not_readable(error: &str) -> ClientError {
    ClientError::Config(format!("the pipeline package is not YAML or JSON: {error}"))
}

/// Parameter values given as text (`3`, `hello`, `[1, 2]`) as the JSON values of a
/// v2beta1 run's `runtime_config.parameters`, typed as the pipeline spec `spec`
/// (a run's `pipeline_spec`, or a version's) declares its inputs: the API refuses
/// `"3"` for an integer. A name the pipeline does not declare is an error, and so
/// is a declared parameter left out that has no default and is not optional.
pub fn parameter_values(spec: &Value, values: &[(String, String)]) -> Result<BTreeMap<String, Value>, ClientError> {
    // A spec with a platform spec is wrapped as `{pipeline_spec, platform_spec}`.
    let spec = match spec.get("pipeline_spec") {
        Some(inner) if spec.get("root").is_none() => inner,
        _ => spec,
    };
    let declared = spec.pointer("/root/inputDefinitions/parameters").and_then(Value::as_object);
    let mut typed = BTreeMap::new();
    for (name, text) in values {
        let Some(declaration) = declared.and_then(|parameters| parameters.get(name)) else {
            let names: Vec<&str> = declared.map(|p| p.keys().map(String::as_str).collect()).unwrap_or_default();
            let known =
                if names.is_empty() { "it has none".to_owned() } else { format!("it has {}", names.join(", ")) };
            return Err(ClientError::Config(format!("the pipeline has no parameter `{name}` ({known})")));
        };
        // kfp 2 writes `parameterType`; pipeline specs of kfp 2.0's betas wrote `type`.
        let kind = declaration.get("parameterType").or_else(|| declaration.get("type")).and_then(Value::as_str);
        typed.insert(name.clone(), typed_value(name, text, kind.unwrap_or("STRING"))?);
    }
    let missing: Vec<&str> = declared
        .into_iter()
        .flatten()
        .filter(|(name, declaration)| {
            let optional = declaration.get("isOptional").and_then(Value::as_bool) == Some(true);
            !typed.contains_key(*name) && !optional && declaration.get("defaultValue").is_none()
        })
        .map(|(name, _)| name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(ClientError::Config(format!(
            "the pipeline needs a value for {}: it has no default",
            missing.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(typed)
}

fn typed_value(name: &str, text: &str, kind: &str) -> Result<Value, ClientError> {
    let wrong = |what: &str| {
        ClientError::Config(format!("parameter `{name}`: `{text}` is not {what} (the pipeline declares it {kind})"))
    };
    let trimmed = text.trim();
    match kind {
        "NUMBER_INTEGER" | "INT" => trimmed.parse::<i64>().map(Value::from).map_err(|_| wrong("an integer")),
        "NUMBER_DOUBLE" | "DOUBLE" => trimmed
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| wrong("a number")),
        "BOOLEAN" => match trimmed.to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(wrong("true or false")),
        },
        "LIST" => match serde_json::from_str(trimmed) {
            Ok(list @ Value::Array(_)) => Ok(list),
            _ => Err(wrong("a JSON list such as [1, 2]")),
        },
        "STRUCT" => match serde_json::from_str(trimmed) {
            Ok(object @ Value::Object(_)) => Ok(object),
            _ => Err(wrong("a JSON object such as {\"a\": 1}")),
        },
        _ => Ok(Value::String(text.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_typed_as_declared() {
        let spec = json!({"root": {"inputDefinitions": {"parameters": {
            "n": {"parameterType": "NUMBER_INTEGER"}, "x": {"parameterType": "NUMBER_DOUBLE"},
            "b": {"parameterType": "BOOLEAN"}, "l": {"parameterType": "LIST"}, "s": {"parameterType": "STRUCT"},
            "t": {"parameterType": "STRING"}}}}});
        let text = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
        };
        let typed = parameter_values(
            &spec,
            &text(&[("n", "3"), ("x", "0.5"), ("b", "True"), ("l", "[1, \"a\"]"), ("s", "{\"k\": 1}"), ("t", "3")]),
        )
        .unwrap();
        assert_eq!(
            Value::Object(typed.into_iter().collect()),
            json!({"n": 3, "x": 0.5, "b": true, "l": [1, "a"], "s": {"k": 1}, "t": "3"})
        );
        let error = parameter_values(&spec, &text(&[("n", "three")])).unwrap_err().to_string();
        assert!(error.contains("`three` is not an integer") && error.contains("NUMBER_INTEGER"), "{error}");
        let error = parameter_values(&spec, &text(&[("m", "1")])).unwrap_err().to_string();
        assert!(error.contains("no parameter `m`") && error.contains("b, l, n, s, t, x"), "{error}");
        let error = parameter_values(&spec, &text(&[("n", "1")])).unwrap_err().to_string();
        assert_eq!(error, "the pipeline needs a value for `b`, `l`, `s`, `t`, `x`: it has no default");
        let defaults = json!({"root": {"inputDefinitions": {"parameters": {
            "n": {"parameterType": "NUMBER_INTEGER", "defaultValue": 3},
            "o": {"parameterType": "STRING", "isOptional": true}}}}});
        assert!(parameter_values(&defaults, &[]).unwrap().is_empty());
        let wrapped = json!({"pipeline_spec": defaults, "platform_spec": {}});
        assert_eq!(parameter_values(&wrapped, &text(&[("n", "4")])).unwrap()["n"], json!(4));
    }

    #[test]
    fn packages_are_told_apart() {
        let workflow = Package::parse("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec: {}\n").unwrap();
        assert_eq!(workflow.api(), "v1");
        assert_eq!(workflow.run_spec(), None);
        let spec = Package::parse("pipelineInfo: {name: a}\nroot: {}\n---\nplatforms: {kubernetes: {}}\n").unwrap();
        assert_eq!(spec.api(), "v2");
        assert_eq!(spec.run_spec().unwrap()["platform_spec"], json!({"platforms": {"kubernetes": {}}}));
        let error = Package::parse("a: 1\n").unwrap_err().to_string();
        assert!(error.contains("neither an Argo Workflow") && error.contains("pipelineInfo"), "{error}");
        let error = Package::parse("a: [\n").unwrap_err().to_string();
        assert!(error.contains("not YAML or JSON"), "{error}");
    }
}
