//! `parallel_and_nested__parallel_for_secret.yaml`: a secret named by a pipeline
//! parameter, as env of a task in a loop: the loop takes the parameter in
//! (`pipelinechannel--my_secret_name`).

use kfp::argo::{EnvVar, SecretKeySelector};
use kfp::dsl::ParallelFor;
use kfp::k8s_openapi::api::core::v1::EnvVarSource;
use kfp::prelude::*;

#[component]
pub fn example_component(item: String) -> String {
    let secret = std::env::var("MY_SECRET_KEY").unwrap_or_else(|_| "not-set".to_owned());
    println!("Item: {item}, Secret set: {}", secret != "not-set");
    secret
}

#[pipeline(
    name = "pipeline-2-parallel-for-secret",
    description = "Pipeline with 1 component inside ParallelFor using use_secret_as_env."
)]
fn my_pipeline(#[default("test-secret-1")] my_secret_name: String) {
    ParallelFor::new(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]).parallelism(1).run(|item| {
        example_component_op(item).add_env_variable(EnvVar {
            name: "MY_SECRET_KEY".into(),
            value_from: Some(EnvVarSource {
                secret_key_ref: Some(SecretKeySelector {
                    name: my_secret_name.to_string(),
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
fn parallel_for_secret() {
    super::check("parallel_and_nested__parallel_for_secret", my_pipeline);
}
