//! `essential__pipeline_with_if_placeholder.yaml`: a loaded component whose
//! arguments depend on whether optional inputs are given (`if`/`isPresent`),
//! called with the required input only.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const COMPONENT: &str = r#"
name: Component with optional inputs
inputs:
- {name: required_input, type: String, optional: false}
- {name: optional_input_1, type: String, optional: true}
- {name: optional_input_2, type: String, optional: true}
implementation:
  container:
    image: ghcr.io/containerd/busybox
    command:
    - echo
    args:
    - --arg0
    - {inputValue: required_input}
    - if:
        cond:
          isPresent: optional_input_1
        then:
          - --arg1
          - {inputValue: optional_input_1}
    - if:
        cond:
          isPresent: optional_input_2
        then:
          - --arg2
          - {inputValue: optional_input_2}
        else:
          - --arg2
          - 'default value'
"#;

#[pipeline(name = "one-step-pipeline-with-if-placeholder-supply-none")]
fn pipeline_none(#[default("input0")] input0: String) {
    let component = load_component_from_text(COMPONENT).expect("the component loads");
    component.call([("required_input", input0)]);
}

#[test]
fn pipeline_with_if_placeholder() {
    super::check("essential__pipeline_with_if_placeholder", pipeline_none);
}
