//! kfp's extension modules (`kfp.gcp`, `kfp.onprem`, `kfp.aws`, `kfp.azure`) and
//! the run and execution id placeholders, against kfp 1.8.22's output for their
//! Python twins (tests/fixtures/op_extensions.py, op_extensions_conf.py).

mod common;

use kfp::argo::Toleration;
use kfp::dsl::{get_pipeline_conf, VolumeOp, EXECUTION_ID_PLACEHOLDER, RUN_ID_PLACEHOLDER};
use kfp::gcp::GcpSecret;
use kfp::prelude::*;
use kfp::{aws, azure, gcp, onprem};

#[component]
pub fn echo(text: String) -> String {
    text
}

fn golden(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}.kfp.yaml", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// A task argument, settings, a mount path and loop items holding `run` and `execution`. (Not names: kfp 1.8
/// sanitizes `{{workflow.uid}}` in a name to `workflow-uid`, losing the id, where kfp-rs keeps the marker's words.)
fn run_ids_everywhere(run: &str, execution: &str) {
    echo_op(format!("{run}/{execution}"))
        .set_env_variable("RUN", run)
        .add_pod_label("run", run)
        .add_pod_annotation("execution", execution);
    let volume = VolumeOp::new("scratch", "scratch", "1Gi").add();
    echo_op(execution).add_pvolume(format!("/mnt/{run}"), &volume.volume());
    echo_op(format!("again {run}"));
    echo_op(format!("again {execution}"));
    kfp::dsl::parallel_for(vec![run.to_owned(), format!("{run}-2")], |item| {
        echo_op(item);
    });
}

#[pipeline(name = "Run ids")]
fn run_ids_by_placeholder() {
    run_ids_everywhere(RUN_ID_PLACEHOLDER, EXECUTION_ID_PLACEHOLDER);
}

#[pipeline(name = "Run ids")]
fn run_ids_as_argo_text() {
    run_ids_everywhere("{{workflow.uid}}", "{{workflow.uid}}-{{pod.name}}");
}

#[test]
fn the_run_id_placeholders_are_kfp_1_8s_argo_text_to_the_byte() {
    for share_templates in [false, true] {
        let compiler =
            kfp::Compiler::new().compilation_time(std::time::SystemTime::UNIX_EPOCH).share_templates(share_templates);
        let by_placeholder = compiler.compile_to_string(run_ids_by_placeholder).unwrap();
        let as_text = compiler.compile_to_string(run_ids_as_argo_text).unwrap();
        assert_eq!(by_placeholder, as_text, "share_templates: {share_templates}");
        assert!(!by_placeholder.contains("{{kfp-rs"), "{by_placeholder}");
    }
}

