//! Volumes shared between steps: kfp's `dsl.PipelineVolume` and the `pvolumes` a
//! step mounts.

use k8s_openapi::api::core::v1::Volume;

/// A volume a step mounts, which carries the steps that must run before a step
/// mounting it (kfp's `dsl.PipelineVolume`).
///
/// A [`VolumeOp`](crate::dsl::VolumeOp) task's [`volume`](crate::dsl::VolumeOutputs) is one;
/// so is the volume a step mounted, taken back with [`Task::pvolume`](crate::dsl::Task::pvolume): a step
/// mounting it then runs after that step. [`PipelineVolume::after`] adds more.
///
/// ```
/// use kfp_core::dsl::{record, ContainerOp, PipelineInfo, VolumeOp};
///
/// let recorded = record(PipelineInfo::new("p"), || {
///     let vop = VolumeOp::new("create-pvc", "my-pvc", "10Gi").add();
///     let step1 = ContainerOp::new("step1", "library/bash:4.4.23").pvolume("/data", vop.volume()).add();
///     // Runs after step1, and mounts the same claim.
///     ContainerOp::new("step2", "library/bash:4.4.23").pvolume("/data", step1.pvolume()).add();
/// })
/// .unwrap();
/// assert_eq!(recorded.tasks[2].after, [1]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineVolume {
    /// The Kubernetes volume; pipeline values go into its strings with `format!`.
    /// The volume of a `VolumeOp` has an empty name: it takes its task's name.
    pub volume: Volume,
    /// The task whose name the volume takes (a `VolumeOp`'s).
    pub(crate) named_by: Option<u32>,
    /// Tasks a step mounting the volume runs after (kfp's `dependent_names`).
    pub(crate) dependent: Vec<u32>,
    /// The recording `named_by` and `dependent` belong to; 0 for none.
    pub(crate) recording: u64,
}

/// A volume mounted into a step's container.
#[derive(Clone, Debug, PartialEq)]
pub struct MountedVolume {
    /// Where the container sees it.
    pub mount_path: String,
    /// The volume, its dependencies including the step that mounts it.
    pub volume: PipelineVolume,
}
