//! Interop with the reference SDK, kfp 1.8.22: our component.yaml loads in kfp,
//! a Python pipeline mixing it with a Python function component compiles there,
//! and the Workflow kfp writes runs here, Python and Rust steps feeding each other.
//!
//! Needs a Python with kfp==1.8.22: `$KFP_PYTHON`, else `python3` if it has kfp.
//! `.ci/run` installs one; elsewhere the tests say how and skip.

mod common;

#[path = "../examples/add_pipeline.rs"]
#[allow(dead_code)]
mod add_pipeline;

use std::path::Path;
use std::process::Command;

/// A Python interpreter with kfp 1.8.22, if there is one.
fn kfp_python() -> Option<String> {
    let candidates = std::env::var("KFP_PYTHON").into_iter().chain(["python3".to_owned()]);
    candidates.into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import kfp, sys; sys.exit(kfp.__version__ != '1.8.22')"])
            .output()
            .is_ok_and(|out| out.status.success())
    })
}

const PIPELINE: &str = r#"
import sys
import kfp
from kfp import components, dsl

add_op = components.load_component_from_file(sys.argv[1])
assert add_op.component_spec.name == "Add", add_op.component_spec.name
assert add_op.component_spec.description == "더하기 (adds two numbers)"
assert [i.name for i in add_op.component_spec.inputs] == ["value_1", "value_2"]
assert [(o.name, o.type) for o in add_op.component_spec.outputs] == [("Output", "Integer")]

def double(x: int) -> int:
    return 2 * x

double_op = components.create_component_from_func(double)

@dsl.pipeline(name="mixed")
def mixed(a: int, b: int):
    rust_sum = add_op(a, b)
    python_double = double_op(rust_sum.output)
    add_op(python_double.output, 100)

kfp.compiler.Compiler().compile(mixed, sys.argv[2])
"#;

#[test]
fn component_file_loads_in_kfp_and_mixed_pipeline_runs() {
    let Some(python) = kfp_python() else {
        common::skip(common::KFP_NOT_INSTALLED);
        return;
    };
    let dir = common::run::Scratch::new("interop");
    let component_file = dir.join("add.component.yaml");
    let workflow_file = dir.join("mixed.yaml");
    add_pipeline::add_component().spec.save(&component_file).unwrap();
    // kfp reads the source of Python function components, so the script must be a file.
    let script = dir.join("mixed.py");
    std::fs::write(&script, PIPELINE).unwrap();
    let output =
        Command::new(&python).arg(&script).arg(&component_file).arg(&workflow_file).output().expect("python starts");
    assert!(output.status.success(), "kfp refused our component:\n{}", String::from_utf8_lossy(&output.stderr));

    let yaml = std::fs::read_to_string(&workflow_file).unwrap();
    common::assert_schema_valid(&yaml, "mixed pipeline compiled by kfp");
    let workflow = kfp::argo::Workflow::from_yaml(&yaml).unwrap();
    assert!(kfp::argo::rules::check(&workflow).is_empty());
    if !common::run::have_rustc() || !Path::new("/bin/sh").exists() {
        common::skip("rustc or sh missing: the mixed pipeline is compiled but not run");
        return;
    }
    // a=3, b=4: Rust adds (7), Python doubles (14), Rust adds 100 (114).
    let outputs = common::run::run_workflow(&workflow, &[("a", "3"), ("b", "4")], "mixed");
    assert_eq!(outputs["add-Output"], "7");
    assert_eq!(outputs["double-Output"], "14");
    assert_eq!(outputs["add-2-Output"], "114");
}

/// kfp reads Workflows with PyYAML (YAML 1.1): every string we write must read
/// back as itself there too, and aliases of repeated programs must resolve.
#[test]
fn pyyaml_reads_our_workflow_yaml_as_we_wrote_it() {
    let Some(python) = kfp_python() else {
        common::skip(common::KFP_NOT_INSTALLED);
        return;
    };
    const TRICKY: &[&str] = &[
        "",
        "true",
        "yes",
        "No",
        "on",
        "y",
        "n",
        "null",
        "~",
        "123",
        "1.5",
        "0x1F",
        "1e3",
        "1_000",
        ".inf",
        "2001-12-14",
        "1:20",
        "-",
        "- a",
        "-ec",
        "a: b",
        "a #b",
        "#c",
        "&a",
        "*a",
        "!tag",
        "|",
        "{}",
        "=",
        "<<",
        "'q'",
        "\"dq\"",
        "back\\slash",
        "tab\there",
        "multi\nline\n",
        "a\nb",
        "x\n\n",
        " lead\nx",
        "trailing \nx",
        "crlf\r\nx",
        "\u{85}nel",
        "line\u{2028}sep",
        "\u{feff}bom",
        "del\u{7f}",
        "\u{1}ctl",
        "\u{9f}c1",
        "한국어 문자열",
        "한국어\n여러 줄\n",
        "emoji 🎉",
        "---",
        "a\n...\n",
    ];
    let program = "fn main() {\n    println!(\"안녕\");\n}\n".repeat(20);
    let template = |name: &str| kfp::argo::Template {
        name: name.to_owned(),
        container: Some(Box::new(kfp::argo::Container {
            image: Some("alpine".to_owned()),
            command: Some(vec!["sh".into(), program.as_str().into()]),
            args: Some(TRICKY.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        })),
        metadata: kfp::argo::Metadata {
            annotations: TRICKY
                .iter()
                .map(|s| ((format!("k{}", s.len()) + &s.escape_debug().to_string()).into(), (*s).into()))
                .collect(),
            labels: Default::default(),
        },
        ..Default::default()
    };
    let mut workflow = kfp::argo::Workflow::default();
    workflow.spec.entrypoint = "one".to_owned();
    workflow.spec.templates = vec![template("one"), template("two"), template("three")];
    let yaml = workflow.to_yaml().unwrap();
    assert!(yaml.contains("&a1") && yaml.contains("*a1"), "the program is not aliased:\n{yaml}");

    let dir = common::run::Scratch::new("pyyaml");
    let file = dir.join("workflow.yaml");
    std::fs::write(&file, &yaml).unwrap();
    let read = "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))";
    let output = Command::new(&python).args(["-c", read]).arg(&file).output().expect("python starts");
    assert!(output.status.success(), "PyYAML cannot read our YAML:\n{}", String::from_utf8_lossy(&output.stderr));
    let from_pyyaml: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(from_pyyaml, serde_json::to_value(&workflow).unwrap());
}
