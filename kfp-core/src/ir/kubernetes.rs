//! kfp-kubernetes' `KubernetesExecutorConfig`: an executor's Kubernetes settings in the
//! platform spec (`platforms.kubernetes.deploymentSpec.executors`).
//!
//! kfp-kubernetes' `CreatePVC` and `DeletePVC` are not settings but components (container
//! executors of the images `argostub/createpvc` and `argostub/deletepvc`, which the backend
//! runs itself): they are in the pipeline spec, not here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::dag::{InputParameterSpec, TaskOutputParameterSpec};
use super::proto::{int32, int64, is_default};

/// `kfp_kubernetes.KubernetesExecutorConfig`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubernetesExecutorConfig {
    /// Secrets mounted as volumes.
    #[serde(alias = "secret_as_volume", default, skip_serializing_if = "Vec::is_empty")]
    pub secret_as_volume: Vec<SecretAsVolume>,
    /// Secrets' keys as environment variables.
    #[serde(alias = "secret_as_env", default, skip_serializing_if = "Vec::is_empty")]
    pub secret_as_env: Vec<SecretAsEnv>,
    /// Persistent volume claims mounted.
    #[serde(alias = "pvc_mount", default, skip_serializing_if = "Vec::is_empty")]
    pub pvc_mount: Vec<PvcMount>,
    /// Node selector.
    #[serde(alias = "node_selector", default, skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<NodeSelector>,
    /// The pod's labels and annotations.
    #[serde(alias = "pod_metadata", default, skip_serializing_if = "Option::is_none")]
    pub pod_metadata: Option<PodMetadata>,
    /// Secrets to pull the image with.
    #[serde(alias = "image_pull_secret", default, skip_serializing_if = "Vec::is_empty")]
    pub image_pull_secret: Vec<ImagePullSecret>,
    /// `Always`, `Never` or `IfNotPresent`.
    #[serde(alias = "image_pull_policy", default, skip_serializing_if = "is_default")]
    pub image_pull_policy: String,
    /// Config maps mounted as volumes.
    #[serde(alias = "config_map_as_volume", default, skip_serializing_if = "Vec::is_empty")]
    pub config_map_as_volume: Vec<ConfigMapAsVolume>,
    /// Config maps' keys as environment variables.
    #[serde(alias = "config_map_as_env", default, skip_serializing_if = "Vec::is_empty")]
    pub config_map_as_env: Vec<ConfigMapAsEnv>,
    /// Seconds the pod may run.
    #[serde(alias = "active_deadline_seconds", default, with = "int64", skip_serializing_if = "is_default")]
    pub active_deadline_seconds: i64,
    /// Pod fields (`metadata.name`) as environment variables.
    #[serde(alias = "field_path_as_env", default, skip_serializing_if = "Vec::is_empty")]
    pub field_path_as_env: Vec<FieldPathAsEnv>,
    /// Tolerations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    /// Generic ephemeral volumes.
    #[serde(alias = "generic_ephemeral_volume", default, skip_serializing_if = "Vec::is_empty")]
    pub generic_ephemeral_volume: Vec<GenericEphemeralVolume>,
    /// Node affinity terms.
    #[serde(alias = "node_affinity", default, skip_serializing_if = "Vec::is_empty")]
    pub node_affinity: Vec<NodeAffinityTerm>,
    /// Pod (anti-)affinity terms.
    #[serde(alias = "pod_affinity", default, skip_serializing_if = "Vec::is_empty")]
    pub pod_affinity: Vec<PodAffinityTerm>,
    /// A memory-backed `/dev/shm`.
    #[serde(alias = "enabled_shared_memory", default, skip_serializing_if = "Option::is_none")]
    pub enabled_shared_memory: Option<EnabledSharedMemory>,
    /// `emptyDir` volumes.
    #[serde(alias = "empty_dir_mounts", default, skip_serializing_if = "Vec::is_empty")]
    pub empty_dir_mounts: Vec<EmptyDirMount>,
    /// The container's user and group.
    #[serde(alias = "security_context", default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
}

/// `kfp_kubernetes.SecretAsVolume`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretAsVolume {
    /// Deprecated: use `secretNameParameter`.
    #[serde(alias = "secret_name", default, skip_serializing_if = "is_default")]
    pub secret_name: String,
    /// Where it is mounted.
    #[serde(alias = "mount_path", default, skip_serializing_if = "is_default")]
    pub mount_path: String,
    /// The pod starts without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    /// The secret's name.
    #[serde(alias = "secret_name_parameter", default, skip_serializing_if = "Option::is_none")]
    pub secret_name_parameter: Option<InputParameterSpec>,
}

/// `kfp_kubernetes.SecretAsEnv`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretAsEnv {
    /// Deprecated: use `secretNameParameter`.
    #[serde(alias = "secret_name", default, skip_serializing_if = "is_default")]
    pub secret_name: String,
    /// Which key goes to which variable.
    #[serde(alias = "key_to_env", default, skip_serializing_if = "Vec::is_empty")]
    pub key_to_env: Vec<SecretKeyToEnv>,
    /// The pod starts without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    /// The secret's name.
    #[serde(alias = "secret_name_parameter", default, skip_serializing_if = "Option::is_none")]
    pub secret_name_parameter: Option<InputParameterSpec>,
}

