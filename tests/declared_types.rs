//! kfp types declared with `#[kfp(type = "...")]` on pipeline parameters,
//! component parameters, a component's return value and named-output fields,
//! against kfp 1.8.22's compile of the same pipeline, whose Python annotations
//! declare them (tests/fixtures/declared_types.py).

mod common;

use kfp::components::{load_component_from_text, LoadedComponent};
use kfp::prelude::*;

#[component(output_component_file = "declared_types.train.component.yaml")]
#[kfp(type = "MyModelUri")]
pub fn train(
    #[kfp(type = "GCSPath")] data: String,
    #[kfp(type = "typing.List[dict]")] rows: Vec<serde_json::Value>,
    #[kfp(type = "MyType")] note: String,
    #[kfp(type = "MyData")] out_path: OutputPath,
    #[default(3)] steps: i64,
) -> String {
    let _ = (data, rows, note, out_path, steps);
    String::new()
}

#[derive(ComponentOutputs)]
pub struct Scores {
    #[kfp(type = "Score")]
    best: i64,
    count: i64,
}

#[component]
pub fn stats(#[kfp(type = "MyModelUri")] model: String, #[kfp(type = "MyData")] data_path: InputPath) -> Scores {
    let _ = (model, data_path);
    Scores { best: 1, count: 2 }
}

const UPLOAD: &str = "name: Upload
inputs:
- {name: uri, type: GCSPath}
- {name: model, type: MyModelUri}
implementation:
  container:
    image: alpine
    command: [echo, {inputValue: uri}, {inputValue: model}]
";

fn upload() -> LoadedComponent {
    load_component_from_text(UPLOAD).unwrap()
}

#[pipeline(name = "declared types")]
pub fn declared_types(
    #[kfp(type = "GCSPath")]
    #[default("gs://b")]
    bucket: String,
    #[kfp(type = "typing.List[dict]")]
    #[default(vec![serde_json::json!({"a": 1})])]
    rows: Vec<serde_json::Value>,
    #[default(2)] n: i64,
    #[kfp(type = "MyType")]
    #[default("x")]
    tag: String,
) {
    let trained = train_op(bucket, rows, tag, n);
    stats_op(trained.outputs().output, trained.outputs().out);
    // kfp's type check compares the declared names: `GCSPath` and `MyModelUri` match.
    upload().call([("uri", kfp::components::arg(bucket)), ("model", kfp::components::arg(trained.outputs().output))]);
}

#[test]
fn equivalent_to_kfp() {
    let golden = common::read_fixture(&common::fixtures_dir().join("declared_types.kfp.yaml"));
    let ours = kfp::Compiler::new().compile_to_string(declared_types).unwrap();
    common::assert_equivalent(&ours, &golden, "declared_types");
    common::assert_schema_valid(&ours, "declared_types");
}

/// The `component.yaml` `output_component_file` writes is kfp's, less the
/// program (ours runs a Rust one): the declared types included.
#[test]
fn component_file_matches_kfp() {
    common::assert_component_file_matches_kfp(declared_types, "declared_types", "train");
}

/// The declared name, not the Rust type's, is what kfp's type check compares
/// against a loaded component's input.
#[pipeline(name = "declared mismatch")]
pub fn declared_mismatch(#[kfp(type = "GCSPath")] bucket: String, #[default("gs://b")] plain: String
) {
    let trained = train_op(plain, Vec::<serde_json::Value>::new(), "note", 1);
    upload().call([("uri", kfp::components::arg(plain)), ("model", kfp::components::arg(trained.outputs().output))]);
    upload().call([("uri", kfp::components::arg(bucket)), ("model", kfp::components::arg(bucket))]);
}

#[test]
fn kfps_type_check_compares_declared_names() {
    let error = kfp::Compiler::new().compile_to_string(declared_mismatch).unwrap_err().to_string();
    assert!(error.contains("input `uri` of `Upload`"), "{error}");
    assert!(error.contains("String") && error.contains("GCSPath"), "{error}");
    assert!(error.contains("input `model` of `Upload`"), "{error}");
    assert_eq!(
        error.matches("input `").count(),
        2,
        "only the plain parameter and the GCSPath one into `model`: {error}"
    );
}
