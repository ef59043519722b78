//! `essential__container_no_input.yaml`: a container component without inputs,
//! compiled as a pipeline of its own.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const CONTAINER_NO_INPUT: &str = r#"
name: container-no-input
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command: [echo, hello world]
"#;

#[pipeline(name = "container-no-input")]
fn my_pipeline() {
    let component = load_component_from_text(CONTAINER_NO_INPUT).expect("the component loads");
    component.call(Vec::<(&str, &str)>::new());
}

#[test]
fn container_no_input() {
    super::check("essential__container_no_input", my_pipeline);
}