/// kfp's gcp, onprem, aws and azure op transformers
#[pipeline(name = "Op extensions")]
pub fn op_extensions(#[default("hi")] text: String) {
    echo_op(text).apply(gcp::use_gcp_secret("user-gcp-sa"));
    echo_op(text).apply(gcp::use_gcp_secret("admin-gcp-sa"));
    echo_op(text).apply(
        GcpSecret::new("user-gcp-sa")
            .secret_file_path_in_volume("/key.json")
            .volume_name("creds")
            .secret_volume_mount_path("/secrets/gcp")
            .transformer(),
    );
    echo_op(text).apply(gcp::use_preemptible_nodepool(None, false));
    let spot = Toleration {
        effect: Some("NoExecute".into()),
        key: Some("spot".into()),
        operator: Some("Exists".into()),
        ..Default::default()
    };
    echo_op(text).apply(gcp::use_preemptible_nodepool(Some(spot), true));
    echo_op(text).apply(gcp::use_tpu(8, "v2", "1.12"));
    echo_op(text).apply(gcp::use_tpu(32, "preemptible-v3", "2.1"));
    echo_op(text).apply(gcp::add_gpu_toleration(None));
    let amd = Toleration { key: Some("amd.com/gpu".into()), operator: Some("Exists".into()), ..Default::default() };
    echo_op(text).apply(gcp::add_gpu_toleration(Some(amd)));
    echo_op(text).apply(onprem::mount_pvc("pipeline-claim", "pipeline", "/mnt/pipeline"));
    echo_op(text).apply(onprem::mount_pvc("my-claim", "data", "/data"));
    echo_op(text).apply(onprem::use_k8s_secret("k8s-secret", [] as [(&str, &str); 0]));
    echo_op(text).apply(onprem::use_k8s_secret(
        "s3-secret",
        [("secret_key", "AWS_SECRET_ACCESS_KEY"), ("access_key", "AWS_ACCESS_KEY_ID")],
    ));
    echo_op(text).apply(aws::use_aws_secret("aws-secret", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", None));
    echo_op(text).apply(aws::use_aws_secret("aws-creds", "key-id", "key-secret", Some("us-west-2")));
    echo_op(text).apply(azure::use_azure_secret("azcreds"));
    echo_op(text).apply(azure::use_azure_secret("my-azure-creds"));
    echo_op(text).set_memory_limit("1Gi").apply(onprem::add_default_resource_spec(
        Some("2Gi"),
        Some("2"),
        None,
        Some("500m"),
    ));
    echo_op(text).apply(onprem::add_default_resource_spec(None, None, Some("100Mi"), None));
    echo_op(RUN_ID_PLACEHOLDER);
    echo_op(format!("run {RUN_ID_PLACEHOLDER}, execution {EXECUTION_ID_PLACEHOLDER}"));
}

#[test]
fn each_transformer_equivalent_to_kfp() {
    let ours = kfp::Compiler::new().compile_to_string(op_extensions).unwrap();
    common::assert_equivalent(&ours, &golden("op_extensions"), "op_extensions");
    common::assert_schema_valid(&ours, "op_extensions");
}

/// Extension transformers on every task
#[pipeline(name = "Op extensions conf")]
pub fn op_extensions_conf(#[default("hi")] text: String) {
    get_pipeline_conf()
        .add_op_transformer(onprem::mount_pvc("shared-claim", "shared", "/shared"))
        .add_op_transformer(gcp::use_preemptible_nodepool(None, true))
        .add_op_transformer(onprem::add_default_resource_spec(Some("1Gi"), None, None, None));
    let scratch = VolumeOp::new("scratch", "scratch", "1Gi").add();
    let first = echo_op(text).add_pvolume("/scratch", &scratch.volume());
    echo_op(first.output()).set_memory_limit("4Gi");
}

#[test]
fn pipeline_wide_transformers_equivalent_to_kfp() {
    let ours = kfp::Compiler::new().compile_to_string(op_extensions_conf).unwrap();
    common::assert_equivalent(&ours, &golden("op_extensions_conf"), "op_extensions_conf");
    common::assert_schema_valid(&ours, "op_extensions_conf");
}

/// kfp fails on a `VolumeOp` here (it has no container); kfp-rs leaves it alone.
#[pipeline(name = "secrets everywhere")]
pub fn secrets_everywhere() {
    get_pipeline_conf()
        .add_op_transformer(gcp::use_gcp_secret("user-gcp-sa"))
        .add_op_transformer(gcp::use_tpu(8, "v3", "2.1"))
        .add_op_transformer(aws::use_aws_secret("aws-secret", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", None));
    let scratch = VolumeOp::new("scratch", "scratch", "1Gi").add();
    echo_op("hi").add_pvolume("/scratch", &scratch.volume());
}

#[test]
fn container_transformers_leave_resource_tasks_alone() {
    let workflow = kfp::Compiler::new().compile_to_workflow(secrets_everywhere).unwrap();
    let template = |name: &str| workflow.spec.templates.iter().find(|template| template.name == name).unwrap();
    let scratch = template("scratch");
    assert!(scratch.volumes.is_empty(), "{:?}", scratch.volumes);
    assert!(!scratch.metadata.annotations.keys().any(|key| key.to_string().contains("cloud-tpus")));
    let echo = template("echo");
    let names: Vec<String> = echo.volumes.iter().map(|volume| volume.name.clone()).collect();
    assert_eq!(names, ["gcp-credentials-user-gcp-sa", "scratch"]);
    let container = echo.container.as_ref().unwrap();
    let env: Vec<&str> = container.env.iter().flatten().map(|var| var.name.as_str()).collect();
    assert_eq!(
        env,
        [
            "GOOGLE_APPLICATION_CREDENTIALS",
            "CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY"
        ]
    );
    let limits = container.resources.as_ref().and_then(|resources| resources.limits.as_ref()).unwrap();
    assert_eq!(limits["cloud-tpus.google.com/v3"].0, "8");
}
