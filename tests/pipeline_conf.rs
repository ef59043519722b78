//! Pipeline-level settings (kfp's `PipelineConf`), against kfp 1.8.22's output
//! for its Python twin (tests/fixtures/pipeline_conf.py), and kfp's refusals.

mod common;

use kfp::dsl::{get_pipeline_conf, ContainerOp, Task};
use kfp::k8s_openapi::api::core::v1::{PodDNSConfig, PodDNSConfigOption};
use kfp::prelude::*;

/// An op transformer adding a pod label whose value is a pipeline parameter.
fn add_team_label(team: Param<String>) -> impl Fn(&Task<()>) {
    move |op| {
        op.add_pod_label("team", team.to_string());
    }
}

/// Every pipeline-level setting
#[pipeline(name = "Pipeline conf")]
pub fn pipeline_conf(#[default("ml")] team: String) {
    get_pipeline_conf()
        .set_image_pull_secrets(["registry-key"])
        .set_timeout(3600)
        .set_parallelism(2)
        .set_ttl_seconds_after_finished(86400)
        .set_pod_disruption_budget("50%")
        .set_default_pod_node_selector("pool", "batch")
        .set_image_pull_policy("IfNotPresent")
        .set_dns_config(PodDNSConfig {
            nameservers: Some(vec!["1.2.3.4".into()]),
            options: Some(vec![PodDNSConfigOption { name: Some("ndots".into()), value: Some("2".into()) }]),
            ..Default::default()
        })
        .add_op_transformer(add_team_label(team));
    let first = ContainerOp::new("first", "alpine")
        .command(["sh", "-c", "echo one > /tmp/out"])
        .file_output("out", "/tmp/out")
        .add();
    ContainerOp::new("second", "alpine")
        .command(["echo".to_owned(), first.output().to_string()])
        .add()
        .set_image_pull_policy("Always");
}

#[test]
fn equivalent_to_kfp() {
    let golden =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pipeline_conf.kfp.yaml")).unwrap();
    let ours = kfp::Compiler::new().compile_to_string(pipeline_conf).unwrap();
    common::assert_equivalent(&ours, &golden, "pipeline_conf");
    common::assert_schema_valid(&ours, "pipeline_conf");
}

#[pipeline(name = "bad conf")]
pub fn bad_conf() {
    get_pipeline_conf().set_image_pull_policy("Sometimes").set_parallelism(0);
    let step = ContainerOp::new("step", "alpine").add();
    step.set_image_pull_policy("Rarely").set_retry_strategy(kfp::dsl::Retry::new(1).policy("OnSundays"));
}

#[test]
fn invalid_settings_are_named_with_their_valid_values() {
    let error = kfp::Compiler::new().compile_to_string(bad_conf).unwrap_err().to_string();
    for expected in [
        "image pull policy `Sometimes` is not one of Always, Never, IfNotPresent",
        "pipeline parallelism must be at least 1",
        "image pull policy `Rarely` is not one of Always, Never, IfNotPresent",
        "retry policy `OnSundays` is not one of Always, OnError, OnFailure, OnTransientError",
    ] {
        assert!(error.contains(expected), "missing `{expected}` in: {error}");
    }
}
