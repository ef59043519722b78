//! Pipeline-level settings: kfp's `PipelineConf`, reached from the pipeline body
//! with [`get_pipeline_conf`] as `dsl.get_pipeline_conf()` is in kfp.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::record::{current, push_error};
use super::settings::check_pull_policy;
use super::task::Task;
use crate::argo::{PodDNSConfig, Volume};

/// A function applied to every task of the pipeline when the body has run
/// (kfp's op transformers); it sees each task as a `Task<()>`: settings, no outputs.
pub type OpTransformer = Arc<dyn Fn(&Task<()>)>;

/// How files travel between tasks: Argo artifacts (kfp's default) or one shared
/// Kubernetes volume (kfp's `data_passing_methods.KubernetesVolume`).
#[derive(Clone, Debug, PartialEq)]
pub struct KubernetesVolume {
    /// The volume (its name is replaced by `data-storage`, as kfp does).
    pub volume: Volume,
    /// Where on the volume the files go (`artifact_data/`).
    pub path_prefix: String,
}

impl KubernetesVolume {
    /// Passes data through `volume`, under `artifact_data/`.
    pub fn new(volume: Volume) -> Self {
        KubernetesVolume { volume, path_prefix: "artifact_data/".to_owned() }
    }

    /// The same, under `path_prefix` on the volume.
    pub fn path_prefix(self, path_prefix: impl Into<String>) -> Self {
        KubernetesVolume { path_prefix: path_prefix.into(), ..self }
    }
}

/// Pipeline-level settings (kfp's `PipelineConf`), written into the Workflow's spec.
#[derive(Clone, Default)]
pub struct PipelineConf {
    /// `imagePullSecrets`: names of secrets.
    pub image_pull_secrets: Vec<String>,
    /// `activeDeadlineSeconds` of the whole run.
    pub timeout_seconds: Option<u64>,
    /// Most pods running at once (`parallelism`).
    pub parallelism: Option<u32>,
    /// Seconds a finished Workflow is kept (`ttlStrategy.secondsAfterCompletion`).
    pub ttl_seconds_after_finished: Option<u32>,
    /// `podDisruptionBudget.minAvailable`: an integer or a percentage (`"50%"`).
    pub pod_disruption_budget_min_available: Option<String>,
    /// `nodeSelector` of every pod.
    pub default_pod_node_selector: BTreeMap<String, String>,
    /// `imagePullPolicy` of every container that sets none.
    pub image_pull_policy: Option<String>,
    /// The pods' DNS settings.
    pub dns_config: Option<PodDNSConfig>,
    /// Functions applied to every task, in order.
    pub op_transformers: Vec<OpTransformer>,
    /// Data passing through a volume instead of artifacts.
    pub data_passing_method: Option<KubernetesVolume>,
}

impl std::fmt::Debug for PipelineConf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PipelineConf")
            .field("image_pull_secrets", &self.image_pull_secrets)
            .field("timeout_seconds", &self.timeout_seconds)
            .field("parallelism", &self.parallelism)
            .field("ttl_seconds_after_finished", &self.ttl_seconds_after_finished)
            .field("pod_disruption_budget_min_available", &self.pod_disruption_budget_min_available)
            .field("default_pod_node_selector", &self.default_pod_node_selector)
            .field("image_pull_policy", &self.image_pull_policy)
            .field("dns_config", &self.dns_config)
            .field("op_transformers", &self.op_transformers.len())
            .field("data_passing_method", &self.data_passing_method)
            .finish()
    }
}

/// The settings of the pipeline whose body is running (kfp's
/// `dsl.get_pipeline_conf()`): `get_pipeline_conf().set_timeout(50).set_parallelism(2);`.
pub fn get_pipeline_conf() -> PipelineConfHandle {
    PipelineConfHandle { _private: () }
}

/// Changes the running pipeline's [`PipelineConf`]; each method returns the
/// handle for chaining.
#[derive(Clone, Copy, Debug)]
pub struct PipelineConfHandle {
    _private: (),
}

impl PipelineConfHandle {
    fn change(&self, change: impl FnOnce(&mut PipelineConf)) -> Self {
        change(&mut current().borrow_mut().conf);
        *self
    }

    /// Secrets the pods pull their images with (kfp's `set_image_pull_secrets`).
    pub fn set_image_pull_secrets<S: Into<String>>(&self, secrets: impl IntoIterator<Item = S>) -> Self {
        let secrets = secrets.into_iter().map(Into::into).collect();
        self.change(|conf| conf.image_pull_secrets = secrets)
    }

    /// Fails the run after `seconds`.
    pub fn set_timeout(&self, seconds: u64) -> Self {
        self.change(|conf| conf.timeout_seconds = Some(seconds))
    }

    /// Runs at most `max_pods` pods at once.
    pub fn set_parallelism(&self, max_pods: u32) -> Self {
        if max_pods == 0 {
            push_error("pipeline parallelism must be at least 1");
        }
        self.change(|conf| conf.parallelism = Some(max_pods))
    }

    /// Deletes the Workflow `seconds` after it finished.
    pub fn set_ttl_seconds_after_finished(&self, seconds: u32) -> Self {
        self.change(|conf| conf.ttl_seconds_after_finished = Some(seconds))
    }

    /// A pod disruption budget keeping `min_available` pods (`"1"`, `"50%"`).
    pub fn set_pod_disruption_budget(&self, min_available: impl Into<String>) -> Self {
        let min_available = min_available.into();
        self.change(|conf| conf.pod_disruption_budget_min_available = Some(min_available))
    }

    /// Schedules every pod on nodes with label `label_name=value`.
    pub fn set_default_pod_node_selector(&self, label_name: impl Into<String>, value: impl Into<String>) -> Self {
        let (label_name, value) = (label_name.into(), value.into());
        self.change(|conf| {
            conf.default_pod_node_selector.insert(label_name, value);
        })
    }

    /// The image pull policy of every container that sets none: `Always`,
    /// `Never` or `IfNotPresent`.
    pub fn set_image_pull_policy(&self, policy: impl Into<String>) -> Self {
        let policy = policy.into();
        check_pull_policy(&policy);
        self.change(|conf| conf.image_pull_policy = Some(policy))
    }

    /// The pods' DNS settings.
    pub fn set_dns_config(&self, dns_config: PodDNSConfig) -> Self {
        self.change(|conf| conf.dns_config = Some(dns_config))
    }

    /// Applies `transformer` to every task of the pipeline, those recorded
    /// before this call too, once the body has run.
    pub fn add_op_transformer(&self, transformer: impl Fn(&Task<()>) + 'static) -> Self {
        self.change(|conf| conf.op_transformers.push(Arc::new(transformer)))
    }

    /// Passes files through a shared volume instead of Argo artifacts.
    pub fn set_data_passing_method(&self, method: KubernetesVolume) -> Self {
        self.change(|conf| conf.data_passing_method = Some(method))
    }
}
