//! The recorded pipeline as data: what a `#[pipeline]` body leaves behind for the
//! compilers, and nothing that records it (that is [`super::record`], above this
//! module, and the builders above that).
//!
//! Types here are what they mean to kfp, for any target: a compiler lowers them.

mod conf;
mod group;
mod importer;
mod nested;
mod ops;
mod settings;
mod volume;

use std::sync::Arc;

pub use conf::{KubernetesVolume, PipelineConf, WorkspaceConfig};
pub use group::{BranchCondition, Condition, GraphCall, Group, GroupKind, Loop, LoopItems, Node, Operand, Operator};
pub use importer::{Importer, ARTIFACT_OUTPUT, URI_INPUT};
pub use nested::{NestedPipeline, PipelineOutput};
pub use ops::{ArtifactArgument, ContainerOp, ResourceOp};
pub use settings::{Retry, Sidecar, TaskSettings};
pub use volume::{MountedVolume, PipelineVolume};

use super::arg::Arg;
use crate::component::Component;
use crate::types::{KfpType, TypeInfo};

/// A pipeline's name, description and parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineInfo {
    /// Name as given (`add example`); a compiled pipeline's name is its sanitized form.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// kfp 2's `display_name`: the name the KFP UI shows (KFP v2 only).
    pub display_name: Option<String>,
    /// kfp 2's `pipeline_root`: where the run's artifacts go unless the run names
    /// another root (KFP v2 only).
    pub pipeline_root: Option<String>,
    /// Parameters in declaration order.
    pub params: Vec<PipelineParam>,
    /// What the doc comment's `Returns:` section says of each output: output name
    /// (`Output`, a field's) and text (KFP v2's output descriptions).
    pub output_descriptions: Vec<(String, String)>,
}

impl PipelineInfo {
    /// A pipeline named `name`, without description or parameters: the start of the
    /// info of a pipeline built at run time with [`record`](crate::dsl::record) (the
    /// `#[pipeline]` macro writes its own).
    ///
    /// ```
    /// use kfp_core::dsl::{PipelineInfo, PipelineParam};
    ///
    /// let info = PipelineInfo::new("big pipeline")
    ///     .with_description("A generated pipeline")
    ///     .param::<i64>("a")
    ///     .with_param(PipelineParam::new::<i64>("b").with_default(2));
    /// assert_eq!(info.params.len(), 2);
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        PipelineInfo {
            name: name.into(),
            description: None,
            display_name: None,
            pipeline_root: None,
            params: Vec::new(),
            output_descriptions: Vec::new(),
        }
    }

    /// The same info described by doc comment `lines` (one per `///` line), as kfp 2
    /// reads a pipeline's docstring: each parameter by its `Args:` entry, each output
    /// by its `Returns:` entry ([`crate::docstring`]).
    pub fn with_doc(mut self, lines: &[&str]) -> Self {
        let doc = crate::docstring::parse(lines);
        for param in &mut self.params {
            if let Some(text) = doc.arg(&param.name) {
                param.description = Some(text.to_owned());
            }
        }
        self.output_descriptions = doc.returns;
        self
    }

    /// The same info with a description.
    pub fn with_description(self, description: impl Into<String>) -> Self {
        PipelineInfo { description: Some(description.into()), ..self }
    }

    /// The same info with a display name (kfp 2's `display_name`), shown by the KFP UI.
    pub fn with_display_name(self, display_name: impl Into<String>) -> Self {
        PipelineInfo { display_name: Some(display_name.into()), ..self }
    }

    /// The same info with a pipeline root (kfp 2's `pipeline_root`, `s3://bucket/path`):
    /// where the run's artifacts go unless the run names another root.
    pub fn with_pipeline_root(self, pipeline_root: impl Into<String>) -> Self {
        PipelineInfo { pipeline_root: Some(pipeline_root.into()), ..self }
    }

    /// The same info with one more parameter, of Rust type `T`; the body reads it with
    /// [`pipeline_param`](crate::dsl::pipeline_param) and its position (0 for the first).
    pub fn param<T: PipelineParamType>(self, name: impl Into<String>) -> Self {
        self.with_param(PipelineParam::new::<T>(name))
    }

    /// The same info with one more parameter, given whole (to give it a default).
    pub fn with_param(mut self, param: PipelineParam) -> Self {
        self.params.push(param);
        self
    }
}

