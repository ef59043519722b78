//! Raw container steps: kfp's `dsl.ContainerOp`.

use super::arg::Output;
use super::marker::intern;
use super::record::{self, Task};
use super::recorded::{ArtifactArgument, ContainerOp, Op, PipelineVolume, Sidecar};
use super::task::{Outputs, TaskRef};

impl ContainerOp {
    /// A step `name` running `image`.
    pub fn new(name: impl Into<String>, image: impl Into<String>) -> Self {
        ContainerOp { name: name.into(), image: image.into(), ..ContainerOp::default() }
    }

    /// The entrypoint.
    pub fn command<S: ToString>(self, command: impl IntoIterator<Item = S>) -> Self {
        ContainerOp { command: command.into_iter().map(|part| part.to_string()).collect(), ..self }
    }

    /// The arguments.
    pub fn arguments<S: ToString>(self, arguments: impl IntoIterator<Item = S>) -> Self {
        ContainerOp { arguments: arguments.into_iter().map(|part| part.to_string()).collect(), ..self }
    }

    /// An output `name` read from `path` when the container ends.
    pub fn file_output(mut self, name: impl Into<String>, path: impl Into<String>) -> Self {
        self.file_outputs.push((name.into(), path.into()));
        self
    }

    /// An input file at `path` holding `value` (kfp's `InputArgumentPath`).
    pub fn artifact_argument(mut self, name: impl Into<String>, value: impl ToString, path: impl Into<String>) -> Self {
        self.artifact_arguments.push(ArtifactArgument {
            name: name.into(),
            path: path.into(),
            value: value.to_string(),
        });
        self
    }

    /// Mounts `volume` at `mount_path` (kfp's `pvolumes={mount_path: volume}`):
    /// the step runs after the volume's dependencies.
    pub fn pvolume(mut self, mount_path: impl Into<String>, volume: PipelineVolume) -> Self {
        self.pvolumes.push((mount_path.into(), volume));
        self
    }

    /// Runs `sidecar` beside the step's container (kfp's `sidecars=[...]`); the
    /// task's [`Task::add_sidecar`] does the same after [`ContainerOp::add`].
    pub fn add_sidecar(mut self, sidecar: impl Into<Sidecar>) -> Self {
        self.sidecars.push(sidecar.into());
        self
    }

    /// Runs `container` before the step's (kfp's `init_containers=[...]`); the
    /// task's [`Task::add_init_container`] does the same after [`ContainerOp::add`].
    pub fn add_init_container(mut self, container: impl Into<Sidecar>) -> Self {
        self.init_containers.push(container.into());
        self
    }

    /// Records the step in the pipeline being built.
    pub fn add(mut self) -> Task<FileOutputs> {
        let pvolumes = std::mem::take(&mut self.pvolumes);
        let sidecars = std::mem::take(&mut self.sidecars);
        let init_containers = std::mem::take(&mut self.init_containers);
        let task = record::record_op(Op::Container(self));
        task.add_pvolumes(pvolumes);
        for sidecar in sidecars {
            task.add_sidecar(sidecar);
        }
        for container in init_containers {
            task.add_init_container(container);
        }
        task
    }
}

/// The outputs of a [`ContainerOp`]: its file outputs, untyped (`String`).
#[derive(Clone, Copy, Debug)]
pub struct FileOutputs {
    task: TaskRef,
}

impl FileOutputs {
    /// File output `name`.
    pub fn get(&self, name: &str) -> Output<String> {
        self.task.output(intern(name))
    }
}

impl Outputs for FileOutputs {
    type Handles = FileOutputs;
    fn handles(task: TaskRef) -> FileOutputs {
        FileOutputs { task }
    }
}

impl Task<FileOutputs> {
    /// The step's only file output (kfp's `op.output`); with several, name one
    /// with [`Task::file_output`].
    pub fn output(&self) -> Output<String> {
        let names = record::file_output_names(self);
        if names.len() != 1 {
            record::push_error(format!(
                "`.output()` of a container op needs exactly one file output, it has {}: use `.file_output(name)`",
                names.len()
            ));
        }
        let name = names.first().map_or("output", |name| intern(name));
        self.outputs().task.output(name)
    }

    /// File output `name`.
    pub fn file_output(&self, name: &str) -> Output<String> {
        if !record::file_output_names(self).iter().any(|known| known == name) {
            record::push_error(format!("container op has no file output `{name}`"));
        }
        self.outputs().get(name)
    }
}
