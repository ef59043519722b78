//! Typed model of an Argo `Workflow` (`argoproj.io/v1alpha1`), as the KFP v1 compiler emits it.
//!
//! The types cover every field that kfp 1.8 writes (its compiler test corpus and
//! `kfp/compiler/_op_to_template.py`, `compiler.py`) plus the common Argo fields around them.
//! Names and JSON types follow Argo's schema (`io.argoproj.workflow.v1alpha1.*`); Kubernetes
//! objects are `k8s-openapi` types.
//!
//! Serialization writes only what is set: every optional field is skipped when `None`, empty
//! or default, and maps are `BTreeMap` so the output is deterministic. Two exceptions keep
//! kfp's form: `spec.arguments` is always written with its `parameters` list (kfp writes
//! `arguments: {parameters: []}`), and container-like fields are `Option<Vec<_>>` as in
//! Kubernetes, so `args: []` survives a round trip (a DAG task's `dependencies` too).
//!
//! Deserialization rejects unknown fields in our own structs (`deny_unknown_fields`), so a
//! typo in a workflow is an error naming the field. (Kubernetes objects inside come from
//! `k8s-openapi`, which ignores unknown fields.) Fields that Argo types as a string accept a
//! YAML number or boolean too (`value: 3` reads as `"3"`); fields that Argo types as
//! IntOrString are [`IntOrString`] and keep the form they were given (`limit: 3` or
//! `limit: '3'`).
//!
//! [`rules::check`] checks a workflow against Argo's validation rules and the Kubernetes and
//! KFP limits.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use k8s_openapi::api::core::v1::{
    Affinity, ConfigMapKeySelector, ContainerPort, ContainerResizePolicy, EnvFromSource, EnvVar, HostAlias, Lifecycle,
    LocalObjectReference, PersistentVolumeClaim, PodDNSConfig, PodSecurityContext, Probe, ResourceRequirements,
    SecretKeySelector, SecurityContext, Toleration, Volume, VolumeDevice, VolumeMount,
};
pub use k8s_openapi::api::policy::v1::PodDisruptionBudgetSpec;
pub use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
pub use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
pub use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

pub mod rules;
pub mod size;
mod text;
mod yaml;

pub use text::Text;
pub use yaml::Error as YamlError;
#[cfg(test)]
mod tests;

/// The `apiVersion` of an Argo Workflow.
pub const API_VERSION: &str = "argoproj.io/v1alpha1";
/// The `kind` of an Argo Workflow.
pub const KIND: &str = "Workflow";

/// Serde helpers for fields that Argo types as string but YAML may give as a number or bool.
mod scalar {
    use serde::de::{self, Deserializer, Visitor};
    use serde::Deserialize;
    use std::fmt;

    /// A YAML/JSON scalar read as its string form.
    pub(super) struct Scalar(pub(super) String);

    impl<'de> Deserialize<'de> for Scalar {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Scalar;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a string (or a number or boolean, read as a string)")
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_owned()))
                }
                fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
                    Ok(Scalar(v))
                }
                fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
                fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                    // `{:?}` keeps a fractional part (`3.0`), like Python's `str(float)`.
                    Ok(Scalar(format!("{v:?}")))
                }
            }
            d.deserialize_any(V)
        }
    }

    /// `Option<String>` that also accepts a number or boolean.
    pub(super) fn opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(Option::<Scalar>::deserialize(d)?.map(|s| s.0))
    }

    /// `String` that also accepts a number or boolean.
    pub(super) fn req<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(Scalar::deserialize(d)?.0)
    }

    /// `Vec<String>` whose items may also be numbers or booleans.
    pub(super) fn vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        Ok(Option::<Vec<Scalar>>::deserialize(d)?.unwrap_or_default().into_iter().map(|s| s.0).collect())
    }
}

/// An Argo `Workflow` resource: metadata plus the workflow spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Workflow {
    /// Always `argoproj.io/v1alpha1` ([`API_VERSION`]).
    pub api_version: String,
    /// Always `Workflow` ([`KIND`]).
    pub kind: String,
    /// Kubernetes object metadata: `generateName` (or `name`), annotations, labels.
    pub metadata: ObjectMeta,
    /// The workflow specification.
    pub spec: WorkflowSpec,
}

impl Default for Workflow {
    /// An empty workflow with `apiVersion` and `kind` set.
    fn default() -> Self {
        Workflow {
            api_version: API_VERSION.to_owned(),
            kind: KIND.to_owned(),
            metadata: ObjectMeta::default(),
            spec: WorkflowSpec::default(),
        }
    }
}

impl Workflow {
    /// Serializes the workflow as YAML: block style, multi-line strings as
    /// literal blocks, other strings plain or double-quoted. A long string of a
    /// container command or pod annotation that several templates share (a
    /// component's program) is written once with an anchor, then as an alias.
    pub fn to_yaml(&self) -> Result<String, YamlError> {
        yaml::workflow(self)
    }

