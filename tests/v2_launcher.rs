//! Rust components under KFP v2's launcher: a component compiled for v2 runs with its
//! placeholders filled in as the launcher fills them, and its output files read back as
//! the launcher reads them, for every parameter type; and with kfp 2.17.3's Python
//! executor on the other side, both ways. The launcher's code followed is
//! kubeflow/pipelines' backend/src/v2/component/launcher_v2.go (`getPlaceholders`,
//! `collectOutputParameters`) and backend/src/v2/metadata/converter.go (`TextToPbValue`).

// A component takes as many parameters as its kfp inputs.
#![allow(clippy::too_many_arguments)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use kfp::prelude::*;
use kfp::{Compiler, Target};
use serde_json::{json, Map, Value};

#[derive(ComponentOutputs)]
pub struct Echoed {
    text: String,
    count: i64,
    ratio: f64,
    small: f32,
    flag: bool,
    items: Vec<i64>,
    table: std::collections::BTreeMap<String, f64>,
}

/// Every parameter type in and out, a file in and a file out.
#[component]
pub fn echo_all(
    text: String,
    count: i64,
    ratio: f64,
    flag: bool,
    items: Vec<i64>,
    table: std::collections::BTreeMap<String, f64>,
    data: InputPath,
    copy: OutputPath,
) -> Echoed {
    let content = std::fs::read_to_string(&data).unwrap();
    std::fs::write(&copy, format!("{content}!")).unwrap();
    let mut items = items;
    items.reverse();
    items.push(0);
    let mut table = table;
    table.insert("c".to_owned(), -1.5);
    Echoed {
        text: format!("{text} {content}"),
        count: count + 1,
        ratio: ratio / 4.0,
        small: (ratio * 2500.0) as f32,
        flag: !flag,
        items,
        table,
    }
}

/// A float KFP v2 cannot hold.
#[component]
pub fn not_a_number(x: f64) -> f64 {
    x * f64::NAN
}

/// Writes a file for `echo_all` to read.
#[component]
pub fn write_data(text: &str, out: OutputPath) {
    std::fs::write(&out, text).unwrap();
}

#[pipeline(name = "v2-contract")]
pub fn v2_contract(count: i64) {
    let written = write_data_op("data");
    let mut table = BTreeMap::new();
    table.insert("a".to_owned(), 1.0);
    echo_all_op("text", count, 0.5, true, vec![1_i64], table, written.outputs().out);
    not_a_number_op(1.0);
}

/// The compiled pipeline's component `comp-{name}` and its executor's container.
fn compiled(name: &str) -> (Value, Value) {
    let text = Compiler::new().target(Target::V2).compile_to_string(v2_contract).expect("the pipeline compiles");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let spec: Value = serde_json::to_value(yaml).unwrap();
    let component = spec["components"][format!("comp-{name}")].clone();
    let container = spec["deploymentSpec"]["executors"][format!("exec-{name}")]["container"].clone();
    (component, container)
}

/// launcher_v2.go's `getPlaceholders`: how an input parameter's protobuf `Value` is put on
/// the command line: a string as is, a number by `strconv.FormatFloat(v, 'f', -1, 64)`
/// (shortest digits, no exponent: what Rust's `Display` of an f64 writes), a boolean by
/// `strconv.FormatBool`, a list or struct by `json.Marshal` (compact, protojson's numbers).
fn render(value: &Value) -> String {
    match protojson(value.clone()) {
        Value::String(text) => text,
        Value::Number(number) => number.as_f64().unwrap().to_string(),
        Value::Bool(flag) => flag.to_string(),
        value @ (Value::Array(_) | Value::Object(_)) => serde_json::to_string(&value).unwrap(),
        Value::Null => panic!("no parameter value is null"),
    }
}

/// converter.go's `TextToPbValue`: an output parameter's file as the launcher reads it,
/// by its `parameterType`; numbers become doubles.
fn text_to_value(text: &str, parameter_type: &str) -> Result<Value, String> {
    let number = |value: f64| serde_json::Number::from_f64(value).map(Value::Number).ok_or("not finite".to_owned());
    match parameter_type {
        "STRING" => Ok(json!(text)),
        // strconv.ParseInt(strings.TrimSpace(text), 10, 0): 64-bit, optional sign, decimal digits.
        "NUMBER_INTEGER" => text.trim().parse::<i64>().map_err(|e| e.to_string()).and_then(|i| number(i as f64)),
        // strconv.ParseFloat(strings.TrimSpace(text), 64), for decimal texts.
        "NUMBER_DOUBLE" => text.trim().parse::<f64>().map_err(|e| e.to_string()).and_then(number),
        // strconv.ParseBool.
        "BOOLEAN" => match text.trim() {
            "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(json!(true)),
            "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(json!(false)),
            other => Err(format!("ParseBool {other:?}")),
        },
        "LIST" => serde_json::from_str(text)
            .map_err(|e| e.to_string())
            .and_then(|value: Value| value.is_array().then_some(value).ok_or("unexpected type".to_owned())),
        "STRUCT" => serde_json::from_str(text)
            .map_err(|e| e.to_string())
            .and_then(|value: Value| value.is_object().then_some(value).ok_or("unexpected type".to_owned())),
        other => Err(format!("unknown type {other}")),
    }
}

