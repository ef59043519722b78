//! `pipeline_with_importer.yaml` and `pipeline_with_dynamic_importer_metadata.yaml`:
//! importers of a constant URI and of a pipeline parameter, one inside a condition,
//! with metadata holding constants and pipeline values.

use kfp::artifacts::Artifact;
use kfp::dsl::{condition, importer, Compare};
use kfp::prelude::*;
use serde_json::json;

/// The outputs of `train`.
#[derive(ComponentOutputs)]
pub struct Trained {
    scalar: String,
}

/// Dummy Training step.
#[component]
pub fn train(dataset: InputPath<Dataset>, model: OutputPath<Model>) -> Result<Trained, String> {
    let data = std::fs::read_to_string(&dataset).map_err(|e| format!("cannot read the dataset: {e}"))?;
    println!("Dataset: {data}");
    std::fs::write(&model, format!("My model trained using data: {data}")).map_err(|e| e.to_string())?;
    Ok(Trained { scalar: "123".to_owned() })
}

#[pipeline(name = "pipeline-with-importer")]
fn my_pipeline(#[default("gs://ml-pipeline-playground/shakespeare2.txt")] dataset2: String
) {
    let importer1 = importer::<Dataset>("gs://ml-pipeline-playground/shakespeare1.txt")
        .reimport(false)
        .metadata([("key", json!("value"))])
        .call();
    let train1 = train_op(importer1.output());
    condition(train1.outputs().output.scalar.eq("123"), || {
        let importer2 = importer::<Dataset>(dataset2).reimport(true).call();
        train_op(importer2.output());
    });
}

#[test]
fn pipeline_with_importer() {
    super::check("pipeline_with_importer", my_pipeline);
}

const DEFAULT_ARTIFACT_URI: &str = "gs://ml-pipeline-playground/shakespeare1.txt";
const DEFAULT_IMAGE_URI: &str = "us-docker.pkg.dev/vertex-ai/prediction/tf2-gpu.2-5:latest";

/// Gives its name back.
#[component]
pub fn make_name(name: String) -> String {
    name
}

#[pipeline(name = "pipeline-with-importer")]
fn dynamic_metadata(
    #[default("default-name")] name: String,
    #[default(1)] int_input: i64,
    #[default("gs://ml-pipeline-playground/shakespeare1.txt")] pipeline_input_artifact_uri: String,
    #[default("us-docker.pkg.dev/vertex-ai/prediction/tf2-gpu.2-5:latest")] pipeline_input_image_uri: String,
) {
    importer::<Dataset>(pipeline_input_artifact_uri)
        .metadata([
            ("name", json!([name.to_string(), "alias-name"])),
            ("containerSpec", json!({"imageUri": pipeline_input_image_uri.to_string()})),
        ])
        .call();
    let make_name_task = make_name_op("a-different-name");
    let made = make_name_task.output().to_string();
    let name = name.to_string();
    importer::<Dataset>(DEFAULT_ARTIFACT_URI)
        .metadata([
            ("name", json!(format!("prefix-{made}"))),
            ("list-of-data", json!([made, name, int_input.to_string()])),
            (made.as_str(), json!(made)),
            (name.as_str(), json!(DEFAULT_IMAGE_URI)),
            ("containerSpec", json!({"imageUri": DEFAULT_IMAGE_URI})),
        ])
        .call();
}

#[test]
fn pipeline_with_dynamic_importer_metadata() {
    super::check("pipeline_with_dynamic_importer_metadata", dynamic_metadata);
}

/// KFP v1 has no importer: a v1 compile names the task and the v1 way.
#[test]
fn importer_is_refused_for_kfp_v1() {
    let error = kfp::Compiler::new().target(kfp::Target::V1).compile_to_string(my_pipeline).unwrap_err().to_string();
    assert!(
        error.contains(
            "task `importer` is an importer (`dsl.importer`), which KFP v1 has not: compile for KFP v2 (`Target::V2`), \
             or for KFP v1 pass the artifact's URI as a String parameter and download it in the component"
        ),
        "{error}"
    );
}

/// Simulates pushing a Modelcar to an OCI registry.
#[component]
pub fn build_model_car(model: OutputPath<Model>) -> Result<(), String> {
    std::fs::write(&model, "oci://registry.domain.local/org/repo:v1.0").map_err(|e| e.to_string())
}

/// The files of the model, sorted and joined with `, `.
#[component]
pub fn get_model_files_list(input_model: InputPath<Model>) -> Result<String, String> {
    let files = std::fs::read_dir(&input_model)
        .map_err(|e| format!("The model does not exist at {}: {e}", input_model.display()))?;
    let mut names: Vec<String> =
        files.filter_map(|file| Some(file.ok()?.file_name().to_string_lossy().into_owned())).collect();
    names.sort();
    Ok(names.join(", "))
}

#[pipeline(name = "pipeline-with-modelcar-model")]
fn modelcar(#[default("oci://registry.domain.local/modelcar:test")] model_uri: String
) {
    let model_source_oci_task = importer::<Model>(model_uri).call();
    get_model_files_list_op(model_source_oci_task.output()).set_caching_options(false);
    build_model_car_op().set_caching_options(false);
}

#[test]
fn modelcar_importer() {
    super::check("critical__modelcar__modelcar", modelcar);
}

const CONSUMER_OP: &str = r#"
name: consumer_op
inputs:
  - {name: dataset, type: google.VertexDataset}
implementation:
  container:
    image: dummy
    command:
    - cmd
    args:
    - {inputPath: dataset}
"#;

#[pipeline(name = "pipeline-with-importer-and-gcpc-type")]
fn gcpc_types() {
    let importer1 = importer::<Artifact>("gs://ml-pipeline-playground/shakespeare1.txt")
        .schema_title("google.VertexDataset")
        .reimport(false)
        .metadata([("key", json!("value"))])
        .call();
    let consumer_op = kfp::components::load_component_from_text(CONSUMER_OP).expect("the consumer loads");
    consumer_op.call([("dataset", importer1.output())]);
}

#[test]
fn pipeline_with_importer_and_gcpc_types() {
    super::check("pipeline_with_importer_and_gcpc_types", gcpc_types);
}

/// A schema title kfp 2 does not read is refused, naming the importer.
#[test]
fn an_unknown_schema_title_is_refused() {
    #[pipeline(name = "unknown-title")]
    fn unknown() {
        importer::<Artifact>("gs://bucket/x").schema_title("acme.Thing").call();
    }
    let error = kfp::Compiler::new().target(kfp::Target::V2).compile_to_string(unknown).unwrap_err().to_string();
    assert!(error.contains("importer `importer`: schema title `acme.Thing` is not one kfp 2 reads"), "{error}");
}
