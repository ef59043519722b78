//! Data passing through one shared volume instead of Argo artifacts (kfp's
//! `data_passing_methods.KubernetesVolume`), against kfp 1.8.22's output for its
//! Python twin (tests/fixtures/volume_passing.py).

mod common;

use kfp::argo::Volume;
use kfp::components::{arg, load_component_from_text};
use kfp::dsl::{get_pipeline_conf, KubernetesVolume};
use kfp::k8s_openapi::api::core::v1::PersistentVolumeClaimVolumeSource;
use kfp::prelude::*;

const PRODUCE: &str = r#"name: Produce
outputs:
- {name: text}
- {name: count}
implementation:
  container:
    image: alpine
    command:
    - sh
    - -c
    - mkdir -p "$(dirname "$0")" "$(dirname "$1")" && echo hello > "$0" && echo 3 > "$1"
    - {outputPath: text}
    - {outputPath: count}
"#;

const CONSUME: &str = r#"name: Consume
inputs:
- {name: text}
- {name: count}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'cat "$0"; echo "$1"', {inputPath: text}, {inputValue: count}]
"#;

fn shared_data() -> KubernetesVolume {
    KubernetesVolume::new(Volume {
        name: "data".to_owned(),
        persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
            claim_name: "shared-data".to_owned(),
            ..Default::default()
        }),
        ..Default::default()
    })
    .path_prefix("artifact_data/")
}

#[pipeline(name = "volume passing")]
pub fn volume_passing() {
    let produce_op = load_component_from_text(PRODUCE).expect("produce loads");
    let consume_op = load_component_from_text(CONSUME).expect("consume loads");
    let produced = produce_op.call::<&str, kfp::components::AnyArg>([]);
    consume_op.call([("text", arg(produced.output_named("text"))), ("count", arg(produced.output_named("count")))]);
    get_pipeline_conf().set_data_passing_method(shared_data());
}

#[test]
fn equivalent_to_kfp() {
    let golden =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/volume_passing.kfp.yaml"))
            .unwrap();
    let ours = kfp::Compiler::new().compile_to_string(volume_passing).unwrap();
    common::assert_equivalent(&ours, &golden, "volume_passing");
    common::assert_schema_valid(&ours, "volume_passing");
}

#[pipeline(name = "constant file through a volume")]
pub fn constant_file() {
    let consume_op = load_component_from_text(CONSUME).expect("consume loads");
    consume_op.call([("text", "a constant file"), ("count", "1")]);
    get_pipeline_conf().set_data_passing_method(shared_data());
}

#[test]
fn a_constant_file_argument_is_refused_with_the_fix() {
    let error = kfp::Compiler::new().compile_to_string(constant_file).unwrap_err().to_string();
    assert!(error.contains("task `consume` takes a constant as a file input"), "{error}");
    assert!(error.contains("pass the constant by value, or produce it with a task"), "{error}");
}
