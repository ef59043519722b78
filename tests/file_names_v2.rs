//! A file parameter's name per target: kfp 1.8 drops `_path`/`_file` (`train_path:
//! OutputPath` is the output `train`), kfp 2 keeps the name as written
//! (`train_path`). The same Rust pipeline compiles to each target's names: the
//! component's definitions, its executor's placeholders, the inputs of the tasks
//! reading the file and the pipeline's outputs; a local run of the IR passes the
//! files under kfp 2's names, and kfp 2.17.3 calls the component file we write by
//! them.

mod common;

use std::path::Path;
use std::process::Command;

use kfp::prelude::*;
use kfp::run::RunOptions;
use kfp::{Compiler, Target};
use serde_json::{json, Value};

/// Writes the lines of `text` to one file and their count to another.
#[component]
pub fn split(text: String, lines_path: OutputPath<Dataset>, count_file: OutputPath<i64>) {
    std::fs::write(&lines_path, text.replace(' ', "\n")).expect("the lines file is writable");
    std::fs::write(&count_file, text.split(' ').count().to_string()).expect("the count file is writable");
}

/// Copies the lines it reads, upper-cased, and returns how many there were.
#[component]
pub fn shout(lines_path: InputPath<Dataset>, expected: i64, loud_file: OutputPath<Dataset>) -> Result<i64, String> {
    let text = std::fs::read_to_string(&lines_path).map_err(|e| format!("cannot read the lines: {e}"))?;
    std::fs::write(&loud_file, text.to_uppercase()).map_err(|e| format!("cannot write the loud file: {e}"))?;
    let count = text.lines().count() as i64;
    if count == expected {
        Ok(count)
    } else {
        Err(format!("{count} lines, {expected} expected"))
    }
}

#[pipeline(name = "file names")]
fn file_names(#[default("one two three")] text: String) -> Output<Dataset> {
    let split = split_op(text);
    let files = split.outputs();
    let shout = shout_op(files.lines, files.count);
    shout.outputs().loud
}

fn v2_ir() -> Value {
    let yaml = Compiler::new().target(Target::V2).compile_to_string(file_names).expect("it compiles to v2");
    serde_yaml::from_str(&yaml).expect("the IR is YAML")
}

#[test]
fn kfp_2_names_file_parameters_as_written() {
    let ir = v2_ir();
    let components = &ir["components"];
    let split = &components["comp-split"];
    assert_eq!(split["outputDefinitions"]["artifacts"].as_object().unwrap().keys().collect::<Vec<_>>(), ["lines_path"]);
    assert_eq!(split["outputDefinitions"]["parameters"]["count_file"], json!({"parameterType": "NUMBER_INTEGER"}));
    let shout = &components["comp-shout"];
    assert!(shout["inputDefinitions"]["artifacts"]["lines_path"].is_object(), "{shout:#}");
    assert!(shout["outputDefinitions"]["artifacts"]["loud_file"].is_object(), "{shout:#}");
    assert!(shout["outputDefinitions"]["parameters"]["Output"].is_object(), "{shout:#}");

    // The program's flags stay kfp 1.8's (one program for both targets); the placeholders name kfp 2's.
    let args = &ir["deploymentSpec"]["executors"]["exec-split"]["container"]["args"];
    let args: Vec<&str> = args.as_array().unwrap().iter().map(|arg| arg.as_str().unwrap()).collect();
    for pair in [
        ["--lines", "{{$.outputs.artifacts['lines_path'].path}}"],
        ["--count", "{{$.outputs.parameters['count_file'].output_file}}"],
    ] {
        assert!(args.windows(2).any(|window| window == pair), "{pair:?} not in {args:?}");
    }

    let inputs = &ir["root"]["dag"]["tasks"]["shout"]["inputs"];
    assert_eq!(
        inputs["artifacts"]["lines_path"],
        json!({"taskOutputArtifact": {"producerTask": "split", "outputArtifactKey": "lines_path"}})
    );
    assert_eq!(
        inputs["parameters"]["expected"],
        json!({"taskOutputParameter": {"producerTask": "split", "outputParameterKey": "count_file"}})
    );
    assert_eq!(
        ir["root"]["dag"]["outputs"]["artifacts"]["Output"],
        json!({"artifactSelectors": [{"producerSubtask": "shout", "outputArtifactKey": "loud_file"}]})
    );
}

