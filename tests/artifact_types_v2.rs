//! Artifact types under KFP v2: a `#[kfp(type = "...")]` that kfp 2 reads as an
//! artifact class of its own (`google.VertexModel`, its `_GOOGLE_TYPES_PATTERN`) is the
//! artifact's schema title, for a Rust component as for a loaded one; other unknown
//! types are `system.Artifact`, as kfp 2 reads them.

use kfp::components::load_component_from_text;
use kfp::prelude::*;
use kfp::{Compiler, Target};
use serde_json::json;

#[component]
pub fn train(#[kfp(type = "google.VertexModel")] model: OutputPath, #[kfp(type = "MyModel")] other: OutputPath) {
    std::fs::write(&model, "weights").expect("the model file is writable");
    std::fs::write(&other, "weights").expect("the other file is writable");
}

const DEPLOY: &str = r#"
name: deploy
inputs:
- {name: model, type: google.VertexModel}
implementation:
  container:
    image: alpine
    command: [echo, {inputUri: model}]
"#;

#[pipeline(name = "google types")]
fn pipeline() {
    let trained = train_op();
    let deploy = load_component_from_text(DEPLOY).expect("the component loads");
    deploy.call([("model", trained.outputs().model)]);
}

#[test]
fn a_google_type_is_its_own_schema_title() {
    let yaml = Compiler::new().target(Target::V2).compile_to_string(pipeline).expect("it compiles to v2");
    let spec: serde_json::Value = serde_yaml::from_str(&yaml).expect("the IR is YAML");
    let artifact = |version: &str| json!({"artifactType": {"schemaTitle": version, "schemaVersion": "0.0.1"}});
    let outputs = &spec["components"]["comp-train"]["outputDefinitions"]["artifacts"];
    assert_eq!(outputs["model"], artifact("google.VertexModel"), "{yaml}");
    assert_eq!(outputs["other"], artifact("system.Artifact"), "{yaml}");
    let inputs = &spec["components"]["comp-deploy"]["inputDefinitions"]["artifacts"];
    assert_eq!(inputs["model"], artifact("google.VertexModel"), "{yaml}");
}
