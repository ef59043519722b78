//! `create_pod_metadata_complex.yaml`: one component with optional inputs called
//! twice with different pod labels and annotations, and a task with none.

use kfp::argo::EnvVar;
use kfp::k8s_openapi::api::core::v1::{EnvVarSource, ObjectFieldSelector};
use kfp::prelude::*;

#[component]
#[allow(clippy::too_many_arguments)]
pub fn validate_pod_metadata(
    annotation_path_1: Option<String>,
    annotation_exp_val_1: Option<String>,
    annotation_path_2: Option<String>,
    annotation_exp_val_2: Option<String>,
    label_path_1: Option<String>,
    label_exp_val_1: Option<String>,
    label_path_2: Option<String>,
    label_exp_val_2: Option<String>,
) -> Result<bool, String> {
    let pairs = [
        (annotation_path_1, annotation_exp_val_1),
        (annotation_path_2, annotation_exp_val_2),
        (label_path_1, label_exp_val_1),
        (label_path_2, label_exp_val_2),
    ];
    for (env, expected) in pairs {
        if let (Some(env), Some(expected)) = (env, expected) {
            let value = std::env::var(&env).unwrap_or_default();
            if value != expected {
                return Err(format!("{env} is `{value}` but is supposed to be `{expected}`"));
            }
        }
    }
    Ok(true)
}

#[component]
pub fn validate_no_pod_metadata(annotation_path: String, label_path: String) -> Result<bool, String> {
    for env in [annotation_path, label_path] {
        if let Ok(value) = std::env::var(&env) {
            return Err(format!("{env} is `{value}` but is supposed to be unset"));
        }
    }
    Ok(true)
}

/// Pod field `path` as env variable `name` (kfp-kubernetes `use_field_path_as_env`).
fn field_env(name: &str, path: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector { field_path: path.into(), api_version: None }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

#[pipeline(name = "pipeline-with-pod-metadata")]
fn my_pipeline() {
    validate_pod_metadata_op(
        some("POD_TASK_ANNOTATION"),
        some("annotation"),
        None::<String>,
        None::<String>,
        some("POD_TASK_LABEL_1"),
        some("label-1"),
        some("POD_TASK_LABEL_2"),
        some("label-2"),
    )
    .set_caching_options(false)
    .add_pod_label("task-label-1", "label-1")
    .add_pod_label("task-label-2", "label-2")
    .add_pod_annotation("task-annotation", "annotation")
    .add_env_variable(field_env("POD_TASK_ANNOTATION", "metadata.annotations['task-annotation']"))
    .add_env_variable(field_env("POD_TASK_LABEL_1", "metadata.labels['task-label-1']"))
    .add_env_variable(field_env("POD_TASK_LABEL_2", "metadata.labels['task-label-2']"));

    validate_pod_metadata_op(
        some("POD_TASK_ANNOTATION_1"),
        some("annotation-1"),
        some("POD_TASK_ANNOTATION_2"),
        some("annotation-2"),
        None::<String>,
        None::<String>,
        None::<String>,
        None::<String>,
    )
    .set_caching_options(false)
    .add_pod_annotation("task-annotation-1", "annotation-1")
    .add_pod_annotation("task-annotation-2", "annotation-2")
    .add_env_variable(field_env("POD_TASK_ANNOTATION_1", "metadata.annotations['task-annotation-1']"))
    .add_env_variable(field_env("POD_TASK_ANNOTATION_2", "metadata.annotations['task-annotation-2']"));

    validate_no_pod_metadata_op("POD_TASK_ANNOTATION", "POD_TASK_LABEL").set_caching_options(false);
}

#[test]
fn pod_metadata_complex() {
    super::check("create_pod_metadata_complex", my_pipeline);
}
