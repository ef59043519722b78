//! Every supported parameter and return type, each output wired into an input.

#![deny(warnings)]

use kfp::prelude::*;

#[derive(ComponentOutputs)]
pub struct Stats {
    pub sum: f64,
    pub count: u32,
    pub label: String,
}

#[component]
#[allow(clippy::too_many_arguments)]
fn everything(
    a: i8,
    b: i16,
    c: i32,
    d: i64,
    e: u8,
    f: u16,
    g: u32,
    h: u64,
    x: f32,
    y: f64,
    flag: bool,
    owned: String,
    borrowed: &str,
    list: Vec<i64>,
    nested: Vec<Vec<String>>,
    slice: &[f64],
    tree: std::collections::BTreeMap<String, i64>,
    hash: std::collections::HashMap<String, f64>,
    json: serde_json::Value,
    maybe: Option<i64>,
    maybe_text: Option<String>,
    maybe_list: Option<Vec<bool>>,
) -> Result<String, String> {
    if flag {
        return Err(format!("{owned} {borrowed}"));
    }
    let total = a as f64 + b as f64 + c as f64 + d as f64 + e as f64 + f as f64 + g as f64 + h as f64;
    let extra = x as f64 + y + slice.iter().sum::<f64>() + hash.values().sum::<f64>();
    Ok(format!(
        "{total} {extra} {list:?} {nested:?} {tree:?} {} {maybe:?} {maybe_text:?} {maybe_list:?}",
        serde_json::to_string(&json).map_err(|error| error.to_string())?
    ))
}

#[component]
fn make_i8() -> i8 {
    1
}
#[component]
fn make_i16() -> i16 {
    1
}
#[component]
fn make_i32() -> i32 {
    1
}
#[component]
fn make_i64() -> i64 {
    1
}
#[component]
fn make_u8() -> u8 {
    1
}
#[component]
fn make_u16() -> u16 {
    1
}
#[component]
fn make_u32() -> u32 {
    1
}
#[component]
fn make_u64() -> u64 {
    1
}
#[component]
fn make_f32() -> f32 {
    1.5
}
#[component]
fn make_f64() -> f64 {
    1.5
}
#[component]
fn make_bool() -> bool {
    false
}
#[component]
fn make_string() -> String {
    "text".to_owned()
}
#[component]
fn make_list() -> Vec<i64> {
    vec![1, 2]
}
#[component]
fn make_nested() -> Vec<Vec<String>> {
    vec![vec!["a".to_owned()]]
}
#[component]
fn make_floats() -> Vec<f64> {
    vec![0.5]
}
#[component]
fn make_tree() -> std::collections::BTreeMap<String, i64> {
    std::collections::BTreeMap::from([("a".to_owned(), 1)])
}
#[component]
fn make_hash() -> std::collections::HashMap<String, f64> {
    std::collections::HashMap::from([("a".to_owned(), 1.0)])
}
#[component]
fn make_json() -> serde_json::Value {
    serde_json::json!({"a": [1, 2]})
}
#[component]
fn make_stats() -> Stats {
    Stats { sum: 1.0, count: 2, label: "two".to_owned() }
}
#[component]
fn make_checked() -> Result<i64, String> {
    "7".parse::<i64>().map_err(|error| error.to_string())
}
#[component]
fn make_nothing() {}
#[component]
fn make_unit() -> () {}
#[component]
fn check_only() -> Result<(), String> {
    Ok(())
}

#[pipeline]
fn all_types(flag: bool, text: String, json: serde_json::Value) {
    let stats = make_stats_op().outputs();
    let result = everything_op(
        make_i8_op().output(),
        make_i16_op().output(),
        make_i32_op().output(),
        make_i64_op().output(),
        make_u8_op().output(),
        make_u16_op().output(),
        make_u32_op().output(),
        make_u64_op().output(),
        make_f32_op().output(),
        stats.sum,
        flag,
        stats.label,
        make_string_op().output(),
        make_list_op().output(),
        make_nested_op().output(),
        make_floats_op().output(),
        make_tree_op().output(),
        make_hash_op().output(),
        make_json_op().output(),
        make_checked_op().output(),
        text,
        None,
    );
    let constants = everything_op(
        1,
        2,
        3,
        4,
        5,
        6,
        stats.count,
        8,
        1.5,
        2.5,
        false,
        "owned",
        "borrowed",
        vec![1, 2],
        vec![vec!["a".to_owned()]],
        vec![0.5],
        std::collections::BTreeMap::from([("a".to_owned(), 1)]),
        std::collections::HashMap::from([("a".to_owned(), 1.0)]),
        json,
        Some(3),
        "text",
        Some(vec![true]),
    );
    let nothing = make_nothing_op();
    let _: () = nothing.outputs();
    make_unit_op().after(&nothing);
    check_only_op().after(&result).after(&constants);
}

fn main() {
    let workflow = kfp::Compiler::new().compile_to_workflow(all_types).unwrap();
    // The component specs, as JSON texts in the templates' annotations.
    let specs: String = workflow
        .spec
        .templates
        .iter()
        .filter_map(|template| template.metadata.annotations.get("pipelines.kubeflow.org/component_spec"))
        .map(|spec| spec.as_str())
        .collect();
    for type_name in ["Integer", "Float", "Boolean", "String", "JsonArray", "JsonObject"] {
        assert!(specs.contains(&format!("\"type\": \"{type_name}\"")), "{type_name} missing:\n{specs}");
    }
}
