//! `pipeline_with_parallelfor_list_artifacts.yaml`: loops over lists of artifacts (kfp 2's
//! `dsl.ParallelFor(items=<list of artifacts>)`, `artifactIterator`): the `Artifact`s and the
//! `Dataset`s two pipelines called as tasks return collected (`-> Collected<_>`, kfp's
//! `-> List[Dataset]`), each item fed to a component taking one artifact.

use kfp::artifacts::Artifact;
use kfp::dsl::{collected, parallel_for, Collected};
use kfp::prelude::*;

/// kfp's function prints and returns `artifact.name`; here the last part of the artifact's path.
#[component]
fn print_artifact_name(artifact: InputPath<Artifact>) -> String {
    let name = artifact.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    println!("{name}");
    name
}

#[component]
fn make_dataset(data: String) -> std::io::Result<OutputArtifact<Dataset>> {
    let dataset = OutputArtifact::new(get_uri("Output")?);
    dataset.set_metadata("length", data.chars().count());
    std::fs::write(&dataset, data)?;
    Ok(dataset)
}

#[pipeline]
fn make_datasets(
    #[default(vec!["Hello".to_owned(), ",".to_owned(), " ".to_owned(), "world!".to_owned()])] texts: Vec<String>,
) -> Collected<Dataset> {
    let t1 = parallel_for(texts, make_dataset_op);
    collected(t1.output())
}

#[component]
fn make_artifact(data: String) -> std::io::Result<OutputArtifact<Artifact>> {
    let artifact = OutputArtifact::new(get_uri("Output")?);
    artifact.set_metadata("length", data.chars().count());
    std::fs::write(&artifact, data)?;
    Ok(artifact)
}

#[pipeline]
fn make_artifacts(
    #[default(vec!["Hello".to_owned(), ",".to_owned(), " ".to_owned(), "world!".to_owned()])] texts: Vec<String>,
) -> Collected<Artifact> {
    let t1 = parallel_for(texts, make_artifact_op);
    collected(t1.output())
}

#[pipeline(name = "pipeline-parallelfor-artifacts")]
fn my_pipeline() {
    let make_artifacts_task = make_artifacts_op(None);
    parallel_for(make_artifacts_task.output(), print_artifact_name_op);
    let make_datasets_task = make_datasets_op(None);
    parallel_for(make_datasets_task.output(), print_artifact_name_op);
}

#[test]
fn pipeline_with_parallelfor_list_artifacts() {
    super::check("pipeline_with_parallelfor_list_artifacts", my_pipeline);
}

#[test]
fn kfp_v1_refuses_a_loop_over_artifacts_naming_its_way() {
    let error = kfp::Compiler::new().compile_to_string(my_pipeline).expect_err("KFP v1 has no such loop").to_string();
    assert!(
        error.contains(
            "loop `for-loop-1` iterates over a list of artifacts (`List[Artifact]`, kfp 2's `dsl.ParallelFor(items=<list \
             of artifacts>)`), which KFP v1 has not: compile for KFP v2 (`Target::V2`), or for KFP v1 loop over a list \
             parameter"
        ),
        "{error}"
    );
    assert!(error.contains("loop `for-loop-2` iterates over a list of artifacts (`List[Dataset]`"), "{error}");
}

#[component]
fn read(dataset: InputPath<Dataset>) -> std::io::Result<String> {
    std::fs::read_to_string(dataset)
}

#[pipeline(name = "loop-over-datasets")]
fn loop_over_datasets(datasets: kfp::dsl::ArtifactList<Dataset>) {
    parallel_for(datasets, read_op);
}

/// A loop over a pipeline parameter that is a list of artifacts (kfp 2's `dsl.ParallelFor(datasets)`
/// for `datasets: Input[List[Dataset]]`), as kfp 2.17.3 compiles it.
#[test]
fn a_loop_over_a_list_of_artifacts_pipeline_parameter() {
    let ir = kfp::Compiler::new().target(kfp::Target::V2).compile_to_string(loop_over_datasets).unwrap();
    let ir: serde_json::Value = serde_yaml::from_str(&ir).unwrap();
    let task = &ir["root"]["dag"]["tasks"]["for-loop-1"];
    assert_eq!(
        task["artifactIterator"],
        serde_json::json!({"itemInput": "pipelinechannel--datasets-loop-item", "items": {"inputArtifact": "pipelinechannel--datasets"}}),
        "{task}"
    );
    assert_eq!(task["inputs"]["artifacts"]["pipelinechannel--datasets"]["componentInputArtifact"], "datasets");
    let inputs = &ir["components"]["comp-for-loop-1"]["inputDefinitions"]["artifacts"];
    assert_eq!(inputs["pipelinechannel--datasets"]["isArtifactList"], true, "{inputs}");
    assert_eq!(inputs["pipelinechannel--datasets-loop-item"]["artifactType"]["schemaTitle"], "system.Dataset");
    assert!(inputs["pipelinechannel--datasets-loop-item"].get("isArtifactList").is_none(), "{inputs}");
    let read = &ir["components"]["comp-for-loop-1"]["dag"]["tasks"]["read"]["inputs"]["artifacts"]["dataset"];
    assert_eq!(read["componentInputArtifact"], "pipelinechannel--datasets-loop-item");
}
