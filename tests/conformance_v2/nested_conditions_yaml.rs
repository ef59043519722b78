//! `essential__pipeline_with_nested_conditions_yaml.yaml`: loaded components in
//! conditions in conditions, comparing a string and an integer output, the
//! integer written into a text argument; a display name (`display_name`).

use kfp::components::load_component_from_text;
use kfp::dsl::{condition, Compare};
use kfp::prelude::*;

fn random_num(low: i64, high: i64) -> kfp::LoadedComponent {
    let text = format!(
        r#"
      name: Generate random number
      outputs:
      - {{name: output, type: Integer}}
      implementation:
        container:
          image: python:alpine3.9
          command:
          - sh
          - -c
          args:
          - mkdir -p "$(dirname $2)" && python -c "import random; print(random.randint($0, $1), end='')" | tee $2
          - "{low}"
          - "{high}"
          - {{outputPath: output}}
      "#
    );
    load_component_from_text(&text).expect("the component loads")
}

const FLIP_COIN: &str = r#"
      name: Flip coin
      outputs:
      - {name: output, type: String}
      implementation:
        container:
          image: python:alpine3.9
          command:
          - sh
          - -c
          args:
          - mkdir -p "$(dirname $0)" && python -c "import random; result = 'heads' if random.randint(0,1) == 0 else 'tails'; print(result, end='')" | tee $0
          - {outputPath: output}
      "#;

const PRINT: &str = r#"
      name: Print
      inputs:
      - {name: msg, type: String}
      implementation:
        container:
          image: python:alpine3.9
          command:
          - echo
          - {inputValue: msg}
      "#;

#[pipeline(
    name = "conditional-execution-pipeline",
    display_name = "Conditional execution pipeline.",
    description = "Shows how to use dsl.Condition()."
)]
fn my_pipeline() {
    let flip_coin = load_component_from_text(FLIP_COIN).expect("the component loads");
    let print = load_component_from_text(PRINT).expect("the component loads");
    let flip = flip_coin.call(Vec::<(&str, &str)>::new());
    let flip = flip.output_named("output").cast::<String>();
    condition(flip.eq("heads"), || {
        let random_num_head = random_num(0, 9).call(Vec::<(&str, &str)>::new()).output_named("output").cast::<i64>();
        condition(random_num_head.gt(5), || {
            print.call([("msg", format!("heads and {random_num_head} > 5!"))]);
        });
        condition(random_num_head.le(5), || {
            print.call([("msg", format!("heads and {random_num_head} <= 5!"))]);
        });
    });
    condition(flip.eq("tails"), || {
        let random_num_tail = random_num(10, 19).call(Vec::<(&str, &str)>::new()).output_named("output").cast::<i64>();
        condition(random_num_tail.gt(15), || {
            print.call([("msg", format!("tails and {random_num_tail} > 15!"))]);
        });
        condition(random_num_tail.le(15), || {
            print.call([("msg", format!("tails and {random_num_tail} <= 15!"))]);
        });
    });
}

#[test]
fn nested_conditions_yaml() {
    super::check("essential__pipeline_with_nested_conditions_yaml", my_pipeline);
}

#[test]
fn kfp_v1_refuses_a_display_name() {
    let error = kfp::Compiler::new().compile_to_string(my_pipeline).unwrap_err().to_string();
    assert!(error.contains("`#[pipeline(display_name = ..)]` is KFP v2's"), "{error}");
}
