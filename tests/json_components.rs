//! JSON values between components: Vec, maps, serde_json::Value and user serde
//! types (`#[derive(JsonObject)]`), built by cargo inside the container as
//! kfp-rs does when a component passes JSON.

mod common;

use std::collections::BTreeMap;

use kfp::prelude::*;
use serde::{Deserialize, Serialize};

/// Scaling settings; the doc comment and `Debug` need not reach the container.
#[derive(Debug, Clone, Serialize, Deserialize, JsonObject)]
pub struct Config {
    factor: f64,
    #[serde(rename = "label")]
    name: String,
    offsets: Vec<Offset>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonObject)]
pub struct Offset {
    by: f64,
}

#[component]
pub fn scale(config: Config, values: Vec<f64>) -> std::collections::BTreeMap<String, f64> {
    let shift: f64 = config.offsets.iter().map(|offset| offset.by).sum();
    values.iter().enumerate().map(|(i, v)| (format!("{}-{i}", config.name), v * config.factor + shift)).collect()
}

#[component]
pub fn describe(scaled: std::collections::BTreeMap<String, f64>, extra: serde_json::Value) -> Config {
    Config {
        factor: scaled.values().sum(),
        name: format!("{} 값", extra["tag"].as_str().unwrap_or("none")),
        offsets: Vec::new(),
    }
}

#[pipeline(name = "json")]
pub fn json_pipeline(values: Vec<f64>) {
    let config = Config { factor: 2.0, name: "x".into(), offsets: vec![Offset { by: 1.0 }, Offset { by: 0.5 }] };
    let scaled = scale_op(config, values);
    describe_op(scaled.output(), serde_json::json!({"tag": "한국어"}));
}

#[test]
fn json_constants_are_python_json_dumps() {
    let workflow = kfp::Compiler::new().compile_to_workflow(json_pipeline).unwrap();
    let scale = workflow.template("scale").unwrap();
    let args = scale.container.as_ref().unwrap().args.clone().unwrap();
    assert_eq!(args[1], r#"{"factor": 2.0, "label": "x", "offsets": [{"by": 1.0}, {"by": 0.5}]}"#);
    let describe = workflow.template("describe").unwrap();
    let args = describe.container.as_ref().unwrap().args.clone().unwrap();
    assert_eq!(args[3], r#"{"tag": "\ud55c\uad6d\uc5b4"}"#);
    let spec = &describe.metadata.annotations["pipelines.kubeflow.org/component_spec"];
    assert!(spec.contains(r#"{"name": "Output", "type": "JsonObject"}"#), "{spec}");
}

#[test]
fn json_components_run_with_cargo() {
    if std::process::Command::new("cargo").arg("--version").output().is_err() {
        common::skip("cargo is not on PATH; components passing JSON are built with it");
        return;
    }
    let workflow = kfp::Compiler::new().compile_to_workflow(json_pipeline).unwrap();
    let outputs = common::run::run_workflow(&workflow, &[("values", "[1.0, 2.5]")], "json");
    let scaled: BTreeMap<String, f64> = serde_json::from_str(&outputs["scale-Output"]).unwrap();
    assert_eq!(scaled, BTreeMap::from([("x-0".to_owned(), 3.5), ("x-1".to_owned(), 6.5)]));
    assert_eq!(outputs["scale-Output"], r#"{"x-0": 3.5, "x-1": 6.5}"#);
    assert_eq!(outputs["describe-Output"], r#"{"factor": 10.0, "label": "\ud55c\uad6d\uc5b4 \uac12", "offsets": []}"#);
}