    /// Parses a workflow from YAML (or JSON), rejecting unknown fields, in time
    /// linear in the text (see [`crate::input`]).
    pub fn from_yaml(text: &str) -> Result<Self, crate::input::YamlError> {
        crate::input::from_yaml(text)
    }

    /// The template named `name`, if any.
    pub fn template(&self, name: &str) -> Option<&Template> {
        self.spec.templates.iter().find(|t| t.name == name)
    }
}

/// `value` as a YAML document in the Workflow's own style: a resource template's
/// `manifest`, which Argo parses after substituting its placeholders.
pub(crate) fn yaml_document(value: &impl serde::Serialize) -> Result<String, YamlError> {
    yaml::document(value)
}

/// Argo `WorkflowSpec`: templates, entrypoint, arguments and pod-wide settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkflowSpec {
    /// Name of the template that starts the workflow.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub entrypoint: String,
    /// All templates of the workflow.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<Template>,
    /// Workflow parameters (`{{workflow.parameters.x}}`); always written, as kfp does.
    #[serde(default, serialize_with = "serialize_spec_arguments")]
    pub arguments: Arguments,
    /// Service account of the workflow pods (kfp: `pipeline-runner`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// Maximum number of pods running at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<i64>,
    /// When to delete the finished workflow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_strategy: Option<TtlStrategy>,
    /// PodDisruptionBudget for the workflow pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_disruption_budget: Option<PodDisruptionBudgetSpec>,
    /// Secrets to pull images with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_pull_secrets: Vec<LocalObjectReference>,
    /// Deadline of the whole workflow in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<i64>,
    /// Template run when the workflow ends (the exit handler).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_exit: Option<String>,
    /// Default node selector of the workflow pods.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// DNS settings of the workflow pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<PodDNSConfig>,
    /// DNS policy of the workflow pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_policy: Option<String>,
    /// Volumes shared by all templates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    /// PersistentVolumeClaims created for the workflow (k8s-openapi writes their `apiVersion` and `kind`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volume_claim_templates: Vec<PersistentVolumeClaim>,
    /// When to delete finished pods.
    #[serde(default, rename = "podGC", skip_serializing_if = "Option::is_none")]
    pub pod_gc: Option<PodGc>,
    /// Default tolerations of the workflow pods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    /// Default affinity of the workflow pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    /// Default pod security context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<PodSecurityContext>,
    /// Use the host's network namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_network: Option<bool>,
    /// Extra `/etc/hosts` entries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub host_aliases: Vec<HostAlias>,
    /// Workflow priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// Scheduler of the workflow pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler_name: Option<String>,
    /// PriorityClass of the workflow pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_priority_class_name: Option<String>,
    /// Labels and annotations added to every pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_metadata: Option<Metadata>,
    /// Strategic merge patch applied to every pod spec (JSON or YAML text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_spec_patch: Option<String>,
    /// Mount the service account token in pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
    /// Settings of the executor sidecar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executor: Option<ExecutorConfig>,
    /// Archive container logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_logs: Option<bool>,
    /// ConfigMap key holding the artifact repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_repository_ref: Option<ArtifactRepositoryRef>,
    /// Default retry strategy of all templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_strategy: Option<RetryStrategy>,
    /// Defaults merged into every template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_defaults: Option<Box<Template>>,
    /// Whether the workflow starts suspended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    /// Stop or terminate the workflow (`Stop`, `Terminate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shutdown: Option<String>,
}

/// Writes `spec.arguments` always with its `parameters` list, as kfp does.
fn serialize_spec_arguments<S: serde::Serializer>(args: &Arguments, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(None)?;
    map.serialize_entry("parameters", &args.parameters)?;
    if !args.artifacts.is_empty() {
        map.serialize_entry("artifacts", &args.artifacts)?;
    }
    map.end()
}

/// Argo `TTLStrategy`: how long a finished workflow is kept.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TtlStrategy {
    /// Seconds after the workflow completes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_after_completion: Option<i32>,
    /// Seconds after the workflow fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_after_failure: Option<i32>,
    /// Seconds after the workflow succeeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_after_success: Option<i32>,
}

/// Argo `PodGC`: when completed pods are deleted.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodGc {
    /// `OnPodCompletion`, `OnPodSuccess`, `OnWorkflowCompletion` or `OnWorkflowSuccess`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<String>,
    /// Only pods matching this selector are deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    /// Delay before deleting a pod (a duration such as `30s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_delay_duration: Option<String>,
}

/// Argo `ExecutorConfig`: settings of the executor sidecar.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecutorConfig {
    /// Service account the executor runs as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
}

