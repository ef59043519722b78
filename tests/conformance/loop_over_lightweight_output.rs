//! `loop_over_lightweight_output.yaml`: a loop over the output of a component
//! loaded from text, each item passed to another loaded component.

use kfp::components::load_component_from_text;
use kfp::dsl::parallel_for;
use kfp::prelude::*;

// The texts as kfp's test has them, byte for byte: `component_ref` holds their digest.
const PRODUCE: &str = r#"name: Produce list
outputs:
- name: data_list
implementation:
  container:
    image: busybox
    command:
    - sh
    - -c
    - echo "[1, 2, 3]" > "$0"
    - outputPath: data_list
"#;

const CONSUME: &str = r#"name: Consume data
inputs:
- name: data
implementation:
  container:
    image: busybox
    command:
    - echo
    - inputValue: data
"#;

#[pipeline(name = "Loop over lightweight output", description = "Test pipeline to verify functions of par loop.")]
fn pipeline() {
    let produce = load_component_from_text(PRODUCE).expect("the producer loads");
    let consume = load_component_from_text(CONSUME).expect("the consumer loads");
    let list = produce.call(Vec::<(&str, &str)>::new()).output();
    parallel_for(list, |item| {
        consume.call([("data", item)]);
    });
}

#[test]
fn loop_over_lightweight_output() {
    super::check("loop_over_lightweight_output", pipeline);
}
