//! Pipeline-level settings: kfp's `PipelineConf`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{PodDNSConfig, Volume};

/// How files travel between tasks: the target's artifact store (kfp's default) or
/// one shared Kubernetes volume (kfp's `data_passing_methods.KubernetesVolume`).
#[derive(Clone, Debug, PartialEq)]
pub struct KubernetesVolume {
    /// The volume (its name is replaced by `data-storage`, as kfp does).
    pub volume: Volume,
    /// Where on the volume the files go (`artifact_data/`).
    pub path_prefix: String,
}

/// Pipeline-level settings (kfp's `PipelineConf`), which apply to the whole run.
///
/// kfp's op transformers are not here: they are applied to every task when the
/// body has run ([`PipelineConfHandle::add_op_transformer`](crate::dsl::PipelineConfHandle::add_op_transformer)),
/// so the recorded tasks carry what they set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PipelineConf {
    /// Names of the secrets the pods pull their images with.
    pub image_pull_secrets: Vec<String>,
    /// Seconds the whole run may take before it fails.
    pub timeout_seconds: Option<u64>,
    /// Most pods running at once.
    pub parallelism: Option<u32>,
    /// Seconds a finished run is kept before it is deleted.
    pub ttl_seconds_after_finished: Option<u32>,
    /// The run's pod disruption budget: pods kept available, an integer or a
    /// percentage (`"50%"`).
    pub pod_disruption_budget_min_available: Option<String>,
    /// The node selector of every pod.
    pub default_pod_node_selector: BTreeMap<String, String>,
    /// The image pull policy of every container that sets none.
    pub image_pull_policy: Option<String>,
    /// The pods' DNS settings.
    pub dns_config: Option<PodDNSConfig>,
    /// Data passing through a volume instead of artifacts.
    pub data_passing_method: Option<KubernetesVolume>,
    /// kfp 2's pipeline workspace: a volume the run's tasks share (KFP v2 only).
    pub workspace: Option<WorkspaceConfig>,
}

/// kfp 2's `dsl.WorkspaceConfig`: the run's workspace, a persistent volume claim
/// of `size` that KFP makes for the run, mounted into every task at
/// [`WORKSPACE_PATH_PLACEHOLDER`](crate::dsl::WORKSPACE_PATH_PLACEHOLDER).
#[derive(Clone, Debug, PartialEq)]
pub struct WorkspaceConfig {
    /// Its size, a Kubernetes quantity (`10Gi`).
    pub size: String,
    /// kfp 2's `KubernetesWorkspaceConfig.pvcSpecPatch`: fields merged into the
    /// claim's spec (`storageClassName`, `accessModes`).
    pub pvc_spec_patch: serde_json::Map<String, serde_json::Value>,
}
