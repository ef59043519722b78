//! `arguments_parameters.yaml`: a container component joining two parameters in one
//! argument (kfp's f-string), as a loaded component with a `concat` placeholder.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const ECHO: &str = r#"name: echo
inputs:
- {name: param1, type: String}
- {name: param2, type: String}
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command: [echo]
    args:
    - concat: [{inputValue: param1}, '-', {inputValue: param2}]
"#;

#[pipeline(name = "echo")]
fn echo_pipeline(#[default("hello")] param1: String, param2: String) {
    let component = load_component_from_text(ECHO).expect("the component loads");
    component.call([("param1", param1), ("param2", param2)]);
}

#[test]
fn arguments_parameters() {
    // kfp's golden sets the default with `pipeline_parameters`, which leaves the
    // parameter required; a Rust default makes it optional, as a Python one does.
    super::check_deviating(
        "arguments_parameters",
        echo_pipeline,
        &["PipelineSpec.root.inputDefinitions.parameters.param1.isOptional"],
    );
}
