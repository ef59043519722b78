//! kfp-kubernetes' JSON settings (`add_node_selector_json`, `add_node_affinity_json`,
//! `add_toleration_json`) and a task's own image pull secrets
//! (`set_image_pull_secrets`): written to the platform spec as kfp-kubernetes 2.17.3
//! writes them, constants and pipeline values alike; bad JSON and KFP v1 compiles
//! are refused naming the setter. The pipeline-parameter form is also checked
//! against kfp's golden in `tests/conformance_v2/missing_kubernetes_optional_inputs.rs`.

use kfp::prelude::*;
use kfp::{Compiler, Target};
use serde_json::json;

#[component]
pub fn train() {
    println!("training");
}

#[component]
pub fn pick_nodes() -> serde_json::Value {
    serde_json::json!({"disktype": "ssd"})
}

/// The IR file's documents, as JSON.
fn documents(pipeline: impl Pipeline) -> Vec<serde_json::Value> {
    let yaml = Compiler::new().target(Target::V2).compile_to_string(pipeline).expect("the pipeline compiles to v2");
    serde_yaml::Deserializer::from_str(&yaml)
        .map(|document| serde::Deserialize::deserialize(document).expect("each document is YAML"))
        .collect()
}

fn executor<'a>(documents: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    &documents[1]["platforms"]["kubernetes"]["deploymentSpec"]["executors"][name]
}

#[test]
fn constants_are_written_as_kfp_kubernetes_writes_them() {
    #[pipeline(name = "json constants")]
    fn pipeline() {
        let affinity = json!({"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}
        ]}});
        train_op()
            .add_node_selector_json(json!({"disktype": "ssd"}))
            .add_node_affinity_json(affinity)
            .add_toleration_json(json!([
                {"key": "gpu", "operator": "Exists", "effect": "NoSchedule"},
                {"key": "spot", "operator": "Equal", "value": "yes", "effect": "NoExecute", "tolerationSeconds": 30}
            ]))
            .set_image_pull_secrets(["registry-key"]);
    }
    let documents = documents(pipeline);
    let expected = json!({
        "nodeSelector": {"nodeSelectorJson": {"runtimeValue": {"constant": {"disktype": "ssd"}}}},
        "nodeAffinity": [{"nodeAffinityJson": {"runtimeValue": {"constant": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}
            ]}
        }}}}],
        // kfp-kubernetes makes constant tolerations plain ones (its `add_toleration`).
        "tolerations": [
            {"key": "gpu", "operator": "Exists", "effect": "NoSchedule"},
            {"key": "spot", "operator": "Equal", "value": "yes", "effect": "NoExecute", "tolerationSeconds": "30"}
        ],
        "imagePullSecret": [
            {"secretName": "registry-key", "secretNameParameter": {"runtimeValue": {"constant": "registry-key"}}}
        ],
    });
    assert_eq!(executor(&documents, "exec-train"), &expected);
}

#[test]
fn a_task_output_is_read_at_run_time_and_runs_first() {
    #[pipeline(name = "json from a task")]
    fn pipeline() {
        let nodes = pick_nodes_op();
        train_op().add_node_selector_json(nodes.output());
    }
    let documents = documents(pipeline);
    let selector = &executor(&documents, "exec-train")["nodeSelector"]["nodeSelectorJson"];
    assert_eq!(
        selector,
        &json!({"taskOutputParameter": {"producerTask": "pick-nodes", "outputParameterKey": "Output"}})
    );
    let task = &documents[0]["root"]["dag"]["tasks"]["train"];
    assert_eq!(task["dependentTasks"], json!(["pick-nodes"]), "{task}");
}

#[test]
fn json_that_is_not_the_settings_kind_is_refused_naming_the_setter() {
    #[pipeline(name = "bad json")]
    fn pipeline() {
        train_op().add_node_selector_json("[\"ssd\"]").add_toleration_json("{\"key\": 3}");
    }
    let error = Compiler::new().target(Target::V2).compile_to_string(pipeline).expect_err("bad JSON").to_string();
    assert!(error.contains("add_node_selector_json: `[\"ssd\"]` is a list; it takes a JSON object"), "{error}");
    assert!(error.contains("add_toleration_json: `{\"key\": 3}` is not a Kubernetes toleration"), "{error}");
}

#[test]
fn kfp_v1_refuses_them_naming_the_v1_way() {
    #[pipeline(name = "v2 only")]
    fn pipeline(selector: serde_json::Value, tolerations: Vec<serde_json::Value>) {
        train_op()
            .add_node_selector_json(selector)
            .add_toleration_json(tolerations)
            .set_image_pull_secrets(["registry-key"]);
    }
    let error = Compiler::new().compile_to_string(pipeline).expect_err("KFP v1 refuses them").to_string();
    assert!(error.contains("task `train` (add_node_selector_json)") && error.contains("add_node_selector_constraint"));
    assert!(error.contains("(add_toleration_json with a pipeline value)"), "{error}");
    assert!(error.contains("(set_image_pull_secrets)") && error.contains("get_pipeline_conf()"), "{error}");
}

#[test]
fn constant_tolerations_compile_for_kfp_v1_too() {
    #[pipeline(name = "tolerated")]
    fn pipeline() {
        train_op().add_toleration_json(json!({"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}));
    }
    let workflow = Compiler::new().compile_to_string(pipeline).expect("a constant toleration compiles for v1");
    assert!(
        workflow.contains("tolerations:\n    - effect: NoSchedule\n      key: gpu\n      operator: Exists"),
        "{workflow}"
    );
}
