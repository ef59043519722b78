//! A pipeline using every task setting, named outputs, optional inputs, file
//! artifacts, constants and parameter defaults, against kfp 1.8.22's output
//! for its Python twin (tests/fixtures/task_settings.py).

mod common;

use kfp::argo::{Affinity, EnvFromSource, EnvVar, SecretKeySelector, SecurityContext, Toleration, Volume, VolumeMount};
use kfp::dsl::{Retry, Sidecar};
use kfp::k8s_openapi::api::core::v1::{
    ConfigMapEnvSource, EnvVarSource, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm,
    SecretVolumeSource,
};
use kfp::prelude::*;

#[component]
pub fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[derive(ComponentOutputs)]
pub struct Stats {
    sum: f64,
    product: f64,
}

#[component]
pub fn stats(a: f64, b: f64, flag: bool, note: Option<String>) -> Stats {
    let _ = (flag, note);
    Stats { sum: a + b, product: a * b }
}

#[component]
pub fn write_text(text: String, out_path: OutputPath) {
    std::fs::write(&out_path, text).unwrap();
}

#[component]
pub fn read_text(data_path: InputPath, items: Vec<serde_json::Value>) -> String {
    let _ = items;
    std::fs::read_to_string(&data_path).unwrap()
}

/// Every task setting of kfp-rs
#[pipeline(name = "Task settings")]
pub fn task_settings(
    #[default(5)] a: i64,
    #[default(2.5)] x: f64,
    #[default(true)] b: bool,
    #[default("안녕")] s: String,
    #[default(vec![1, 2])] l: Vec<i64>,
) {
    let t1 = add_op(a, 3);
    t1.set_display_name("첫 번째")
        .set_cpu_request("100m")
        .set_cpu_limit("1")
        .set_memory_request("1Gi")
        .set_memory_limit("2G")
        .set_gpu_limit(1)
        .set_env_variable("FOO", "bar")
        .set_retry(3)
        .set_timeout(60)
        .set_max_cache_staleness("P0D")
        .add_node_selector_constraint("cloud.google.com/gke-accelerator", "nvidia-tesla-k80");
    let t2 = stats_op(x, 1.5, b, None);
    t2.after(&t1).set_caching_options(false);
    stats_op(t2.outputs().sum, t2.outputs().product, true, "note");
    let w = write_text_op(s);
    read_text_op(w.outputs().out, vec![serde_json::json!(1), serde_json::json!("a")]);
    read_text_op("raw text", l);
    let t3 = add_op(1, 2);
    t3.set_ephemeral_storage_request("1Gi")
        .set_ephemeral_storage_limit("2Gi")
        .set_gpu_limit_for_vendor(2, "amd")
        .add_resource_request("example.com/foo", "1")
        .add_resource_limit("example.com/foo", "1")
        .add_env_variable(EnvVar {
            name: "SECRET".into(),
            value_from: Some(EnvVarSource {
                secret_key_ref: Some(SecretKeySelector { name: "creds".into(), key: "token".into(), optional: None }),
                ..Default::default()
            }),
            ..Default::default()
        })
        .set_env_variable("GREETING", s.to_string())
        .add_env_from(EnvFromSource {
            config_map_ref: Some(ConfigMapEnvSource { name: "settings".into(), optional: None }),
            ..Default::default()
        })
        .add_volume(Volume {
            name: "gcp-credentials".into(),
            secret: Some(SecretVolumeSource { secret_name: Some("user-gcp-sa".into()), ..Default::default() }),
            ..Default::default()
        })
        .add_volume_mount(VolumeMount {
            name: "gcp-credentials".into(),
            mount_path: "/secret/gcp-credentials".into(),
            ..Default::default()
        })
        .add_toleration(Toleration {
            key: Some("gpu".into()),
            operator: Some("Exists".into()),
            effect: Some("NoSchedule".into()),
            ..Default::default()
        })
        .add_affinity(zone_affinity(&["a", "b"]))
        .set_retry_strategy(Retry::new(2).policy("Always").backoff("10s", Some(2), Some("1h")))
        .add_pod_annotation("owner", "ml-team")
        .add_pod_label("team", "ml")
        .add_pod_label("greeting", s.to_string())
        .add_pod_label("add-pod-env", "true")
        .add_sidecar(Sidecar::new("echo", "hashicorp/http-echo").args(["-text=hi"]))
        .add_init_container(Sidecar::new("setup", "busybox").command(["sh", "-c", "echo setup"]))
        .set_image_pull_policy("Always")
        .set_security_context(SecurityContext { run_as_user: Some(1000), ..Default::default() })
        .apply(|op| {
            op.add_pod_annotation("applied", "yes");
        });
}

