//! What templates pass each other: arguments, inputs and outputs, their parameters and artifacts, and
//! where an artifact is stored.

use serde::{Deserialize, Serialize};

use super::{scalar, ConfigMapKeySelector, SecretKeySelector};

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