/// `kfp_kubernetes.SecretAsEnv.SecretKeyToEnvMap`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretKeyToEnv {
    /// The secret's key.
    #[serde(alias = "secret_key", default, skip_serializing_if = "is_default")]
    pub secret_key: String,
    /// The variable.
    #[serde(alias = "env_var", default, skip_serializing_if = "is_default")]
    pub env_var: String,
}

/// `kfp_kubernetes.PvcMount`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PvcMount {
    /// oneof `pvc_reference`, deprecated: use `pvcNameParameter`.
    #[serde(alias = "task_output_parameter", default, skip_serializing_if = "Option::is_none")]
    pub task_output_parameter: Option<TaskOutputParameterSpec>,
    /// oneof `pvc_reference`, deprecated: use `pvcNameParameter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constant: Option<String>,
    /// oneof `pvc_reference`, deprecated: use `pvcNameParameter`.
    #[serde(alias = "component_input_parameter", default, skip_serializing_if = "Option::is_none")]
    pub component_input_parameter: Option<String>,
    /// Where it is mounted.
    #[serde(alias = "mount_path", default, skip_serializing_if = "is_default")]
    pub mount_path: String,
    /// The claim's name.
    #[serde(alias = "pvc_name_parameter", default, skip_serializing_if = "Option::is_none")]
    pub pvc_name_parameter: Option<InputParameterSpec>,
    /// The folder of the volume mounted.
    #[serde(alias = "sub_path", default, skip_serializing_if = "is_default")]
    pub sub_path: String,
}

/// `kfp_kubernetes.NodeSelector`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeSelector {
    /// Labels the node must have.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// The labels as a JSON object, from a parameter.
    #[serde(alias = "node_selector_json", default, skip_serializing_if = "Option::is_none")]
    pub node_selector_json: Option<InputParameterSpec>,
}

/// `kfp_kubernetes.PodMetadata`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodMetadata {
    /// Labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// `kfp_kubernetes.ImagePullSecret`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImagePullSecret {
    /// Deprecated: use `secretNameParameter`.
    #[serde(alias = "secret_name", default, skip_serializing_if = "is_default")]
    pub secret_name: String,
    /// The secret's name.
    #[serde(alias = "secret_name_parameter", default, skip_serializing_if = "Option::is_none")]
    pub secret_name_parameter: Option<InputParameterSpec>,
}

/// `kfp_kubernetes.ConfigMapAsVolume`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigMapAsVolume {
    /// Deprecated: use `configMapNameParameter`.
    #[serde(alias = "config_map_name", default, skip_serializing_if = "is_default")]
    pub config_map_name: String,
    /// Where it is mounted.
    #[serde(alias = "mount_path", default, skip_serializing_if = "is_default")]
    pub mount_path: String,
    /// The pod starts without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    /// The config map's name.
    #[serde(alias = "config_map_name_parameter", default, skip_serializing_if = "Option::is_none")]
    pub config_map_name_parameter: Option<InputParameterSpec>,
}

/// `kfp_kubernetes.ConfigMapAsEnv`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigMapAsEnv {
    /// Deprecated: use `configMapNameParameter`.
    #[serde(alias = "config_map_name", default, skip_serializing_if = "is_default")]
    pub config_map_name: String,
    /// Which key goes to which variable.
    #[serde(alias = "key_to_env", default, skip_serializing_if = "Vec::is_empty")]
    pub key_to_env: Vec<ConfigMapKeyToEnv>,
    /// The config map's name.
    #[serde(alias = "config_map_name_parameter", default, skip_serializing_if = "Option::is_none")]
    pub config_map_name_parameter: Option<InputParameterSpec>,
    /// The pod starts without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

/// `kfp_kubernetes.ConfigMapAsEnv.ConfigMapKeyToEnvMap`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigMapKeyToEnv {
    /// The config map's key.
    #[serde(alias = "config_map_key", default, skip_serializing_if = "is_default")]
    pub config_map_key: String,
    /// The variable.
    #[serde(alias = "env_var", default, skip_serializing_if = "is_default")]
    pub env_var: String,
}

/// `kfp_kubernetes.FieldPathAsEnv`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldPathAsEnv {
    /// The variable.
    #[serde(default, skip_serializing_if = "is_default")]
    pub name: String,
    /// The pod's field (`metadata.name`).
    #[serde(alias = "field_path", default, skip_serializing_if = "is_default")]
    pub field_path: String,
}

/// `kfp_kubernetes.Toleration`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Toleration {
    /// The taint's key.
    #[serde(default, skip_serializing_if = "is_default")]
    pub key: String,
    /// `Exists` or `Equal`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub operator: String,
    /// The taint's value.
    #[serde(default, skip_serializing_if = "is_default")]
    pub value: String,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub effect: String,
    /// Seconds a `NoExecute` taint is tolerated.
    #[serde(alias = "toleration_seconds", default, with = "int64::opt", skip_serializing_if = "Option::is_none")]
    pub toleration_seconds: Option<i64>,
    /// The toleration as a JSON object, from a parameter.
    #[serde(alias = "toleration_json", default, skip_serializing_if = "Option::is_none")]
    pub toleration_json: Option<InputParameterSpec>,
}

