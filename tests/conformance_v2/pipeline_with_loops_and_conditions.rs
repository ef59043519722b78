//! `pipeline_with_loops_and_conditions.yaml`: conditions on a field of a loop's
//! item and loops over one (kfp 2's subvars), at several depths of loops and
//! conditions, with loops over parameters, task outputs and static lists.

use kfp::components::load_component_from_text;
use kfp::dsl::{condition, parallel_for, Compare};
use kfp::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[allow(non_snake_case)] // the JSON keys of kfp's pipeline
#[derive(Serialize, Deserialize, JsonObject)]
pub struct Args {
    A_a: String,
    B_b: Vec<String>,
}

fn args(a: &str, b: &[&str]) -> Args {
    Args { A_a: a.to_owned(), B_b: b.iter().map(|b| (*b).to_owned()).collect() }
}

#[component(name = "args_generator_op", packages_to_install = ["serde"])]
pub fn args_generator() -> Vec<Args> {
    let args = |a: &str, b: [&str; 2]| Args { A_a: a.to_owned(), B_b: b.map(str::to_owned).into() };
    vec![args("1", ["2", "20"]), args("10", ["22", "222"])]
}

#[component]
pub fn print_text(msg: String, msg2: Option<String>) {
    println!("msg: {msg}, msg2: {msg2:?}");
}

/// Flip a coin and output heads or tails randomly.
#[component(name = "flip_coin_op")]
pub fn flip_coin() -> String {
    if std::process::id() % 2 == 0 { "heads" } else { "tails" }.to_owned()
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

#[pipeline(name = "pipeline-with-loops-and-conditions-multi-layers")]
fn my_pipeline(
    #[default("hello")] msg: String,
    #[default(vec![args("heads", &["A", "B"]), args("tails", &["X", "Y", "Z"])])] loop_parameter: Vec<Args>,
) {
    let print_struct = load_component_from_text(PRINT_STRUCT).expect("the component loads");
    let flip = flip_coin_op();
    let outter_args_generator = args_generator_op();
    condition(flip.output().ne("no-such-result"), || {
        let inner_arg_generator = args_generator_op();
        parallel_for(outter_args_generator.output(), |item| {
            print_text_op(msg, None::<String>);
            condition(kfp::field!(item.A_a).eq("heads"), || {
                print_text_op(kfp::field!(item.B_b), None::<String>);
            });
            condition(flip.output().eq("heads"), || {
                print_text_op(kfp::field!(item.B_b), None::<String>);
            });
            condition(kfp::field!(item.A_a).eq("tails"), || {
                parallel_for(vec![json!({"a": "-1"}), json!({"a": "-2"})], |inner_item| {
                    print_struct.call([("struct", inner_item)]);
                });
            });
            parallel_for(kfp::field!(item.B_b), |item_b| {
                print_text_op(item_b, None::<String>);
            });
            parallel_for(loop_parameter, |pipeline_item| {
                print_text_op(pipeline_item, None::<String>);
                parallel_for(inner_arg_generator.output(), |inner_item| {
                    print_text_op(pipeline_item, kfp::field!(inner_item.A_a));
                });
            });
            parallel_for(vec!["1", "2"], |static_item| {
                print_text_op(static_item, None::<String>);
                condition(static_item.eq("1"), || {
                    print_text_op("1", None::<String>);
                });
            });
        });
    });
    // A loop item's field compared in the grandchild of its loop.
    parallel_for(loop_parameter, |item| {
        condition(kfp::field!(item.A_a).eq("heads"), || {
            parallel_for(kfp::field!(item.B_b), |item_b| {
                print_text_op(item_b, None::<String>);
            });
        });
    });
}

#[test]
fn pipeline_with_loops_and_conditions() {
    super::check("pipeline_with_loops_and_conditions", my_pipeline);
}