/// A pipeline parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineParam {
    /// Name, as in the Rust function.
    pub name: String,
    /// kfp type.
    pub ty: TypeInfo,
    /// Default value, serialized.
    pub default: Option<String>,
    /// A run may leave it out without a default (an `Option<T>` parameter, kfp's
    /// `Optional[str] = None`): the tasks it feeds get no value.
    pub optional: bool,
    /// What the doc comment's `Args:` section says of it (KFP v2's input description).
    pub description: Option<String>,
}

impl PipelineParam {
    /// A parameter of Rust type `T`; an `Option<T>` is optional without a default.
    pub fn new<T: PipelineParamType>(name: impl Into<String>) -> Self {
        PipelineParam { name: name.into(), ty: T::type_info(), default: None, optional: T::OPTIONAL, description: None }
    }

    /// The same parameter with a description (the doc comment's `Args:` entry).
    pub fn with_description(self, description: impl Into<String>) -> Self {
        PipelineParam { description: Some(description.into()), ..self }
    }

    /// The same parameter with a default value.
    pub fn with_default<T: KfpType>(self, default: T) -> Self {
        PipelineParam { default: Some(default.to_kfp_string()), ..self }
    }

    /// The same parameter declaring kfp type `type_name` (`GCSPath`,
    /// `typing.List[dict]`) in the `pipeline_spec` annotation and in kfp's type
    /// checks; its Rust type still decides how values are written.
    pub fn with_kfp_type(self, type_name: &'static str) -> Self {
        PipelineParam { ty: TypeInfo { type_name, ..self.ty }, ..self }
    }
}

/// A type a pipeline parameter can have: any kfp type, an artifact type (`Dataset`,
/// kfp 2's `Input[Dataset]`), or an `Option` of either (kfp's `Optional[str] = None`), or a
/// list of artifacts (`ArtifactList<Dataset>`, kfp 2's `Input[List[Dataset]]`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a pipeline parameter",
    label = "use a kfp type (integer, float, bool, String, Vec, map, `#[derive(JsonObject)]` type), an artifact type (`Dataset`), a list of artifacts (`kfp::dsl::ArtifactList<Dataset>`) or an `Option` of one",
    note = "see the kfp-rs README, section \"Types\""
)]
pub trait PipelineParamType: 'static {
    /// Whether a run may leave the parameter out without a default.
    const OPTIONAL: bool;
    /// The kfp type of its values.
    fn type_info() -> TypeInfo;
}

impl<T: KfpType> PipelineParamType for T {
    const OPTIONAL: bool = false;
    fn type_info() -> TypeInfo {
        TypeInfo::of::<T>()
    }
}

impl<T: KfpType> PipelineParamType for Option<T> {
    const OPTIONAL: bool = true;
    fn type_info() -> TypeInfo {
        TypeInfo::of::<T>()
    }
}

/// A value `#[default(...)]` takes for a pipeline or component parameter of type
/// `T`: a `T`, or a `&str` for a `String`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the default of a parameter of type `{T}`",
    label = "expected a value of type `{T}`",
    note = "write the default as the parameter's type: `#[default(4)]` for an integer, `#[default(0.5)]` for a float, `#[default(\"text\")]` for a String"
)]
pub trait DefaultValue<T> {
    /// The value as a `T`.
    fn into_default(self) -> T;
}

impl<T: KfpType> DefaultValue<T> for T {
    fn into_default(self) -> T {
        self
    }
}

impl DefaultValue<String> for &str {
    fn into_default(self) -> String {
        self.to_owned()
    }
}

