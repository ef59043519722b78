//! Volumes shared between steps: kfp's `dsl.PipelineVolume` and the `pvolumes`
//! of its `ContainerOp`.

use std::collections::HashSet;
use std::fmt::Display;

use k8s_openapi::api::core::v1::{PersistentVolumeClaimVolumeSource, Volume};

use super::record::{Recording, Task};
use super::recorded::{MountedVolume, PipelineVolume};

impl PipelineVolume {
    /// A volume as given, without dependencies (kfp's `PipelineVolume(volume=...)`);
    /// it must have a name.
    pub fn new(volume: Volume) -> Self {
        PipelineVolume { volume, named_by: None, dependent: Vec::new(), recording: 0 }
    }

    /// The existing claim `claim` (a name, or a pipeline value written with
    /// `format!`) as volume `name` (kfp's `PipelineVolume(name=..., pvc=...)`).
    pub fn from_pvc(name: impl Into<String>, claim: impl Display) -> Self {
        PipelineVolume::new(Volume {
            name: name.into(),
            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                claim_name: claim.to_string(),
                ..PersistentVolumeClaimVolumeSource::default()
            }),
            ..Volume::default()
        })
    }

    /// The volume of a `VolumeOp` task: the claim its `name` output names, called
    /// as the task.
    pub(crate) fn of_volume_op(recording: u64, task: u32, claim: String) -> Self {
        let mut volume = PipelineVolume::from_pvc("", claim);
        volume.named_by = Some(task);
        volume.recording = recording;
        volume
    }

    /// The same volume, whose users also run after `task` (kfp's
    /// `PipelineVolume.after`); dependencies `task` already implies are dropped.
    pub fn after<O>(&self, task: &Task<O>) -> PipelineVolume {
        let recording = task.recording.borrow();
        let mut dependent = vec![task.index];
        if self.recording != 0 && self.recording != recording.id {
            drop(recording);
            task.recording
                .borrow_mut()
                .errors
                .push("`PipelineVolume::after`: the volume belongs to another pipeline".to_owned());
            return self.clone();
        }
        for &old in &self.dependent {
            if !implies(&recording, task.index, old) && !dependent.contains(&old) {
                dependent.push(old);
            }
        }
        PipelineVolume { dependent, recording: recording.id, ..self.clone() }
    }

    /// Indexes of the tasks a step mounting this volume runs after.
    pub fn dependent_tasks(&self) -> &[u32] {
        &self.dependent
    }
}

/// kfp's `implies(newdep, olddep)`: `new` is `old` or runs after it through
/// explicit dependencies.
fn implies(recording: &Recording, new: u32, old: u32) -> bool {
    let mut stack = vec![new];
    let mut seen = HashSet::new();
    while let Some(task) = stack.pop() {
        if task == old {
            return true;
        }
        if seen.insert(task) {
            if let Some(found) = recording.tasks.get(task as usize) {
                stack.extend(found.after.iter().copied());
            }
        }
    }
    false
}

impl<O> Task<O> {
    /// Mounts `volume` at `mount_path` (kfp's `add_pvolumes({mount_path: volume})`):
    /// the task runs after the volume's dependencies, and [`Task::pvolume`] gives
    /// back the volume with this task as its dependency.
    pub fn add_pvolume(&self, mount_path: impl Into<String>, volume: &PipelineVolume) -> Self {
        let mut recording = self.recording.borrow_mut();
        if volume.recording != 0 && volume.recording != recording.id {
            recording.errors.push(format!(
                "volume mounted at `{}` belongs to another pipeline: use volumes of this pipeline's body only",
                mount_path.into()
            ));
            return self.clone();
        }
        if let Some(task) = recording.tasks.get_mut(self.index as usize) {
            for &dependency in &volume.dependent {
                if !task.after.contains(&dependency) {
                    task.after.push(dependency);
                }
            }
        }
        drop(recording);
        let volume = volume.after(self);
        let mut recording = self.recording.borrow_mut();
        if let Some(task) = recording.tasks.get_mut(self.index as usize) {
            task.pvolumes.push(MountedVolume { mount_path: mount_path.into(), volume });
        }
        drop(recording);
        self.clone()
    }

    /// Mounts each volume at its path, in order ([`Task::add_pvolume`]).
    pub fn add_pvolumes<P: Into<String>>(&self, volumes: impl IntoIterator<Item = (P, PipelineVolume)>) -> Self {
        for (path, volume) in volumes {
            self.add_pvolume(path, &volume);
        }
        self.clone()
    }

    /// The task's only mounted volume (kfp's `op.pvolume`), which makes a step
    /// mounting it run after this task; with several, name one with [`Task::pvolume_at`].
    pub fn pvolume(&self) -> PipelineVolume {
        let found = {
            let recording = self.recording.borrow();
            let mounted = recording.tasks.get(self.index as usize).map(|task| &task.pvolumes[..]).unwrap_or_default();
            (mounted.len() == 1).then(|| mounted[0].volume.clone()).ok_or(mounted.len())
        };
        found.unwrap_or_else(|count| {
            self.recording.borrow_mut().errors.push(format!(
                "`.pvolume()` needs a task with exactly one mounted volume, it has {count}: use `.pvolume_at(path)`"
            ));
            PipelineVolume::new(Volume::default())
        })
    }

    /// The volume the task mounts at `mount_path` (kfp's `op.pvolumes[mount_path]`).
    pub fn pvolume_at(&self, mount_path: &str) -> PipelineVolume {
        let found = {
            let recording = self.recording.borrow();
            recording.tasks.get(self.index as usize).and_then(|task| {
                task.pvolumes.iter().rev().find(|mounted| mounted.mount_path == mount_path).map(|m| m.volume.clone())
            })
        };
        found.unwrap_or_else(|| {
            self.recording.borrow_mut().errors.push(format!("the task mounts no volume at `{mount_path}`"));
            PipelineVolume::new(Volume::default())
        })
    }
}
