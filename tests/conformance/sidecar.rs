//! `sidecar.yaml`: a step with a sidecar serving what the step downloads.

use kfp::argo::UserContainer;
use kfp::dsl::ContainerOp;
use kfp::prelude::*;

#[pipeline(name = "Sidecar", description = "A pipeline with sidecars.")]
fn sidecar_pipeline() {
    // kfp's `ContainerOp(..., sidecars=[echo])`: the sidecar is set before `.add()`.
    let echo = UserContainer::new("echo", "hashicorp/http-echo").args([r#"-text="hello world""#]);
    let download = ContainerOp::new("download", "busybox")
        .command(["sh", "-c"])
        .arguments(["sleep 10; wget localhost:5678 -O /tmp/results.txt"])
        .file_output("downloaded", "/tmp/results.txt")
        .add_sidecar(echo)
        .add();
    ContainerOp::new("echo", "library/bash")
        .command(["sh", "-c"])
        .arguments([format!("echo {}", download.output())])
        .add();
}

#[test]
fn sidecar_matches_kfp() {
    super::check("sidecar", sidecar_pipeline);
}
