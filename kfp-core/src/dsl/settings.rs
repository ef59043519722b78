//! The settings a task carries: every setter of kfp's `ContainerOp` (resources,
//! env, volumes, scheduling, retries, pod metadata, caching, sidecars, ...).
//!
//! Kubernetes objects are k8s-openapi's types, where kfp takes the kubernetes
//! client's models (`V1EnvVar`, `V1Toleration`, ...). A setter's text may be a
//! pipeline parameter or task output (`.set_memory_limit(size.output())`, as kfp
//! takes a `PipelineParam`) or embed one with `format!`; the compiler resolves it.

use std::sync::LazyLock;

use k8s_openapi::api::core::v1::{Affinity, EnvFromSource, EnvVar, SecurityContext, Toleration, Volume, VolumeMount};

use super::arg::Arg;
use super::marker::ValueRef;
use super::record::{push_error, Task};
use super::recorded::{Op, Retry, Sidecar, TaskSettings};

impl Retry {
    /// `limit` retries with the default policy (`OnFailure`) and no backoff.
    pub fn new(limit: u32) -> Self {
        Retry { limit, ..Retry::default() }
    }

    /// The same retries under `policy`.
    pub fn policy(self, policy: impl Into<String>) -> Self {
        Retry { policy: Some(policy.into()), ..self }
    }

    /// The same retries, waiting `duration` before the first one and `factor`
    /// times longer before each next one, for at most `max_duration` in all.
    pub fn backoff(self, duration: impl Into<String>, factor: Option<u32>, max_duration: Option<&str>) -> Self {
        Retry {
            backoff_duration: Some(duration.into()),
            backoff_factor: factor,
            backoff_max_duration: max_duration.map(str::to_owned),
            ..self
        }
    }
}

const RETRY_POLICIES: [&str; 4] = ["Always", "OnError", "OnFailure", "OnTransientError"];
const PULL_POLICIES: [&str; 3] = ["Always", "Never", "IfNotPresent"];

/// Records an error for an image pull policy Kubernetes does not know (of a task
/// or of the whole pipeline).
pub(super) fn check_pull_policy(policy: &str) {
    if !PULL_POLICIES.contains(&policy) {
        push_error(format!("image pull policy `{policy}` is not one of {}", PULL_POLICIES.join(", ")));
    }
}

impl TaskSettings {
    /// Whether a setting embeds a pipeline value (`format!` with a parameter or
    /// output), which the compiler then resolves.
    pub fn embeds_values(&self) -> bool {
        !self.is_default() && serde_json::to_string(self).is_ok_and(|text| super::marker::has_marker(&text))
    }

    /// Whether nothing is set: most tasks of a large pipeline. Compared with one
    /// default made once, since making one per task costs more than comparing.
    pub fn is_default(&self) -> bool {
        static DEFAULT: LazyLock<TaskSettings> = LazyLock::new(TaskSettings::default);
        *self == *DEFAULT
    }
}

impl<O> Task<O> {
    fn settings(&self, change: impl FnOnce(&mut TaskSettings)) -> Self {
        let mut recording = self.recording.borrow_mut();
        if let Some(task) = recording.tasks.get_mut(self.index as usize) {
            change(&mut task.settings);
        }
        drop(recording);
        self.clone()
    }

    /// Calls `transform` with this task, for settings kept in one function
    /// (kfp's `op.apply(transformer)`); the same functions serve as the
    /// pipeline's op transformers ([`super::PipelineConfHandle::add_op_transformer`]).
    pub fn apply(&self, transform: impl FnOnce(&Task<()>)) -> Self {
        transform(&Task::new(self.recording.clone(), self.index));
        self.clone()
    }

    /// Name shown for the task in the KFP UI.
    pub fn set_display_name(&self, name: impl ToString) -> Self {
        let name = name.to_string();
        self.settings(|s| s.display_name = Some(name))
    }

    /// CPU request, a Kubernetes quantity (`500m`, `2`).
    pub fn set_cpu_request(&self, cpu: impl ToString) -> Self {
        self.add_resource_request("cpu", cpu)
    }

    /// CPU limit, a Kubernetes quantity.
    pub fn set_cpu_limit(&self, cpu: impl ToString) -> Self {
        self.add_resource_limit("cpu", cpu)
    }

    /// Memory request, a Kubernetes quantity (`512Mi`, `2G`).
    pub fn set_memory_request(&self, memory: impl ToString) -> Self {
        self.add_resource_request("memory", memory)
    }

    /// Memory limit, a Kubernetes quantity.
    pub fn set_memory_limit(&self, memory: impl ToString) -> Self {
        self.add_resource_limit("memory", memory)
    }

