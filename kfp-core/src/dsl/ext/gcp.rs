//! kfp's `kfp.gcp`: service account keys, preemptible node pools, TPUs and GPU
//! nodes on Google Kubernetes Engine.

use k8s_openapi::api::core::v1::{
    Affinity, EnvVar, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm,
    SecretVolumeSource, Toleration, Volume, VolumeMount,
};

use super::runs_container;
use crate::dsl::Task;

/// Gives the container the GCP service account key stored in Kubernetes
/// secret `secret_name` (kfp's `use_gcp_secret(secret_name)`; kfp's default
/// name is `user-gcp-sa`, the other usual one `admin-gcp-sa`): the secret is
/// mounted at `/secret/gcp-credentials`, and `GOOGLE_APPLICATION_CREDENTIALS`
/// and `CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE` name its
/// `/<secret_name>.json`. [`GcpSecret`] sets kfp's other arguments.
pub fn use_gcp_secret(secret_name: impl Into<String>) -> impl Fn(&Task<()>) + Clone + 'static {
    GcpSecret::new(secret_name).transformer()
}

/// [`use_gcp_secret`] with kfp's other arguments:
/// `GcpSecret::new("user-gcp-sa").secret_file_path_in_volume("/key.json").transformer()`
/// is kfp's `use_gcp_secret('user-gcp-sa', secret_file_path_in_volume='/key.json')`.
#[derive(Clone, Debug)]
pub struct GcpSecret {
    secret_name: String,
    secret_file_path_in_volume: Option<String>,
    volume_name: Option<String>,
    secret_volume_mount_path: String,
}

impl GcpSecret {
    /// The key in secret `secret_name`, with kfp's defaults for the rest.
    pub fn new(secret_name: impl Into<String>) -> Self {
        GcpSecret {
            secret_name: secret_name.into(),
            secret_file_path_in_volume: None,
            volume_name: None,
            secret_volume_mount_path: "/secret/gcp-credentials".to_owned(),
        }
    }

    /// The key file's path inside the secret's volume, starting with `/`
    /// (kfp's `secret_file_path_in_volume`; default `/<secret_name>.json`).
    pub fn secret_file_path_in_volume(self, path: impl Into<String>) -> Self {
        GcpSecret { secret_file_path_in_volume: Some(path.into()), ..self }
    }

    /// The pod volume's name (kfp's `volume_name`, deprecated there; default
    /// `gcp-credentials-<secret_name>`).
    pub fn volume_name(self, name: impl Into<String>) -> Self {
        GcpSecret { volume_name: Some(name.into()), ..self }
    }

    /// Where the secret is mounted (kfp's `secret_volume_mount_path`; default
    /// `/secret/gcp-credentials`).
    pub fn secret_volume_mount_path(self, path: impl Into<String>) -> Self {
        GcpSecret { secret_volume_mount_path: path.into(), ..self }
    }

    /// The transformer, for `apply` or `add_op_transformer`.
    pub fn transformer(self) -> impl Fn(&Task<()>) + Clone + 'static {
        let file = self.secret_file_path_in_volume.unwrap_or_else(|| format!("/{}.json", self.secret_name));
        let volume_name = self.volume_name.unwrap_or_else(|| format!("gcp-credentials-{}", self.secret_name));
        let credentials = format!("{}{file}", self.secret_volume_mount_path);
        let (secret_name, mount_path) = (self.secret_name, self.secret_volume_mount_path);
        move |task: &Task<()>| {
            if !runs_container(task) {
                return;
            }
            task.add_volume(Volume {
                name: volume_name.clone(),
                secret: Some(SecretVolumeSource { secret_name: Some(secret_name.clone()), ..Default::default() }),
                ..Volume::default()
            })
            .add_volume_mount(VolumeMount {
                name: volume_name.clone(),
                mount_path: mount_path.clone(),
                ..VolumeMount::default()
            })
            .add_env_variable(env("GOOGLE_APPLICATION_CREDENTIALS", &credentials))
            .add_env_variable(env("CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE", &credentials));
        }
    }
}

fn env(name: &str, value: &str) -> EnvVar {
    EnvVar { name: name.to_owned(), value: Some(value.to_owned()), ..EnvVar::default() }
}

/// Runs the task on `tpu_cores` cores of Cloud TPU `tpu_resource` (`v2`, `v3`,
/// `preemptible-v3`, ...) with TensorFlow `tf_version` on the TPU nodes (kfp's
/// `use_tpu(tpu_cores, tpu_resource, tf_version)`): the resource limit
/// `cloud-tpus.google.com/<tpu_resource>` and the pod annotation
/// `tf-version.cloud-tpus.google.com`.
pub fn use_tpu(
    tpu_cores: u32,
    tpu_resource: impl Into<String>,
    tf_version: impl Into<String>,
) -> impl Fn(&Task<()>) + Clone + 'static {
    let (resource, tf_version) = (format!("cloud-tpus.google.com/{}", tpu_resource.into()), tf_version.into());
    move |task: &Task<()>| {
        if runs_container(task) {
            task.add_pod_annotation("tf-version.cloud-tpus.google.com", &tf_version)
                .add_resource_limit(&resource, tpu_cores);
        }
    }
}

/// Schedules the task on GKE's preemptible nodes (kfp's
/// `use_preemptible_nodepool(toleration, hard_constraint)`): it tolerates
/// `toleration` (`None` is kfp's default, `preemptible=true:NoSchedule`) and
/// has a node affinity to `cloud.google.com/gke-preemptible=true`, required
/// with `hard_constraint`, else preferred with weight 50 (kfp's default).
pub fn use_preemptible_nodepool(
    toleration: Option<Toleration>,
    hard_constraint: bool,
) -> impl Fn(&Task<()>) + Clone + 'static {
    let toleration = toleration.unwrap_or_else(|| equal_no_schedule("preemptible"));
    move |task: &Task<()>| {
        let term = NodeSelectorTerm {
            match_expressions: Some(vec![NodeSelectorRequirement {
                key: "cloud.google.com/gke-preemptible".to_owned(),
                operator: "In".to_owned(),
                values: Some(vec!["true".to_owned()]),
            }]),
            ..NodeSelectorTerm::default()
        };
        let node_affinity = if hard_constraint {
            NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                    node_selector_terms: vec![term],
                }),
                ..NodeAffinity::default()
            }
        } else {
            NodeAffinity {
                preferred_during_scheduling_ignored_during_execution: Some(vec![PreferredSchedulingTerm {
                    preference: term,
                    weight: 50,
                }]),
                ..NodeAffinity::default()
            }
        };
        task.add_toleration(toleration.clone())
            .add_affinity(Affinity { node_affinity: Some(node_affinity), ..Affinity::default() });
    }
}

/// Lets the task run on GKE's GPU nodes (kfp's `add_gpu_toleration(toleration)`):
/// it tolerates `toleration` (`None` is kfp's default,
/// `nvidia.com/gpu=true:NoSchedule`).
pub fn add_gpu_toleration(toleration: Option<Toleration>) -> impl Fn(&Task<()>) + Clone + 'static {
    let toleration = toleration.unwrap_or_else(|| equal_no_schedule("nvidia.com/gpu"));
    move |task: &Task<()>| {
        task.add_toleration(toleration.clone());
    }
}

/// The toleration of taint `key=true:NoSchedule`.
fn equal_no_schedule(key: &str) -> Toleration {
    Toleration {
        effect: Some("NoSchedule".to_owned()),
        key: Some(key.to_owned()),
        operator: Some("Equal".to_owned()),
        value: Some("true".to_owned()),
        ..Toleration::default()
    }
}
