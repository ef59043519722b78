//! `hello_world.yaml`: one container component with a constant argument, compiled
//! as a pipeline of its own.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const ECHO: &str = r#"name: echo
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command: [echo]
    args: [hello world]
"#;

#[pipeline(name = "echo")]
fn echo_pipeline() {
    let component = load_component_from_text(ECHO).expect("the component loads");
    component.call(Vec::<(&str, &str)>::new());
}

#[test]
fn hello_world() {
    super::check("hello_world", echo_pipeline);
}