    /// Local ephemeral storage request (`ephemeral-storage`), a Kubernetes quantity.
    pub fn set_ephemeral_storage_request(&self, size: impl ToString) -> Self {
        self.add_resource_request("ephemeral-storage", size)
    }

    /// Local ephemeral storage limit, a Kubernetes quantity.
    pub fn set_ephemeral_storage_limit(&self, size: impl ToString) -> Self {
        self.add_resource_limit("ephemeral-storage", size)
    }

    /// NVIDIA GPU limit (`nvidia.com/gpu`).
    pub fn set_gpu_limit(&self, gpus: impl ToString) -> Self {
        self.set_gpu_limit_for_vendor(gpus, "nvidia")
    }

    /// GPU limit for a vendor's resource (`amd` -> `amd.com/gpu`). A vendor that
    /// is a pipeline value is the resource's whole name, as kfp takes it
    /// (`nvidia.com/gpu`), and goes with the count into the pod spec patch.
    pub fn set_gpu_limit_for_vendor(&self, gpus: impl ToString, vendor: impl ToString) -> Self {
        let vendor = vendor.to_string();
        let resource = if super::marker::has_marker(&vendor) { vendor } else { format!("{vendor}.com/gpu") };
        self.add_resource_limit(resource, gpus.to_string())
    }

    /// Any resource request (a custom resource, `example.com/foo`).
    pub fn add_resource_request(&self, resource: impl ToString, quantity: impl ToString) -> Self {
        let (resource, quantity) = (resource.to_string(), quantity.to_string());
        self.settings(|s| {
            s.requests.insert(resource, quantity);
        })
    }

    /// Any resource limit (a custom resource, `cloud-tpus.google.com/v2`).
    pub fn add_resource_limit(&self, resource: impl ToString, quantity: impl ToString) -> Self {
        let (resource, quantity) = (resource.to_string(), quantity.to_string());
        self.settings(|s| {
            s.limits.insert(resource, quantity);
        })
    }

    /// Sets an environment variable of the container to `value`, replacing one
    /// set before under the same name.
    pub fn set_env_variable(&self, name: impl ToString, value: impl ToString) -> Self {
        self.add_env_variable(EnvVar { name: name.to_string(), value: Some(value.to_string()), ..EnvVar::default() })
    }

    /// Adds an environment variable, of any source (`valueFrom` a secret, a
    /// config map, a pod field), replacing one set before under the same name.
    pub fn add_env_variable(&self, var: EnvVar) -> Self {
        self.settings(|s| {
            s.env.retain(|existing| existing.name != var.name);
            s.env.push(var);
        })
    }

    /// Adds an `envFrom` source: every key of a config map or secret.
    pub fn add_env_from(&self, source: EnvFromSource) -> Self {
        self.settings(|s| s.env_from.push(source))
    }

    /// Adds a pod volume (mount it with [`Task::add_volume_mount`]).
    pub fn add_volume(&self, volume: Volume) -> Self {
        self.settings(|s| s.volumes.push(volume))
    }

    /// Mounts a volume into the container.
    pub fn add_volume_mount(&self, mount: VolumeMount) -> Self {
        self.settings(|s| s.volume_mounts.push(mount))
    }

    /// Schedules the task only on nodes with label `key=value`.
    pub fn add_node_selector_constraint(&self, key: impl ToString, value: impl ToString) -> Self {
        let (key, value) = (key.to_string(), value.to_string());
        self.settings(|s| {
            s.node_selector.insert(key, value);
        })
    }

    /// Lets the task run on nodes with a matching taint.
    pub fn add_toleration(&self, toleration: Toleration) -> Self {
        self.settings(|s| s.tolerations.push(toleration))
    }

    /// Sets the pod's affinity (kfp's `add_affinity` keeps the last one too).
    pub fn add_affinity(&self, affinity: Affinity) -> Self {
        self.settings(|s| s.affinity = Some(Box::new(affinity)))
    }

    /// Retries the task up to `retries` times after a failure.
    pub fn set_retry(&self, retries: u32) -> Self {
        self.set_retry_strategy(Retry::new(retries))
    }

    /// Retries the task with a policy and backoff:
    /// `task.set_retry_strategy(Retry::new(3).policy("Always").backoff("10s", Some(2), Some("1h")))`.
    pub fn set_retry_strategy(&self, retry: Retry) -> Self {
        if let Some(policy) = retry.policy.as_deref().filter(|policy| !RETRY_POLICIES.contains(policy)) {
            push_error(format!("retry policy `{policy}` is not one of {}", RETRY_POLICIES.join(", ")));
        }
        self.settings(|s| s.retry = Some(retry))
    }

