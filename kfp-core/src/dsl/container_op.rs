//! Raw container steps: kfp's `dsl.ContainerOp`.

use super::arg::Output;
use super::marker::intern;
use super::record::{self, Op};
use super::task::{Outputs, Task, TaskRef};
use super::volume::PipelineVolume;
use crate::argo::UserContainer;

/// A step that runs a container as written, kfp's `dsl.ContainerOp(name, image,
/// command, arguments, file_outputs, artifact_argument_paths)`.
///
/// Pipeline parameters, task outputs and loop items go into the strings with
/// `format!` (`format!("echo {}", message)`); the compiler resolves them.
///
/// ```
/// use kfp_core::dsl::{record, ContainerOp, PipelineInfo};
///
/// let recorded = record(PipelineInfo::new("p"), || {
///     let flip = ContainerOp::new("flip", "python:alpine3.6")
///         .command(["sh", "-c"])
///         .arguments(["echo heads | tee /tmp/output"])
///         .file_output("output", "/tmp/output")
///         .add();
///     ContainerOp::new("print", "alpine:3.6").command(["echo".to_owned(), flip.output().to_string()]).add();
/// })
/// .unwrap();
/// assert_eq!(recorded.tasks.len(), 2);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerOp {
    /// Step name; the task name is its kfp-sanitized, deduplicated form.
    pub name: String,
    /// Container image.
    pub image: String,
    /// Entrypoint.
    pub command: Vec<String>,
    /// Arguments.
    pub arguments: Vec<String>,
    /// Outputs read from files the container writes: name and path.
    pub file_outputs: Vec<(String, String)>,
    /// Inputs written to files before the container starts: name, path and
    /// content (a constant or a pipeline value written with `format!`).
    pub artifact_arguments: Vec<ArtifactArgument>,
    /// Volumes to mount (kfp's `pvolumes`): mount path and volume. [`ContainerOp::add`]
    /// mounts them on the task ([`Task::add_pvolume`]).
    pub pvolumes: Vec<(String, PipelineVolume)>,
    /// Containers beside the step's (kfp's `sidecars`); [`ContainerOp::add`]
    /// sets them on the task ([`Task::add_sidecar`]).
    pub sidecars: Vec<UserContainer>,
    /// Containers run before the step's (kfp's `init_containers`); [`ContainerOp::add`]
    /// sets them on the task ([`Task::add_init_container`]).
    pub init_containers: Vec<UserContainer>,
}

/// One `artifact_argument_paths` entry of a [`ContainerOp`].
#[derive(Clone, Debug, PartialEq)]
pub struct ArtifactArgument {
    /// Input name.
    pub name: String,
    /// Where the container finds the file.
    pub path: String,
    /// The file's content.
    pub value: String,
}

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
    pub fn add_sidecar(mut self, sidecar: UserContainer) -> Self {
        self.sidecars.push(sidecar);
        self
    }

    /// Runs `container` before the step's (kfp's `init_containers=[...]`); the
    /// task's [`Task::add_init_container`] does the same after [`ContainerOp::add`].
    pub fn add_init_container(mut self, container: UserContainer) -> Self {
        self.init_containers.push(container);
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
