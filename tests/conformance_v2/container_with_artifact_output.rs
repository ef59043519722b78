//! `container_with_artifact_output.yaml`: a container component alone with an output
//! artifact's URI and metadata (kfp 2's `model.uri`, `model.metadata`) and an output
//! parameter's file on its command line; `{outputMetadata: model}` is the metadata.

use kfp::components::load_component_from_text;

use super::component_as_pipeline::check_component;

#[test]
fn container_with_artifact_output() {
    let loaded = load_component_from_text(
        r#"
name: container-with-artifact-output
inputs:
- {name: num_epochs, type: Integer}
outputs:
- {name: model, type: Model}
- {name: model_config_path, type: String}
implementation:
  container:
    image: gcr.io/my-image
    command: [sh, run.sh]
    args:
    - --epochs
    - {inputValue: num_epochs}
    - --model_path
    - {outputUri: model}
    - --model_metadata
    - {outputMetadata: model}
    - --model_config_path
    - {outputPath: model_config_path}
"#,
    )
    .expect("the component loads");
    check_component("container_with_artifact_output", loaded.component());
}
