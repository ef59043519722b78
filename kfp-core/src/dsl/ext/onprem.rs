//! kfp's `kfp.onprem`: persistent volume claims, secrets and default resources
//! for clusters of one's own.

use k8s_openapi::api::core::v1::PersistentVolumeClaimVolumeSource;

use super::{runs_container, secret_env};
use crate::dsl::Task;
use k8s_openapi::api::core::v1::{Volume, VolumeMount};

/// Mounts persistent volume claim `pvc_name` as pod volume `volume_name` at
/// `volume_mount_path` in the container (kfp's `mount_pvc(pvc_name,
/// volume_name, volume_mount_path)`; kfp's defaults are `pipeline-claim`,
/// `pipeline` and `/mnt/pipeline`). Resource tasks (`VolumeOp`, ...) are left
/// alone, as kfp leaves them.
pub fn mount_pvc(
    pvc_name: impl Into<String>,
    volume_name: impl Into<String>,
    volume_mount_path: impl Into<String>,
) -> impl Fn(&Task<()>) + Clone + 'static {
    let volume = Volume {
        name: volume_name.into(),
        persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
            claim_name: pvc_name.into(),
            read_only: None,
        }),
        ..Volume::default()
    };
    let mount =
        VolumeMount { name: volume.name.clone(), mount_path: volume_mount_path.into(), ..VolumeMount::default() };
    move |task: &Task<()>| {
        if runs_container(task) {
            task.add_volume(volume.clone()).add_volume_mount(mount.clone());
        }
    }
}

/// Sets environment variables of the container to keys of Kubernetes secret
/// `secret_name`, which the user creates (kfp's `use_k8s_secret(secret_name,
/// k8s_secret_key_to_env)`; kfp's default name is `k8s-secret`):
/// `k8s_secret_key_to_env` pairs a key of the secret with the variable it
/// sets, `[("secret_key", "AWS_SECRET_ACCESS_KEY")]`, in the order given.
pub fn use_k8s_secret<K: Into<String>, V: Into<String>>(
    secret_name: impl Into<String>,
    k8s_secret_key_to_env: impl IntoIterator<Item = (K, V)>,
) -> impl Fn(&Task<()>) + Clone + 'static {
    let secret = secret_name.into();
    let vars: Vec<_> =
        k8s_secret_key_to_env.into_iter().map(|(key, var)| secret_env(&var.into(), &secret, &key.into())).collect();
    move |task: &Task<()>| {
        if runs_container(task) {
            for var in &vars {
                task.add_env_variable(var.clone());
            }
        }
    }
}

/// Gives the container default CPU and memory limits and requests (kfp's
/// `add_default_resource_spec(memory_limit, cpu_limit, memory_request,
/// cpu_request)`; `None` is kfp's default: no limit, and a request equal to the
/// limit). A resource whose limit the task sets keeps its settings; otherwise
/// the default limit is set, and the default request unless the task sets one.
/// Meant for every task: `get_pipeline_conf().add_op_transformer(...)`.
pub fn add_default_resource_spec(
    memory_limit: Option<&str>,
    cpu_limit: Option<&str>,
    memory_request: Option<&str>,
    cpu_request: Option<&str>,
) -> impl Fn(&Task<()>) + Clone + 'static {
    let owned = |quantity: Option<&str>| quantity.map(str::to_owned);
    let defaults = [
        ("memory", owned(memory_request.or(memory_limit)), owned(memory_limit)),
        ("cpu", owned(cpu_request.or(cpu_limit)), owned(cpu_limit)),
    ];
    move |task: &Task<()>| {
        if !runs_container(task) {
            return;
        }
        for (resource, request, limit) in &defaults {
            let (has_limit, has_request) = {
                let recording = task.recording.borrow();
                recording.tasks.get(task.index as usize).map_or((false, false), |recorded| {
                    (
                        recorded.settings.limits.contains_key(*resource),
                        recorded.settings.requests.contains_key(*resource),
                    )
                })
            };
            if has_limit {
                continue;
            }
            if let Some(limit) = limit {
                task.add_resource_limit(resource, limit);
            }
            if let Some(request) = request.as_ref().filter(|_| !has_request) {
                task.add_resource_request(resource, request);
            }
        }
    }
}