/// A task of `container`'s executor run as the launcher runs it: `inputs` (parameter values
/// as protobuf `Value`s) and `data` (the input artifact's content) placed as
/// `compileCmdAndArgs` places them; the exit, stderr and each output parameter's file text.
struct Launched {
    success: bool,
    stderr: String,
    texts: BTreeMap<String, String>,
    copy: Option<String>,
}

fn launch(component: &Value, container: &Value, inputs: &Map<String, Value>, label: &str) -> Launched {
    let dir = common::run::Scratch::new(label);
    let mut placeholders = BTreeMap::new();
    for (name, value) in inputs {
        placeholders.insert(format!("{{{{$.inputs.parameters['{name}']}}}}"), render(value));
    }
    let outputs = component["outputDefinitions"]["parameters"].as_object().cloned().unwrap_or_default();
    // The driver's output file of a parameter (driver.go): /tmp/kfp/outputs/NAME.
    for name in outputs.keys() {
        let path = dir.join("kfp/outputs").join(name);
        placeholders.insert(format!("{{{{$.outputs.parameters['{name}'].output_file}}}}"), path.display().to_string());
    }
    let input_artifacts = component["inputDefinitions"]["artifacts"].as_object().cloned().unwrap_or_default();
    for name in input_artifacts.keys() {
        let path = dir.join("gcs/in").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "dätä").unwrap();
        placeholders.insert(format!("{{{{$.inputs.artifacts['{name}'].path}}}}"), path.display().to_string());
    }
    let output_artifacts = component["outputDefinitions"]["artifacts"].as_object().cloned().unwrap_or_default();
    for name in output_artifacts.keys() {
        let path = dir.join("gcs/out").join(name);
        placeholders.insert(format!("{{{{$.outputs.artifacts['{name}'].path}}}}"), path.display().to_string());
    }
    // kfp's executor input (launcher_v2.go's `executorInputJSONKey`), which a program reads the
    // executor output's path from.
    let artifacts: Map<String, Value> = (output_artifacts.keys())
        .map(|name| (name.clone(), json!({"artifacts": [{"name": name, "uri": format!("gs://out/{name}")}]})))
        .collect();
    let output_file = dir.join("kfp_outputs/output_metadata.json").display().to_string();
    let executor_input = json!({"outputs": {"artifacts": artifacts, "outputFile": output_file}});
    placeholders.insert("{{$}}".to_owned(), executor_input.to_string());
    let strings = |key: &str| -> Vec<String> {
        container[key].as_array().unwrap().iter().map(|item| item.as_str().unwrap().to_owned()).collect()
    };
    let args: Vec<String> = (strings("args").into_iter())
        .map(|arg| placeholders.iter().fold(arg, |arg, (key, value)| arg.replace(key, value)))
        .collect();
    assert!(!args.iter().any(|arg| arg.contains("{{$")), "a placeholder is left: {args:?}");
    let output = common::run::run_container(&strings("command"), &args);
    let texts = (outputs.keys())
        .filter_map(|name| Some((name.clone(), std::fs::read_to_string(dir.join("kfp/outputs").join(name)).ok()?)))
        .collect();
    let copy =
        output_artifacts.keys().next().and_then(|name| std::fs::read_to_string(dir.join("gcs/out").join(name)).ok());
    Launched {
        success: output.status.success(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        texts,
        copy,
    }
}

/// Each output parameter's text as the launcher reads it by the component's types.
fn read_back(component: &Value, texts: &BTreeMap<String, String>) -> Map<String, Value> {
    let outputs = component["outputDefinitions"]["parameters"].as_object().unwrap();
    (outputs.iter())
        .map(|(name, definition)| {
            let parameter_type = definition["parameterType"].as_str().unwrap();
            let text = texts.get(name).unwrap_or_else(|| panic!("no output file {name}"));
            let value = text_to_value(text, parameter_type)
                .unwrap_or_else(|error| panic!("the launcher refuses {name} = {text:?} ({parameter_type}): {error}"));
            (name.clone(), value)
        })
        .collect()
}

fn rustc_or_skip() -> bool {
    let ok = common::run::have_rustc();
    if !ok {
        common::skip("rustc is not on PATH; the component programs are built with it");
    }
    ok
}

