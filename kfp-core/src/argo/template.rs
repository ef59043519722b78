//! Templates: the template itself and its kinds (container, script, resource, suspend), the containers
//! of its pod, its pod metadata and its retry strategy.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::dag::{DagTemplate, WorkflowStep};
use super::io::{Artifact, Inputs, Outputs};
use super::{
    scalar, Affinity, ContainerPort, ContainerResizePolicy, EnvFromSource, EnvVar, ExecutorConfig, HostAlias,
    IntOrString, Lifecycle, PodSecurityContext, Probe, ResourceRequirements, SecurityContext, Text, Toleration, Volume,
    VolumeDevice, VolumeMount,
};

/// Argo `Metadata`: labels and annotations of a template's pod. Keys and values are
/// [`Text`]: every task's template repeats the compiler's keys and most values.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metadata {
    /// Pod annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<Text, Text>,
    /// Pod labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<Text, Text>,
}

impl Metadata {
    /// True when there is neither an annotation nor a label.
    pub fn is_empty(&self) -> bool {
        self.annotations.is_empty() && self.labels.is_empty()
    }
}

/// Which kind of work an Argo template does (exactly one per template).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemplateType {
    /// Runs a container.
    Container,
    /// Runs a script in a container.
    Script,
    /// Creates, patches or gets a Kubernetes resource.
    Resource,
    /// Runs a DAG of tasks.
    Dag,
    /// Runs groups of steps.
    Steps,
    /// Waits (for a duration or a resume).
    Suspend,
}

impl TemplateType {
    /// The field name of this type in a template (`container`, `dag`, ...).
    pub fn field(self) -> &'static str {
        match self {
            TemplateType::Container => "container",
            TemplateType::Script => "script",
            TemplateType::Resource => "resource",
            TemplateType::Dag => "dag",
            TemplateType::Steps => "steps",
            TemplateType::Suspend => "suspend",
        }
    }

    /// True for templates that run a pod (container, script, resource).
    pub fn is_pod(self) -> bool {
        matches!(self, TemplateType::Container | TemplateType::Script | TemplateType::Resource)
    }

    /// True for templates that call no other template (all but DAG and steps).
    pub fn is_leaf(self) -> bool {
        !matches!(self, TemplateType::Dag | TemplateType::Steps)
    }
}

/// Argo `Template`: one reusable unit of work (container, resource, DAG, ...).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Template {
    /// Template name, unique in the workflow.
    #[serde(default)]
    pub name: String,
    /// The main container, for a container template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<Box<Container>>,
    /// The script, for a script template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<Box<ScriptTemplate>>,
    /// The Kubernetes resource, for a resource template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<Box<ResourceTemplate>>,
    /// The tasks, for a DAG template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dag: Option<DagTemplate>,
    /// Groups of steps run in sequence (steps of a group run in parallel), for a steps template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<Vec<WorkflowStep>>>,
    /// Suspension, for a suspend template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<SuspendTemplate>,
    /// Input parameters and artifacts.
    #[serde(default, skip_serializing_if = "Inputs::is_empty")]
    pub inputs: Inputs,
    /// Output parameters and artifacts.
    #[serde(default, skip_serializing_if = "Outputs::is_empty")]
    pub outputs: Outputs,
    /// Node selector of the pod: kfp writes an empty one (`{}`) when every
    /// constraint it had is a pipeline value, moved to `pod_spec_patch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<BTreeMap<String, String>>,
    /// Tolerations of the pod.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    /// Affinity of the pod (boxed, as the other large parts a template rarely has).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Box<Affinity>>,
    /// Labels and annotations of the pod.
    #[serde(default, skip_serializing_if = "Metadata::is_empty")]
    pub metadata: Metadata,
    /// How often and when to retry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_strategy: Option<Box<RetryStrategy>>,
    /// Deadline of the pod in seconds (leaf templates only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<IntOrString>,
    /// Containers run before the main container.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<UserContainer>,
    /// Containers run beside the main container.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sidecars: Vec<UserContainer>,
    /// Volumes of the pod.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    /// Strategic merge patch applied to the pod spec (JSON or YAML text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_spec_patch: Option<String>,
    /// Maximum number of tasks or steps of this template running at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<i64>,
    /// Fail the template as soon as one child fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_fast: Option<bool>,
    /// Keep the pod running as a daemon while the workflow proceeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daemon: Option<bool>,
    /// Pod security context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<Box<PodSecurityContext>>,
    /// Service account of the pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Mount the service account token in the pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
    /// Settings of the executor sidecar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor: Option<ExecutorConfig>,
    /// PriorityClass of the pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    /// Scheduler of the pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler_name: Option<String>,
    /// Extra `/etc/hosts` entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub host_aliases: Vec<HostAlias>,
    /// Maximum duration of a leaf template (a duration string such as `1h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

