//! Pipeline-level settings: kfp's `PipelineConf`, reached from the pipeline body
//! with [`get_pipeline_conf`] as `dsl.get_pipeline_conf()` is in kfp.

use std::sync::Arc;

use super::record::{current, push_error, Task};
use super::recorded::{KubernetesVolume, PipelineConf};
use super::settings::check_pull_policy;
use k8s_openapi::api::core::v1::{PodDNSConfig, Volume};

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

    /// Deletes the run `seconds` after it finished.
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
        current().borrow_mut().op_transformers.push(Arc::new(transformer));
        *self
    }

    /// Passes files through a shared volume instead of the artifact store.
    pub fn set_data_passing_method(&self, method: KubernetesVolume) -> Self {
        self.change(|conf| conf.data_passing_method = Some(method))
    }
}
