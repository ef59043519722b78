//! `two_step_pipeline.yaml`: loaded components passing an artifact by URI, with
//! display names.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const WRITE: &str = r#"
name: Write to GCS
inputs:
- {name: text, type: String, description: 'Content to be written to GCS'}
outputs:
- {name: output_gcs_path, type: GCSPath, description: 'GCS file path'}
implementation:
  container:
    image: google/cloud-sdk:slim
    command:
    - sh
    - -c
    - |
      set -e -x
      echo "$0" | gsutil cp - "$1"
    - {inputValue: text}
    - {outputUri: output_gcs_path}
"#;

const READ: &str = r#"
name: Read from GCS
inputs:
- {name: input_gcs_path, type: GCSPath, description: 'GCS file path'}
implementation:
  container:
    image: google/cloud-sdk:slim
    command:
    - sh
    - -c
    - |
      set -e -x
      gsutil cat "$0"
    - {inputUri: input_gcs_path}
"#;

#[pipeline(name = "simple-two-step-pipeline")]
fn my_pipeline(#[default("Hello KFP!")] text: String) {
    let write = load_component_from_text(WRITE).expect("the writer loads");
    let read = load_component_from_text(READ).expect("the reader loads");
    let producer = write.call([("text", text)]).set_display_name("Producer");
    read.call([("input_gcs_path", producer.output_named("output_gcs_path"))]).set_display_name("Consumer");
}

#[test]
fn two_step_pipeline() {
    super::check("two_step_pipeline", my_pipeline);
}
