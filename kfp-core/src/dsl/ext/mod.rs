//! kfp's extension modules: op transformers for clusters on GCP, on premises,
//! on AWS and on Azure (`kfp.gcp`, `kfp.onprem`, `kfp.aws`, `kfp.azure`),
//! reached as `kfp::gcp`, `kfp::onprem`, `kfp::aws` and `kfp::azure`.
//!
//! Each function returns a transformer: apply it to one task
//! (`task.apply(kfp::gcp::use_gcp_secret("user-gcp-sa"))`) or to every task
//! (`get_pipeline_conf().add_op_transformer(kfp::onprem::mount_pvc(...))`).
//! Rust has no default arguments: a kfp argument with a default is an
//! `Option` (`None` is kfp's default), a builder method, or, where kfp's users
//! write it anyway, a required argument whose rustdoc gives kfp's default.

pub mod aws;
pub mod azure;
pub mod gcp;
pub mod onprem;

use super::record::Task;
use super::recorded::Op;
use k8s_openapi::api::core::v1::{EnvVar, EnvVarSource, SecretKeySelector};

/// Whether `task` runs a container (a component or a `ContainerOp`), not a
/// Kubernetes resource. kfp's transformers that change the container fail on
/// a `ResourceOp` (it has none) or skip it (`mount_pvc`); these skip it, so
/// they also serve pipeline-wide in a pipeline with a `VolumeOp`.
fn runs_container(task: &Task<()>) -> bool {
    let recording = task.recording.borrow();
    recording.tasks.get(task.index as usize).is_some_and(|recorded| !matches!(recorded.op, Op::Resource(_)))
}

/// The environment variable `name` set to key `key` of secret `secret`.
fn secret_env(name: &str, secret: &str, key: &str) -> EnvVar {
    EnvVar {
        name: name.to_owned(),
        value_from: Some(EnvVarSource {
            secret_key_ref: Some(SecretKeySelector { name: secret.to_owned(), key: key.to_owned(), optional: None }),
            ..EnvVarSource::default()
        }),
        ..EnvVar::default()
    }
}
