//! `pipeline_with_google_artifact_type.yaml`: Google artifact types with their own schema
//! version (kfp's classes with `schema_title = 'google.VertexModel'`, `schema_version =
//! '0.0.0'`), declared here as kfp 2's bundled type `google.VertexModel@0.0.0`, on a
//! component's files and on an importer.

use kfp::artifacts::Artifact;
use kfp::dsl::importer;
use kfp::prelude::*;

/// Writes the model.
#[component]
pub fn model_producer(#[kfp(type = "google.VertexModel@0.0.0")] model: OutputPath) -> Result<(), String> {
    std::fs::write(&model, "my model").map_err(|e| e.to_string())
}

/// Shows where the model and the dataset are.
#[component]
pub fn model_consumer(
    #[kfp(type = "google.VertexModel@0.0.0")] model: InputPath,
    #[kfp(type = "google.VertexDataset@0.0.0")] dataset: InputPath,
) {
    println!("Model: {}", model.display());
    println!("Dataset: {}", dataset.display());
}

#[pipeline(name = "pipeline-with-google-types")]
fn my_pipeline() {
    let producer_task = model_producer_op();
    let importer = importer::<Artifact>("gs://ml-pipeline-playground/shakespeare1.txt")
        .schema_title("google.VertexDataset@0.0.0")
        .reimport(false)
        .metadata([("key", serde_json::json!("value"))])
        .call();
    model_consumer_op(producer_task.outputs().model, importer.output());
}

#[test]
fn pipeline_with_google_artifact_type() {
    super::check("pipeline_with_google_artifact_type", my_pipeline);
}
