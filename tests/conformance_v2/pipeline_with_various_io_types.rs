//! `pipeline_with_various_io_types.yaml`: a pipeline taking an artifact (kfp 2's
//! `input3: Input[Artifact]`, here `input3: Artifact`) beside parameters, fed to a
//! loaded component's file input; outputs of many types passed on.

use kfp::artifacts::Artifact;
use kfp::components::{arg, load_component_from_text};
use kfp::prelude::*;

const UPSTREAM: &str = r#"
name: upstream
inputs:
- {name: input_1, type: String}
- {name: input_2, type: Float}
- {name: input_3, type: Artifact}
- {name: input_4, type: String}
outputs:
- {name: output_1, type: Integer}
- {name: output_2, type: Model}
- {name: output_3}
- {name: output_4, type: Model}
- {name: output_5, type: Datasets}
- {name: output_6, type: Some arbitrary type}
- {name: output_7, type: {GcsPath: {data_type: TSV}}}
- {name: output_8, type: HTML}
- {name: output_9, type: google.BQMLModel}
implementation:
  container:
    image: gcr.io/image
    args:
    - {inputValue: input_1}
    - {inputValue: input_2}
    - {inputPath: input_3}
    - {inputValue: input_4}
    - {outputPath: output_1}
    - {outputUri: output_2}
    - {outputPath: output_3}
    - {outputUri: output_4}
    - {outputUri: output_5}
    - {outputPath: output_6}
    - {outputPath: output_7}
    - {outputPath: output_8}
"#;

const DOWNSTREAM: &str = r#"
name: downstream
inputs:
- {name: input_a, type: Integer}
- {name: input_b, type: Model}
- {name: input_c}
- {name: input_d, type: Model}
- {name: input_e, type: Datasets}
- {name: input_f, type: Some arbitrary type}
- {name: input_g, type: {GcsPath: {data_type: TSV}}}
- {name: input_h, type: HTML}
- {name: input_i, type: google.BQMLModel}
implementation:
  container:
    image: gcr.io/image
    args:
    - {inputValue: input_a}
    - {inputUri: input_b}
    - {inputPath: input_c}
    - {inputUri: input_d}
    - {inputUri: input_e}
    - {inputPath: input_f}
    - {inputPath: input_g}
    - {inputPath: input_h}
"#;

#[pipeline(name = "pipeline-with-various-types")]
fn my_pipeline(input1: String, input3: Artifact, #[default("")] input4: String) {
    let upstream = load_component_from_text(UPSTREAM).expect("upstream loads");
    let downstream = load_component_from_text(DOWNSTREAM).expect("downstream loads");
    // The golden's constant, written as kfp's test writes it (not π).
    #[allow(clippy::approx_constant)]
    let input_2 = 3.1415926;
    let component_1 = upstream.call([
        ("input_1", arg(input1)),
        ("input_2", arg(input_2)),
        ("input_3", arg(input3)),
        ("input_4", arg(input4)),
    ]);
    let output = |n: u32| component_1.output_named(&format!("output_{n}"));
    downstream.call([
        ("input_a", output(1)),
        ("input_b", output(2)),
        ("input_c", output(3)),
        ("input_d", output(4)),
        ("input_e", output(5)),
        ("input_f", output(6)),
        ("input_g", output(7)),
        ("input_h", output(8)),
        ("input_i", output(9)),
    ]);
}

#[test]
fn pipeline_with_various_io_types() {
    super::check("pipeline_with_various_io_types", my_pipeline);
}

/// KFP v1 has no artifact pipeline inputs: the compile says so and names the v1 way.
#[test]
fn v1_refuses_an_artifact_pipeline_input() {
    let error = kfp::Compiler::new().compile_to_string(my_pipeline).expect_err("KFP v1 refuses it").to_string();
    assert!(
        error.contains("pipeline parameter `input3` is an artifact (Artifact), which only KFP v2 takes")
            && error.contains("pass the artifact's URI as a `String` parameter"),
        "{error}"
    );
}
