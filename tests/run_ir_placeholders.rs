//! `kfp run-local FILE.ir.yaml` resolves kfp 2's structured placeholders as kfp's local runner
//! does: `Concat` (kfp's `ConcatPlaceholder`, a loaded component's `concat`) and `IfPresent`, in a
//! container's command and args and nested in each other, by the real binary on kfp 2.17.3's own
//! IR and on IR that uses every form kfp writes. Where kfp 2.17.3 is installed, kfp.local's own
//! resolver (`placeholder_utils.replace_placeholders`) gives the same words for the same inputs
//! (its `SubprocessRunner` runs no container component, so the resolver is what is compared).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::run::Scratch;
use serde_json::{json, Value};

fn golden(name: &str) -> String {
    format!("{}/tests/fixtures/kfp-2.17.3/{name}.yaml", env!("CARGO_MANIFEST_DIR"))
}

/// `kfp run-local FILE --json --run-dir DIR/run ARGS...`.
fn run_local(file: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(["run-local", "--json", "--run-dir"])
        .arg(dir.join("run"))
        .arg(file)
        .args(args)
        .output()
        .unwrap()
}

/// The JSON report of a run that succeeded.
fn succeeded(output: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    report
}

fn task<'r>(report: &'r Value, id: &str) -> &'r Value {
    let tasks = report["tasks"].as_array().unwrap();
    tasks.iter().find(|task| task["id"] == id).unwrap_or_else(|| panic!("no task `{id}` in {report:#}"))
}

#[test]
fn kfps_concat_placeholder_pipeline_joins_its_inputs_into_one_argument() {
    // kfp's test runs in busybox, whose `sh` has `[[`; this machine's may not, so bash runs it.
    let text = std::fs::read_to_string(golden("pipeline_with_concat_placeholder")).unwrap();
    let text = text.replace("        - sh\n", "        - bash\n");
    let dir = Scratch::new("ir-concat-golden");
    let file = dir.join("pipeline_with_concat_placeholder.yaml");
    std::fs::write(&file, text).unwrap();
    // The command itself checks its argument is `one+two=three`, and fails otherwise.
    let report = succeeded(&run_local(&file, &dir, &[]));
    assert_eq!(task(&report, "component-with-concat-placeholder")["exit_code"], 0);
}

/// A component whose args use every structured form kfp 2 writes, and which writes the words it
/// gets, one per line, to its output `words`.
const WORDS: &str = r#"
components:
  comp-words:
    executorLabel: exec-words
    inputDefinitions:
      parameters:
        name: {parameterType: STRING}
        greeting: {parameterType: STRING, isOptional: true}
        count: {parameterType: NUMBER_INTEGER, defaultValue: 2.0, isOptional: true}
    outputDefinitions:
      parameters:
        words: {parameterType: STRING}
deploymentSpec:
  executors:
    exec-words:
      container:
        image: alpine
        command:
        - sh
        - -ec
        - out="$0"; printf '%s\n' "$@" > "$out"
        - '{{$.outputs.parameters[''words''].output_file}}'
        args:
        - '{"Concat": ["--name=", "{{$.inputs.parameters[''name'']}}"]}'
        - '{"IfPresent": {"InputName": "greeting", "Then": ["--greeting", "{{$.inputs.parameters[''greeting'']}}"], "Else": ["--no-greeting"]}}'
        - '{"IfPresent": {"InputName": "greeting", "Then": {"Concat": ["--said=", "{{$.inputs.parameters[''greeting'']}}", ", ", "{{$.inputs.parameters[''name'']}}"]}}}'
        - '{"Concat": ["n=", "{{$.inputs.parameters[''count'']}}", {"IfPresent": {"InputName": "greeting", "Then": "+g", "Else": "-g"}}]}'
        - '{"IfPresent": {"InputName": "count", "Then": "--count-given"}}'
pipelineInfo:
  name: words
root:
  dag:
    tasks:
      words:
        componentRef: {name: comp-words}
        inputs:
          parameters:
            name: {componentInputParameter: name}
            greeting: {componentInputParameter: greeting}
        taskInfo: {name: words}
  inputDefinitions:
    parameters:
      name: {parameterType: STRING}
      greeting: {parameterType: STRING, isOptional: true}
schemaVersion: 2.1.0
sdkVersion: kfp-2.17.3
"#;