/// Argo `ArtifactRepositoryRef`: a ConfigMap key holding an artifact repository.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArtifactRepositoryRef {
    /// ConfigMap name (default `artifact-repositories`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<String>,
    /// Key in the ConfigMap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

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

/// Argo `DAGTemplate`: tasks run in the order of their dependencies.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DagTemplate {
    /// The tasks.
    #[serde(default)]
    pub tasks: Vec<DagTask>,
    /// Space-separated names of the tasks to run (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Stop scheduling new tasks once one fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_fast: Option<bool>,
}

/// Argo `DAGTask`: one node of a DAG, calling a template.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DagTask {
    /// Task name, unique in the DAG.
    pub name: String,
    /// Name of the template to run.
    #[serde(default)]
    pub template: String,
    /// Tasks that must succeed before this one runs. kfp writes an empty list
    /// for some tasks (a loop in a sub-graph over an output made outside it):
    /// `Some` of an empty list keeps that `dependencies: []`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<Vec<String>>,
    /// Dependency expression (`a && (b.Failed || c)`); not with `dependencies` in the same DAG.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends: Option<String>,
    /// Condition: the task runs only when it is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Static list of items: the task runs once per item (`{{item}}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with_items: Vec<serde_json::Value>,
    /// JSON list from a parameter: the task runs once per item (`{{item}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_param: Option<String>,
    /// A numeric sequence: the task runs once per number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_sequence: Option<Sequence>,
    /// Arguments passed to the template's inputs.
    #[serde(default, skip_serializing_if = "Arguments::is_empty")]
    pub arguments: Arguments,
    /// Continue the DAG when this task fails or errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continue_on: Option<ContinueOn>,
    /// Template run when this task ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_exit: Option<String>,
}

/// Argo `WorkflowStep`: one step of a steps template, calling a template.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkflowStep {
    /// Step name, unique in the template.
    #[serde(default)]
    pub name: String,
    /// Name of the template to run.
    #[serde(default)]
    pub template: String,
    /// Condition: the step runs only when it is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Static list of items: the step runs once per item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with_items: Vec<serde_json::Value>,
    /// JSON list from a parameter: the step runs once per item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_param: Option<String>,
    /// A numeric sequence: the step runs once per number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_sequence: Option<Sequence>,
    /// Arguments passed to the template's inputs.
    #[serde(default, skip_serializing_if = "Arguments::is_empty")]
    pub arguments: Arguments,
    /// Continue when this step fails or errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continue_on: Option<ContinueOn>,
    /// Template run when this step ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_exit: Option<String>,
}

/// Argo `Sequence`: numbers `start..=end` or `count` numbers, for `withSequence`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sequence {
    /// How many numbers (not with `end`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<IntOrString>,
    /// First number (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<IntOrString>,
    /// Last number (not with `count`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<IntOrString>,
    /// printf-style format of each number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

/// Argo `ContinueOn`: proceed although a task or step failed or errored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContinueOn {
    /// Continue on error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<bool>,
    /// Continue on failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<bool>,
}

/// Argo `Arguments`: parameters and artifacts passed to a template (or to the workflow).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Arguments {
    /// Parameter arguments (`name` and `value`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// Artifact arguments (`name` and `from`, `raw` or a location).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
}

impl Arguments {
    /// True when there is no argument.
    pub fn is_empty(&self) -> bool {
        self.parameters.is_empty() && self.artifacts.is_empty()
    }
}

/// Argo `Inputs`: the parameters and artifacts a template takes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Inputs {
    /// Input parameters (`{{inputs.parameters.x}}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// Input artifacts (`path` where the file is placed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
}

impl Inputs {
    /// True when there is no input.
    pub fn is_empty(&self) -> bool {
        self.parameters.is_empty() && self.artifacts.is_empty()
    }
}

/// Argo `Outputs`: the parameters and artifacts a template produces.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Outputs {
    /// Output parameters (`valueFrom.path`, `jsonPath`, `parameter`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// Output artifacts (`path` in a container, `from` in a DAG).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<Artifact>,
    /// Result of a script (normally set by Argo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Exit code (normally set by Argo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<String>,
}

impl Outputs {
    /// True when there is no output.
    pub fn is_empty(&self) -> bool {
        self.parameters.is_empty() && self.artifacts.is_empty() && self.result.is_none() && self.exit_code.is_none()
    }
}

/// Argo `Parameter`: a named string value (input, output or argument).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Parameter {
    /// Parameter name.
    #[serde(deserialize_with = "scalar::req")]
    pub name: String,
    /// The value (a YAML number or boolean reads as its string).
    #[serde(default, deserialize_with = "scalar::opt", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Default value of an input parameter.
    #[serde(default, deserialize_with = "scalar::opt", skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Where an output parameter's value comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_from: Option<Box<ValueFrom>>,
    /// Human-readable description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Allowed values.
    #[serde(default, rename = "enum", deserialize_with = "scalar::vec", skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<String>,
    /// Also publish an output as `{{workflow.outputs.parameters.<globalName>}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_name: Option<String>,
}

