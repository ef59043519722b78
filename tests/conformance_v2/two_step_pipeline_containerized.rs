//! `critical__two_step_pipeline_containerized.yaml`: two container components
//! passing a `Dataset` artifact by path.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const COMPONENT1: &str = r#"name: component1
inputs:
- {name: text, type: String}
outputs:
- {name: output_gcs, type: Dataset}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'mkdir --parents $(dirname "$1") && echo "$0" > "$1"']
    args: [{inputValue: text}, {outputPath: output_gcs}]
"#;

const COMPONENT2: &str = r#"name: component2
inputs:
- {name: input_gcs, type: Dataset}
implementation:
  container:
    image: alpine
    command: [cat]
    args: [{inputPath: input_gcs}]
"#;

#[pipeline(name = "containerized-two-step-pipeline")]
fn my_pipeline(#[default("Hello KFP Containerized!")] text: String) {
    let component1 = load_component_from_text(COMPONENT1).expect("component1 loads");
    let component2 = load_component_from_text(COMPONENT2).expect("component2 loads");
    let component_1 = component1.call([("text", text)]);
    component2.call([("input_gcs", component_1.output_named("output_gcs"))]);
}

#[test]
fn two_step_pipeline_containerized() {
    // As in `arguments_parameters`: kfp's golden sets the default with
    // `pipeline_parameters`, which leaves the parameter required.
    super::check_deviating(
        "critical__two_step_pipeline_containerized",
        my_pipeline,
        &["PipelineSpec.root.inputDefinitions.parameters.text.isOptional"],
    );
}
