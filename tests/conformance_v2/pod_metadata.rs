//! `critical__pipeline_with_pod_metadata.yaml`: pod labels and annotations, and pod
//! fields as env variables (kfp-kubernetes `add_pod_label`, `add_pod_annotation`,
//! `use_field_path_as_env`).

use kfp::argo::EnvVar;
use kfp::k8s_openapi::api::core::v1::{EnvVarSource, ObjectFieldSelector};
use kfp::prelude::*;

#[component]
pub fn validate_pod_metadata_task_a(
    annotation_path: String,
    annotation_exp_val: String,
    label_path_1: String,
    label_exp_val_1: String,
    label_path_2: String,
    label_exp_val_2: String,
) -> Result<bool, String> {
    let check = |pairs: &[(&str, &str)]| -> Result<bool, String> {
        for (env, expected) in pairs {
            let value = std::env::var(env).unwrap_or_default();
            if value != *expected {
                return Err(format!("{env} is `{value}` but is supposed to be `{expected}`"));
            }
        }
        Ok(true)
    };
    check(&[
        (annotation_path.as_str(), annotation_exp_val.as_str()),
        (label_path_1.as_str(), label_exp_val_1.as_str()),
        (label_path_2.as_str(), label_exp_val_2.as_str()),
    ])
}

#[component]
#[allow(clippy::too_many_arguments)]
pub fn validate_pod_metadata_task_b(
    annotation_path_1: String,
    annotation_exp_val_1: String,
    annotation_path_2: String,
    annotation_exp_val_2: String,
    annotation_path_3: String,
    annotation_exp_val_3: String,
    annotation_path_4: String,
    annotation_exp_val_4: String,
    label_path_1: String,
    label_exp_val_1: String,
    label_path_2: String,
    label_exp_val_2: String,
    label_path_3: String,
    label_exp_val_3: String,
) -> Result<bool, String> {
    let check = |pairs: &[(&str, &str)]| -> Result<bool, String> {
        for (env, expected) in pairs {
            let value = std::env::var(env).unwrap_or_default();
            if value != *expected {
                return Err(format!("{env} is `{value}` but is supposed to be `{expected}`"));
            }
        }
        Ok(true)
    };
    check(&[
        (annotation_path_1.as_str(), annotation_exp_val_1.as_str()),
        (annotation_path_2.as_str(), annotation_exp_val_2.as_str()),
        (annotation_path_3.as_str(), annotation_exp_val_3.as_str()),
        (annotation_path_4.as_str(), annotation_exp_val_4.as_str()),
        (label_path_1.as_str(), label_exp_val_1.as_str()),
        (label_path_2.as_str(), label_exp_val_2.as_str()),
        (label_path_3.as_str(), label_exp_val_3.as_str()),
    ])
}

#[component]
pub fn validate_pod_metadata_task_c(
    annotation_path_1: String,
    annotation_exp_val_1: String,
    annotation_path_2: String,
    annotation_exp_val_2: String,
) -> Result<bool, String> {
    let check = |pairs: &[(&str, &str)]| -> Result<bool, String> {
        for (env, expected) in pairs {
            let value = std::env::var(env).unwrap_or_default();
            if value != *expected {
                return Err(format!("{env} is `{value}` but is supposed to be `{expected}`"));
            }
        }
        Ok(true)
    };
    check(&[
        (annotation_path_1.as_str(), annotation_exp_val_1.as_str()),
        (annotation_path_2.as_str(), annotation_exp_val_2.as_str()),
    ])
}

#[component]
pub fn validate_pod_metadata_task_d(
    label_path_1: String,
    label_exp_val_1: String,
    label_path_2: String,
    label_exp_val_2: String,
    label_path_3: String,
    label_exp_val_3: String,
) -> Result<bool, String> {
    let check = |pairs: &[(&str, &str)]| -> Result<bool, String> {
        for (env, expected) in pairs {
            let value = std::env::var(env).unwrap_or_default();
            if value != *expected {
                return Err(format!("{env} is `{value}` but is supposed to be `{expected}`"));
            }
        }
        Ok(true)
    };
    check(&[
        (label_path_1.as_str(), label_exp_val_1.as_str()),
        (label_path_2.as_str(), label_exp_val_2.as_str()),
        (label_path_3.as_str(), label_exp_val_3.as_str()),
    ])
}

