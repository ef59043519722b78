//! `parallel_and_nested__pipeline_with_loops.yaml`: loops over a pipeline
//! parameter, a task output and a static list, reading the items' fields.

use kfp::components::load_component_from_text;
use kfp::dsl::parallel_for;
use kfp::prelude::*;
use serde_json::json;

#[component(name = "args_generator_op", packages_to_install = ["serde_json"])]
pub fn args_generator() -> Vec<serde_json::Value> {
    vec![serde_json::json!({"A_a": "1", "B_b": "2"}), serde_json::json!({"A_a": "10", "B_b": "20"})]
}

#[component]
pub fn print_text(msg: String) {
    println!("{msg}");
}

// Loaded: its input is named `struct`, which a Rust parameter cannot be.
const PRINT_STRUCT: &str = r#"
name: print_struct
inputs:
- {name: struct, type: JsonObject}
implementation:
  container:
    image: alpine
    command: [echo, {inputValue: struct}]
"#;

#[pipeline(name = "pipeline-with-loops")]
fn my_pipeline(#[default(vec!["a".to_owned(), "b".to_owned()])] loop_parameter: Vec<String>) {
    let print_struct = load_component_from_text(PRINT_STRUCT).expect("the component loads");
    parallel_for(loop_parameter, |item| {
        print_text_op(item);
    });
    let args_generator = args_generator_op();
    parallel_for(args_generator.output(), |item| {
        print_struct.call([("struct", item)]);
        print_text_op(item.field::<String>("A_a"));
        print_text_op(item.field::<String>("B_b"));
    });
    let loop_args = vec![json!({"A_a": "1", "B_b": "2"}), json!({"A_a": "10", "B_b": "20"})];
    parallel_for(loop_args, |item| {
        print_struct.call([("struct", item)]);
        print_text_op(item.field::<String>("A_a"));
        print_text_op(item.field::<String>("B_b"));
    });
}

#[test]
fn pipeline_with_loops() {
    super::check("parallel_and_nested__pipeline_with_loops", my_pipeline);
}
