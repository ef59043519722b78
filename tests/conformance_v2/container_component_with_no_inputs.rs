//! `critical__container_component_with_no_inputs.yaml`: a container component
//! without inputs, its arguments empty, in a pipeline.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const HELLO_WORLD_CONTAINER: &str = r#"
name: hello-world-container
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command: [echo, hello world]
    args: []
"#;

#[pipeline(name = "v2-container-component-no-input")]
fn my_pipeline() {
    let component = load_component_from_text(HELLO_WORLD_CONTAINER).expect("the component loads");
    component.call(Vec::<(&str, &str)>::new());
}

#[test]
fn container_component_with_no_inputs() {
    super::check("critical__container_component_with_no_inputs", my_pipeline);
}
