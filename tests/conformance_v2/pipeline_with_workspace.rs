//! `critical__pipeline_with_workspace.yaml`: kfp 2's pipeline workspace
//! (`get_pipeline_conf().set_workspace`, kfp's `PipelineConfig(workspace=...)`)
//! with a claim spec patch, a task writing a file under
//! `WORKSPACE_PATH_PLACEHOLDER` and the next reading it by the path it returned;
//! and `critical__pipeline_with_importer_workspace.yaml`: importers downloading
//! into the workspace (`download_to_workspace`) inside a pipeline called as a task.

use kfp::dsl::{get_pipeline_conf, WorkspaceConfig, WORKSPACE_PATH_PLACEHOLDER};
use kfp::prelude::*;
use serde_json::json;

/// Write a file to the workspace.
#[component]
fn write_to_workspace(workspace_path: String) -> String {
    let file_path = std::path::Path::new(&workspace_path).join("data").join("test_file.txt");
    std::fs::create_dir_all(file_path.parent().expect("the file is in a folder")).expect("makes the folder");
    std::fs::write(&file_path, "Hello from workspace!").expect("writes the file");
    println!("Wrote file to: {}", file_path.display());
    file_path.display().to_string()
}

/// Read a file from the workspace using the provided file path.
#[component]
fn read_from_workspace(file_path: String) -> String {
    match std::fs::read_to_string(&file_path) {
        Ok(content) => {
            assert_eq!(content, "Hello from workspace!");
            content
        }
        Err(_) => "File not found".to_owned(),
    }
}

/// The workspace both goldens give: 1Gi, the standard storage class, one writer.
fn workspace() -> WorkspaceConfig {
    WorkspaceConfig::new("1Gi")
        .pvc_spec_patch(json!({"storageClassName": "standard", "accessModes": ["ReadWriteOnce"]}))
}

/// A pipeline using workspace functionality with write and read components.
#[pipeline(name = "pipeline-with-workspace", description = "A pipeline that demonstrates workspace functionality")]
pub(crate) fn pipeline_with_workspace() -> Output<String> {
    get_pipeline_conf().set_workspace(workspace());
    let write_task = write_to_workspace_op(WORKSPACE_PATH_PLACEHOLDER);
    let read_task = read_from_workspace_op(write_task.output());
    read_task.output()
}

#[test]
fn pipeline_with_workspace_() {
    super::check("critical__pipeline_with_workspace", pipeline_with_workspace);
}

mod importer_workspace {
    use kfp::dsl::{get_pipeline_conf, importer};
    use kfp::prelude::*;
    use serde_json::json;

    /// The outputs of `train`.
    #[derive(ComponentOutputs)]
    pub struct Outputs {
        scalar: String,
        message: String,
    }

    /// Dummy Training step.
    #[component(base_image = "registry.access.redhat.com/ubi9/python-311:latest")]
    fn train(dataset: InputPath<Dataset>) -> Outputs {
        let data = std::fs::read_to_string(dataset).expect("reads the dataset");
        println!("Dataset: {data}");
        Outputs { scalar: "123".to_owned(), message: format!("My model trained using data: {data}") }
    }

    /// Walk the directory and return a summary of file names.
    #[component(base_image = "registry.access.redhat.com/ubi9/python-311:latest")]
    fn read_dir(data: InputPath<Dataset>) -> Result<String, String> {
        let mut names: Vec<String> = std::fs::read_dir(&data)
            .map_err(|error| format!("Not a directory: {}: {error}", data.display()))?
            .filter_map(|entry| entry.ok().map(|entry| entry.file_name().to_string_lossy().into_owned()))
            .collect();
        names.sort();
        Ok(if names.is_empty() { "EMPTY_DIRECTORY".to_owned() } else { names.join(",") })
    }

    #[component(base_image = "registry.access.redhat.com/ubi9/python-311:latest")]
    fn write_file_artifact(out_ds: OutputPath<Dataset>) {
        std::fs::write(out_ds, "Hello from producer file\n").expect("writes the file");
    }

    #[component(base_image = "registry.access.redhat.com/ubi9/python-311:latest")]
    fn write_dir_artifact(out_ds: OutputPath<Dataset>) {
        std::fs::create_dir_all(&out_ds).expect("makes the folder");
        std::fs::write(out_ds.join("part-000.txt"), "First file in directory.\n").expect("writes the file");
        std::fs::write(out_ds.join("part-001.txt"), "Second file in directory.\n").expect("writes the file");
    }

    /// kfp's `get_uri`, which returns the input's URI: a Rust component reads its
    /// artifact's path, which is where KFP's launcher puts the URI's object.
    #[component(base_image = "registry.access.redhat.com/ubi9/python-311:latest")]
    fn get_uri(d: InputPath<Dataset>) -> String {
        d.display().to_string()
    }

    /// The outputs of both pipelines.
    #[derive(ComponentOutputs)]
    pub struct ImportOutputs {
        train_result: String,
        dir_result: String,
    }

    /// Nested stage that imports by URI and runs consumers.
    #[pipeline(name = "import-stage")]
    fn import_stage(file_uri: String, dir_uri: String) -> ImportOutputsHandles {
        let importer1 = importer::<Dataset>(file_uri)
            .reimport(false)
            .metadata([("key", json!("value"))])
            .download_to_workspace(true)
            .call();
        let dir_import = importer::<Dataset>(dir_uri)
            .reimport(true)
            .download_to_workspace(true)
            .metadata([("source", json!("directory"))])
            .call();
        let train_task = train_op(importer1.output());
        let dir_task = read_dir_op(dir_import.output());
        ImportOutputsHandles { train_result: train_task.outputs().scalar, dir_result: dir_task.output() }
    }

    /// Test pipeline for importer with download_to_workspace feature.
    #[pipeline(
        name = "pipeline-with-importer-workspace",
        description = "Importer downloads an artifact into workspace; downstream reads it"
    )]
    pub fn pipeline_with_importer_workspace() -> ImportOutputsHandles {
        get_pipeline_conf().set_workspace(super::workspace());
        let file_writer = write_file_artifact_op();
        let file_uri = get_uri_op(file_writer.outputs().out_ds);
        let dir_writer = write_dir_artifact_op();
        let dir_uri = get_uri_op(dir_writer.outputs().out_ds);
        let stage = import_stage_op(file_uri.output(), dir_uri.output());
        let outputs = stage.outputs();
        ImportOutputsHandles { train_result: outputs.train_result, dir_result: outputs.dir_result }
    }
}

#[test]
fn pipeline_with_importer_workspace() {
    super::check("critical__pipeline_with_importer_workspace", importer_workspace::pipeline_with_importer_workspace);
}
