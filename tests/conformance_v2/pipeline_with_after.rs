//! `essential__pipeline_with_after.yaml`: tasks ordered with `.after()` alone.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const PRINT_TEXT: &str = r#"
name: Print Text
inputs:
- {name: text, type: String}
implementation:
  container:
    image: alpine
    command:
    - sh
    - -c
    - |
      set -e -x
      echo "$0"
    - {inputValue: text}
"#;

#[pipeline(name = "pipeline-with-after")]
fn my_pipeline() {
    let component = load_component_from_text(PRINT_TEXT).expect("the component loads");
    let task1 = component.call([("text", "1st task")]);
    let task2 = component.call([("text", "2nd task")]).after(&task1);
    component.call([("text", "3rd task")]).after(&task1).after(&task2);
}

#[test]
fn pipeline_with_after() {
    super::check("essential__pipeline_with_after", my_pipeline);
}
