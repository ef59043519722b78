//! `parallelfor_item_argument_resolving.yaml`: loops over task outputs (strings,
//! numbers, objects) and a static list, passing the list, the item or a field.

use kfp::dsl::parallel_for;
use kfp::prelude::*;
use kfp::types::Untyped;
use serde_json::json;

#[component]
fn produce_str() -> String {
    "Hello".to_owned()
}

#[component]
fn produce_list_of_strings() -> Vec<String> {
    vec!["a".to_owned(), "z".to_owned()]
}

#[component]
fn produce_list_of_ints() -> Vec<i64> {
    vec![1234567890, 987654321]
}

#[component]
fn produce_list_of_dicts() -> Vec<serde_json::Value> {
    vec![serde_json::json!({"aaa": "aaa", "bbb": "bbb"})]
}

#[component]
fn consume(param1: Untyped) {
    println!("{}", param1.0);
}

#[pipeline(name = "Parallelfor item argument resolving")]
fn item_arguments() {
    let produced_str = produce_str_op().output();
    let strings = produce_list_of_strings_op().output();
    let ints = produce_list_of_ints_op().output();
    let dicts = produce_list_of_dicts_op().output();

    parallel_for(strings, |item| {
        consume_op(strings);
        consume_op(item);
        consume_op(produced_str);
    });
    parallel_for(ints, |item| {
        consume_op(ints);
        consume_op(item);
    });
    parallel_for(dicts, |item| {
        consume_op(dicts);
        consume_op(item.field::<String>("aaa"));
    });
    let loop_args = vec![json!({"a": 1, "b": 2}), json!({"a": 10, "b": 20})];
    parallel_for(loop_args, |item| {
        consume_op(r#"[{"a": 1, "b": 2}, {"a": 10, "b": 20}]"#);
        consume_op(item);
    });
}

#[test]
fn parallelfor_item_argument_resolving() {
    // kfp passes whole object items of `withItems` as `{{item}}`, which Argo
    // resolves only over `withParam`.
    const LOOP: &str = "spec.templates[name=parallelfor-item-argument-resolving].dag.tasks[name=for-loop-5]";
    super::check_deviating(
        "parallelfor_item_argument_resolving",
        item_arguments,
        &[
            &format!(r#"{LOOP}: missing in ours: withItems = [{{"a":1,"b":2}},{{"a":10,"b":20}}]"#),
            &format!(r#"{LOOP}: extra in ours: withParam = "[{{\"a\":1,\"b\":2}},{{\"a\":10,\"b\":20}}]""#),
        ],
    );
}
