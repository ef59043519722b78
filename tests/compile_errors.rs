//! Pipelines that cannot become valid Workflows are refused with a clear
//! error from the compiler, never written as bad YAML.

use kfp::prelude::*;
use kfp::Error;

#[component]
pub fn step(value: i64) -> i64 {
    value + 1
}

fn problems(result: kfp::Result<String>) -> Vec<String> {
    match result {
        Err(Error::InvalidPipeline { problems, .. } | Error::InvalidWorkflow { problems, .. }) => problems,
        other => panic!("expected an invalid pipeline, got {other:?}"),
    }
}

#[pipeline(name = "cycle")]
pub fn cycle() {
    let first = step_op(1);
    let second = step_op(first.output());
    first.after(&second);
}

#[test]
fn a_cycle_through_after_is_an_error_naming_the_tasks() {
    let problems = problems(kfp::Compiler::new().compile_to_string(cycle));
    let text = problems.join("\n");
    assert!(text.contains("cycle") && text.contains("step") && text.contains("step-2"), "{text}");
}

#[pipeline(name = "a pipeline name that is far too long for kubernetes to keep in one piece")]
pub fn long_name() {
    step_op(1);
}

#[test]
fn a_name_kubernetes_would_truncate_is_an_error() {
    let text = problems(kfp::Compiler::new().compile_to_string(long_name)).join("\n");
    assert!(text.contains("generateName"), "{text}");
}

#[pipeline(name = "two")]
pub fn two() {
    step_op(1);
}

thread_local! {
    static STOLEN: std::cell::Cell<Option<Output<i64>>> = const { std::cell::Cell::new(None) };
}

#[pipeline(name = "thief")]
pub fn thief() {
    if let Some(stolen) = STOLEN.with(|cell| cell.get()) {
        step_op(stolen);
    }
}

#[test]
fn outputs_of_another_pipeline_are_refused() {
    let task = step_op(1); // outside any pipeline: recorded nowhere
    STOLEN.with(|cell| cell.set(Some(task.output())));
    let text = problems(kfp::Compiler::new().compile_to_string(thief)).join("\n");
    assert!(text.contains("another pipeline"), "{text}");
    kfp::Compiler::new().compile_to_string(two).expect("an unrelated pipeline still compiles");
}

#[pipeline(name = "é1 日本")]
pub fn unicode_name() {
    step_op(1);
}

#[test]
fn non_ascii_names_fall_back_to_valid_names() {
    let yaml = kfp::Compiler::new().compile_to_string(unicode_name).unwrap();
    assert!(yaml.contains("generateName: n1-\n"), "{yaml}");
    let workflow = kfp::argo::Workflow::from_yaml(&yaml).unwrap();
    let spec = &workflow.metadata.annotations.as_ref().unwrap()["pipelines.kubeflow.org/pipeline_spec"];
    assert!(spec.contains(r#""name": "\u00e91 \u65e5\u672c""#), "the spec keeps the name as given: {spec}");
}

#[pipeline(name = "한국어")]
pub fn korean_name() {
    step_op(1);
}

#[test]
fn all_non_ascii_names_become_pipeline() {
    let yaml = kfp::Compiler::new().compile_to_string(korean_name).unwrap();
    assert!(yaml.contains("generateName: pipeline-\n"), "{yaml}");
}
