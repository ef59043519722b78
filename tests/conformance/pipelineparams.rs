//! `pipelineparams.yaml`: parameters with defaults embedded in an image tag, a
//! sidecar's image and a command; an environment variable.

use kfp::argo::UserContainer;
use kfp::dsl::ContainerOp;
use kfp::prelude::*;

#[pipeline(name = "PipelineParams", description = "A pipeline with multiple pipeline params.")]
fn pipelineparams(#[default("latest")] tag: String, #[default(10)] sleep_ms: i64) {
    let echo = UserContainer::new("echo", format!("hashicorp/http-echo:{tag}")).args([r#"-text="hello world""#]);
    let download = ContainerOp::new("download", format!("busybox:{tag}"))
        .command(["sh", "-c"])
        .arguments([format!("sleep {sleep_ms}; wget localhost:5678 -O /tmp/results.txt")])
        .file_output("downloaded", "/tmp/results.txt")
        .add();
    download.add_sidecar(echo);
    ContainerOp::new("echo", "library/bash")
        .command(["sh", "-c"])
        .arguments([format!("echo $MSG {}", download.output())])
        .add()
        .set_env_variable("MSG", "pipelineParams: ");
}

#[test]
fn pipelineparams_matches_kfp() {
    super::check("pipelineparams", pipelineparams);
}
