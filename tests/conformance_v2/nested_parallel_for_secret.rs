//! `parallel_and_nested__nested_parallel_for_secret.yaml`: a secret named by a task
//! output, as env of a task in a loop: the loop takes the output in
//! (`pipelinechannel--emit-secret-name-Output`).

use kfp::argo::{EnvVar, SecretKeySelector};
use kfp::dsl::ParallelFor;
use kfp::k8s_openapi::api::core::v1::EnvVarSource;
use kfp::prelude::*;

/// Emits the secret name dynamically.
#[component]
pub fn emit_secret_name() -> String {
    "test-secret-1".to_owned()
}

#[component]
pub fn worker_component(item: String) -> String {
    let secret = std::env::var("MY_SECRET_KEY").unwrap_or_else(|_| "not-set".to_owned());
    println!("Item: {item}, Secret set: {}", secret != "not-set");
    secret
}

#[pipeline(
    name = "pipeline-4-nested-parallel-for-secret",
    description = "Pipeline with outer task output used as secret name inside ParallelFor."
)]
fn my_pipeline() {
    let secret_name_task = emit_secret_name_op();
    ParallelFor::new(vec!["x".to_owned(), "y".to_owned()]).parallelism(1).run(|item| {
        worker_component_op(item).add_env_variable(EnvVar {
            name: "MY_SECRET_KEY".into(),
            value_from: Some(EnvVarSource {
                secret_key_ref: Some(SecretKeySelector {
                    name: secret_name_task.output().to_string(),
                    key: "username".into(),
                    optional: None,
                }),
                ..Default::default()
            }),
            ..Default::default()
        });
    });
}

#[test]
fn nested_parallel_for_secret() {
    super::check("parallel_and_nested__nested_parallel_for_secret", my_pipeline);
}