/// Nodes whose `zone` label is one of `zones`.
fn zone_affinity(zones: &[&str]) -> Affinity {
    Affinity {
        node_affinity: Some(NodeAffinity {
            required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                node_selector_terms: vec![NodeSelectorTerm {
                    match_expressions: Some(vec![NodeSelectorRequirement {
                        key: "zone".into(),
                        operator: "In".into(),
                        values: Some(zones.iter().map(|zone| zone.to_string()).collect()),
                    }]),
                    ..Default::default()
                }],
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[test]
fn equivalent_to_kfp() {
    let golden =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/task_settings.kfp.yaml")).unwrap();
    let ours = kfp::Compiler::new().compile_to_string(task_settings).unwrap();
    common::assert_equivalent(&ours, &golden, "task_settings");
    common::assert_schema_valid(&ours, "task_settings");
}

/// kfp's `task = add_op(1, 2).set_retry(5)`: a chain of settings binds to the task.
#[pipeline(name = "bound settings")]
pub fn bound_settings() {
    let first = add_op(1, 2).set_retry(5).set_memory_limit("1G");
    first.set_cpu_limit("1");
    add_op(first.output(), 3).set_display_name("second");
}

#[test]
fn settings_chained_on_a_call_bind_to_its_task() {
    let workflow = kfp::Compiler::new().compile_to_workflow(bound_settings).unwrap();
    let template = |name: &str| workflow.spec.templates.iter().find(|template| template.name == name).unwrap();
    let first = template("add");
    assert_eq!(format!("{:?}", first.retry_strategy.as_ref().unwrap().limit), "Some(Int(5))");
    let limits = first.container.as_ref().unwrap().resources.as_ref().unwrap().limits.as_ref().unwrap();
    assert_eq!((limits["memory"].0.as_str(), limits["cpu"].0.as_str()), ("1G", "1"));
    let dag = workflow.spec.templates.iter().find_map(|template| template.dag.as_ref()).unwrap();
    let second = dag.tasks.iter().find(|task| task.name == "add-2").unwrap();
    let arguments = serde_json::to_string(&second.arguments).unwrap();
    assert!(arguments.contains("{{tasks.add.outputs.parameters.add-Output}}"), "{arguments}");
}

#[component]
pub fn size_for(rows: i64) -> String {
    format!("{}Mi", rows / 1000)
}

/// kfp's `op.set_memory_limit(size_task.output)`: a setter takes a task output
/// or a parameter as it is.
#[pipeline(name = "settings from values")]
pub fn settings_from_values(rows: i64, #[default("2")] cpus: String) {
    let size = size_for_op(rows);
    add_op(rows, 1).set_memory_limit(size.output()).set_cpu_limit(cpus).add_pod_label("rows", rows);
}

#[test]
fn a_setter_takes_a_task_output_or_a_parameter() {
    let workflow = kfp::Compiler::new().compile_to_workflow(settings_from_values).unwrap();
    let add = workflow.spec.templates.iter().find(|template| template.name == "add").unwrap();
    // Argo reads `resources` as quantities before filling values in: the values go in the pod spec patch.
    let resources = add.container.as_ref().unwrap().resources.as_ref().unwrap();
    assert_eq!((&resources.limits, &resources.requests), (&None, &None));
    let patch: serde_json::Value = serde_json::from_str(add.pod_spec_patch.as_deref().unwrap()).unwrap();
    let limits =
        serde_json::json!({"cpu": "{{inputs.parameters.cpus}}", "memory": "{{inputs.parameters.size-for-Output}}"});
    assert_eq!(patch, serde_json::json!({"containers": [{"name": "main", "resources": {"limits": limits}}]}));
    let labels = &add.metadata.labels;
    assert_eq!(labels["rows"].as_str(), "{{inputs.parameters.rows}}");
    let dag = workflow.spec.templates.iter().find_map(|template| template.dag.as_ref()).unwrap();
    let task = dag.tasks.iter().find(|task| task.name == "add").unwrap();
    assert_eq!(task.dependencies.as_deref(), Some(&["size-for".to_owned()][..]), "the limit waits for its producer");
}
