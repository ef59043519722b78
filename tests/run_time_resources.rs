//! Resource amounts and node-selector constraints that are pipeline values go
//! into the template's `podSpecPatch`, against kfp 1.8.22's output for the
//! Python twin (tests/fixtures/run_time_resources.py); the Argo rules refuse a
//! value left where Kubernetes needs a quantity.

mod common;

use kfp::prelude::*;

#[component]
pub fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[component]
pub fn size_for(rows: i64) -> String {
    format!("{}Mi", rows / 1000)
}

#[pipeline(name = "Run-time resources")]
pub fn run_time_resources(
    #[default(5000)] rows: i64,
    #[default("2")] cpus: String,
    #[default("1")] gpus: String,
    #[default("nvidia.com/gpu")] gpu_resource: String,
    #[default("a")] zone: String,
    #[default("pool")] pool_label: String,
) {
    let size = size_for_op(rows);
    // Static and run-time amounts side by side, a parameter and a task output, request and limit.
    add_op(rows, 1)
        .set_cpu_request("100m")
        .set_cpu_limit(cpus)
        .set_memory_request(size.output())
        .set_memory_limit("2G")
        .set_ephemeral_storage_request(size.output())
        .set_ephemeral_storage_limit(size.output())
        // A run-time vendor is the resource's whole name.
        .set_gpu_limit_for_vendor(gpus, gpu_resource)
        .add_resource_request(gpu_resource, gpus)
        // A run-time value, a run-time key, and a constraint that stays.
        .add_node_selector_constraint("zone", zone)
        .add_node_selector_constraint(pool_label, "big")
        .add_node_selector_constraint("disk", "ssd");
    // Everything moved: empty resources and node selector are left behind.
    add_op(1, 2).set_memory_limit(size.output()).add_node_selector_constraint("zone", zone);
    // A static GPU limit and node selector stay where they are.
    add_op(3, 4).set_gpu_limit(1).add_node_selector_constraint("disk", "ssd");
    kfp::dsl::parallel_for(vec!["1Gi", "2Gi"], |item| {
        add_op(5, 6).add_resource_request("memory", item).add_node_selector_constraint("zone", item);
    });
}

#[test]
fn equivalent_to_kfp() {
    let golden =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/run_time_resources.kfp.yaml"))
            .unwrap();
    let ours = kfp::Compiler::new().compile_to_string(run_time_resources).unwrap();
    common::assert_equivalent(&ours, &golden, "run_time_resources");
    common::assert_schema_valid(&ours, "run_time_resources");
}

/// Where kfp 1.8.22 writes a Workflow Argo cannot load, the values go in the pod
/// spec patch too: kfp leaves a custom resource's run-time amount in `resources`
/// and names a run-time GPU count's resource after the bare vendor (`nvidia`).
#[pipeline(name = "beyond kfp")]
pub fn beyond_kfp(#[default("1")] gpus: String, #[default("2")] units: String) {
    add_op(1, 2)
        .set_gpu_limit(gpus)
        .add_resource_request("example.com/foo", units)
        .add_resource_limit("example.com/foo", "4");
}

#[test]
fn a_run_time_gpu_count_and_custom_amount_go_in_the_pod_spec_patch() {
    let workflow = kfp::Compiler::new().compile_to_workflow(beyond_kfp).unwrap();
    let add = workflow.spec.templates.iter().find(|template| template.name == "add").unwrap();
    let resources = add.container.as_ref().unwrap().resources.as_ref().unwrap();
    assert_eq!(serde_json::to_value(resources).unwrap(), serde_json::json!({"limits": {"example.com/foo": "4"}}));
    assert_eq!(
        add.pod_spec_patch.as_deref(),
        Some(
            r#"{"containers": [{"name": "main", "resources": {"limits": {"nvidia.com/gpu": "{{inputs.parameters.gpus}}"}, "requests": {"example.com/foo": "{{inputs.parameters.units}}"}}}]}"#
        )
    );
    let inputs: Vec<&str> = add.inputs.parameters.iter().map(|parameter| parameter.name.as_str()).collect();
    assert_eq!(inputs, ["gpus", "units"]);
}

/// kfp moves only an amount that is one whole value: `format!("{}Gi", gibibytes)`
/// stays in `resources`, where Argo cannot load it.
#[pipeline(name = "embedded amount")]
pub fn embedded_amount(gibibytes: i64) {
    add_op(1, 2).set_memory_limit(format!("{gibibytes}Gi"));
}

#[test]
fn an_amount_embedding_a_value_is_an_error_naming_task_setter_and_fix() {
    let problems = match kfp::Compiler::new().compile_to_string(embedded_amount) {
        Err(kfp::Error::InvalidPipeline { problems, .. } | kfp::Error::InvalidWorkflow { problems, .. }) => problems,
        other => panic!("expected an invalid pipeline, got {other:?}"),
    };
    assert_eq!(
        problems,
        [
            "task `add` (set_memory_limit): \"{{inputs.parameters.gibibytes}}Gi\" (memory) holds a pipeline value where \
             Argo reads a Kubernetes quantity before filling values in: make the whole amount one pipeline value (a \
             parameter or task output such as \"4Gi\") and pass it to the setter (`set_memory_limit(size.output())`), \
             which writes it into the template's podSpecPatch (at spec.templates[0].container.resources.limits.memory)"
        ]
    );
}

/// Local runs do not enforce resources: the pod spec patch is no obstacle.
#[test]
fn the_pipeline_runs_locally() {
    let dir = common::run::Scratch::new("run-time-resources");
    let report = run_time_resources.run_local(&kfp::run::RunOptions::new(dir.join("local"))).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("add", "add-Output"), Some("5001"));
    assert_eq!(report.output("size-for", "size-for-Output"), Some("5Mi"));
}

/// `kfp run-local` on kfp 1.8.22's own Workflow: the patches do not stop a local run.
#[test]
fn run_local_runs_kfps_workflow_with_pod_spec_patches() {
    let python3 = std::process::Command::new("python3").arg("--version").output();
    if !python3.is_ok_and(|out| out.status.success()) {
        common::skip("python3 is not on PATH; the golden's steps run it");
        return;
    }
    let dir = common::run::Scratch::new("run-time-resources-cli");
    let golden = common::fixtures_dir().join("run_time_resources.kfp.yaml");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(["run-local", golden.to_str().unwrap(), "-p", "rows=7000", "--json", "--run-dir"])
        .arg(dir.join("run"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    assert_eq!(json["status"], "Succeeded");
    let output_of = |id: &str, name: &str| {
        let tasks = json["tasks"].as_array().unwrap();
        tasks.iter().find(|task| task["id"] == id).map(|task| task["outputs"][name].clone())
    };
    assert_eq!(output_of("size-for", "size-for-Output"), Some(serde_json::json!("7Mi")));
    assert_eq!(output_of("add", "add-Output"), Some(serde_json::json!("7001")));
}