impl Template {
    /// The types this template declares (valid templates declare exactly one).
    pub fn template_types(&self) -> Vec<TemplateType> {
        self.declared_types().collect()
    }

    /// The template's type, or `None` when it declares none or several.
    pub fn template_type(&self) -> Option<TemplateType> {
        let mut types = self.declared_types();
        match (types.next(), types.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }

    /// [`Self::template_types`] without a list: every template of a workflow is asked.
    pub(crate) fn declared_types(&self) -> impl Iterator<Item = TemplateType> {
        [
            (self.container.is_some(), TemplateType::Container),
            (self.script.is_some(), TemplateType::Script),
            (self.resource.is_some(), TemplateType::Resource),
            (self.dag.is_some(), TemplateType::Dag),
            (self.steps.is_some(), TemplateType::Steps),
            (self.suspend.is_some(), TemplateType::Suspend),
        ]
        .into_iter()
        .filter_map(|(declared, ttype)| declared.then_some(ttype))
    }
}

/// Declares the Kubernetes container fields shared by [`Container`], [`UserContainer`] and
/// [`ScriptTemplate`] after the fields given to the macro. (serde's `flatten` cannot be
/// combined with `deny_unknown_fields`, hence a macro.)
macro_rules! container_like {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* pub $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
            /// Arguments to the entrypoint.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub args: Option<Vec<String>>,
            /// Entrypoint array.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub command: Option<Vec<Text>>,
            /// Environment variables.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub env: Option<Vec<EnvVar>>,
            /// Sources of environment variables.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub env_from: Option<Vec<EnvFromSource>>,
            /// Container image.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub image: Option<String>,
            /// `Always`, `Never` or `IfNotPresent`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub image_pull_policy: Option<String>,
            /// Lifecycle hooks.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub lifecycle: Option<Box<Lifecycle>>,
            /// Liveness probe.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub liveness_probe: Option<Box<Probe>>,
            /// Exposed ports.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub ports: Option<Vec<ContainerPort>>,
            /// Readiness probe.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub readiness_probe: Option<Box<Probe>>,
            /// Resize policy per resource.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub resize_policy: Option<Vec<ContainerResizePolicy>>,
            /// Resource requests and limits.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub resources: Option<ResourceRequirements>,
            /// Container restart policy (init containers: `Always` makes a sidecar).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub restart_policy: Option<String>,
            /// Container security context.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub security_context: Option<Box<SecurityContext>>,
            /// Startup probe.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub startup_probe: Option<Box<Probe>>,
            /// Allocate a stdin buffer.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub stdin: Option<bool>,
            /// Close stdin after the first attach.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub stdin_once: Option<bool>,
            /// Path of the termination message file.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub termination_message_path: Option<String>,
            /// `File` or `FallbackToLogsOnError`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub termination_message_policy: Option<String>,
            /// Allocate a TTY.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub tty: Option<bool>,
            /// Block devices.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub volume_devices: Option<Vec<VolumeDevice>>,
            /// Volume mounts.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub volume_mounts: Option<Vec<VolumeMount>>,
            /// Working directory.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub working_dir: Option<String>,
        }
    };
}