    /// Fails the task after `seconds`.
    pub fn set_timeout(&self, seconds: u64) -> Self {
        self.settings(|s| s.timeout_seconds = Some(seconds))
    }

    /// Adds an annotation to the task's pod.
    pub fn add_pod_annotation(&self, name: impl ToString, value: impl ToString) -> Self {
        let (name, value) = (name.to_string(), value.to_string());
        self.settings(|s| {
            s.pod_annotations.insert(name, value);
        })
    }

    /// Adds a label to the task's pod. The label `add-pod-env: "true"` also gives
    /// the container kfp's pod variables (`KFP_POD_NAME`, `KFP_RUN_ID`, ...).
    pub fn add_pod_label(&self, name: impl ToString, value: impl ToString) -> Self {
        let (name, value) = (name.to_string(), value.to_string());
        self.settings(|s| {
            s.pod_labels.insert(name, value);
        })
    }

    /// kfp 2's `ignore_upstream_failure()`: the task runs once its upstream tasks end,
    /// however they end (KFP v2's trigger policy `ALL_UPSTREAM_TASKS_COMPLETED`). An input
    /// taking an upstream task's output must have a default, for when that task fails
    /// before writing it. KFP v2 only: in KFP v1, make it the exit task of an
    /// [`exit_handler`](crate::dsl::exit_handler) around its upstream tasks.
    pub fn ignore_upstream_failure(&self) -> Self {
        let recording = self.recording.borrow();
        let mut problems = Vec::new();
        if let Some(task) = recording.tasks.get(self.index as usize) {
            if let Op::Component { component, args } = &task.op {
                for (arg, input) in args.iter().zip(&component.spec.inputs) {
                    let from_task = matches!(arg, Arg::Value(ValueRef::Output(_)));
                    if from_task && !input.optional && input.default.is_none() {
                        problems.push(format!(
                            "task `{}` (ignore_upstream_failure): input `{}` takes an upstream task's output and has \
                             no default, for when that task fails before writing it: give the input a default \
                             (`#[default(..)]`) or make it optional (`Option<_>`)",
                            task.human_name(),
                            input.name
                        ));
                    }
                }
            }
        }
        drop(recording);
        problems.into_iter().for_each(push_error);
        self.settings(|s| s.ignore_upstream_failure = true)
    }

    /// kfp 2's `set_accelerator_type`: the accelerator the task runs on
    /// (`NVIDIA_TESLA_P4`, `TPU_V3`), a constant or a pipeline value; one of them
    /// unless [`set_accelerator_limit`](Self::set_accelerator_limit) says how many.
    /// KFP v2 only: for KFP v1, use `set_gpu_limit_for_vendor` and a node selector.
    pub fn set_accelerator_type(&self, accelerator: impl ToString) -> Self {
        let accelerator = accelerator.to_string();
        self.settings(|s| {
            s.accelerator_limit.get_or_insert_with(|| "1".to_owned());
            s.accelerator_type = Some(accelerator);
        })
    }

    /// kfp 2's `set_accelerator_limit`: how many accelerators of
    /// [`set_accelerator_type`](Self::set_accelerator_type)'s kind the task takes, a
    /// whole number or a pipeline value. KFP v2 only, as that.
    pub fn set_accelerator_limit(&self, limit: impl ToString) -> Self {
        let limit = limit.to_string();
        if !super::marker::has_marker(&limit) && limit.parse::<u32>().is_err() {
            push_error(format!("set_accelerator_limit: `{limit}` is not a whole number of accelerators (`1`, `4`)"));
            return self.clone();
        }
        self.settings(|s| s.accelerator_limit = Some(limit))
    }

    /// Turns KFP's result caching on or off for this task.
    pub fn set_caching_options(&self, enable_caching: bool) -> Self {
        self.settings(|s| s.caching = Some(enable_caching))
    }

    /// Reuses cached results only when younger than `staleness` (ISO 8601, `P0D` never).
    pub fn set_max_cache_staleness(&self, staleness: impl ToString) -> Self {
        let staleness = staleness.to_string();
        self.settings(|s| s.max_cache_staleness = Some(staleness))
    }

    /// Runs a sidecar container beside the task's (kfp's `add_sidecar(Sidecar(...))`).
    pub fn add_sidecar(&self, sidecar: impl Into<Sidecar>) -> Self {
        let sidecar = sidecar.into();
        self.settings(|s| s.sidecars.push(sidecar))
    }

    /// Runs an init container before the task's (kfp's `add_init_container(UserContainer(...))`).
    pub fn add_init_container(&self, container: impl Into<Sidecar>) -> Self {
        let container = container.into();
        self.settings(|s| s.init_containers.push(container))
    }

