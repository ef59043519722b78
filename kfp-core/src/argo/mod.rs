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

mod dag;
mod io;
pub mod rules;
pub mod size;
mod template;
mod text;
mod yaml;

pub use dag::{ContinueOn, DagTask, DagTemplate, Sequence, WorkflowStep};
pub use io::{
    ArchiveStrategy, Arguments, Artifact, GcsArtifact, HttpArtifact, HttpHeader, Inputs, NoneStrategy, Outputs,
    Parameter, RawArtifact, S3Artifact, SuppliedValueFrom, TarStrategy, ValueFrom, ZipStrategy,
};
pub use template::{
    Backoff, Container, ManifestFrom, Metadata, ResourceTemplate, RetryStrategy, ScriptTemplate, SuspendTemplate,
    Template, TemplateType, UserContainer,
};
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

/// `value` as a YAML document in the Workflow's style, every mapping's keys sorted
/// (struct fields too), as PyYAML's `sort_keys=True` writes them: KFP v2 pipeline IR.
pub(crate) fn yaml_sorted_document(value: &impl serde::Serialize) -> Result<String, YamlError> {
    yaml::sorted_document(value)
}

/// `value` as [`yaml_sorted_document`] writes it after `key:`, the key at column `col`,
/// appended to `out`: for writing a mapping entry by entry.
pub(crate) fn yaml_sorted_value<T: serde::Serialize + ?Sized>(
    out: &mut String,
    value: &T,
    col: usize,
) -> Result<(), YamlError> {
    yaml::write_sorted_value(out, value, col)
}

/// `key` as a YAML mapping key (plain, or quoted when it must be), appended to `out`.
pub(crate) fn yaml_key(out: &mut String, key: &str) {
    yaml::write_key(out, key)
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