impl Parameter {
    /// A parameter with only a name.
    pub fn named(name: impl Into<String>) -> Self {
        Parameter { name: name.into(), ..Parameter::default() }
    }

    /// A parameter with a name and a value.
    pub fn with_value(name: impl Into<String>, value: impl Into<String>) -> Self {
        Parameter { name: name.into(), value: Some(value.into()), ..Parameter::default() }
    }
}

/// Argo `ValueFrom`: the source of a parameter's value.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValueFrom {
    /// File in the container (container and script templates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// JSONPath into the resource (resource templates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_path: Option<String>,
    /// jq filter on the resource (resource templates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jq_filter: Option<String>,
    /// A parameter reference such as `{{tasks.t.outputs.parameters.p}}` (DAG and steps templates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// An expression (DAG and steps templates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// Value used when the source is missing.
    #[serde(default, deserialize_with = "scalar::opt", skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Event selector (event-triggered workflows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// A ConfigMap key (input parameters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map_key_ref: Option<ConfigMapKeySelector>,
    /// The value is supplied later (suspend templates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplied: Option<SuppliedValueFrom>,
}

/// Argo `SuppliedValueFrom`: a value to be supplied through the API or the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuppliedValueFrom {}

/// Argo `Artifact`: a named file or directory (input, output or argument).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Artifact {
    /// Artifact name.
    pub name: String,
    /// Path in the container (leaf templates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Reference to another artifact (`{{tasks.t.outputs.artifacts.a}}`), in arguments and DAG outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Expression selecting the artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_expression: Option<String>,
    /// Constant content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<RawArtifact>,
    /// The artifact may be missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    /// File mode of the artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<i32>,
    /// How the artifact is archived (`tar`, `zip`, `none`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<ArchiveStrategy>,
    /// Also publish an output as `{{workflow.outputs.artifacts.<globalName>}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_name: Option<String>,
    /// Path inside the artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_path: Option<String>,
    /// Copy directories recursively.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurse_mode: Option<bool>,
    /// Archive the container logs as this artifact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_logs: Option<bool>,
    /// S3 location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3: Option<Box<S3Artifact>>,
    /// GCS location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gcs: Option<Box<GcsArtifact>>,
    /// HTTP location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<Box<HttpArtifact>>,
}

impl Artifact {
    /// True when the artifact names a storage location (s3, gcs, http) or constant content.
    pub fn has_location(&self) -> bool {
        self.raw.is_some() || self.s3.is_some() || self.gcs.is_some() || self.http.is_some()
    }
}

/// Argo `RawArtifact`: an artifact with constant content.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawArtifact {
    /// The content.
    #[serde(deserialize_with = "scalar::req")]
    pub data: String,
}

/// Argo `ArchiveStrategy`: how an output artifact is packed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArchiveStrategy {
    /// Do not archive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub none: Option<NoneStrategy>,
    /// tar.gz (the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tar: Option<TarStrategy>,
    /// zip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<ZipStrategy>,
}

/// Argo `NoneStrategy`: upload files as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoneStrategy {}

/// Argo `ZipStrategy`: zip the artifact.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZipStrategy {}

/// Argo `TarStrategy`: tar.gz the artifact.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TarStrategy {
    /// gzip level (0 = no compression).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression_level: Option<i32>,
}

/// Argo `S3Artifact`: an artifact in an S3 bucket.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct S3Artifact {
    /// Bucket name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    /// Object key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// S3 endpoint (host:port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Use plain HTTP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure: Option<bool>,
    /// Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// IAM role to assume.
    #[serde(default, rename = "roleARN", skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// Use the SDK's default credentials.
    #[serde(default, rename = "useSDKCreds", skip_serializing_if = "Option::is_none")]
    pub use_sdk_creds: Option<bool>,
    /// Secret holding the access key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_key_secret: Option<SecretKeySelector>,
    /// Secret holding the secret key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key_secret: Option<SecretKeySelector>,
}

/// Argo `GCSArtifact`: an artifact in a Google Cloud Storage bucket.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GcsArtifact {
    /// Bucket name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    /// Object key.
    pub key: String,
    /// Secret holding the service account key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_key_secret: Option<SecretKeySelector>,
}

/// Argo `HTTPArtifact`: an artifact downloaded from a URL.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpArtifact {
    /// The URL.
    pub url: String,
    /// Request headers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<HttpHeader>,
}

/// Argo `Header`: one HTTP header of an HTTP artifact.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpHeader {
    /// Header name.
    pub name: String,
    /// Header value.
    pub value: String,
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