/// `kfp_kubernetes.GenericEphemeralVolume`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenericEphemeralVolume {
    /// The volume's name.
    #[serde(alias = "volume_name", default, skip_serializing_if = "is_default")]
    pub volume_name: String,
    /// Where it is mounted.
    #[serde(alias = "mount_path", default, skip_serializing_if = "is_default")]
    pub mount_path: String,
    /// Access modes of its claim.
    #[serde(alias = "access_modes", default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    /// Its size, a quantity.
    #[serde(default, skip_serializing_if = "is_default")]
    pub size: String,
    /// Use the cluster's default storage class.
    #[serde(alias = "default_storage_class", default, skip_serializing_if = "is_default")]
    pub default_storage_class: bool,
    /// Its storage class.
    #[serde(alias = "storage_class_name", default, skip_serializing_if = "is_default")]
    pub storage_class_name: String,
    /// Labels and annotations of its claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<PodMetadata>,
}

/// `kfp_kubernetes.NodeAffinityTerm`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeAffinityTerm {
    /// Requirements on node labels.
    #[serde(alias = "match_expressions", default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<SelectorRequirement>,
    /// Requirements on node fields.
    #[serde(alias = "match_fields", default, skip_serializing_if = "Vec::is_empty")]
    pub match_fields: Vec<SelectorRequirement>,
    /// Set: a preferred term of this weight; unset: a required one.
    #[serde(default, with = "int32::opt", skip_serializing_if = "Option::is_none")]
    pub weight: Option<i32>,
    /// The term as a JSON object, from a parameter.
    #[serde(alias = "node_affinity_json", default, skip_serializing_if = "Option::is_none")]
    pub node_affinity_json: Option<InputParameterSpec>,
}

/// `kfp_kubernetes.SelectorRequirement`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SelectorRequirement {
    /// The label or field.
    #[serde(default, skip_serializing_if = "is_default")]
    pub key: String,
    /// `In`, `NotIn`, `Exists`, ...
    #[serde(default, skip_serializing_if = "is_default")]
    pub operator: String,
    /// The values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// `kfp_kubernetes.PodAffinityTerm`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodAffinityTerm {
    /// Requirements on the other pods' labels.
    #[serde(alias = "match_pod_expressions", default, skip_serializing_if = "Vec::is_empty")]
    pub match_pod_expressions: Vec<SelectorRequirement>,
    /// Labels the other pods have.
    #[serde(alias = "match_pod_labels", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub match_pod_labels: BTreeMap<String, String>,
    /// The topology key.
    #[serde(alias = "topology_key", default, skip_serializing_if = "is_default")]
    pub topology_key: String,
    /// Namespaces of the other pods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    /// Requirements on the namespaces' labels.
    #[serde(alias = "match_namespace_expressions", default, skip_serializing_if = "Vec::is_empty")]
    pub match_namespace_expressions: Vec<SelectorRequirement>,
    /// Labels the namespaces have.
    #[serde(alias = "match_namespace_labels", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub match_namespace_labels: BTreeMap<String, String>,
    /// Set: a preferred term of this weight; unset: a required one.
    #[serde(default, with = "int32::opt", skip_serializing_if = "Option::is_none")]
    pub weight: Option<i32>,
    /// Anti-affinity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anti: Option<bool>,
}

/// `kfp_kubernetes.EnabledSharedMemory`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnabledSharedMemory {
    /// The volume's name.
    #[serde(alias = "volume_name", default, skip_serializing_if = "is_default")]
    pub volume_name: String,
    /// Its size, a quantity.
    #[serde(default, skip_serializing_if = "is_default")]
    pub size: String,
}

/// `kfp_kubernetes.EmptyDirMount`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmptyDirMount {
    /// The volume's name.
    #[serde(alias = "volume_name", default, skip_serializing_if = "is_default")]
    pub volume_name: String,
    /// Where it is mounted.
    #[serde(alias = "mount_path", default, skip_serializing_if = "is_default")]
    pub mount_path: String,
    /// `Memory`, or the node's disk when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// Its size limit, a quantity.
    #[serde(alias = "size_limit", default, skip_serializing_if = "Option::is_none")]
    pub size_limit: Option<String>,
}

/// `kfp_kubernetes.SecurityContext`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecurityContext {
    /// The user id.
    #[serde(alias = "run_as_user", default, with = "int64::opt", skip_serializing_if = "Option::is_none")]
    pub run_as_user: Option<i64>,
    /// The group id.
    #[serde(alias = "run_as_group", default, with = "int64::opt", skip_serializing_if = "Option::is_none")]
    pub run_as_group: Option<i64>,
    /// The container must not run as root.
    #[serde(alias = "run_as_non_root", default, skip_serializing_if = "Option::is_none")]
    pub run_as_non_root: Option<bool>,
}
