//! Task handles and the settings a task carries.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::rc::Rc;

use super::arg::{Output, OutputRef};
use super::record::Recording;
use crate::component::ReturnSpec;
use crate::types::{KfpType, TypeInfo};

/// A recorded task; `O` types its outputs.
///
/// Settings methods mirror kfp's `ContainerOp` (`set_cpu_limit`, `set_retry`, ...)
/// and return `&Self` for chaining.
pub struct Task<O> {
    pub(crate) recording: Rc<RefCell<Recording>>,
    pub(crate) index: u32,
    _outputs: PhantomData<fn() -> O>,
}

impl<O> Clone for Task<O> {
    fn clone(&self) -> Self {
        Task { recording: Rc::clone(&self.recording), index: self.index, _outputs: PhantomData }
    }
}

impl<O> std::fmt::Debug for Task<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task").field("index", &self.index).finish()
    }
}

/// How a task's outputs are handed out: `()` none, a [`KfpType`] one `Output`,
/// a `#[derive(ComponentOutputs)]` struct one handle per field.
pub trait Outputs: 'static {
    /// What [`Task::outputs`] returns.
    type Handles;
    /// The handles of the task `task`.
    #[doc(hidden)]
    fn handles(task: TaskRef) -> Self::Handles;
}

/// The task a set of output handles belongs to.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct TaskRef {
    pub(crate) recording: u64,
    pub(crate) task: u32,
}

impl TaskRef {
    /// The handle of output `name`, typed `T`.
    pub fn output<T>(self, name: &'static str) -> Output<T> {
        Output::new(OutputRef { recording: self.recording, task: self.task, name })
    }
}

impl Outputs for () {
    type Handles = ();
    fn handles(_: TaskRef) {}
}

impl<T: KfpType> Outputs for T {
    type Handles = Output<T>;
    fn handles(task: TaskRef) -> Output<T> {
        task.output("Output")
    }
}

/// A return type of a component function.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by a component",
    label = "return a kfp type (integer, float, bool, String, Vec, map), `()`, a `#[derive(ComponentOutputs)]` struct, or a `Result` of one",
    note = "see the kfp-rs README, section \"Types\""
)]
pub trait ReturnType {
    /// The outputs tasks of the component have.
    type Outputs: Outputs;
    /// The outputs as data, for the component spec and program.
    fn return_spec() -> ReturnSpec;
    /// The returned value as the program writes its output files, one text per
    /// output; an `Err` return is the error's message.
    fn into_output_texts(self) -> Result<Vec<String>, String>
    where
        Self: Sized;
}

impl ReturnType for () {
    type Outputs = ();
    fn return_spec() -> ReturnSpec {
        ReturnSpec::default()
    }
    fn into_output_texts(self) -> Result<Vec<String>, String> {
        Ok(Vec::new())
    }
}

impl<T: KfpType> ReturnType for T {
    type Outputs = T;
    fn return_spec() -> ReturnSpec {
        ReturnSpec { outputs: vec![("Output", TypeInfo::of::<T>())], ..ReturnSpec::default() }
    }
    fn into_output_texts(self) -> Result<Vec<String>, String> {
        Ok(vec![self.to_kfp_output()?])
    }
}

impl<T: ReturnType, E: std::fmt::Display> ReturnType for Result<T, E> {
    type Outputs = T::Outputs;
    fn return_spec() -> ReturnSpec {
        ReturnSpec { fallible: true, ..T::return_spec() }
    }
    fn into_output_texts(self) -> Result<Vec<String>, String> {
        self.map_err(|error| error.to_string())?.into_output_texts()
    }
}

/// Per-task settings, as kfp's `ContainerOp` has them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskSettings {
    /// `pipelines.kubeflow.org/task_display_name`.
    pub display_name: Option<String>,
    /// Resource requests (`cpu`, `memory`, ...).
    pub requests: BTreeMap<String, String>,
    /// Resource limits (`cpu`, `memory`, `nvidia.com/gpu`, ...).
    pub limits: BTreeMap<String, String>,
    /// Environment variables, in order.
    pub env: Vec<(String, String)>,
    /// Retries after a failure.
    pub retries: Option<u32>,
    /// `activeDeadlineSeconds`.
    pub timeout_seconds: Option<u64>,
    /// `enable_caching` label; `None` keeps kfp's default (enabled).
    pub caching: Option<bool>,
    /// `max_cache_staleness` annotation (an ISO 8601 duration, `P0D`).
    pub max_cache_staleness: Option<String>,
    /// `nodeSelector`.
    pub node_selector: BTreeMap<String, String>,
}

impl TaskSettings {
    /// Whether a setting embeds a pipeline value (`format!` with a parameter or
    /// output), which the compiler then resolves.
    pub fn embeds_values(&self) -> bool {
        let has = super::marker::has_marker;
        self.display_name.as_deref().is_some_and(has)
            || self.requests.iter().chain(&self.limits).chain(&self.node_selector).any(|(k, v)| has(k) || has(v))
            || self.env.iter().any(|(name, value)| has(name) || has(value))
            || self.max_cache_staleness.as_deref().is_some_and(has)
    }
}

