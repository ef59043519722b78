//! `critical__parameters_simple.yaml`: a loop's outputs collected (`collected`,
//! kfp's `dsl.Collected`) into a Rust component and a container component, and
//! returned as the pipeline's output.

use kfp::components::load_component_from_text;
use kfp::dsl::{collected, parallel_for, Collected};
use kfp::prelude::*;

#[component]
pub fn double(num: i64) -> i64 {
    2 * num
}

#[component]
pub fn add(nums: Vec<i64>) -> i64 {
    nums.iter().sum()
}

// kfp's container component, its f-string argument as a concat.
const ADD_CONTAINER: &str = r#"
name: add_container
inputs:
- {name: nums, type: JsonArray}
outputs:
- {name: sum, type: Integer}
implementation:
  container:
    image: jetbrainsinfra/jq
    command: [sh, -c]
    args:
    - concat:
      - "\n            set -ex\n            mkdir -p $(dirname "
      - {outputPath: sum}
      - ")\n            echo "
      - {inputValue: nums}
      - " | jq 'add' > "
      - {outputPath: sum}
      - "\n            "
"#;

#[pipeline(name = "math-pipeline")]
fn math_pipeline() -> Collected<i64> {
    let add_container = load_component_from_text(ADD_CONTAINER).expect("the component loads");
    let t = parallel_for(vec![1, 2, 3], double_op);
    add_op(collected(t.output()));
    add_container.call([("nums", collected(t.output()))]);
    collected(t.output())
}

#[test]
fn parameters_simple() {
    super::check("critical__parameters_simple", math_pipeline);
}
