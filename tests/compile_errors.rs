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

/// A component built by hand, which no loader checked: outputs `o p` and `o_p`
/// both go to `/tmp/outputs/o_p/data`.
fn two_outputs_one_file() -> kfp::LoadedComponent {
    use kfp::spec::{ContainerSpec, Implementation, OutputSpec, Placeholder};
    let output = |name: &str| OutputSpec { name: name.to_owned(), ..OutputSpec::default() };
    let written = |name: &str| Placeholder::OutputPath { output_path: name.to_owned() };
    let spec = kfp::ComponentSpec {
        name: "Split".to_owned(),
        description: None,
        metadata: None,
        inputs: Vec::new(),
        outputs: vec![output("o p"), output("o_p")],
        implementation: Implementation {
            container: ContainerSpec {
                image: "alpine".to_owned(),
                args: Some(vec![written("o p"), written("o_p")]),
                ..ContainerSpec::default()
            },
        },
        version: None,
    };
    kfp::LoadedComponent::from_spec(spec, serde_json::json!({}))
}

#[pipeline(name = "one file")]
pub fn one_file() {
    two_outputs_one_file().args().call();
}

#[test]
fn outputs_sharing_a_file_are_an_error_naming_task_and_component() {
    let problems = problems(kfp::Compiler::new().compile_to_string(one_file));
    assert_eq!(
        problems,
        ["component `Split` (task `split`): outputs `o p` and `o_p` both get the file `/tmp/outputs/o_p/data`, \
          so one output's value would overwrite the other's: rename one of them"]
    );
}

#[derive(ComponentOutputs)]
pub struct Sums {
    pub sum: f64,
    pub count: i64,
}

/// Writes output `sum` as a file and returns another output `sum`.
#[component]
pub fn totals(values: Vec<f64>, sum_path: OutputPath<f64>) -> Sums {
    let sum: f64 = values.iter().sum();
    std::fs::write(sum_path, sum.to_string()).unwrap();
    Sums { sum, count: values.len() as i64 }
}

#[pipeline(name = "sum twice")]
pub fn sum_twice() {
    totals_op(vec![1.0, 2.0]);
}

#[test]
fn a_file_output_named_as_a_returned_one_is_an_error() {
    let text = problems(kfp::Compiler::new().compile_to_string(sum_twice)).join("\n");
    assert_eq!(
        text,
        "component `Totals` (task `totals`): two outputs are named `sum`, so one output's value would overwrite \
         the other's: rename one of them"
    );
}

#[component]
pub fn echo(text: String) -> String {
    text
}

#[pipeline(name = "braces")]
pub fn braces() {
    echo_op("{{ not closed");
}

#[test]
fn a_constant_with_an_unclosed_argo_tag_is_an_error_naming_the_task() {
    for share in [false, true] {
        let text = problems(kfp::Compiler::new().share_templates(share).compile_to_string(braces)).join("\n");
        assert!(text.contains("task `echo`: has a `{{` without a closing `}}`"), "{text}");
    }
}

#[pipeline(name = "greedy")]
pub fn greedy() {
    step_op(1).set_memory_limit("lots").set_cpu_request("500m");
    step_op(2).set_gpu_limit("two");
    step_op(3).add_resource_request("example.com/foo", "1 G");
}

#[test]
fn a_resource_amount_that_is_not_a_quantity_is_an_error_naming_task_and_setter() {
    let problems = problems(kfp::Compiler::new().compile_to_string(greedy));
    let text = problems.join("\n");
    for expected in [
        "task `step` (set_memory_limit): \"lots\" (memory) is not a Kubernetes quantity: write a number with an \
         optional suffix, such as 512Mi, 2G, 500m or 1.5",
        "task `step-2` (set_gpu_limit): \"two\" (nvidia.com/gpu) is not a Kubernetes quantity",
        "task `step-3` (add_resource_request): \"1 G\" (example.com/foo) is not a Kubernetes quantity",
    ] {
        assert!(text.contains(expected), "expected `{expected}` in {text}");
    }
    assert_eq!(problems.len(), 3, "a cpu request of 500m is a quantity: {text}");
}

#[component]
pub fn show(text: String) -> String {
    text
}

#[pipeline(name = "missing field")]
pub fn missing_field() {
    let items = vec![serde_json::json!({"a": 1}), serde_json::json!({"b": 2}), serde_json::json!(3)];
    kfp::dsl::parallel_for(items, |item| {
        show_op(item);
        show_op(item.field::<String>("a"));
    });
}

#[test]
fn a_loop_reading_a_field_some_item_lacks_is_an_error_naming_the_item() {
    // Argo would fail the iterations over `{"b": 2}` and `3` at run time.
    let text = problems(kfp::Compiler::new().compile_to_string(missing_field)).join("\n");
    assert!(text.contains("loop `for-loop-2` reads the field `a`") && text.contains(r#"item 1 ({"b": 2})"#), "{text}");
}

#[pipeline(name = "whole items holding values")]
pub fn whole_items_holding_values(who: String) {
    let items = vec![serde_json::json!({"who": who.to_string()}), serde_json::json!({"who": "me"})];
    kfp::dsl::parallel_for(items, |item| {
        show_op(item);
    });
}

#[test]
fn whole_object_items_holding_pipeline_values_are_an_error_naming_the_fix() {
    // Argo pastes `who` into the items' JSON text as is: `"` in it breaks the list.
    let text = problems(kfp::Compiler::new().compile_to_string(whole_items_holding_values)).join("\n");
    assert!(text.contains("loop `for-loop-2` passes whole object items"), "{text}");
    assert!(text.contains("pass those values to the loop body directly"), "{text}");
}
