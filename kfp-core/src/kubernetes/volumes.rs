//! kfp-kubernetes' pod-local volumes as task settings: `add_ephemeral_volume` (a
//! generic ephemeral volume, a claim made for the pod and deleted with it) and
//! `empty_dir_mount` (an emptyDir; with medium `Memory` at `/dev/shm`, the pod's
//! shared memory). Each records the pod volume and its mount with the dsl's
//! `add_volume` and `add_volume_mount`: KFP v1 writes them into the pod as they
//! are, and the KFP v2 compiler writes them into the platform spec as
//! kfp-kubernetes does (`genericEphemeralVolume`, `emptyDirMounts`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    EmptyDirVolumeSource, EphemeralVolumeSource, PersistentVolumeClaimSpec, PersistentVolumeClaimTemplate, Volume,
    VolumeMount, VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::dsl::Task;

/// kfp-kubernetes' `add_ephemeral_volume` arguments: a claim of `size` with
/// `access_modes`, made for the task's pod from the cluster's default storage class
/// (or [`EphemeralVolume::storage_class_name`]) and mounted at `mount_path`.
#[derive(Clone, Debug, PartialEq)]
#[must_use = "give it to `Task::add_ephemeral_volume`"]
pub struct EphemeralVolume {
    volume_name: String,
    mount_path: String,
    access_modes: Vec<String>,
    size: String,
    storage_class_name: Option<String>,
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
}

impl EphemeralVolume {
    /// Volume `volume_name` at `mount_path`: a claim of `size` (`5Gi`) with
    /// `access_modes` (`ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany`, `ReadWriteOncePod`).
    pub fn new<M: Into<String>>(
        volume_name: impl Into<String>,
        mount_path: impl Into<String>,
        access_modes: impl IntoIterator<Item = M>,
        size: impl Into<String>,
    ) -> Self {
        EphemeralVolume {
            volume_name: volume_name.into(),
            mount_path: mount_path.into(),
            access_modes: access_modes.into_iter().map(Into::into).collect(),
            size: size.into(),
            storage_class_name: None,
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
        }
    }

    /// The claim's storage class (kfp's `storage_class_name`; else the cluster's default).
    pub fn storage_class_name(self, name: impl Into<String>) -> Self {
        EphemeralVolume { storage_class_name: Some(name.into()), ..self }
    }

    /// A label of the claim (kfp's `labels`).
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// An annotation of the claim (kfp's `annotations`).
    pub fn annotation(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.annotations.insert(key.into(), value.into());
        self
    }
}

/// kfp-kubernetes' `empty_dir_mount` arguments: an emptyDir volume `volume_name`
/// at `mount_path`, on the node's disk or in memory ([`EmptyDirMount::medium`]).
#[derive(Clone, Debug, PartialEq)]
#[must_use = "give it to `Task::empty_dir_mount`"]
pub struct EmptyDirMount {
    volume_name: String,
    mount_path: String,
    medium: Option<String>,
    size_limit: Option<String>,
}

impl EmptyDirMount {
    /// Volume `volume_name` at `mount_path`.
    pub fn new(volume_name: impl Into<String>, mount_path: impl Into<String>) -> Self {
        EmptyDirMount { volume_name: volume_name.into(), mount_path: mount_path.into(), medium: None, size_limit: None }
    }

    /// The pod's shared memory: an in-memory emptyDir at `/dev/shm`, as large as `size_limit`
    /// (a quantity, `1Gi`): what a multi-process data loader needs beyond the
    /// container runtime's 64 MB.
    pub fn shared_memory(volume_name: impl Into<String>, size_limit: impl Into<String>) -> Self {
        EmptyDirMount::new(volume_name, "/dev/shm").medium("Memory").size_limit(size_limit)
    }

    /// Its storage medium: `Memory` or `HugePages` (kfp's `medium`; else the node's disk).
    pub fn medium(self, medium: impl Into<String>) -> Self {
        EmptyDirMount { medium: Some(medium.into()), ..self }
    }

    /// Its size limit, a quantity (kfp's `size_limit`, `5Gi`).
    pub fn size_limit(self, size_limit: impl Into<String>) -> Self {
        EmptyDirMount { size_limit: Some(size_limit.into()), ..self }
    }
}

impl<O> Task<O> {
    /// kfp-kubernetes' `add_ephemeral_volume(task, ...)`: a generic ephemeral volume,
    /// a claim made for the task's pod and deleted with it, mounted into its container.
    ///
    /// ```
    /// use kfp_core::dsl::{record, ContainerOp, PipelineInfo};
    /// use kfp_core::kubernetes::EphemeralVolume;
    ///
    /// let recorded = record(PipelineInfo::new("p"), || {
    ///     let task = ContainerOp::new("scratch", "alpine").command(["df", "/data"]).add();
    ///     task.add_ephemeral_volume(
    ///         EphemeralVolume::new("scratch", "/data", ["ReadWriteOnce"], "5Gi").storage_class_name("fast"),
    ///     );
    /// })
    /// .unwrap();
    /// let settings = &recorded.tasks[0].settings;
    /// assert_eq!(settings.volume_mounts[0].mount_path, "/data");
    /// assert!(settings.volumes[0].ephemeral.is_some());
    /// ```
    pub fn add_ephemeral_volume(&self, volume: EphemeralVolume) -> Self {
        let metadata = (!volume.labels.is_empty() || !volume.annotations.is_empty()).then(|| ObjectMeta {
            labels: (!volume.labels.is_empty()).then_some(volume.labels),
            annotations: (!volume.annotations.is_empty()).then_some(volume.annotations),
            ..ObjectMeta::default()
        });
        let spec = PersistentVolumeClaimSpec {
            access_modes: Some(volume.access_modes),
            resources: Some(VolumeResourceRequirements {
                requests: Some(BTreeMap::from([("storage".to_owned(), Quantity(volume.size))])),
                ..VolumeResourceRequirements::default()
            }),
            storage_class_name: volume.storage_class_name,
            ..PersistentVolumeClaimSpec::default()
        };
        let template = PersistentVolumeClaimTemplate { metadata, spec };
        self.add_volume(Volume {
            name: volume.volume_name.clone(),
            ephemeral: Some(EphemeralVolumeSource { volume_claim_template: Some(template) }),
            ..Volume::default()
        })
        .add_volume_mount(VolumeMount {
            name: volume.volume_name,
            mount_path: volume.mount_path,
            ..VolumeMount::default()
        })
    }

    /// kfp-kubernetes' `empty_dir_mount(task, ...)`: an emptyDir volume mounted into
    /// the task's container; [`EmptyDirMount::shared_memory`] is the pod's shared memory.
    pub fn empty_dir_mount(&self, mount: EmptyDirMount) -> Self {
        self.add_volume(Volume {
            name: mount.volume_name.clone(),
            empty_dir: Some(EmptyDirVolumeSource { medium: mount.medium, size_limit: mount.size_limit.map(Quantity) }),
            ..Volume::default()
        })
        .add_volume_mount(VolumeMount {
            name: mount.volume_name,
            mount_path: mount.mount_path,
            ..VolumeMount::default()
        })
    }
}