impl<O> Task<O> {
    // No `Outputs` bound: an op's task type is written out by the macro, and an
    // unsupported return type is reported once, at the component.
    pub(crate) fn new(recording: Rc<RefCell<Recording>>, index: u32) -> Self {
        Task { recording, index, _outputs: PhantomData }
    }
}

impl<O: Outputs> Task<O> {
    fn task_ref(&self) -> TaskRef {
        TaskRef { recording: self.recording.borrow().id, task: self.index }
    }

    /// The handles of the task's outputs.
    pub fn outputs(&self) -> O::Handles {
        O::handles(self.task_ref())
    }

    fn settings(&self, change: impl FnOnce(&mut TaskSettings)) -> &Self {
        let mut recording = self.recording.borrow_mut();
        if let Some(task) = recording.tasks.get_mut(self.index as usize) {
            change(&mut task.settings);
        }
        drop(recording);
        self
    }

    /// Runs this task only after `other` (a task or a graph component call) finished.
    pub fn after(&self, other: &impl super::group::Upstream) -> &Self {
        let (recording_id, node) = other.node();
        let mut recording = self.recording.borrow_mut();
        if recording.id != recording_id {
            recording.errors.push(
                "`.after()` names a task of another pipeline: call component ops only inside the #[pipeline] body"
                    .to_owned(),
            );
        } else if let Some(task) = recording.tasks.get_mut(self.index as usize) {
            match node {
                super::group::Node::Task(index) => task.after.push(index),
                super::group::Node::Group(index) => task.after_groups.push(index),
            }
        }
        drop(recording);
        self
    }

    /// Name shown for the task in the KFP UI.
    pub fn set_display_name(&self, name: impl Into<String>) -> &Self {
        let name = name.into();
        self.settings(|s| s.display_name = Some(name))
    }

    /// CPU request, a Kubernetes quantity (`500m`, `2`).
    pub fn set_cpu_request(&self, cpu: impl Into<String>) -> &Self {
        self.add_resource_request("cpu", cpu)
    }

    /// CPU limit, a Kubernetes quantity.
    pub fn set_cpu_limit(&self, cpu: impl Into<String>) -> &Self {
        self.add_resource_limit("cpu", cpu)
    }

    /// Memory request, a Kubernetes quantity (`512Mi`, `2G`).
    pub fn set_memory_request(&self, memory: impl Into<String>) -> &Self {
        self.add_resource_request("memory", memory)
    }

    /// Memory limit, a Kubernetes quantity.
    pub fn set_memory_limit(&self, memory: impl Into<String>) -> &Self {
        self.add_resource_limit("memory", memory)
    }

    /// NVIDIA GPU limit (`nvidia.com/gpu`).
    pub fn set_gpu_limit(&self, gpus: u32) -> &Self {
        self.set_gpu_limit_for_vendor(gpus, "nvidia")
    }

    /// GPU limit for a vendor's resource (`amd` -> `amd.com/gpu`).
    pub fn set_gpu_limit_for_vendor(&self, gpus: u32, vendor: &str) -> &Self {
        self.add_resource_limit(format!("{vendor}.com/gpu"), gpus.to_string())
    }

    /// Any resource request.
    pub fn add_resource_request(&self, resource: impl Into<String>, quantity: impl Into<String>) -> &Self {
        let (resource, quantity) = (resource.into(), quantity.into());
        self.settings(|s| {
            s.requests.insert(resource, quantity);
        })
    }

    /// Any resource limit.
    pub fn add_resource_limit(&self, resource: impl Into<String>, quantity: impl Into<String>) -> &Self {
        let (resource, quantity) = (resource.into(), quantity.into());
        self.settings(|s| {
            s.limits.insert(resource, quantity);
        })
    }

    /// Sets an environment variable of the container.
    pub fn set_env_variable(&self, name: impl Into<String>, value: impl Into<String>) -> &Self {
        let (name, value) = (name.into(), value.into());
        self.settings(|s| {
            s.env.retain(|(existing, _)| *existing != name);
            s.env.push((name, value));
        })
    }

    /// Retries the task up to `retries` times after a failure.
    pub fn set_retry(&self, retries: u32) -> &Self {
        self.settings(|s| s.retries = Some(retries))
    }

    /// Fails the task after `seconds` (`activeDeadlineSeconds`).
    pub fn set_timeout(&self, seconds: u64) -> &Self {
        self.settings(|s| s.timeout_seconds = Some(seconds))
    }

    /// Turns KFP's result caching on or off for this task.
    pub fn set_caching_options(&self, enable_caching: bool) -> &Self {
        self.settings(|s| s.caching = Some(enable_caching))
    }

    /// Reuses cached results only when younger than `staleness` (ISO 8601, `P0D` never).
    pub fn set_max_cache_staleness(&self, staleness: impl Into<String>) -> &Self {
        let staleness = staleness.into();
        self.settings(|s| s.max_cache_staleness = Some(staleness))
    }

    /// Schedules the task only on nodes with label `key=value`.
    pub fn add_node_selector_constraint(&self, key: impl Into<String>, value: impl Into<String>) -> &Self {
        let (key, value) = (key.into(), value.into());
        self.settings(|s| {
            s.node_selector.insert(key, value);
        })
    }
}

impl<T: KfpType> Task<T> {
    /// The single output of the task (`Output` in kfp).
    pub fn output(&self) -> Output<T> {
        self.outputs()
    }
}