fn echo_inputs() -> Map<String, Value> {
    let inputs = json!({
        "text": "héllo wörld",
        "count": 41.0,
        "ratio": 0.00004,
        "flag": true,
        "items": [1.0, 2.0, 3.0],
        "table": {"b": 0.5, "a": 2.0},
    });
    inputs.as_object().unwrap().clone()
}

#[test]
fn every_parameter_type_crosses_the_v2_launcher() {
    if !rustc_or_skip() {
        return;
    }
    let (component, container) = compiled("echo-all");
    assert_eq!(container["args"][0], "----kfp-contract");
    assert_eq!(container["args"][1], "v2");
    let launched = launch(&component, &container, &echo_inputs(), "v2-echo");
    assert!(launched.success, "{}", launched.stderr);
    let texts = &launched.texts;
    // As the launcher renders these values for the next task, not as Python prints them.
    assert_eq!(texts["ratio"], "0.00001", "v1 writes 1e-05");
    assert_eq!(texts["small"], "0.1");
    assert_eq!(texts["flag"], "false", "v1 writes False");
    assert_eq!(texts["count"], "42");
    assert_eq!(texts["text"], "héllo wörld dätä");
    let values = read_back(&component, texts);
    let expected = json!({
        "text": "héllo wörld dätä",
        "count": 42.0,
        "ratio": 0.00001,
        "small": 0.1,
        "flag": false,
        "items": [3, 2, 1, 0],
        "table": {"a": 2.0, "b": 0.5, "c": -1.5},
    });
    assert_eq!(Value::Object(values), expected);
    assert_eq!(launched.copy.as_deref(), Some("dätä!"));
}

#[test]
fn the_in_process_program_writes_what_the_v2_container_writes() {
    if !rustc_or_skip() {
        return;
    }
    let (component, container) = compiled("echo-all");
    let launched = launch(&component, &container, &echo_inputs(), "v2-echo-container");
    assert!(launched.success, "{}", launched.stderr);
    // The same arguments, run by this process's copy of the program.
    let dir = common::run::Scratch::new("v2-echo-local");
    let data = dir.join("data");
    std::fs::write(&data, "dätä").unwrap();
    let mut args: Vec<String> = Vec::new();
    for arg in container["args"].as_array().unwrap() {
        let arg = arg.as_str().unwrap();
        let replaced = if let Some(name) = arg.strip_prefix("{{$.inputs.parameters['") {
            render(&echo_inputs()[name.trim_end_matches("']}}")])
        } else if let Some(name) = arg.strip_prefix("{{$.outputs.parameters['") {
            dir.join("out").join(name.trim_end_matches("'].output_file}}")).display().to_string()
        } else if arg.starts_with("{{$.inputs.artifacts[") {
            data.display().to_string()
        } else if arg.starts_with("{{$.outputs.artifacts[") {
            dir.join("copy").display().to_string()
        } else if arg == "{{$}}" {
            let output_file = dir.join("executor_output.json").display().to_string();
            json!({"outputs": {"artifacts": {"copy": {"artifacts": [{"uri": "gs://out/copy"}]}}, "outputFile": output_file}})
                .to_string()
        } else {
            arg.to_owned()
        };
        args.push(replaced);
    }
    echo_all_component().local.as_ref().unwrap().run(args).expect("the in-process program runs");
    for (name, text) in &launched.texts {
        assert_eq!(&std::fs::read_to_string(dir.join("out").join(name)).unwrap(), text, "output {name}");
    }
}

#[test]
fn a_float_v2_cannot_hold_fails_the_task_naming_it() {
    if !rustc_or_skip() {
        return;
    }
    let (component, container) = compiled("not-a-number");
    let inputs = json!({"x": 1.0});
    let launched = launch(&component, &container, inputs.as_object().unwrap(), "v2-nan");
    assert!(!launched.success);
    assert!(
        launched.stderr.contains("kfp/outputs/Output: nan cannot be a KFP v2 NUMBER_DOUBLE, which is finite"),
        "{}",
        launched.stderr
    );
    assert!(launched.texts.is_empty(), "nothing is written: {:?}", launched.texts);
}

#[test]
fn the_v1_contract_is_unchanged_and_a_wrong_one_is_refused() {
    if !rustc_or_skip() {
        return;
    }
    let (component, mut container) = compiled("echo-all");
    container["args"][1] = json!("v1");
    let launched = launch(&component, &container, &echo_inputs(), "v1-echo");
    assert!(launched.success, "{}", launched.stderr);
    assert_eq!(launched.texts["ratio"], "1e-05");
    assert_eq!(launched.texts["flag"], "False");
    container["args"][1] = json!("v3");
    let launched = launch(&component, &container, &echo_inputs(), "v3-echo");
    assert!(!launched.success);
    assert!(launched.stderr.contains("----kfp-contract takes v1 or v2, got Some(\"v3\")"), "{}", launched.stderr);
}