    /// The container's image pull policy: `Always`, `Never` or `IfNotPresent`.
    pub fn set_image_pull_policy(&self, policy: impl ToString) -> Self {
        let policy = policy.to_string();
        check_pull_policy(&policy);
        self.settings(|s| s.image_pull_policy = Some(policy))
    }

    /// The container's security context.
    pub fn set_security_context(&self, context: SecurityContext) -> Self {
        self.settings(|s| s.security_context = Some(Box::new(context)))
    }

    /// kfp-kubernetes' `add_node_selector_json`: the pod's node selector as a JSON
    /// object (`{"disktype": "ssd"}`), a constant or a pipeline value (a parameter
    /// of type `serde_json::Value`), which KFP v2 reads when the task starts; a later
    /// call replaces it. KFP v2 only: for KFP v1, use
    /// [`Task::add_node_selector_constraint`]. A setter's constant is checked when
    /// the pipeline is recorded: `task.add_node_selector_json(json!({"disktype":
    /// "ssd"}))`, or `task.add_node_selector_json(selector)` for a parameter
    /// `selector: serde_json::Value`.
    pub fn add_node_selector_json(&self, node_selector: impl ToString) -> Self {
        let node_selector = json_object_setting("add_node_selector_json", node_selector.to_string());
        self.settings(|s| s.node_selector_json = node_selector)
    }

    /// kfp-kubernetes' `add_node_affinity_json`: the pod's node affinity as a JSON
    /// object in Kubernetes' `NodeAffinity` form (`{"requiredDuringSchedulingIgnoredDuringExecution":
    /// ...}`), a constant or a pipeline value; a later call replaces it. KFP v2 only:
    /// for KFP v1, use [`Task::add_affinity`].
    pub fn add_node_affinity_json(&self, node_affinity: impl ToString) -> Self {
        let node_affinity = json_object_setting("add_node_affinity_json", node_affinity.to_string());
        self.settings(|s| s.node_affinity_json = node_affinity)
    }

    /// kfp-kubernetes' `add_toleration_json`: tolerations as JSON, one Kubernetes
    /// `Toleration` object or a list of them. A constant becomes tolerations as
    /// [`Task::add_toleration`] adds them (as kfp-kubernetes does, so KFP v1 takes it
    /// too); a pipeline value is read by KFP v2 when the task starts.
    pub fn add_toleration_json(&self, tolerations: impl ToString) -> Self {
        let text = tolerations.to_string();
        if super::marker::has_marker(&text) {
            return self.settings(|s| s.tolerations_json.push(text));
        }
        let parsed = match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Array(items)) => items.into_iter().map(serde_json::from_value).collect(),
            Ok(item) => serde_json::from_value(item).map(|toleration| vec![toleration]),
            Err(error) => Err(error),
        };
        match parsed {
            Ok(parsed) => self.settings(|s| s.tolerations.extend(parsed)),
            Err(error) => {
                push_error(format!(
                    "add_toleration_json: `{text}` is not a Kubernetes toleration or a list of them ({error}): write \
                     e.g. {{\"key\": \"gpu\", \"operator\": \"Exists\", \"effect\": \"NoSchedule\"}}"
                ));
                self.clone()
            }
        }
    }

    /// kfp-kubernetes' `set_image_pull_secrets`: secrets this task's pod pulls its
    /// image with, each a name or a pipeline value. KFP v2 only: for KFP v1, set them
    /// for the whole pipeline with `get_pipeline_conf().set_image_pull_secrets(..)`.
    pub fn set_image_pull_secrets<S: ToString>(&self, secret_names: impl IntoIterator<Item = S>) -> Self {
        let names: Vec<String> = secret_names.into_iter().map(|name| name.to_string()).collect();
        self.settings(|s| s.image_pull_secrets.extend(names))
    }
}

/// A JSON object setting's text: a pipeline value as is, or a constant that
/// parses as a JSON object; a recorded problem naming `setter` otherwise.
fn json_object_setting(setter: &str, text: String) -> Option<String> {
    let constant = serde_json::from_str::<serde_json::Value>(&text);
    if super::marker::has_marker(&text) || constant.as_ref().is_ok_and(serde_json::Value::is_object) {
        return Some(text);
    }
    let kind = match constant {
        Ok(serde_json::Value::Array(_)) => "a list",
        Ok(_) => "a JSON scalar",
        Err(_) => "not JSON",
    };
    push_error(format!(
        "{setter}: `{text}` is {kind}; it takes a JSON object (a `serde_json::json!({{...}})`) or a pipeline value"
    ));
    None
}
