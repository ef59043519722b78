//! `preprocess.yaml`: the preprocess component of
//! `essential__lightweight_python_functions_pipeline` compiled alone, a pipeline of
//! one task (`Compiler::compile_component_to_string`) whose outputs are the
//! component's, each file output named as its parameter is written
//! (`output_dataset_two_path`).

use kfp::run::RunOptions;
use kfp::{Compiler, Target};
use serde_json::{json, Value};

use super::common;
use super::component_as_pipeline::check_component;
use super::lightweight_python_functions_pipeline::preprocess_component;

#[test]
fn preprocess() {
    check_component("preprocess", preprocess_component());
}

/// kfp.local's run of the Python component and a local run of our IR of the Rust one
/// give the same output parameters under the same (kfp 2) names, and the same datasets.
#[test]
fn a_local_run_gives_kfp_locals_outputs() {
    let Some(python) = common::kfp2_python() else {
        common::skip(common::KFP2_NOT_INSTALLED);
        return;
    };
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH (the component's program is built with it)");
        return;
    }
    let dir = common::run::Scratch::new("port-preprocess");
    let module = common::ir_golden_dir().join("preprocess.py");
    let arguments =
        json!({"message": "hello", "input_dict_parameter": {"A": 1, "B": 2}, "input_list_parameter": ["a", "b"]});
    let theirs = common::kfp_local::run(&python, &module, "preprocess", &dir, arguments);

    let yaml = Compiler::new().target(Target::V2).compile_component_to_string(preprocess_component()).unwrap();
    let ir = kfp::ir::PipelineFile::from_yaml(&yaml).unwrap();
    let options = RunOptions::new(dir.join("run"))
        .param("message", "hello")
        .param("input_dict_parameter", r#"{"A": 1, "B": 2}"#)
        .param("input_list_parameter", r#"["a", "b"]"#);
    let report = kfp::run::run_ir(&ir, &options).unwrap();
    if !report.succeeded() {
        let _ = std::process::Command::new("cp").arg("-r").arg(dir.join("run")).arg("/tmp/n_failed_run").status();
    }
    assert!(report.succeeded(), "{report:#?}");

    // kfp.local gives an artifact as its Python object's text, a parameter as its value.
    let outputs = theirs["outputs"].as_object().expect("kfp.local's run has outputs");
    let names: Vec<&str> = outputs.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "output_bool_parameter_path",
            "output_dataset_one",
            "output_dataset_two_path",
            "output_dict_parameter_path",
            "output_list_parameter_path",
            "output_parameter_path"
        ]
    );
    for (name, value) in outputs {
        if value.as_str().is_some_and(|text| text.starts_with("<kfp.dsl.types.artifact_types.Dataset")) {
            let path = report.artifacts.get(name).unwrap_or_else(|| panic!("no artifact `{name}`: {report:#?}"));
            assert_eq!(std::fs::read_to_string(path).unwrap(), "hello", "artifact `{name}`");
        } else {
            let ours = report.outputs.get(name).unwrap_or_else(|| panic!("output `{name}`: the run gave none"));
            let same = common::kfp_local::same_value(ours, value)
                || serde_json::from_str(ours)
                    .is_ok_and(|ours: Value| numbers_as_floats(ours) == numbers_as_floats(value.clone()));
            assert!(same, "output `{name}`: kfp.local {value}, ours {ours}");
        }
    }
}

/// `value` with every number a float: kfp.local's dict holds the floats KFP v2's
/// protobuf `Struct` makes of numbers (`1.0`), ours the integers the Rust map holds.
fn numbers_as_floats(value: Value) -> Value {
    match value {
        Value::Number(number) => json!(number.as_f64()),
        Value::Array(items) => items.into_iter().map(numbers_as_floats).collect(),
        Value::Object(fields) => fields.into_iter().map(|(key, value)| (key, numbers_as_floats(value))).collect(),
        other => other,
    }
}