/// kfp's own executor, as a Python component's container runs it: `executor.py`'s
/// `Executor(executor_input, function).execute()`.
const PYTHON_EXECUTOR: &str = r#"
import json, sys
from typing import NamedTuple
from kfp.dsl.executor import Executor

def produce() -> NamedTuple("Outputs", text=str, count=int, ratio=float, flag=bool, items=list, table=dict):
    return ("héllo wörld", 41, 0.00004, True, [1, 2, 3], {"b": 0.5, "a": 2.0})

def consume(text: str, count: int, ratio: float, small: float, flag: bool, items: list, table: dict) -> str:
    types = [type(v).__name__ for v in (text, count, ratio, small, flag, items, table)]
    return json.dumps({"types": types, "values": [text, count, ratio, small, flag, items, table]}, sort_keys=True)

with open(sys.argv[2], encoding="utf-8") as f:
    executor_input = json.load(f)
Executor(executor_input, {"produce": produce, "consume": consume}[sys.argv[1]]).execute()
"#;

/// Runs the Python component `function` with `inputs` (parameter values as the launcher
/// passes them in the executor input) and `outputs` (its output parameters' names); its
/// `executor_output.json`'s parameter values, which the launcher takes over files
/// (`collectOutputParameters`).
fn run_python(python: &str, dir: &Path, function: &str, inputs: Value, outputs: &[&str]) -> Map<String, Value> {
    let script = dir.join("executor.py");
    std::fs::write(&script, PYTHON_EXECUTOR).unwrap();
    let parameters: Map<String, Value> = (outputs.iter())
        .map(|name| (name.to_string(), json!({"outputFile": dir.join(function).join(name).display().to_string()})))
        .collect();
    let output_file = dir.join(function).join("executor_output.json");
    let executor_input = json!({
        "inputs": {"parameterValues": inputs},
        "outputs": {"parameters": parameters, "outputFile": output_file.display().to_string()},
    });
    let input_file = dir.join(format!("{function}.json"));
    std::fs::write(&input_file, executor_input.to_string()).unwrap();
    let output = Command::new(python).arg(&script).arg(function).arg(&input_file).output().expect("python starts");
    assert!(output.status.success(), "{function}: {}", String::from_utf8_lossy(&output.stderr));
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&output_file).unwrap()).unwrap();
    written["parameterValues"].as_object().unwrap().clone()
}

/// A protobuf `Value` in JSON as Go's protojson writes it for an executor input: a
/// number is a double, written without a fraction when it has none (`42`).
fn protojson(value: Value) -> Value {
    match value {
        Value::Number(number) => {
            let double = number.as_f64().unwrap();
            if double.fract() == 0.0 && double.abs() < 9e15 {
                json!(double as i64)
            } else {
                json!(double)
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(protojson).collect()),
        Value::Object(fields) => {
            Value::Object(fields.into_iter().map(|(key, value)| (key, protojson(value))).collect())
        }
        other => other,
    }
}

#[test]
fn rust_and_python_v2_components_feed_each_other() {
    let Some(python) = common::kfp2_python() else {
        common::skip(common::KFP2_NOT_INSTALLED);
        return;
    };
    if !rustc_or_skip() {
        return;
    }
    let dir = common::run::Scratch::new("v2-python");
    // Python to Rust: the Python outputs, as the launcher holds them, on our command line.
    let produced =
        run_python(&python, &dir, "produce", json!({}), &["text", "count", "ratio", "flag", "items", "table"]);
    let (component, container) = compiled("echo-all");
    let launched = launch(&component, &container, &produced, "v2-from-python");
    assert!(launched.success, "{}", launched.stderr);
    let values = read_back(&component, &launched.texts);
    assert_eq!(values["text"], "héllo wörld dätä");
    assert_eq!(values["count"], 42.0);
    assert_eq!(values["ratio"], 0.00001);
    assert_eq!(values["items"], json!([3, 2, 1, 0]));
    // Rust to Python: our outputs, read by the launcher, in a Python component's executor input.
    let inputs = Value::Object(values.into_iter().map(|(name, value)| (name, protojson(value))).collect());
    let consumed = run_python(&python, &dir, "consume", inputs, &["Output"]);
    let seen: Value = serde_json::from_str(consumed["Output"].as_str().unwrap()).unwrap();
    assert_eq!(seen["types"], json!(["str", "int", "float", "float", "bool", "list", "dict"]));
    // A whole double in a struct reaches Python as an int, as protojson writes it (`2`).
    assert_eq!(
        seen["values"],
        json!(["héllo wörld dätä", 42, 0.00001, 0.1, false, [3, 2, 1, 0], {"a": 2, "b": 0.5, "c": -1.5}])
    );
}