#[component]
pub fn validate_no_pod_metadata() -> Result<bool, String> {
    let check = |pairs: &[(&str, &str)]| -> Result<bool, String> {
        for (env, expected) in pairs {
            let value = std::env::var(env).unwrap_or_default();
            if value != *expected {
                return Err(format!("{env} is `{value}` but is supposed to be `{expected}`"));
            }
        }
        Ok(true)
    };
    check(&[
        ("POD_TASK_ANNOTATION", ""),
        ("POD_TASK_ANNOTATION_1", ""),
        ("POD_TASK_LABEL", ""),
        ("POD_TASK_LABEL_1", ""),
    ])
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

#[pipeline(name = "pipeline-with-pod-metadata")]
fn my_pipeline() {
    validate_pod_metadata_task_a_op(
        "POD_TASK_ANNOTATION",
        "annotation",
        "POD_TASK_LABEL_1",
        "label-1",
        "POD_TASK_LABEL_2",
        "label-2",
    )
    .set_caching_options(false)
    .add_pod_label("task-label-1", "label-1")
    .add_pod_label("task-label-2", "label-2")
    .add_pod_annotation("task-annotation", "annotation")
    .add_env_variable(field_env("POD_TASK_ANNOTATION", "metadata.annotations['task-annotation']"))
    .add_env_variable(field_env("POD_TASK_LABEL_1", "metadata.labels['task-label-1']"))
    .add_env_variable(field_env("POD_TASK_LABEL_2", "metadata.labels['task-label-2']"));

    let task_b = validate_pod_metadata_task_b_op(
        "POD_TASK_ANNOTATION_1",
        "annotation-1",
        "POD_TASK_ANNOTATION_2",
        "annotation-2",
        "POD_TASK_ANNOTATION_3",
        "annotation-3",
        "POD_TASK_ANNOTATION_4",
        "annotation-4",
        "POD_TASK_LABEL_1",
        "label-1",
        "POD_TASK_LABEL_2",
        "label-2",
        "POD_TASK_LABEL_3",
        "label-3",
    )
    .set_caching_options(false);
    for i in 1..=4 {
        task_b.add_pod_annotation(format!("task-annotation-{i}"), format!("annotation-{i}"));
    }
    for i in 1..=3 {
        task_b.add_pod_label(format!("task-label-{i}"), format!("label-{i}"));
    }
    for i in 1..=4 {
        task_b.add_env_variable(field_env(
            &format!("POD_TASK_ANNOTATION_{i}"),
            &format!("metadata.annotations['task-annotation-{i}']"),
        ));
    }
    for i in 1..=3 {
        task_b
            .add_env_variable(field_env(&format!("POD_TASK_LABEL_{i}"), &format!("metadata.labels['task-label-{i}']")));
    }

    let task_c = validate_pod_metadata_task_c_op(
        "POD_TASK_ANNOTATION_1",
        "annotation-1",
        "POD_TASK_ANNOTATION_2",
        "annotation-2",
    )
    .set_caching_options(false);
    for i in 1..=2 {
        task_c.add_pod_annotation(format!("task-annotation-{i}"), format!("annotation-{i}"));
        task_c.add_env_variable(field_env(
            &format!("POD_TASK_ANNOTATION_{i}"),
            &format!("metadata.annotations['task-annotation-{i}']"),
        ));
    }

    let task_d = validate_pod_metadata_task_d_op(
        "POD_TASK_LABEL_1",
        "label-1",
        "POD_TASK_LABEL_2",
        "label-2",
        "POD_TASK_LABEL_3",
        "label-3",
    )
    .set_caching_options(false);
    for i in 1..=3 {
        task_d.add_pod_label(format!("task-label-{i}"), format!("label-{i}"));
        task_d
            .add_env_variable(field_env(&format!("POD_TASK_LABEL_{i}"), &format!("metadata.labels['task-label-{i}']")));
    }

    validate_no_pod_metadata_op()
        .set_caching_options(false)
        .add_env_variable(field_env("POD_TASK_ANNOTATION", "metadata.annotations['task-annotation']"))
        .add_env_variable(field_env("POD_TASK_ANNOTATION_1", "metadata.annotations['task-annotation-1']"))
        .add_env_variable(field_env("POD_TASK_LABEL", "metadata.labels['task-label']"))
        .add_env_variable(field_env("POD_TASK_LABEL_1", "metadata.labels['task-label-1']"));
}

#[test]
fn pod_metadata() {
    super::check("critical__pipeline_with_pod_metadata", my_pipeline);
}
