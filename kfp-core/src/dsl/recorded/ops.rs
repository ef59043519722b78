//! Steps that run something other than a component: kfp's `dsl.ContainerOp` and
//! `dsl.ResourceOp` (which `dsl.VolumeOp` and `dsl.VolumeSnapshotOp` build), as
//! kfp 1.8 records them; the compilers lower them.

use super::{PipelineVolume, Sidecar};

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
    /// mounts them on the task ([`Task::add_pvolume`](crate::dsl::Task::add_pvolume)).
    pub pvolumes: Vec<(String, PipelineVolume)>,
    /// Containers beside the step's (kfp's `sidecars`); [`ContainerOp::add`]
    /// sets them on the task ([`Task::add_sidecar`](crate::dsl::Task::add_sidecar)).
    pub sidecars: Vec<Sidecar>,
    /// Containers run before the step's (kfp's `init_containers`); [`ContainerOp::add`]
    /// sets them on the task ([`Task::add_init_container`](crate::dsl::Task::add_init_container)).
    pub init_containers: Vec<Sidecar>,
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

/// A step that acts on a Kubernetes resource (kfp's `dsl.ResourceOp`): `create`
/// (the default), `apply`, `patch`, `replace`, `get` or `delete` it.
///
/// The manifest is any serializable value: a `k8s_openapi` object or a
/// `serde_json::json!` value. Pipeline values go into its strings with `format!`.
/// Outputs read attributes of the resource by JSON path: `name`
/// (`{.metadata.name}`) and `manifest` (`{}`) always, plus each
/// [`ResourceOp::attribute_output`].
///
/// ```
/// use kfp_core::dsl::{record, PipelineInfo, ResourceOp};
/// use serde_json::json;
///
/// let recorded = record(PipelineInfo::new("p"), || {
///     let secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"generateName": "my-secret-"}});
///     let op = ResourceOp::new("create-my-secret", secret).attribute_output("name", "{.metadata.name}").add();
///     let _name = op.output();
/// })
/// .unwrap();
/// assert_eq!(recorded.tasks.len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceOp {
    /// Step name; the task name is its kfp-sanitized, deduplicated form.
    pub name: String,
    /// `create`, `apply`, `patch`, `replace`, `get` or `delete`.
    pub action: String,
    /// The resource, as JSON; the compiler writes it as kfp does (PyYAML text).
    pub manifest: serde_json::Value,
    /// Patch strategy of an `apply` (`strategic`, `merge`, `json`).
    pub merge_strategy: Option<String>,
    /// When the step succeeds (`status.readyToUse == true`).
    pub success_condition: Option<String>,
    /// When the step fails.
    pub failure_condition: Option<String>,
    /// Makes the run the resource's owner, so the resource goes when the run is deleted.
    pub set_owner_reference: Option<bool>,
    /// Extra `kubectl` flags; a `delete` gets `--wait=false` by default.
    pub flags: Option<Vec<String>>,
    /// Outputs: name and JSON path, in the order added.
    pub attribute_outputs: Vec<(String, String)>,
    /// The output `.output()` stands for, set when the op is recorded.
    pub(crate) output: Option<String>,
    /// Whether the resource's `metadata.name` is made unique to the run, as kfp
    /// names a `VolumeOp`'s claim and a `VolumeSnapshotOp`'s snapshot: the
    /// compiler puts the run's name before it.
    pub(crate) name_per_run: bool,
}
