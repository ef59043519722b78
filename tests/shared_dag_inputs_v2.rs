//! Local runs of KFP v2 IR where two tasks call one DAG component (a nested pipeline), one
//! passing an optional input the run leaves out and one giving it a value: the DAG template serves
//! both, so the input one caller gives stays, whichever task is lowered first.

mod common;

use std::process::Command;

use common::run::Scratch;
use kfp::components::{arg, load_component_from_text};
use kfp::prelude::*;
use kfp::{Compiler, Target};
use serde_json::Value;

/// Greets a name when given one: an `IfPresent` placeholder on an optional input.
const HELLO: &str = r#"
name: hello
inputs:
- {name: name, type: String, optional: true}
outputs:
- {name: greeting, type: String}
implementation:
  container:
    image: alpine
    command:
    - sh
    - -c
    - 'printf "%s" "$*" > "$0"'
    - {outputPath: greeting}
    - if:
        cond: {isPresent: name}
        then: [hello, {inputValue: name}]
        else: [hello nobody]
"#;

#[pipeline]
fn greeting(name: Option<String>) -> Output<String> {
    let hello = load_component_from_text(HELLO).expect("hello loads");
    hello.call([("name", arg(name))]).output_named("greeting").cast()
}

#[pipeline(name = "twice")]
fn twice(name: Option<String>) -> Output<String> {
    greeting_op(name);
    greeting_op(Some("ann".to_owned())).output()
}

#[test]
fn an_input_one_caller_gives_stays_when_another_leaves_it_out() {
    let dir = Scratch::new("shared-dag-inputs-v2");
    let yaml = Compiler::new().target(Target::V2).compile_to_string(twice).expect("it compiles for KFP v2");
    let mut ir: Value = serde_yaml::from_str(&yaml).unwrap();
    // kfp gives each call of a pipeline its own component; IR may share one, as here: `greeting`
    // (lowered first) passes the run's absent `name`, `greeting-2` gives "ann".
    let tasks = &mut ir["root"]["dag"]["tasks"];
    assert_eq!(tasks["greeting"]["inputs"]["parameters"]["name"]["componentInputParameter"], "name");
    tasks["greeting-2"]["componentRef"]["name"] = "comp-greeting".into();
    ir["components"].as_object_mut().unwrap().remove("comp-greeting-2");
    let file = dir.join("twice.ir.yaml");
    std::fs::write(&file, serde_yaml::to_string(&ir).unwrap()).unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .arg("run-local")
        .arg(&file)
        .args(["--json", "--run-dir"])
        .arg(dir.join("run"))
        .output()
        .expect("kfp runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    assert!(output.status.success(), "{report:#}\n{stderr}");
    assert_eq!(report["outputs"]["Output"], "hello ann", "{report:#}");
}
