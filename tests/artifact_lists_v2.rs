//! Lists of artifacts (kfp 2's `Input[List[Dataset]]`): a component taking `Vec<InputPath<T>>`
//! fed a loop's artifacts collected (`collected`). What a user sees compiling one for each target,
//! and what its program reads. The KFP v2 IR is checked against kfp's goldens in
//! `tests/conformance_v2` (`collected_artifacts`).

mod common;

use kfp::components::load_component_from_text;
use kfp::dsl::{collected, parallel_for};
use kfp::prelude::*;
use kfp::run::RunOptions;
use kfp::{Compiler, Target};

#[component]
fn write_text(text: String, out: OutputPath<Dataset>) {
    std::fs::write(&out, text).expect("the dataset is writable");
}

#[component]
fn concatenate(datasets: Vec<InputPath<Dataset>>) -> String {
    datasets.iter().map(|dataset| std::fs::read_to_string(dataset).expect("the dataset is readable")).collect()
}

#[pipeline(name = "concatenation")]
fn concatenation() -> Output<String> {
    let written = parallel_for(vec!["a".to_owned(), "b".to_owned()], write_text_op);
    concatenate_op(collected(written.outputs().out)).output()
}

#[test]
fn kfp_v1_refuses_a_list_of_artifacts_saying_it_has_none() {
    let error = Compiler::new().compile_to_string(concatenation).expect_err("v1 refuses it").to_string();
    assert!(
        error.contains(
            "task `Concatenate`: input `datasets` is a list of artifacts (kfp 2's `Input[List[Dataset]]`), which KFP \
             v1 has not, nor any way to pass one: compile for KFP v2 (`Target::V2`)"
        ),
        "{error}"
    );
}

#[test]
fn kfp_v2_declares_the_list_and_hands_the_program_the_executor_input() {
    let ir = Compiler::new().target(Target::V2).compile_to_string(concatenation).unwrap();
    let ir: serde_json::Value = serde_yaml::from_str(&ir).unwrap();
    let input = &ir["components"]["comp-concatenate"]["inputDefinitions"]["artifacts"]["datasets"];
    assert_eq!(input["isArtifactList"], true, "{input}");
    assert_eq!(input["artifactType"]["schemaTitle"], "system.Dataset", "{input}");
    let args = ir["deploymentSpec"]["executors"]["exec-concatenate"]["container"]["args"].as_array().unwrap();
    let flag = args.iter().position(|arg| arg == "--datasets").expect("the list's flag");
    assert_eq!(args[flag + 1], "{{$}}");
    let given = &ir["root"]["dag"]["tasks"]["concatenate"]["inputs"]["artifacts"]["datasets"]["taskOutputArtifact"];
    assert_eq!(given["producerTask"], "for-loop-2");
    assert_eq!(given["outputArtifactKey"], "pipelinechannel--write-text-out");
}

const SUM_TEXTS: &str = r#"
name: sum texts
inputs:
- {name: texts, type: 'List[Dataset]'}
implementation:
  container:
    image: alpine
    command: [cat, {inputValue: texts}]
"#;

#[pipeline(name = "text into a list of artifacts")]
fn text_into_a_list_of_artifacts(text: String) {
    let sum = load_component_from_text(SUM_TEXTS).expect("the component loads");
    sum.call([("texts", text)]);
}

#[test]
fn a_string_parameter_given_to_a_loaded_list_of_artifacts_is_refused() {
    let error =
        Compiler::new().target(Target::V2).compile_to_string(text_into_a_list_of_artifacts).unwrap_err().to_string();
    assert!(error.contains("input `texts` of `sum texts`") && error.contains("List[Dataset]"), "{error}");
}

/// Writes `index` after a wait that is longest for the first, so iterations finish last to first.
#[component]
fn write_index_late(index: i64, out: OutputPath<Dataset>) {
    std::thread::sleep(std::time::Duration::from_millis(400 * (2 - index) as u64));
    std::fs::write(&out, index.to_string()).expect("the dataset is writable");
}

/// The texts of `datasets` joined in the order given.
#[component]
fn join_in_order(datasets: Vec<InputPath<Dataset>>) -> String {
    let texts: Vec<String> =
        datasets.iter().map(|dataset| std::fs::read_to_string(dataset).expect("the dataset is readable")).collect();
    texts.join(",")
}

#[pipeline(name = "collected in order")]
fn collected_in_order() -> Output<String> {
    let written = parallel_for(vec![0, 1, 2], write_index_late_op);
    join_in_order_op(collected(written.outputs().out)).output()
}

#[test]
fn a_local_run_of_the_ir_gives_the_collected_artifacts_in_iteration_order() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH (the components' programs are built with it)");
        return;
    }
    let dir = common::run::Scratch::new("collected-in-order");
    let report = collected_in_order.run_local_v2(&RunOptions::new(dir.join("run"))).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.outputs.get("Output").map(String::as_str), Some("0,1,2"), "{report:#?}");
}
