//! The settings a task carries (kfp's `ContainerOp` setters, [`crate::dsl::Task`]'s
//! `set_*`/`add_*` methods): Kubernetes objects are k8s-openapi's types, which every
//! target that runs pods shares.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Affinity, Container, EnvFromSource, EnvVar, SecurityContext, Toleration, Volume, VolumeMount,
};
use serde::Serialize;

/// Per-task settings, as kfp's `ContainerOp` has them; a compiler writes them
/// where its target wants them (as kfp 1.8's `_op_to_template` does).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TaskSettings {
    /// `pipelines.kubeflow.org/task_display_name`.
    pub display_name: Option<String>,
    /// Resource requests (`cpu`, `memory`, `ephemeral-storage`, ...).
    pub requests: BTreeMap<String, String>,
    /// Resource limits (`cpu`, `memory`, `nvidia.com/gpu`, ...).
    pub limits: BTreeMap<String, String>,
    /// Environment variables, after the component's own, in order.
    pub env: Vec<EnvVar>,
    /// `envFrom` sources (config maps, secrets).
    pub env_from: Vec<EnvFromSource>,
    /// Pod volumes (kfp's `add_volume`).
    pub volumes: Vec<Volume>,
    /// The container's volume mounts (kfp's `container.add_volume_mount`).
    pub volume_mounts: Vec<VolumeMount>,
    /// `nodeSelector`.
    pub node_selector: BTreeMap<String, String>,
    /// Tolerations.
    pub tolerations: Vec<Toleration>,
    /// Affinity (boxed, as the security context: rarely set, and large for a
    /// field every recorded task carries).
    pub affinity: Option<Box<Affinity>>,
    /// Retries after a failure, with policy and backoff.
    pub retry: Option<Retry>,
    /// Seconds the task may run before it fails.
    pub timeout_seconds: Option<u64>,
    /// Pod annotations.
    pub pod_annotations: BTreeMap<String, String>,
    /// Pod labels.
    pub pod_labels: BTreeMap<String, String>,
    /// `enable_caching` label; `None` keeps kfp's default (enabled).
    pub caching: Option<bool>,
    /// `max_cache_staleness` annotation (an ISO 8601 duration, `P0D`).
    pub max_cache_staleness: Option<String>,
    /// Sidecar containers.
    pub sidecars: Vec<Sidecar>,
    /// Init containers.
    pub init_containers: Vec<Sidecar>,
    /// The container's `imagePullPolicy`.
    pub image_pull_policy: Option<String>,
    /// The container's security context.
    pub security_context: Option<Box<SecurityContext>>,
    /// kfp-kubernetes' `add_node_selector_json`: a pipeline value or JSON object text.
    pub node_selector_json: Option<String>,
    /// kfp-kubernetes' `add_node_affinity_json`: a pipeline value or JSON object text.
    pub node_affinity_json: Option<String>,
    /// kfp-kubernetes' `add_toleration_json` with pipeline values (constants become
    /// `tolerations`, as kfp-kubernetes makes them).
    pub tolerations_json: Vec<String>,
    /// kfp-kubernetes' `set_image_pull_secrets`: this task's pod's image pull
    /// secrets, each a name or a pipeline value.
    pub image_pull_secrets: Vec<String>,
    /// kfp 2's `ignore_upstream_failure()`: runs once its upstream tasks end, however they end.
    pub ignore_upstream_failure: bool,
    /// kfp 2's `set_accelerator_type`: the accelerator (`NVIDIA_TESLA_P4`), a constant or a pipeline value.
    pub accelerator_type: Option<String>,
    /// kfp 2's `set_accelerator_limit`: how many, a constant or a pipeline value.
    pub accelerator_limit: Option<String>,
}

/// How a task is retried (kfp's `set_retry(num_retries, policy, backoff_duration,
/// backoff_factor, backoff_max_duration)`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Retry {
    /// Retries after the first attempt.
    pub limit: u32,
    /// `Always`, `OnFailure`, `OnError` or `OnTransientError` (kfp's retry policies); none
    /// is `OnFailure`.
    pub policy: Option<String>,
    /// First delay between attempts (`10s`, `2m`).
    pub backoff_duration: Option<String>,
    /// Factor the delay grows by after each attempt.
    pub backoff_factor: Option<u32>,
    /// Longest total time spent retrying.
    pub backoff_max_duration: Option<String>,
}

/// A container of the task's pod besides the task's own: a sidecar running beside
/// it, or an init container running before it (kfp's `dsl.Sidecar` and
/// `dsl.UserContainer`, a Kubernetes container and `mirror_volume_mounts`).
///
/// ```
/// use kfp_core::dsl::Sidecar;
///
/// let echo = Sidecar::new("echo", "hashicorp/http-echo").args(["-text=hi"]).mirror_volume_mounts(true);
/// assert_eq!(echo.container.name, "echo");
/// ```
///
/// Other container fields go through [`Sidecar::container`] or [`Sidecar::from`] a
/// `k8s_openapi` `Container`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Sidecar {
    /// The container, as Kubernetes describes it; its strings may embed pipeline
    /// values written with `format!`.
    pub container: Container,
    /// Whether it also mounts the volumes the task's container mounts; `None`
    /// leaves it unsaid (they are not mounted).
    pub mirror_volume_mounts: Option<bool>,
}

impl Sidecar {
    /// A container `name` running `image` (kfp's `Sidecar(name, image)`).
    pub fn new(name: impl Into<String>, image: impl Into<String>) -> Self {
        Sidecar::from(Container { name: name.into(), image: Some(image.into()), ..Container::default() })
    }

    /// The entrypoint (kfp's `Sidecar(command=...)`): strings, `&str`s or pipeline values.
    pub fn command<S: ToString>(mut self, command: impl IntoIterator<Item = S>) -> Self {
        self.container.command = Some(command.into_iter().map(|part| part.to_string()).collect());
        self
    }

    /// The arguments (kfp's `Sidecar(args=...)`): strings, `&str`s or pipeline values.
    pub fn args<S: ToString>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.container.args = Some(args.into_iter().map(|part| part.to_string()).collect());
        self
    }

    /// Mounts the task container's volumes in this one too (kfp's `mirror_volume_mounts`).
    pub fn mirror_volume_mounts(self, mirror: bool) -> Self {
        Sidecar { mirror_volume_mounts: Some(mirror), ..self }
    }
}

impl From<Container> for Sidecar {
    fn from(container: Container) -> Self {
        Sidecar { container, mirror_volume_mounts: None }
    }
}