#[test]
fn kfp_1_8_names_them_without_path_or_file() {
    let component = split_component();
    let outputs: Vec<&str> = component.spec.outputs.iter().map(|output| output.name.as_str()).collect();
    assert_eq!(outputs, ["lines", "count"]);
    let yaml = Compiler::new().compile_to_string(file_names).expect("it compiles to v1");
    let workflow: Value = serde_yaml::from_str(&yaml).expect("the Workflow is YAML");
    let templates = workflow["spec"]["templates"].as_array().unwrap();
    let template = |name: &str| templates.iter().find(|t| t["name"] == name).unwrap_or_else(|| panic!("{name}"));
    let names = |list: &Value| -> Vec<String> {
        list.as_array().unwrap().iter().map(|item| item["name"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(names(&template("split")["outputs"]["artifacts"]), ["split-count", "split-lines"]);
    assert_eq!(names(&template("shout")["inputs"]["artifacts"]), ["split-lines"]);
    assert_eq!(names(&template("shout")["outputs"]["artifacts"]), ["shout-Output", "shout-loud"]);
}

/// Two outputs that kfp 1.8 names apart and kfp 2 names alike.
#[derive(kfp::ComponentOutputs)]
pub struct Stats {
    pub sum_path: i64,
}

#[component]
pub fn stats(sum_path: OutputPath<i64>) -> Stats {
    std::fs::write(&sum_path, "1").expect("the sum file is writable");
    Stats { sum_path: 1 }
}

#[pipeline(name = "clash")]
fn clash() {
    stats_op();
}

#[test]
fn a_file_output_and_a_returned_field_of_one_kfp_2_name_are_refused_for_v2() {
    let error = Compiler::new().target(Target::V2).compile_to_string(clash).unwrap_err().to_string();
    assert!(
        error.contains("component `Stats` has two outputs named `sum_path` under KFP v2")
            && error.contains("rename the `OutputPath` parameter or the returned field"),
        "{error}"
    );
    Compiler::new().compile_to_string(clash).expect("KFP v1 names them `sum` and `sum_path`");
}

/// An input file and a returned field that kfp 1.8 names alike (`data`).
#[derive(kfp::ComponentOutputs)]
pub struct Measured {
    pub data: i64,
}

#[component]
pub fn measure(data_path: InputPath<Dataset>) -> Measured {
    Measured { data: std::fs::read(&data_path).expect("the data file is readable").len() as i64 }
}

#[pipeline(name = "input and output named alike")]
fn input_and_output_named_alike() {
    let split = split_op("a b".to_owned());
    measure_op(split.outputs().lines);
}

#[test]
fn an_input_file_does_not_rename_the_returned_field_of_its_kfp_1_8_name() {
    let yaml =
        Compiler::new().target(Target::V2).compile_to_string(input_and_output_named_alike).expect("it compiles to v2");
    let ir: Value = serde_yaml::from_str(&yaml).expect("the IR is YAML");
    let measure = &ir["components"]["comp-measure"];
    assert!(measure["inputDefinitions"]["artifacts"]["data_path"].is_object(), "{measure:#}");
    assert_eq!(measure["outputDefinitions"]["parameters"], json!({"data": {"parameterType": "NUMBER_INTEGER"}}));
}

#[test]
fn a_local_run_of_the_ir_passes_the_files_under_kfp_2s_names() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH (the components' programs are built with it)");
        return;
    }
    let dir = common::run::Scratch::new("file-names-v2");
    let report = file_names.run_local_v2(&RunOptions::new(dir.join("run")).arg("text", "a b".to_owned())).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("split", "count_file"), Some("2"));
    assert_eq!(report.output("shout", "Output"), Some("2"));
    let loud = report.artifacts.get("Output").expect("the pipeline's output artifact");
    assert_eq!(std::fs::read_to_string(loud).unwrap(), "A\nB");
}

/// kfp 2.17.3 loads our component file and calls the component by its inputs' and
/// outputs' kfp 2 names.
const CALL_BY_NAME: &str = r#"
import sys
from kfp import compiler, components, dsl

split = components.load_component_from_file(sys.argv[1])
assert list(split.component_spec.inputs) == ["text"], split.component_spec.inputs
assert sorted(split.component_spec.outputs) == ["count_file", "lines_path"], split.component_spec.outputs

@dsl.component
def count_lines(lines_path: dsl.InputPath("Dataset"), expected: int) -> bool:
    with open(lines_path) as f:
        return len(f.readlines()) == expected

@dsl.pipeline(name="by-name")
def by_name(text: str):
    task = split(text=text)
    count_lines(lines_path=task.outputs["lines_path"], expected=task.outputs["count_file"])

compiler.Compiler().compile(by_name, sys.argv[2])
"#;

#[test]
fn kfp_2_calls_our_component_file_by_kfp_2s_names() {
    let Some(kfp2) = common::kfp2_python() else {
        common::skip(common::KFP2_NOT_INSTALLED);
        return;
    };
    let dir = common::run::Scratch::new("file-names-kfp2");
    let component_file = dir.join("split.yaml");
    let yaml = Compiler::new().target(Target::V2).compile_component_to_string(split_component()).unwrap();
    std::fs::write(&component_file, yaml).unwrap();
    // kfp reads the source of Python function components, so the script must be a file.
    let script = dir.join("by_name.py");
    std::fs::write(&script, CALL_BY_NAME).unwrap();
    let compiled = dir.join("by_name.yaml");
    let output = Command::new(&kfp2).arg(&script).args([&component_file, &compiled]).output().expect("python starts");
    assert!(output.status.success(), "kfp 2.17.3 refused it:\n{}", String::from_utf8_lossy(&output.stderr));
    let ir: Value = serde_yaml::from_str(&std::fs::read_to_string(Path::new(&compiled)).unwrap()).unwrap();
    assert_eq!(
        ir["root"]["dag"]["tasks"]["count-lines"]["inputs"]["artifacts"]["lines_path"],
        json!({"taskOutputArtifact": {"producerTask": "split", "outputArtifactKey": "lines_path"}})
    );
}
