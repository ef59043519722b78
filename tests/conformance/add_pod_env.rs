//! `add_pod_env.yaml`: the pod label `add-pod-env: "true"` gives the container
//! kfp's pod variables (kfp's `add_pod_env` op transformer).

use kfp::dsl::ContainerOp;
use kfp::prelude::*;

#[pipeline(name = "Test adding pod env", description = "Test adding pod env")]
fn test_add_pod_env() {
    ContainerOp::new("echo", "library/bash")
        .command(["sh", "-c"])
        .arguments(["echo $KFP_POD_NAME"])
        .add()
        .add_pod_label("add-pod-env", "true");
}

#[test]
fn add_pod_env_matches_kfp() {
    super::check("add_pod_env", test_add_pod_env);
}
