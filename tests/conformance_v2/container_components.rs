//! Container components (kfp's `@dsl.container_component`) as loaded components:
//! `sequential_v1.yaml` (a parameter written into an argument, twice),
//! `pipeline_container_no_input.yaml` and `long_running.yaml` (`.after()`).

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const ECHO: &str = r#"
name: echo
inputs:
- {name: message, type: String}
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command: [sh, -c]
    args:
    - concat: ['echo ', {inputValue: message}]
"#;

#[pipeline(name = "sequential")]
fn sequential(param1: String, param2: String) {
    let echo = load_component_from_text(ECHO).expect("the component loads");
    echo.call([("message", param1)]);
    echo.call([("message", param2)]);
}

#[test]
fn sequential_v1() {
    super::check("sequential_v1", sequential);
}

const CONTAINER_NO_INPUT: &str = r#"
name: container-no-input
implementation:
  container:
    image: python:3.7
    command: [echo, hello world]
"#;

#[pipeline(name = "v2-container-component-no-input")]
fn no_input() {
    let component = load_component_from_text(CONTAINER_NO_INPUT).expect("the component loads");
    component.call(Vec::<(&str, &str)>::new());
}

#[test]
fn pipeline_container_no_input() {
    super::check("pipeline_container_no_input", no_input);
}

const WAIT: &str = r#"
name: wait-op
implementation:
  container:
    image: alpine:latest
    command: [sh, -c]
    args: [echo step-1 sleeping for 5m; sleep 300; echo done1]
"#;

#[pipeline(name = "wait-awhile")]
fn wait_awhile() {
    let wait = load_component_from_text(WAIT).expect("the component loads");
    let task1 = wait.call(Vec::<(&str, &str)>::new());
    wait.call(Vec::<(&str, &str)>::new()).after(&task1);
}

#[test]
fn long_running() {
    super::check("long_running", wait_awhile);
}
