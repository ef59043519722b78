//! Interop with the KFP v2 reference SDK, kfp 2.17.3: the pipeline IR and component
//! IR we write are well formed for kfp's own protobuf messages, load in kfp with
//! `load_component_from_file`, and a Python pipeline using them (the pipeline as a
//! nested pipeline, the component beside a Python one) compiles there, to IR our
//! model reads and our rules accept.
//!
//! Needs a Python with kfp==2.17.3 and kfp-kubernetes==2.17.3: `$KFP2_PYTHON`, else
//! `python3` if it has them. `.ci/run` installs one; elsewhere the tests say how and skip.

mod common;

#[path = "../examples/add_pipeline.rs"]
#[allow(dead_code)]
mod add_pipeline;

use std::path::Path;
use std::process::Command;

use kfp::{Compiler, Target};

/// Parses each document of each file into kfp's `PipelineSpec` (the first) or
/// `PlatformSpec` (the second) as protobuf's JSON mapping does, refusing unknown fields.
const WELL_FORMED: &str = r#"
import sys, yaml
from google.protobuf import json_format
from kfp.pipeline_spec import pipeline_spec_pb2

for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        documents = [d for d in yaml.safe_load_all(f) if d is not None]
    assert documents, path + ": no document"
    for i, document in enumerate(documents):
        message = pipeline_spec_pb2.PipelineSpec() if i == 0 else pipeline_spec_pb2.PlatformSpec()
        json_format.ParseDict(document, message, ignore_unknown_fields=False)
"#;

const MIXED: &str = r#"
import sys
from kfp import compiler, components, dsl

add_op = components.load_component_from_file(sys.argv[1])
assert add_op.name == "add", add_op.name
assert add_op.description == "더하기 (adds two numbers)", add_op.description
assert list(add_op.component_spec.inputs) == ["value_1", "value_2"], add_op.component_spec.inputs
assert list(add_op.component_spec.outputs) == ["Output"], add_op.component_spec.outputs

add_example = components.load_component_from_file(sys.argv[2])
assert add_example.name == "add-example", add_example.name
assert sorted(add_example.component_spec.inputs) == ["value_1", "value_2"]

@dsl.component
def double(x: int) -> int:
    return 2 * x

@dsl.pipeline(name="mixed")
def mixed(a: int, b: int):
    rust_sum = add_op(value_1=a, value_2=b)
    python_double = double(x=rust_sum.output)
    add_op(value_1=python_double.output, value_2=100)
    add_example(value_1=a, value_2=python_double.output)

compiler.Compiler().compile(mixed, sys.argv[3])
"#;

fn python(python: &str, script: &Path, args: &[&Path]) {
    let output = Command::new(python).arg(script).args(args).output().expect("python starts");
    assert!(
        output.status.success(),
        "kfp 2.17.3 refused our IR ({}):\n{}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn our_ir_is_well_formed_loads_in_kfp_2_and_a_python_pipeline_using_it_compiles() {
    let Some(kfp2) = common::kfp2_python() else {
        common::skip(common::KFP2_NOT_INSTALLED);
        return;
    };
    let dir = common::run::Scratch::new("kfp2-interop");
    let compiled = Compiler::new()
        .target(Target::V2)
        .compile(add_pipeline::my_pipeline, dir.join("add_pipeline.ir.yaml"))
        .expect("the add example compiles to IR");
    let pipeline_file = compiled.workflow;
    let component_file = compiled.component_files[0].clone();
    assert_eq!(component_file.file_name().unwrap(), "add.component.yaml");

    let well_formed = dir.join("well_formed.py");
    std::fs::write(&well_formed, WELL_FORMED).unwrap();
    python(&kfp2, &well_formed, &[&pipeline_file, &component_file]);

    // kfp reads the source of Python function components, so the script must be a file.
    let mixed = dir.join("mixed.py");
    std::fs::write(&mixed, MIXED).unwrap();
    let mixed_file = dir.join("mixed.ir.yaml");
    python(&kfp2, &mixed, &[&component_file, &pipeline_file, &mixed_file]);

    let yaml = std::fs::read_to_string(&mixed_file).unwrap();
    let file = kfp::ir::PipelineFile::from_yaml(&yaml).expect("our model reads kfp's IR of the mixed pipeline");
    let violations = kfp::ir::rules::check(&file);
    assert!(violations.is_empty(), "our rules refuse kfp's IR of the mixed pipeline: {violations:?}");
    // Our add component is there twice (kfp names the second comp-add-2) and the add
    // example as a nested pipeline, its own three components inside.
    let components: Vec<&str> = file.spec.components.keys().map(String::as_str).collect();
    for expected in ["comp-add", "comp-add-2", "comp-double", "comp-add-example"] {
        assert!(components.contains(&expected), "{expected} missing from {components:?}");
    }
}