/// The words kfp.local's resolver makes of `args` for a task given `parameters`, or `None`
/// (skipped) without kfp 2.17.3.
fn kfp_local_words(args: &[String], parameters: &Value) -> Option<Vec<String>> {
    const RESOLVE: &str = r#"
import json, sys
from kfp.local import placeholder_utils
args, parameters = json.loads(sys.argv[1]), json.loads(sys.argv[2])
executor_input = {"inputs": {"parameterValues": parameters}, "outputs": {"outputFile": "/unused/executor_output.json"}}
print(json.dumps(placeholder_utils.replace_placeholders(args, executor_input, "p", "t", "/unused", "id")))
"#;
    let Some(python) = common::kfp2_python() else {
        common::skip(common::KFP2_NOT_INSTALLED);
        return None;
    };
    let output = Command::new(python)
        .args(["-c", RESOLVE, &serde_json::to_string(args).unwrap(), &parameters.to_string()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

#[test]
fn concat_and_if_present_in_args_resolve_as_kfp_local_resolves_them() {
    let file = kfp::ir::PipelineFile::from_yaml(WORDS).unwrap();
    let args = file.spec.executor("exec-words").and_then(|e| e.container.as_ref()).unwrap().args.clone();
    let dir = Scratch::new("ir-concat-if-present");
    let path = dir.join("words.yaml");
    std::fs::write(&path, WORDS).unwrap();

    // An optional input given, with text beyond ASCII.
    let report = succeeded(&run_local(&path, &dir, &["-p", "name=Grüß dich", "-p", "greeting=hi"]));
    let words = task(&report, "words")["outputs"]["words"].as_str().unwrap().to_owned();
    let expected = ["--name=Grüß dich", "--greeting", "hi", "--said=hi, Grüß dich", "n=2+g", "--count-given"];
    assert_eq!(words.lines().collect::<Vec<_>>(), expected);
    let theirs = kfp_local_words(&args, &json!({"name": "Grüß dich", "greeting": "hi", "count": 2}));
    if let Some(theirs) = theirs {
        assert_eq!(words.lines().collect::<Vec<_>>(), theirs, "kfp.local's words");
    }

    // Left out: `Else` where there is one, nothing where there is none.
    let dir = Scratch::new("ir-concat-if-present-absent");
    let report = succeeded(&run_local(&path, &dir, &["-p", "name=x"]));
    let words = task(&report, "words")["outputs"]["words"].as_str().unwrap().to_owned();
    assert_eq!(words.lines().collect::<Vec<_>>(), ["--name=x", "--no-greeting", "n=2-g", "--count-given"]);
    if let Some(theirs) = kfp_local_words(&args, &json!({"name": "x", "count": 2})) {
        assert_eq!(words.lines().collect::<Vec<_>>(), theirs, "kfp.local's words");
    }
}

#[test]
fn a_list_inside_a_concat_is_refused_naming_the_task() {
    let text = WORDS.replace(
        r#"{"InputName": "greeting", "Then": "+g", "Else": "-g"}"#,
        r#"{"InputName": "greeting", "Then": ["+g"]}"#,
    );
    let dir = Scratch::new("ir-concat-list-refused");
    let path = dir.join("words.yaml");
    std::fs::write(&path, text).unwrap();
    let output = run_local(&path, &dir, &["-p", "name=x"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("task `words`: an `IfPresent` inside a `Concat` has a list"), "{stderr}");
    assert!(!dir.join("run/logs").exists(), "nothing starts: {stderr}");
}

/// A producer whose executor output records metadata on its artifact `data`, and a consumer that
/// writes what its input artifact metadata placeholders give, one per line, to its output `seen`.
const METADATA: &str = r#"
components:
  comp-produce:
    executorLabel: exec-produce
    outputDefinitions:
      artifacts:
        data:
          artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}
  comp-consume:
    executorLabel: exec-consume
    inputDefinitions:
      artifacts:
        data:
          artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}
    outputDefinitions:
      parameters:
        seen: {parameterType: STRING}
deploymentSpec:
  executors:
    exec-produce:
      container:
        image: alpine
        command:
        - sh
        - -ec
        - |-
          printf hello > "$0"; printf '%s' '{"artifacts": {"data": {"artifacts": [{"metadata": {"length": 5, "name": "Grüß 😀", "scores": [1, 0.5]}}]}}}' > "$1"
        - '{{$.outputs.artifacts[''data''].path}}'
        - '{{$.outputs.output_file}}'
    exec-consume:
      container:
        image: alpine
        command:
        - sh
        - -ec
        - out="$0"; printf '%s\n' "$@" > "$out"
        - '{{$.outputs.parameters[''seen''].output_file}}'
        args:
        - '{{$.inputs.artifacts[''data''].metadata}}'
        - length={{$.inputs.artifacts['data'].metadata['length']}}
        - '{{$.inputs.artifacts[''data''].metadata[''name'']}}'
        - '{{$.inputs.artifacts[''data''].metadata[''scores'']}}'
        - '{{$.inputs.artifacts[''data''].metadata[''missing'']}}'
        - '{"Concat": ["n=", "{{$.inputs.artifacts[''data''].metadata[''length'']}}"]}'
pipelineInfo:
  name: metadata
root:
  dag:
    tasks:
      produce:
        componentRef: {name: comp-produce}
        taskInfo: {name: produce}
      consume:
        componentRef: {name: comp-consume}
        dependentTasks: [produce]
        inputs:
          artifacts:
            data:
              taskOutputArtifact: {outputArtifactKey: data, producerTask: produce}
        taskInfo: {name: consume}
schemaVersion: 2.1.0
sdkVersion: kfp-2.17.3
"#;

/// What kfp.local's resolver makes of component `component`'s `args` for a task given input
/// artifact `data` with `metadata`, its executor input made by kfp.local itself; `None`
/// (skipped) without kfp 2.17.3.
fn kfp_local_metadata_words(file: &kfp::ir::PipelineFile, args: &[String], metadata: &Value) -> Option<Vec<String>> {
    const RESOLVE: &str = r#"
import json, sys
from google.protobuf import json_format
from kfp import dsl
from kfp.local import executor_input_utils, placeholder_utils
from kfp.pipeline_spec import pipeline_spec_pb2
component, args, metadata = (json.loads(arg) for arg in sys.argv[1:4])
spec = json_format.ParseDict(component, pipeline_spec_pb2.ComponentSpec())
data = dsl.Dataset(name="data", uri="/unused/data", metadata=metadata)
executor_input = executor_input_utils.construct_executor_input(spec, {"data": data}, "/unused", False)
executor_input = executor_input_utils.executor_input_to_dict(executor_input, spec)
print(json.dumps(placeholder_utils.replace_placeholders(args, executor_input, "p", "t", "/unused", "id")))
"#;
    let Some(python) = common::kfp2_python() else {
        common::skip(common::KFP2_NOT_INSTALLED);
        return None;
    };
    let component = serde_json::to_string(file.spec.component("comp-consume").unwrap()).unwrap();
    let output = Command::new(python)
        .args(["-c", RESOLVE, &component, &serde_json::to_string(args).unwrap(), &metadata.to_string()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

#[test]
fn an_input_artifacts_metadata_is_what_its_producer_recorded_as_kfp_local_gives_it() {
    let file = kfp::ir::PipelineFile::from_yaml(METADATA).unwrap();
    let args = file.spec.executor("exec-consume").and_then(|e| e.container.as_ref()).unwrap().args.clone();
    let dir = Scratch::new("ir-input-metadata");
    let path = dir.join("metadata.yaml");
    std::fs::write(&path, METADATA).unwrap();
    let report = succeeded(&run_local(&path, &dir, &[]));
    let recorded = &task(&report, "produce")["metadata"]["data"];
    assert_eq!(recorded["name"], "Grüß 😀", "{report:#}");
    let seen = task(&report, "consume")["outputs"]["seen"].as_str().unwrap().to_owned();
    // kfp.local's forms: its metadata is a protobuf Struct (numbers are doubles), written by
    // Python's json.dumps; a key the metadata has not is null.
    let expected = [
        r#"{"length": 5.0, "name": "Gr\u00fc\u00df \ud83d\ude00", "scores": [1.0, 0.5]}"#,
        "length=5.0",
        "Grüß 😀",
        "[1.0, 0.5]",
        "null",
        "n=5.0",
    ];
    assert_eq!(seen.lines().collect::<Vec<_>>(), expected);
    if let Some(theirs) = kfp_local_metadata_words(&file, &args, recorded) {
        let ours: Vec<&str> = seen.lines().collect();
        // The whole metadata's keys come in protobuf's map order there, which is unspecified: the same object.
        let object = |text: &str| serde_json::from_str::<Value>(text).unwrap();
        assert_eq!(object(ours[0]), object(&theirs[0]), "kfp.local's metadata: {}", theirs[0]);
        assert_eq!(ours[1..], theirs[1..], "kfp.local's words");
    }
}

/// Python producers set metadata on their datasets and Python consumers read it back, from one
/// dataset and from a loop's datasets collected into a list.
const METADATA_PY: &str = r#"
from typing import List

from kfp import dsl
from kfp.dsl import Dataset, Input, Output


@dsl.component
def produce(data: Output[Dataset]):
    with open(data.path, "w") as f:
        f.write("hello")
    data.metadata["length"] = 5
    data.metadata["name"] = "Grüß"


@dsl.component
def consume(data: Input[Dataset]) -> str:
    return f"{data.metadata['length']!r} {data.metadata['name']}"


@dsl.component
def produce_n(n: int, data: Output[Dataset]):
    with open(data.path, "w") as f:
        f.write("x" * n)
    data.metadata["length"] = n


@dsl.component
def consume_all(datas: Input[List[Dataset]]) -> str:
    return ",".join(repr(data.metadata["length"]) for data in datas)


@dsl.pipeline(name="metadata-flows")
def metadata_flows() -> str:
    with dsl.ParallelFor([1, 2, 3]) as n:
        made = produce_n(n=n)
    consume_all(datas=dsl.Collected(made.outputs["data"]))
    return consume(data=produce().outputs["data"]).output


if __name__ == "__main__":
    import sys
    from kfp import compiler
    compiler.Compiler().compile(metadata_flows, sys.argv[1])
"#;

#[test]
fn python_components_read_their_input_artifacts_metadata_as_under_kfp_local() {
    let Some(python) = common::kfp2_python() else {
        common::skip(common::KFP2_NOT_INSTALLED);
        return;
    };
    let dir = Scratch::new("ir-python-input-metadata");
    let module = dir.join("metadata_flows.py");
    std::fs::write(&module, METADATA_PY).unwrap();
    let ir = dir.join("metadata_flows.yaml");
    let compiled = Command::new(&python).arg(&module).arg(&ir).output().unwrap();
    assert!(compiled.status.success(), "{}", String::from_utf8_lossy(&compiled.stderr));

    let theirs = common::kfp_local::run(&python, &module, "metadata_flows", &dir, json!({}));
    assert_eq!(theirs["tasks"]["consume"]["Output"], "5.0 Grüß", "kfp.local: {theirs:#}");
    let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(["run-local", "--json", "--python", &python, "--run-dir"])
        .arg(dir.join("run"))
        .arg(&ir)
        .output()
        .unwrap();
    let report = succeeded(&output);
    assert_eq!(task(&report, "consume")["outputs"]["Output"], theirs["tasks"]["consume"]["Output"]);
    // A collected list's artifacts each carry their own, in iteration order.
    assert_eq!(theirs["tasks"]["consume-all"]["Output"], "1.0,2.0,3.0", "kfp.local: {theirs:#}");
    assert_eq!(task(&report, "consume-all")["outputs"]["Output"], theirs["tasks"]["consume-all"]["Output"]);
}

/// A loop's datasets, each with metadata its producer records, collected into a list input
/// (`isArtifactList`) whose metadata placeholders the consumer's args hold; the loop's items are
/// not in order, so the first artifact is the first iteration's, not the smallest.
const LIST_METADATA: &str = r#"
components:
  comp-consume:
    executorLabel: exec-consume
    inputDefinitions:
      artifacts:
        xs:
          artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}
          isArtifactList: true
    outputDefinitions:
      parameters:
        seen: {parameterType: STRING}
  comp-for-loop-2:
    dag:
      outputs:
        artifacts:
          pipelinechannel--produce-data:
            artifactSelectors:
            - {outputArtifactKey: data, producerSubtask: produce}
      tasks:
        produce:
          componentRef: {name: comp-produce}
          inputs:
            parameters:
              n: {componentInputParameter: pipelinechannel--loop-item-param-1}
          taskInfo: {name: produce}
    inputDefinitions:
      parameters:
        pipelinechannel--loop-item-param-1: {parameterType: NUMBER_INTEGER}
    outputDefinitions:
      artifacts:
        pipelinechannel--produce-data:
          artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}
          isArtifactList: true
  comp-produce:
    executorLabel: exec-produce
    inputDefinitions:
      parameters:
        n: {parameterType: NUMBER_INTEGER}
    outputDefinitions:
      artifacts:
        data:
          artifactType: {schemaTitle: system.Dataset, schemaVersion: 0.0.1}
deploymentSpec:
  executors:
    exec-produce:
      container:
        image: alpine
        command:
        - sh
        - -ec
        - |-
          printf x > "$1"; printf '{"artifacts": {"data": {"artifacts": [{"metadata": {"n": %s, "name": "Grüß 😀"}}]}}}' "$0" > "$2"
        - '{{$.inputs.parameters[''n'']}}'
        - '{{$.outputs.artifacts[''data''].path}}'
        - '{{$.outputs.output_file}}'
    exec-consume:
      container:
        image: alpine
        command:
        - sh
        - -ec
        - out="$0"; printf '%s\n' "$@" > "$out"
        - '{{$.outputs.parameters[''seen''].output_file}}'
        args:
        - '{{$.inputs.artifacts[''xs''].metadata}}'
        - n={{$.inputs.artifacts['xs'].metadata['n']}}
        - '{{$.inputs.artifacts[''xs''].metadata[''name'']}}'
        - '{{$.inputs.artifacts[''xs''].metadata[''missing'']}}'
pipelineInfo:
  name: list-metadata
root:
  dag:
    tasks:
      for-loop-2:
        componentRef: {name: comp-for-loop-2}
        parameterIterator:
          itemInput: pipelinechannel--loop-item-param-1
          items: {raw: '[2, 1, 3]'}
        taskInfo: {name: for-loop-2}
      consume:
        componentRef: {name: comp-consume}
        dependentTasks: [for-loop-2]
        inputs:
          artifacts:
            xs:
              taskOutputArtifact: {outputArtifactKey: pipelinechannel--produce-data, producerTask: for-loop-2}
        taskInfo: {name: consume}
schemaVersion: 2.1.0
sdkVersion: kfp-2.17.3
"#;

/// What kfp.local's resolver makes of component `comp-consume`'s `args` for a task given list
/// input `xs` of datasets with `metadata` (one object each), its executor input made by kfp.local
/// itself; `None` (skipped) without kfp 2.17.3.
fn kfp_local_list_metadata_words(
    file: &kfp::ir::PipelineFile,
    args: &[String],
    metadata: &[Value],
) -> Option<Vec<String>> {
    const RESOLVE: &str = r#"
import json, sys
from google.protobuf import json_format
from kfp import dsl
from kfp.local import executor_input_utils, placeholder_utils
from kfp.pipeline_spec import pipeline_spec_pb2
component, args, metadata = (json.loads(arg) for arg in sys.argv[1:4])
spec = json_format.ParseDict(component, pipeline_spec_pb2.ComponentSpec())
xs = [dsl.Dataset(name="xs", uri=f"/unused/{i}", metadata=m) for i, m in enumerate(metadata)]
executor_input = executor_input_utils.construct_executor_input(spec, {"xs": xs}, "/unused", False)
executor_input = executor_input_utils.executor_input_to_dict(executor_input, spec)
print(json.dumps(placeholder_utils.replace_placeholders(args, executor_input, "p", "t", "/unused", "id")))
"#;
    let Some(python) = common::kfp2_python() else {
        common::skip(common::KFP2_NOT_INSTALLED);
        return None;
    };
    let component = serde_json::to_string(file.spec.component("comp-consume").unwrap()).unwrap();
    let output = Command::new(python)
        .args(["-c", RESOLVE, &component, &serde_json::to_string(args).unwrap(), &json!(metadata).to_string()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

#[test]
fn a_list_inputs_metadata_is_its_first_artifacts_as_kfp_local_gives_it() {
    let file = kfp::ir::PipelineFile::from_yaml(LIST_METADATA).unwrap();
    let args = file.spec.executor("exec-consume").and_then(|e| e.container.as_ref()).unwrap().args.clone();
    let dir = Scratch::new("ir-list-metadata");
    let path = dir.join("list_metadata.yaml");
    std::fs::write(&path, LIST_METADATA).unwrap();
    let report = succeeded(&run_local(&path, &dir, &[]));
    let seen = task(&report, "consume")["outputs"]["seen"].as_str().unwrap().to_owned();
    // The first iteration's (n = 2), in kfp.local's forms: numbers as doubles, Python's json.dumps.
    let expected = [r#"{"n": 2.0, "name": "Gr\u00fc\u00df \ud83d\ude00"}"#, "n=2.0", "Grüß 😀", "null"];
    assert_eq!(seen.lines().collect::<Vec<_>>(), expected, "{report:#}");
    let recorded: Vec<Value> = [2, 1, 3].iter().map(|n| json!({"n": n, "name": "Grüß 😀"})).collect();
    if let Some(theirs) = kfp_local_list_metadata_words(&file, &args, &recorded) {
        let ours: Vec<&str> = seen.lines().collect();
        let object = |text: &str| serde_json::from_str::<Value>(text).unwrap();
        assert_eq!(object(ours[0]), object(&theirs[0]), "kfp.local's metadata: {}", theirs[0]);
        assert_eq!(ours[1..], theirs[1..], "kfp.local's words");
    }
}
