//! Typed model of KFP v2's pipeline IR: `PipelineSpec` and `PlatformSpec`
//! (`api/v2alpha1/pipeline_spec.proto` of kubeflow/pipelines), as kfp 2 writes them.
//!
//! A pipeline file ([`PipelineFile`]) is one or two YAML documents: the pipeline spec, then
//! the platform spec when the pipeline sets Kubernetes options (kfp-kubernetes'
//! `KubernetesExecutorConfig`, typed in [`kubernetes`]). A component file is a pipeline spec
//! too: kfp writes a component as a pipeline of one task.
//!
//! Serde follows protobuf's JSON mapping: lowerCamelCase names (the proto's snake_case names
//! are accepted on read), enums by name, int64 written as a string and read from a number or
//! a string, `google.protobuf.Value`/`Struct` as `serde_json` values, each member of a
//! oneof as a field of its own. A proto3 scalar without presence is a plain value, written
//! only when it is not its default (as protobuf does); messages and oneof members are
//! `Option`s. Unknown fields are rejected (`deny_unknown_fields`), so a typo is an error
//! naming the field and its YAML path. Maps are `BTreeMap`s: kfp writes keys sorted.
//!
//! [`rules::check`] checks what the schema cannot: references resolve, producers are
//! upstream, types match.

use serde::Deserialize;

pub mod dag;
pub mod deployment;
pub mod kubernetes;
pub mod pipeline;
pub mod platform;
mod proto;
pub mod rules;
pub mod types;
mod yaml;

pub use dag::{
    ArtifactItemsSpec, ArtifactIteratorSpec, ArtifactSelectorSpec, CachingOptions, ComponentRef, DagOutputArtifactSpec,
    DagOutputParameterSpec, DagOutputsSpec, DagSpec, InputArtifactSpec, InputParameterSpec, IteratorPolicy,
    ParameterItemsSpec, ParameterIteratorSpec, ParameterSelectorSpec, ParameterSelectorsSpec, PipelineTaskInfo,
    PipelineTaskSpec, ProtoValue, RetryPolicy, TaskFinalStatus, TaskInputsSpec, TaskOutputArtifactSpec,
    TaskOutputParameterSpec, TriggerPolicy, TriggerStrategy, ValueOrRuntimeParameter,
};
pub use deployment::{
    AcceleratorConfig, ArtifactQuerySpec, CustomJobSpec, DeploymentSpec, EnvVar, Exec, ExecutorSpec, ImporterSpec,
    Lifecycle, PipelineContainerSpec, ResolverSpec, ResourceSpec,
};
pub use kubernetes::KubernetesExecutorConfig;
pub use pipeline::{
    ComponentInputsSpec, ComponentOutputsSpec, ComponentSpec, InputArtifactDefinition, InputParameterDefinition,
    OutputArtifactDefinition, OutputParameterDefinition, PipelineInfo, PipelineSpec, TaskConfigPassthrough,
    TaskConfigPassthroughType,
};
pub use platform::{
    KubernetesWorkspaceConfig, PipelineConfig, PlatformDeploymentConfig, PlatformSpec, SinglePlatformSpec,
    WorkspaceConfig, KUBERNETES,
};
pub use types::{ArtifactTypeSchema, ParameterType, PrimitiveType};
pub use yaml::Error as WriteError;

/// The IR version kfp 2.17.3 writes (`schemaVersion`).
pub const SCHEMA_VERSION: &str = "2.1.0";

/// A pipeline IR file: the pipeline spec, and the platform spec when there is one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PipelineFile {
    /// The first document.
    pub spec: PipelineSpec,
    /// The second document: Kubernetes settings per executor and for the run.
    pub platform: Option<PlatformSpec>,
    /// The description in the header comment: the pipeline's (its `pipelineInfo.description`)
    /// or, for a component compiled alone, the component's, which the IR has nowhere else.
    pub description: String,
}

/// An IR file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The text, or its pipeline spec, cannot be read.
    #[error(transparent)]
    Spec(#[from] crate::input::YamlError),
    /// The second document is not a platform spec.
    #[error("platform spec (the second YAML document): {0}")]
    Platform(crate::input::YamlError),
    /// No document.
    #[error("no YAML document: a pipeline IR file holds a PipelineSpec (and may add a PlatformSpec)")]
    Empty,
    /// More than two documents.
    #[error("{0} YAML documents: a pipeline IR file holds a PipelineSpec and at most one PlatformSpec after it")]
    TooManyDocuments(usize),
}

impl ReadError {
    /// 1-based line and column, when known.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            ReadError::Spec(error) | ReadError::Platform(error) => error.location(),
            ReadError::Empty | ReadError::TooManyDocuments(_) => None,
        }
    }
}

impl PipelineFile {
    /// Parses a pipeline IR file (YAML or JSON), rejecting unknown fields, in time linear in
    /// the text (see [`crate::input`]).
    pub fn from_yaml(text: &str) -> Result<Self, ReadError> {
        crate::input::check_yaml(text).map_err(crate::input::YamlError::from)?;
        // serde_yaml reads an empty text as one empty document, which every field defaults.
        if text.lines().all(|line| line.trim().is_empty() || line.trim_start().starts_with('#')) {
            return Err(ReadError::Empty);
        }
        let mut documents = serde_yaml::Deserializer::from_str(text);
        let Some(first) = documents.next() else { return Err(ReadError::Empty) };
        let spec = PipelineSpec::deserialize(first).map_err(crate::input::YamlError::from)?;
        let platform = match documents.next() {
            Some(second) => Some(
                PlatformSpec::deserialize(second)
                    .map_err(|error| ReadError::Platform(crate::input::YamlError::from(error)))?,
            ),
            None => None,
        };
        let more = documents.count();
        if more > 0 {
            return Err(ReadError::TooManyDocuments(2 + more));
        }
        Ok(PipelineFile { spec, platform, description: yaml::header_description(text) })
    }

    /// A file of `spec` and `platform` whose header describes it with
    /// `pipelineInfo.description`, as kfp writes a pipeline.
    pub fn new(spec: PipelineSpec, platform: Option<PlatformSpec>) -> Self {
        let description = spec.pipeline_info.as_ref().map(|info| info.description.clone()).unwrap_or_default();
        PipelineFile { spec, platform, description }
    }

    /// The file as kfp writes it: the `# PIPELINE DEFINITION` header comment (name,
    /// description, the root's inputs and outputs), the pipeline spec with keys sorted, and
    /// the platform spec as a second document when there is one.
    pub fn to_yaml(&self) -> Result<String, WriteError> {
        yaml::file(self)
    }

    /// True when the first YAML document looks like a pipeline spec rather than another
    /// kind of file (an Argo Workflow has `kind`): it has `pipelineInfo`, `root`,
    /// `components` or `deploymentSpec`. Reads nothing but the top-level keys.
    pub fn is_pipeline_spec(first_document: &serde_yaml::Value) -> bool {
        let Some(mapping) = first_document.as_mapping() else { return false };
        if mapping.contains_key("kind") {
            return false;
        }
        ["pipelineInfo", "pipeline_info", "root", "components", "deploymentSpec", "deployment_spec"]
            .iter()
            .any(|key| mapping.contains_key(*key))
    }
}

impl PipelineSpec {
    /// The component named `name`: `root` for the root, a key of `components` otherwise.
    pub fn component(&self, name: &str) -> Option<&ComponentSpec> {
        self.components.get(name)
    }

    /// The executor labelled `label`.
    pub fn executor(&self, label: &str) -> Option<&ExecutorSpec> {
        self.deployment_spec.as_ref()?.executors.get(label)
    }
}
