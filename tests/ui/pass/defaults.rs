//! Pipeline parameters with `#[default(...)]`.

#![deny(warnings)]

use kfp::prelude::*;

#[component]
fn report(count: i64, scale: f64, name: &str, verbose: bool, tags: Vec<String>) -> String {
    format!("{count} {scale} {name} {verbose} {tags:?}")
}

/// A pipeline with defaults.
#[pipeline(name = "defaults")]
fn my_pipeline(
    #[default(4)] count: i64,
    #[default(0.5)] scale: f64,
    #[default("world")] name: String,
    #[default(true)] verbose: bool,
    #[default(vec!["a".to_owned()])] tags: Vec<String>,
    #[default(7)] small: u8,
    #[default(0.25)] ratio: f32,
    #[default(-3)] offset: i8,
    required: i64,
) {
    report_op(count, scale, name, verbose, tags);
    report_op(required, 1.0, "x", false, vec![]);
}

fn main() {
    let workflow = kfp::Compiler::new().compile_to_workflow(my_pipeline).unwrap();
    let defaults: Vec<&str> =
        workflow.spec.arguments.parameters.iter().filter_map(|param| param.value.as_deref()).collect();
    for expected in ["4", "world", "True", "0.25", "-3"] {
        assert!(defaults.contains(&expected), "{expected} missing: {defaults:?}");
    }
}