impl DefaultValue<crate::types::Untyped> for &str {
    fn into_default(self) -> crate::types::Untyped {
        self.into()
    }
}

/// One recorded task.
#[derive(Clone, Debug)]
pub struct RecordedTask {
    /// What it runs.
    pub op: Op,
    /// Tasks (indexes) it must run after, besides those it takes data from.
    pub after: Vec<u32>,
    /// Resources, retries and the like.
    pub settings: TaskSettings,
    /// The innermost group (index into [`Recorded::groups`]) it was recorded in.
    pub group: Option<u32>,
    /// Groups (graph component calls) it must run after.
    pub after_groups: Vec<u32>,
    /// Volumes mounted with [`Task::add_pvolume`](crate::dsl::Task::add_pvolume) (kfp's `pvolumes`), in order.
    pub pvolumes: Vec<MountedVolume>,
}

/// What a task runs.
#[derive(Clone, Debug)]
pub enum Op {
    /// A component, with one argument per component input in input order.
    Component {
        /// The component.
        component: Arc<Component>,
        /// Its arguments.
        args: Vec<Arg>,
    },
    /// A raw container step.
    Container(ContainerOp),
    /// A Kubernetes resource to create, apply, patch or delete (kfp's `ResourceOp`,
    /// `VolumeOp` and `VolumeSnapshotOp`).
    Resource(ResourceOp),
    /// An artifact brought in by its URI (kfp 2's `dsl.importer`).
    Importer(Importer),
    /// A pipeline called as a component (kfp 2), with one argument per parameter.
    Pipeline {
        /// The pipeline.
        pipeline: Arc<NestedPipeline>,
        /// Its arguments.
        args: Vec<Arg>,
    },
}

impl RecordedTask {
    /// The component the task runs, if it runs one; for a pipeline, its interface.
    pub fn component(&self) -> Option<&Arc<Component>> {
        match &self.op {
            Op::Component { component, .. } => Some(component),
            Op::Pipeline { pipeline, .. } => Some(&pipeline.interface),
            Op::Importer(importer) => Some(&importer.interface),
            Op::Container(_) | Op::Resource(_) => None,
        }
    }

    /// The name the task's kfp name derives from.
    pub fn human_name(&self) -> &str {
        match &self.op {
            Op::Component { component, .. } => &component.spec.name,
            Op::Pipeline { pipeline, .. } => &pipeline.recorded.info.name,
            Op::Container(op) => &op.name,
            Op::Resource(op) => &op.name,
            Op::Importer(importer) => &importer.interface.spec.name,
        }
    }
}

/// A recorded pipeline: its info, its tasks in call order and its groups.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Name, description, parameters.
    pub info: PipelineInfo,
    /// Tasks in the order the body called them.
    pub tasks: Vec<RecordedTask>,
    /// Conditions, loops and the exit handler, in the order they were opened.
    pub groups: Vec<Group>,
    /// The recording's id, which the handles made while recording carry.
    pub recording: u64,
    /// Pipeline-level settings the body made.
    pub conf: PipelineConf,
    /// What the body returned, as the pipeline's outputs (KFP v2).
    pub outputs: Vec<PipelineOutput>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_builder_matches_the_struct() {
        let built = PipelineInfo::new("big pipeline")
            .with_description("many tasks")
            .param::<i64>("a")
            .with_param(PipelineParam::new::<f64>("b").with_default(0.5));
        let written = PipelineInfo {
            name: "big pipeline".to_owned(),
            description: Some("many tasks".to_owned()),
            display_name: None,
            pipeline_root: None,
            params: vec![PipelineParam::new::<i64>("a"), PipelineParam::new::<f64>("b").with_default(0.5)],
            output_descriptions: vec![],
        };
        assert_eq!(built, written);
        assert_eq!(
            PipelineInfo::new("p"),
            PipelineInfo {
                name: "p".to_owned(),
                description: None,
                display_name: None,
                pipeline_root: None,
                params: vec![],
                output_descriptions: vec![],
            }
        );
    }
}