container_like! {
    /// Argo template `container`: a Kubernetes container whose `name` is optional (Argo names it `main`).
    pub struct Container {
        /// Container name; normally absent (Argo uses `main`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
    }
}

container_like! {
    /// Argo `UserContainer`: a sidecar or init container of a template's pod.
    pub struct UserContainer {
        /// Container name, unique in the pod.
        #[serde(default)]
        pub name: String,
        /// Mount the main container's volume mounts in this container too.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub mirror_volume_mounts: Option<bool>,
    }
}

impl UserContainer {
    /// A container `name` running `image` (kfp's `Sidecar(name, image)`); set its
    /// entrypoint with [`UserContainer::command`] and [`UserContainer::args`], other
    /// fields with struct update syntax:
    /// `UserContainer { stdin: Some(true), ..UserContainer::new("echo", "hashicorp/http-echo") }`.
    pub fn new(name: impl Into<String>, image: impl Into<String>) -> Self {
        UserContainer { name: name.into(), image: Some(image.into()), ..UserContainer::default() }
    }

    /// The entrypoint (kfp's `Sidecar(command=...)`): strings, `&str`s or pipeline
    /// values, as [`UserContainer::args`] takes.
    pub fn command<S: ToString>(self, command: impl IntoIterator<Item = S>) -> Self {
        UserContainer { command: Some(command.into_iter().map(|part| part.to_string().into()).collect()), ..self }
    }

    /// The arguments (kfp's `Sidecar(args=...)`): strings, `&str`s or pipeline
    /// values, as [`UserContainer::command`] takes.
    pub fn args<S: ToString>(self, args: impl IntoIterator<Item = S>) -> Self {
        UserContainer { args: Some(args.into_iter().map(|part| part.to_string()).collect()), ..self }
    }
}

container_like! {
    /// Argo `ScriptTemplate`: a container running `source` as a script.
    pub struct ScriptTemplate {
        /// Container name; normally absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        /// The script text.
        #[serde(default)]
        pub source: String,
    }
}

/// Argo `ResourceTemplate`: a Kubernetes resource to create, apply, patch, get or delete.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceTemplate {
    /// `get`, `create`, `apply`, `delete`, `replace` or `patch`.
    #[serde(default)]
    pub action: String,
    /// The resource manifest (YAML text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<String>,
    /// Label-selector style condition for success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_condition: Option<String>,
    /// Label-selector style condition for failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_condition: Option<String>,
    /// Patch strategy (`strategic`, `merge`, `json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_strategy: Option<String>,
    /// Make the workflow the owner of the resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_owner_reference: Option<bool>,
    /// Extra `kubectl` flags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    /// Read the manifest from an artifact instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_from: Option<ManifestFrom>,
}

/// Argo `ManifestFrom`: a resource manifest read from an artifact.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManifestFrom {
    /// The artifact holding the manifest.
    pub artifact: Artifact,
}

/// Argo `SuspendTemplate`: wait for a duration or until resumed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SuspendTemplate {
    /// How long to wait (`10s`, `1h`); absent waits for a resume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
}

/// Argo `RetryStrategy`: how often and when a failed template is retried.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryStrategy {
    /// Maximum number of retries (an integer, or a string such as `'3'` or a `{{...}}` reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<IntOrString>,
    /// `Always`, `OnFailure` (default), `OnError` or `OnTransientError`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_policy: Option<String>,
    /// Delay between retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff: Option<Backoff>,
    /// Retry only when this expression is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
}

/// Argo `Backoff`: the delay between retries.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Backoff {
    /// First delay (`10`, `2m`).
    #[serde(default, deserialize_with = "scalar::opt", skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// Multiplier applied to the delay after each retry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<IntOrString>,
    /// Maximum total duration of the retries.
    #[serde(default, deserialize_with = "scalar::opt", skip_serializing_if = "Option::is_none")]
    pub max_duration: Option<String>,
    /// Maximum delay between two retries.
    #[serde(default, deserialize_with = "scalar::opt", skip_serializing_if = "Option::is_none")]
    pub cap: Option<String>,
}
