//! Typed files (`OutputPath<Dataset>`, `InputPath<Model>`, `OutputPath<i64>`) and
//! component inputs with defaults, wired by kfp's type rule: a typed file feeds its
//! own type or an untyped input; an untyped file feeds any file input.

#![deny(warnings)]

use kfp::prelude::*;
use kfp::Untyped;

/// Splits the data.
#[component]
fn split(
    uri: &str,
    #[default(0.25)] ratio: f64,
    train_path: OutputPath<Dataset>,
    rows_path: OutputPath<u32>,
    notes_path: OutputPath,
) {
    std::fs::write(&train_path, format!("{uri} {ratio}")).unwrap();
    std::fs::write(&rows_path, "10").unwrap();
    std::fs::write(&notes_path, "notes").unwrap();
}

#[component]
fn train(
    data: InputPath<Dataset>,
    model: OutputPath<Model>,
    metrics: OutputPath<Metrics>,
    #[default(100)] steps: i64,
    #[default("adam")] optimizer: String,
    #[default(vec![1, 2])] layers: Vec<i64>,
    #[default(true)] shuffle: bool,
    #[default("any")] note: Untyped,
) -> f64 {
    let text = std::fs::read_to_string(&data).unwrap();
    std::fs::write(&model, format!("{text} {steps} {optimizer} {layers:?} {shuffle} {note}")).unwrap();
    std::fs::write(&metrics, "{}").unwrap();
    0.5
}

#[component]
fn show(any_file: InputPath, model: InputPath<Model>, html: OutputPath<Html>, markdown: OutputPath<Markdown>) {
    let _ = (any_file, model);
    std::fs::write(&html, "<p>").unwrap();
    std::fs::write(&markdown, "#").unwrap();
}

#[component]
fn note(text: Untyped) -> Untyped {
    text
}

#[pipeline(name = "typed paths")]
fn typed_paths(#[default(7)] steps: i64) {
    let split = split_op("gs://data", None).outputs();
    let default_train = train_op(split.train, None, None, None, None, None).outputs();
    let _: Output<Model> = default_train.model;
    let _: Output<Metrics> = default_train.metrics;
    let _: Output<f64> = default_train.output;
    // An untyped file feeds a typed file input; an `OutputPath<u32>` is an Integer value.
    let tuned = train_op(split.notes, split.rows, "sgd", vec![3], false, "tuned").outputs();
    train_op(split.train, steps, None, None, None, None);
    // A typed file feeds an untyped file input, and an untyped value input.
    show_op(default_train.metrics, tuned.model);
    note_op(split.train);
}

fn main() {
    let workflow = kfp::Compiler::new().compile_to_workflow(typed_paths).unwrap();
    // The component specs, as JSON texts in the templates' annotations.
    let specs: String = workflow
        .spec
        .templates
        .iter()
        .filter_map(|template| template.metadata.annotations.get("pipelines.kubeflow.org/component_spec"))
        .map(|spec| spec.as_str())
        .collect();
    for expected in [
        r#"{"name": "train", "type": "Dataset"}"#,
        r#"{"name": "rows", "type": "Integer"}"#,
        r#"{"name": "model", "type": "Model"}"#,
        r#"{"name": "html", "type": "HTML"}"#,
        r#"{"default": "100", "name": "steps", "optional": true, "type": "Integer"}"#,
        r#"{"default": "[1, 2]", "name": "layers", "optional": true, "type": "JsonArray"}"#,
        r#"{"default": "True", "name": "shuffle", "optional": true, "type": "Boolean"}"#,
        r#"{"default": "any", "name": "note", "optional": true}"#,
        r#"{"name": "notes"}"#,
    ] {
        assert!(specs.contains(expected), "{expected} missing:\n{specs}");
    }
}
