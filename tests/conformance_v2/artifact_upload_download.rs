//! `critical__pipeline_with_artifact_upload_download.yaml`: a component writing a `Dataset` and
//! one reading it, with a described pipeline.

use kfp::prelude::*;

/// Writes the dataset named by a repository and a name (kfp's downloads it from Hugging Face).
#[component]
pub fn download_dataset_and_upload_as_artifact(
    dataset_repo: String,
    dataset_name: String,
    output_dataset: OutputPath<Dataset>,
) -> Result<(), String> {
    println!("Now saving to {}", output_dataset.display());
    std::fs::write(&output_dataset, format!("{dataset_repo} {dataset_name}")).map_err(|e| e.to_string())
}

/// Prints where the dataset is.
#[component]
pub fn print_dataset_info(dataset: InputPath<Dataset>) {
    println!("Information about the artifact");
    println!("Path: {}", dataset.display());
}

/// Download Hugging Face Data Set, upload it as an artifact and print its metadata
#[pipeline(name = "pipeline-with-datasets")]
fn my_pipeline(#[default("google/frames-benchmark")] dataset_repo: String, #[default("")] dataset_name: String) {
    let downloaded_dataset = download_dataset_and_upload_as_artifact_op(dataset_repo, dataset_name);
    print_dataset_info_op(downloaded_dataset.outputs().output_dataset);
}

#[test]
fn pipeline_with_artifact_upload_download() {
    super::check("critical__pipeline_with_artifact_upload_download", my_pipeline);
}
