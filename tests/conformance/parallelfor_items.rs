//! `parallelfor_pipeline_param_in_items_resolving.yaml`: static loop items that
//! embed pipeline parameters and task outputs.

use kfp::dsl::parallel_for;
use kfp::prelude::*;
use kfp::types::Untyped;
use serde_json::json;

#[component]
fn produce_message(fname1: String) -> String {
    format!("My name is {fname1}")
}

#[component]
fn consume(param1: Untyped) {
    println!("{}", param1.0);
}

#[pipeline(name = "Parallelfor pipeline param in items resolving")]
fn param_in_items(fname1: String, fname2: String) {
    parallel_for(vec![format!("My name is {fname1}"), format!("My name is {fname2}")], |item| {
        consume_op(item);
    });
    let items = vec![
        json!({"first_name": fname1.to_string(), "message": format!("My name is {fname1}")}),
        json!({"first_name": fname2.to_string(), "message": format!("My name is {fname2}")}),
    ];
    parallel_for(items, |item| {
        consume_op(item.field::<Untyped>("first_name"));
        consume_op(item.field::<Untyped>("message"));
    });
    let items = vec![
        json!({"first_name": fname1.to_string(), "message": produce_message_op(fname1).output().to_string()}),
        json!({"first_name": fname2.to_string(), "message": produce_message_op(fname2).output().to_string()}),
    ];
    parallel_for(items, |item| {
        consume_op(item.field::<Untyped>("first_name"));
        consume_op(item.field::<Untyped>("message"));
    });
}

#[test]
fn parallelfor_pipeline_param_in_items_resolving() {
    super::check("parallelfor_pipeline_param_in_items_resolving", param_in_items);
}
