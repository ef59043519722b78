//! `pipeline_with_concat_placeholder.yaml`: a loaded component whose argument
//! joins two inputs and constants with `concat`.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const COMPONENT: &str = r#"
name: Component with concat placeholder
inputs:
- {name: input_one, type: String}
- {name: input_two, type: String}
implementation:
  container:
    image: ghcr.io/containerd/busybox
    command:
    - sh
    - -ec
    args:
    - echo "$0" > /tmp/test && [[ "$0" == 'one+two=three' ]]
    - concat: [{inputValue: input_one}, '+', {inputValue: input_two}, '=three']
"#;

#[pipeline(name = "one-step-pipeline-with-concat-placeholder")]
fn my_pipeline() {
    let component = load_component_from_text(COMPONENT).expect("the component loads");
    component.call([("input_one", "one"), ("input_two", "two")]);
}

#[test]
fn pipeline_with_concat_placeholder() {
    // kfp 2 writes a loaded `concat` as its v2 struct (`{"Concat": [...]}`, which the
    // launcher joins); kfp-rs writes the joined text itself.
    super::check_deviating(
        "pipeline_with_concat_placeholder",
        my_pipeline,
        &["PipelineSpec.deploymentSpec.executors.exec-component-with-concat-placeholder.container.args[1]"],
    );
}
