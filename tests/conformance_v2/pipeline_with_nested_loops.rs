//! `pipeline_with_nested_loops.yaml`: a loop over a field of an outer loop's item
//! (kfp 2's subvar), a field of the inner item as an argument, and static loops
//! nested, the inner item passed to an optional input.

use kfp::dsl::parallel_for;
use kfp::prelude::*;
use serde::{Deserialize, Serialize};

#[component(name = "print_op")]
pub fn print(msg: String, msg2: Option<String>) {
    println!("msg: {msg}, msg2: {msg2:?}");
}

#[derive(Serialize, Deserialize)]
pub struct Inner {
    q_a: String,
}

#[derive(Serialize, Deserialize)]
pub struct Outer {
    p_a: Vec<Inner>,
    p_b: String,
}

fn outer(q_a: [&str; 2], p_b: &str) -> Outer {
    Outer { p_a: q_a.map(|q_a| Inner { q_a: q_a.to_owned() }).into(), p_b: p_b.to_owned() }
}

#[pipeline(name = "pipeline-with-nested-loops")]
fn my_pipeline(#[default(vec![outer(["1", "2"], "hello"), outer(["11", "22"], "halo")])] loop_parameter: Vec<Outer>) {
    parallel_for(loop_parameter, |item| {
        parallel_for(kfp::field!(item.p_a), |item_p_a| {
            print_op(kfp::field!(item_p_a.q_a), None::<String>);
        });
    });
    parallel_for(vec!["1", "2"], |outter_item| {
        print_op(outter_item, None::<String>);
        parallel_for(vec!["100", "200", "300"], |inner_item| {
            print_op(outter_item, inner_item);
        });
    });
}

#[test]
fn pipeline_with_nested_loops() {
    super::check("pipeline_with_nested_loops", my_pipeline);
}

/// kfp 1.8 writes a loop over a field of an item as a `withParam` naming a workflow
/// parameter that does not exist; kfp-rs refuses it, naming the loop and the way out.
#[test]
fn v1_refuses_a_loop_over_a_field_of_an_item() {
    let error = kfp::Compiler::new().compile_to_string(my_pipeline).expect_err("KFP v1 cannot loop over it");
    let error = error.to_string();
    assert!(
        error.contains("loop `for-loop-2` loops over field `p_a` of an outer loop's item, which KFP v1 cannot")
            && error.contains("compile for KFP v2 (`--target v2`)"),
        "{error}"
    );
}
