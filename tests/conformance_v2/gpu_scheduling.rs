//! `gpu-scheduling__nvidia_gpu_scheduling_check.yaml`: a GPU limit and a toleration
//! of the GPU nodes' taint (kfp-kubernetes `add_toleration`).

use kfp::argo::Toleration;
use kfp::components::load_component_from_text;
use kfp::prelude::*;

const VERIFY_GPU_SCHEDULED: &str = r#"
name: verify-gpu-scheduled
description: Lightweight success marker once the GPU-requesting pod runs.
implementation:
  container:
    image: python:3.11
    command: [sh, -c]
    args: ['echo "GPU scheduling check: PASS"']
"#;

#[pipeline(
    name = "nvidia-gpu-scheduling-check",
    description = "Verifies a task requesting nvidia.com/gpu with a matching toleration can schedule and complete (no CUDA/torch assertions)."
)]
fn my_pipeline() {
    let verify = load_component_from_text(VERIFY_GPU_SCHEDULED).expect("the component loads");
    verify.call(Vec::<(&str, &str)>::new()).set_caching_options(false).set_gpu_limit(1).add_toleration(Toleration {
        key: Some("nvidia.com/gpu".into()),
        operator: Some("Exists".into()),
        effect: Some("NoSchedule".into()),
        ..Default::default()
    });
}

#[test]
fn gpu_scheduling() {
    super::check("gpu-scheduling__nvidia_gpu_scheduling_check", my_pipeline);
}
