//! The pipeline builder: a `#[pipeline]` body runs once at build time, and every
//! component call in it records a task here.
//!
//! Handles ([`Param`], [`Output`], [`Task`]) are typed by the Rust type of the
//! value they stand for, so wiring mismatched types does not compile.

mod arg;
mod artifact_lists;
mod branches;
mod collected;
mod conf;
mod container_op;
pub mod ext;
mod group;
mod importer;
pub(crate) mod loaded;
pub mod marker;
mod nested;
mod record;
mod recorded;
mod resource_op;
pub(crate) mod return_value;
mod returned;
mod settings;
pub(crate) mod task;
mod unknown;
mod volume;
mod workspace;

/// kfp's `dsl.RUN_ID_PLACEHOLDER`: the id of the run, as text in a command or
/// argument. A marker each compiler writes as its target's text: kfp 1.8's
/// for Argo (a local run gives it a random UUID), kfp 2's
/// `PIPELINE_JOB_ID_PLACEHOLDER` for KFP v2.
pub const RUN_ID_PLACEHOLDER: &str = marker::RunValue::RunId.marker();

/// kfp's `dsl.EXECUTION_ID_PLACEHOLDER`: an id of one task's execution, as text
/// in a command or argument. A marker each compiler writes as its target's
/// text: kfp 1.8's for Argo (the run's id and the pod's name), kfp 2's
/// `PIPELINE_TASK_ID_PLACEHOLDER` for KFP v2.
pub const EXECUTION_ID_PLACEHOLDER: &str = marker::RunValue::ExecutionId.marker();

/// kfp 2's `dsl.PIPELINE_JOB_NAME_PLACEHOLDER`: the run's name, as text in a task's
/// argument (KFP v2 fills these in only there). KFP v1 has none.
pub const PIPELINE_JOB_NAME_PLACEHOLDER: &str = marker::RunValue::JobName.marker();

/// kfp 2's `dsl.PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER`: the name of the run's
/// resource, as text in a task's argument; KFP v1's `{{workflow.name}}`.
pub const PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER: &str = marker::RunValue::JobResourceName.marker();

/// kfp 2's `dsl.PIPELINE_JOB_ID_PLACEHOLDER`: the run's id, as text in a task's
/// argument; the same value as [`RUN_ID_PLACEHOLDER`].
pub const PIPELINE_JOB_ID_PLACEHOLDER: &str = RUN_ID_PLACEHOLDER;

/// kfp 2's `dsl.PIPELINE_TASK_NAME_PLACEHOLDER`: the task's name, as text in its
/// argument. KFP v1 has none.
pub const PIPELINE_TASK_NAME_PLACEHOLDER: &str = marker::RunValue::TaskName.marker();

/// kfp 2's `dsl.PIPELINE_TASK_ID_PLACEHOLDER`: the id of the task's execution, as
/// text in its argument; the same value as [`EXECUTION_ID_PLACEHOLDER`].
pub const PIPELINE_TASK_ID_PLACEHOLDER: &str = EXECUTION_ID_PLACEHOLDER;

/// kfp 2's `dsl.PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER`: when the run was created,
/// as text in a task's argument; KFP v1's `{{workflow.creationTimestamp}}`.
pub const PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER: &str = marker::RunValue::JobCreateTime.marker();

/// kfp 2's `dsl.PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER`: when a recurring run's
/// run was scheduled, as text in a task's argument. KFP v1 has none (its recurring
/// runs' `[[ScheduledTime]]` goes into a parameter).
pub const PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER: &str = marker::RunValue::JobScheduleTime.marker();

/// kfp 2's `dsl.WORKSPACE_PATH_PLACEHOLDER`: where the run's workspace
/// ([`PipelineConfHandle::set_workspace`]) is mounted, as text in a task's argument.
/// KFP v2 only; a local run of the IR gives it a directory of the run's.
pub const WORKSPACE_PATH_PLACEHOLDER: &str = marker::RunValue::WorkspacePath.marker();

/// kfp 2's `dsl.PipelineTaskFinalStatus`, a parameter only an exit task's component may take.
pub use crate::component::PipelineTaskFinalStatus;
pub use arg::{Arg, Feeds, FeedsPath, IntoArg, Output, Param};
pub use branches::{if_, one_of, If, OneOf};
pub use collected::{collected, ArtifactList, Collected};
pub use conf::{get_pipeline_conf, PipelineConfHandle};
pub use container_op::FileOutputs;
pub use group::{
    condition, exit_handler, exit_handler_named, graph_component, parallel_for, sub_graph, ComparableWith, Compare,
    Conditional, Graph, IntoLoopItems, LoopItem, ParallelFor, ParameterItem, Upstream,
};
pub use importer::{importer, ArtifactClass, Imported, ImporterCall};
pub use loaded::Loaded;
pub use marker::OutputRef;
pub use nested::{pipeline_output, record_pipeline_task, set_pipeline_outputs, PipelineReturn};
pub(crate) use record::{output_type, param_type, push_error};
pub use record::{pipeline_param, record, record_task, OpTransformer, Task};
pub use recorded::{
    ArtifactArgument, BranchCondition, Condition, ContainerOp, DefaultValue, GraphCall, Group, GroupKind, Importer,
    KubernetesVolume, Loop, LoopItems, MountedVolume, NestedPipeline, Node, Op, Operand, Operator, PipelineConf,
    PipelineInfo, PipelineOutput, PipelineParam, PipelineParamType, PipelineVolume, Recorded, RecordedTask, ResourceOp,
    Retry, Sidecar, TaskSettings, WorkspaceConfig, ARTIFACT_OUTPUT, URI_INPUT,
};
pub use resource_op::{
    ResourceOutputs, SnapshotOutputs, VolumeOp, VolumeOutputs, VolumeSnapshotOp, VOLUME_MODE_ROM, VOLUME_MODE_RWM,
    VOLUME_MODE_RWO,
};
pub use return_value::ReturnValue;
pub use returned::OutputField;
pub use task::{Outputs, ReturnType, SingleOutput};
pub use unknown::Unknown;

use crate::error::Result;

/// A pipeline: what `#[pipeline]` makes of a function.
pub trait Pipeline {
    /// Name, description and parameters.
    fn info(&self) -> PipelineInfo;

    /// Runs the body, recording its tasks into the current recording.
    #[doc(hidden)]
    fn __kfp_body(&self);

    /// Runs the body and returns the recorded DAG, or every problem found.
    fn build(&self) -> Result<Recorded> {
        record(self.info(), || self.__kfp_body())
    }
}

impl<P: Pipeline + ?Sized> Pipeline for &P {
    fn info(&self) -> PipelineInfo {
        (**self).info()
    }

    fn __kfp_body(&self) {
        (**self).__kfp_body()
    }
}
