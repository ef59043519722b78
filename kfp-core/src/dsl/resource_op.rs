//! Kubernetes resources as steps: kfp's `dsl.ResourceOp`, `dsl.VolumeOp` and
//! `dsl.VolumeSnapshotOp`, recorded as a [`ResourceOp`] (a manifest, an action and
//! the outputs read from the resource with JSON paths) that a compiler lowers.

use std::collections::BTreeMap;
use std::fmt::Display;

use k8s_openapi::api::core::v1::{
    PersistentVolumeClaim, PersistentVolumeClaimSpec, TypedLocalObjectReference, VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use super::arg::Output;
use super::marker::{has_marker, intern};
use super::record::{self, Task};
use super::recorded::{Op, PipelineVolume, ResourceOp};
use super::task::{Outputs, TaskRef};
use crate::names::sanitize_k8s_name;

/// `ReadWriteOnce`.
pub const VOLUME_MODE_RWO: &[&str] = &["ReadWriteOnce"];
/// `ReadWriteMany`, a `VolumeOp`'s default.
pub const VOLUME_MODE_RWM: &[&str] = &["ReadWriteMany"];
/// `ReadOnlyMany`.
pub const VOLUME_MODE_ROM: &[&str] = &["ReadOnlyMany"];

const SNAPSHOT_GROUP: &str = "snapshot.storage.k8s.io";

impl ResourceOp {
    /// A step `name` creating `manifest`.
    pub fn new(name: impl Into<String>, manifest: impl Serialize) -> Self {
        let name = name.into();
        let manifest = serde_json::to_value(manifest).unwrap_or_else(|error| {
            record::push_error(format!("resource op `{name}`: the manifest does not serialize: {error}"));
            serde_json::Value::Null
        });
        ResourceOp {
            name,
            action: "create".to_owned(),
            manifest,
            merge_strategy: None,
            success_condition: None,
            failure_condition: None,
            set_owner_reference: None,
            flags: None,
            attribute_outputs: Vec::new(),
            output: None,
            name_per_run: false,
        }
    }

    /// What to do with the resource: `create` (default), `apply`, `patch`,
    /// `replace`, `get` or `delete`.
    pub fn action(self, action: impl Into<String>) -> Self {
        ResourceOp { action: action.into(), ..self }
    }

    /// The patch strategy of an `apply`.
    pub fn merge_strategy(self, strategy: impl Into<String>) -> Self {
        ResourceOp { merge_strategy: Some(strategy.into()), ..self }
    }

    /// The step succeeds when the resource matches `condition` (`status.succeeded > 0`).
    pub fn success_condition(self, condition: impl Into<String>) -> Self {
        ResourceOp { success_condition: Some(condition.into()), ..self }
    }

    /// The step fails when the resource matches `condition` (`status.failed > 3`).
    pub fn failure_condition(self, condition: impl Into<String>) -> Self {
        ResourceOp { failure_condition: Some(condition.into()), ..self }
    }

    /// Makes the run the resource's owner, so the resource goes when the run is deleted.
    pub fn set_owner_reference(self, owned: bool) -> Self {
        ResourceOp { set_owner_reference: Some(owned), ..self }
    }

    /// Extra `kubectl` flags.
    pub fn flags<S: Into<String>>(self, flags: impl IntoIterator<Item = S>) -> Self {
        ResourceOp { flags: Some(flags.into_iter().map(Into::into).collect()), ..self }
    }

    /// An output `name` read from the resource at `json_path` (`{.status.phase}`).
    pub fn attribute_output(mut self, name: impl Into<String>, json_path: impl Into<String>) -> Self {
        let name = name.into();
        self.attribute_outputs.retain(|(existing, _)| *existing != name);
        self.attribute_outputs.push((name, json_path.into()));
        self
    }

    /// Records the step in the pipeline being built. `.output()` of the task is
    /// its `name` output, or the only attribute output added.
    pub fn add(self) -> Task<ResourceOutputs> {
        self.record(&[])
    }

    /// Checks the op as kfp does, completes its outputs and records it; `preset`
    /// are outputs of the op kind (a volume's `size`).
    fn record<O>(mut self, preset: &[(&str, &str)]) -> Task<O> {
        let mut problems = Vec::new();
        if self.merge_strategy.is_some() && self.action != "apply" {
            problems.push(format!("resource op `{}`: a merge strategy needs the `apply` action", self.name));
        }
        let extra = std::mem::take(&mut self.attribute_outputs);
        if self.action == "delete" {
            if self.success_condition.is_some() || self.failure_condition.is_some() || !extra.is_empty() {
                problems.push(format!(
                    "resource op `{}`: a `delete` has no success or failure condition nor attribute outputs",
                    self.name
                ));
            }
            if self.flags.is_none() {
                self.flags = Some(vec!["--wait=false".to_owned()]);
            }
        } else {
            let mut outputs: Vec<(String, String)> =
                preset.iter().map(|(name, path)| ((*name).to_owned(), (*path).to_owned())).collect();
            for (name, path) in &extra {
                outputs.retain(|(existing, _)| existing != name);
                outputs.push((name.clone(), path.clone()));
            }
            for (name, path) in [("name", "{.metadata.name}"), ("manifest", "{}")] {
                if !outputs.iter().any(|(existing, _)| existing == name) {
                    outputs.push((name.to_owned(), path.to_owned()));
                }
            }
            self.attribute_outputs = outputs;
            self.output = Some(if extra.len() == 1 { extra[0].0.clone() } else { "name".to_owned() });
        }
        for problem in problems {
            record::push_error(problem);
        }
        record::record_op(Op::Resource(self))
    }
}

/// The outputs of a [`ResourceOp`].
#[derive(Clone, Copy, Debug)]
pub struct ResourceOutputs {
    task: TaskRef,
}

impl ResourceOutputs {
    /// Output `name`: an attribute output, or `name` or `manifest`.
    pub fn get(&self, name: &str) -> Output<String> {
        self.task.output(intern(name))
    }

    /// The resource's name (`{.metadata.name}`).
    pub fn name(&self) -> Output<String> {
        self.task.output("name")
    }

    /// The resource as the cluster has it, JSON (`{}`).
    pub fn manifest(&self) -> Output<String> {
        self.task.output("manifest")
    }
}

impl Outputs for ResourceOutputs {
    type Handles = ResourceOutputs;
    fn handles(task: TaskRef) -> ResourceOutputs {
        ResourceOutputs { task }
    }
}

impl Task<ResourceOutputs> {
    /// The resource's `name` output, or the only attribute output added (kfp's `op.output`).
    pub fn output(&self) -> Output<String> {
        let name = {
            let recording = self.recording.borrow();
            match recording.tasks.get(self.index as usize).map(|task| &task.op) {
                Some(Op::Resource(op)) => op.output.as_deref().map(intern),
                _ => None,
            }
        };
        if name.is_none() {
            record::push_error("a `delete` resource op has no output".to_owned());
        }
        self.outputs().task.output(name.unwrap_or("name"))
    }

    /// Attribute output `name` (or `name`, `manifest`).
    pub fn attribute_output(&self, name: &str) -> Output<String> {
        let known = {
            let recording = self.recording.borrow();
            match recording.tasks.get(self.index as usize).map(|task| &task.op) {
                Some(Op::Resource(op)) => op.attribute_outputs.iter().any(|(existing, _)| existing == name),
                _ => false,
            }
        };
        if !known {
            record::push_error(format!("resource op has no output `{name}`"));
        }
        self.outputs().get(name)
    }
}

/// A step creating a PersistentVolumeClaim (kfp's `dsl.VolumeOp`); its task's
/// [`volume`](Task::volume) mounts the claim in other steps.
///
/// The claim is named `<resource name>`, made unique to each run when compiled (the
/// run's name goes before it) unless [`VolumeOp::generate_unique_name`] is turned off; it requests `size`
/// (`10Gi`, or a pipeline value written with `format!`), `ReadWriteMany` unless
/// [`VolumeOp::modes`] says otherwise.
///
/// ```
/// use kfp_core::dsl::{record, ContainerOp, PipelineInfo, VolumeOp, VOLUME_MODE_RWO};
///
/// let recorded = record(PipelineInfo::new("p"), || {
///     let vop = VolumeOp::new("create-pvc", "my-pvc", "1Gi").modes(VOLUME_MODE_RWO).storage_class("standard").add();
///     ContainerOp::new("cop", "library/bash:4.4.23").pvolume("/mnt", vop.volume()).add();
/// })
/// .unwrap();
/// assert_eq!(recorded.tasks[1].pvolumes.len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct VolumeOp {
    name: String,
    claim: Claim,
}

// Built once per step and consumed by `add`: its size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
enum Claim {
    Built {
        resource_name: String,
        size: String,
        storage_class: Option<String>,
        modes: Vec<String>,
        annotations: BTreeMap<String, String>,
        data_source: Option<TypedLocalObjectReference>,
        volume_name: Option<String>,
        generate_unique_name: bool,
    },
    Given(Box<PersistentVolumeClaim>),
}

impl VolumeOp {
    /// A step `name` creating a claim `resource_name` of `size`.
    pub fn new(name: impl Into<String>, resource_name: impl Display, size: impl Display) -> Self {
        VolumeOp {
            name: name.into(),
            claim: Claim::Built {
                resource_name: resource_name.to_string(),
                size: size.to_string(),
                storage_class: None,
                modes: Vec::new(),
                annotations: BTreeMap::new(),
                data_source: None,
                volume_name: None,
                generate_unique_name: true,
            },
        }
    }

    /// A step `name` creating the claim given whole (kfp's `VolumeOp(k8s_resource=...)`).
    pub fn from_pvc(name: impl Into<String>, pvc: PersistentVolumeClaim) -> Self {
        VolumeOp { name: name.into(), claim: Claim::Given(Box::new(pvc)) }
    }

    fn built(mut self, change: impl FnOnce(&mut Claim)) -> Self {
        if matches!(self.claim, Claim::Given(_)) {
            record::push_error(format!(
                "volume op `{}`: a claim given whole with `from_pvc` takes no other setting",
                self.name
            ));
        }
        change(&mut self.claim);
        self
    }

    /// The storage class of the claim.
    pub fn storage_class(self, class: impl Into<String>) -> Self {
        let class = class.into();
        self.built(|claim| {
            if let Claim::Built { storage_class, .. } = claim {
                *storage_class = Some(class);
            }
        })
    }

    /// The access modes (`VOLUME_MODE_RWO`, `["ReadWriteOnce"]`); `ReadWriteMany` by default.
    pub fn modes<S: ToString>(self, access_modes: impl IntoIterator<Item = S>) -> Self {
        let access_modes: Vec<String> = access_modes.into_iter().map(|mode| mode.to_string()).collect();
        self.built(|claim| {
            if let Claim::Built { modes, .. } = claim {
                *modes = access_modes;
            }
        })
    }

    /// An annotation of the claim.
    pub fn annotation(self, key: impl Into<String>, value: impl Display) -> Self {
        let (key, value) = (key.into(), value.to_string());
        self.built(|claim| {
            if let Claim::Built { annotations, .. } = claim {
                annotations.insert(key, value);
            }
        })
    }

    /// Where the claim's content comes from: a snapshot's
    /// [`snapshot`](Task::snapshot), or any typed reference.
    pub fn data_source(self, source: TypedLocalObjectReference) -> Self {
        self.built(|claim| {
            if let Claim::Built { data_source, .. } = claim {
                *data_source = Some(source);
            }
        })
    }

    /// The claim starts as a copy of VolumeSnapshot `snapshot` (a name or a
    /// pipeline value written with `format!`).
    pub fn data_source_snapshot(self, snapshot: impl Display) -> Self {
        self.data_source(TypedLocalObjectReference {
            api_group: Some(SNAPSHOT_GROUP.to_owned()),
            kind: "VolumeSnapshot".to_owned(),
            name: snapshot.to_string(),
        })
    }

    /// Binds the claim to PersistentVolume `name`.
    pub fn volume_name(self, name: impl Into<String>) -> Self {
        let name = name.into();
        self.built(|claim| {
            if let Claim::Built { volume_name, .. } = claim {
                *volume_name = Some(name);
            }
        })
    }

    /// Whether the claim's name is made unique to each run (on by default): the
    /// compiler puts the run's name before it.
    pub fn generate_unique_name(self, unique: bool) -> Self {
        self.built(|claim| {
            if let Claim::Built { generate_unique_name, .. } = claim {
                *generate_unique_name = unique;
            }
        })
    }

    /// The claim, as the step's manifest will have it but for the run's name, which
    /// the compiler puts before the claim's ([`VolumeOp::generate_unique_name`]).
    pub fn pvc(&self) -> Result<PersistentVolumeClaim, String> {
        match &self.claim {
            Claim::Given(pvc) => Ok((**pvc).clone()),
            Claim::Built {
                resource_name,
                size,
                storage_class,
                modes,
                annotations,
                data_source,
                volume_name,
                generate_unique_name: _,
            } => {
                if size.is_empty() {
                    return Err("give the claim a size".to_owned());
                }
                if !has_marker(size) && !is_memory_string(size) {
                    return Err(format!(
                        "size `{size}` is not a memory string: an integer, or an integer followed by one of E, Ei, P, Pi, T, Ti, G, Gi, M, Mi, K, Ki"
                    ));
                }
                let resource_name =
                    if has_marker(resource_name) { resource_name.clone() } else { sanitize_k8s_name(resource_name) };
                let modes = if modes.is_empty() {
                    VOLUME_MODE_RWM.iter().map(|mode| (*mode).to_owned()).collect()
                } else {
                    modes.clone()
                };
                Ok(PersistentVolumeClaim {
                    metadata: ObjectMeta {
                        name: Some(resource_name),
                        annotations: (!annotations.is_empty()).then(|| annotations.clone()),
                        ..ObjectMeta::default()
                    },
                    spec: Some(PersistentVolumeClaimSpec {
                        access_modes: Some(modes),
                        resources: Some(VolumeResourceRequirements {
                            requests: Some(BTreeMap::from([("storage".to_owned(), Quantity(size.clone()))])),
                            ..VolumeResourceRequirements::default()
                        }),
                        storage_class_name: storage_class.clone(),
                        data_source: data_source.clone(),
                        volume_name: volume_name.clone(),
                        ..PersistentVolumeClaimSpec::default()
                    }),
                    ..PersistentVolumeClaim::default()
                })
            }
        }
    }

    /// Records the step in the pipeline being built.
    pub fn add(self) -> Task<VolumeOutputs> {
        let pvc = self.pvc().unwrap_or_else(|problem| {
            record::push_error(format!("volume op `{}`: {problem}", self.name));
            PersistentVolumeClaim::default()
        });
        let mut op = ResourceOp::new(self.name, pvc);
        op.name_per_run = matches!(self.claim, Claim::Built { generate_unique_name: true, .. });
        op.record(&[("size", "{.status.capacity.storage}")])
    }
}

/// kfp's memory string check: `^[0-9]+(E|Ei|P|Pi|T|Ti|G|Gi|M|Mi|K|Ki)?$`.
fn is_memory_string(size: &str) -> bool {
    let digits = size.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && matches!(&size[digits..], "" | "E" | "Ei" | "P" | "Pi" | "T" | "Ti" | "G" | "Gi" | "M" | "Mi" | "K" | "Ki")
}

/// The outputs of a [`VolumeOp`]: `name`, `manifest`, `size`.
#[derive(Clone, Copy, Debug)]
pub struct VolumeOutputs {
    task: TaskRef,
}

impl VolumeOutputs {
    /// The claim's name (`{.metadata.name}`).
    pub fn name(&self) -> Output<String> {
        self.task.output("name")
    }

    /// The claim as the cluster has it (`{}`).
    pub fn manifest(&self) -> Output<String> {
        self.task.output("manifest")
    }

    /// The claim's capacity (`{.status.capacity.storage}`).
    pub fn size(&self) -> Output<String> {
        self.task.output("size")
    }

    /// The claim as a volume named after the step (kfp's `vop.volume`).
    pub fn volume(&self) -> PipelineVolume {
        PipelineVolume::of_volume_op(self.task.recording, self.task.task, self.name().to_string())
    }
}

impl Outputs for VolumeOutputs {
    type Handles = VolumeOutputs;
    fn handles(task: TaskRef) -> VolumeOutputs {
        VolumeOutputs { task }
    }
}

impl Task<VolumeOutputs> {
    /// The claim's name (kfp's `vop.output`).
    pub fn output(&self) -> Output<String> {
        self.outputs().name()
    }

    /// The claim as a volume for other steps (kfp's `vop.volume`): a step
    /// mounting it runs after this one, as it reads the claim's name.
    pub fn volume(&self) -> PipelineVolume {
        self.outputs().volume()
    }
}

/// A step taking a VolumeSnapshot of a claim (kfp's `dsl.VolumeSnapshotOp`); it
/// succeeds when the snapshot is ready to use.
///
/// ```
/// use kfp_core::dsl::{record, ContainerOp, PipelineInfo, VolumeOp, VolumeSnapshotOp};
///
/// let recorded = record(PipelineInfo::new("p"), || {
///     let vop = VolumeOp::new("create-volume", "vol1", "1Gi").add();
///     let step1 = ContainerOp::new("step1", "library/bash:4.4.23").pvolume("/data", vop.volume()).add();
///     let snap = VolumeSnapshotOp::new("step1-snap", "step1-snap", step1.pvolume()).add();
///     VolumeOp::new("restore", "vol2", snap.outputs().size()).data_source(snap.snapshot()).add();
/// })
/// .unwrap();
/// assert_eq!(recorded.tasks[2].after, [1]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct VolumeSnapshotOp {
    name: String,
    source: SnapshotSource,
    snapshot_class: Option<String>,
    annotations: BTreeMap<String, String>,
    api_version: String,
    success_condition: String,
}

#[derive(Clone, Debug, PartialEq)]
enum SnapshotSource {
    Claim { resource_name: String, claim: String, after: Vec<u32>, recording: u64 },
    Given(serde_json::Value),
}

impl VolumeSnapshotOp {
    /// A step `name` taking snapshot `resource_name` of the claim behind `volume`;
    /// it runs after the volume's dependencies.
    pub fn new(name: impl Into<String>, resource_name: impl Display, volume: PipelineVolume) -> Self {
        let name = name.into();
        let claim = match &volume.volume.persistent_volume_claim {
            Some(source) => source.claim_name.clone(),
            None => {
                record::push_error(format!("volume snapshot op `{name}`: the volume must be a PersistentVolumeClaim"));
                String::new()
            }
        };
        let source = SnapshotSource::Claim {
            resource_name: resource_name.to_string(),
            claim,
            after: volume.dependent,
            recording: volume.recording,
        };
        VolumeSnapshotOp::with_source(name, source)
    }

    /// A step `name` taking snapshot `resource_name` of claim `pvc` (a name or a
    /// pipeline value written with `format!`).
    pub fn from_pvc(name: impl Into<String>, resource_name: impl Display, pvc: impl Display) -> Self {
        let source = SnapshotSource::Claim {
            resource_name: resource_name.to_string(),
            claim: pvc.to_string(),
            after: Vec::new(),
            recording: 0,
        };
        VolumeSnapshotOp::with_source(name.into(), source)
    }

    /// A step `name` creating the VolumeSnapshot given whole (kfp's `k8s_resource`).
    pub fn from_manifest(name: impl Into<String>, manifest: impl Serialize) -> Self {
        let name = name.into();
        let manifest = serde_json::to_value(manifest).unwrap_or_else(|error| {
            record::push_error(format!("volume snapshot op `{name}`: the manifest does not serialize: {error}"));
            serde_json::Value::Null
        });
        VolumeSnapshotOp::with_source(name, SnapshotSource::Given(manifest))
    }

    fn with_source(name: String, source: SnapshotSource) -> Self {
        VolumeSnapshotOp {
            name,
            source,
            snapshot_class: None,
            annotations: BTreeMap::new(),
            api_version: format!("{SNAPSHOT_GROUP}/v1alpha1"),
            success_condition: "status.readyToUse == true".to_owned(),
        }
    }

    /// The snapshot class (`spec.snapshotClassName`).
    pub fn snapshot_class(self, class: impl Into<String>) -> Self {
        VolumeSnapshotOp { snapshot_class: Some(class.into()), ..self }
    }

    /// An annotation of the snapshot.
    pub fn annotation(mut self, key: impl Into<String>, value: impl Display) -> Self {
        self.annotations.insert(key.into(), value.to_string());
        self
    }

    /// The VolumeSnapshot API version; `snapshot.storage.k8s.io/v1alpha1` as in kfp.
    pub fn api_version(self, version: impl Into<String>) -> Self {
        VolumeSnapshotOp { api_version: version.into(), ..self }
    }

    /// When the step succeeds; `status.readyToUse == true` by default.
    pub fn success_condition(self, condition: impl Into<String>) -> Self {
        VolumeSnapshotOp { success_condition: condition.into(), ..self }
    }

    /// The snapshot's manifest; a snapshot of a claim is named `resource_name`, made
    /// unique to each run when compiled (the run's name goes before it).
    pub fn manifest(&self) -> serde_json::Value {
        match &self.source {
            SnapshotSource::Given(manifest) => manifest.clone(),
            SnapshotSource::Claim { resource_name, claim, .. } => {
                let resource_name =
                    if has_marker(resource_name) { resource_name.clone() } else { sanitize_k8s_name(resource_name) };
                let mut metadata = serde_json::Map::new();
                metadata.insert("name".to_owned(), resource_name.into());
                if !self.annotations.is_empty() {
                    metadata.insert("annotations".to_owned(), serde_json::json!(self.annotations));
                }
                let mut spec = serde_json::Map::new();
                spec.insert("source".to_owned(), serde_json::json!({"kind": "PersistentVolumeClaim", "name": claim}));
                if let Some(class) = &self.snapshot_class {
                    spec.insert("snapshotClassName".to_owned(), class.clone().into());
                }
                serde_json::json!({
                    "apiVersion": self.api_version,
                    "kind": "VolumeSnapshot",
                    "metadata": metadata,
                    "spec": spec,
                })
            }
        }
    }

    /// Records the step in the pipeline being built.
    pub fn add(self) -> Task<SnapshotOutputs> {
        let mut op =
            ResourceOp::new(self.name.clone(), self.manifest()).success_condition(self.success_condition.clone());
        op.name_per_run = matches!(self.source, SnapshotSource::Claim { .. });
        let task: Task<SnapshotOutputs> = op.record(&[("size", "{.status.restoreSize}")]);
        if let SnapshotSource::Claim { after, recording, .. } = &self.source {
            let mut rec = task.recording.borrow_mut();
            if !after.is_empty() && *recording != rec.id {
                rec.errors.push(format!(
                    "volume snapshot op `{}`: the volume belongs to another pipeline: use volumes of this pipeline's body only",
                    self.name
                ));
            } else if let Some(recorded) = rec.tasks.get_mut(task.index as usize) {
                for &dependency in after {
                    if !recorded.after.contains(&dependency) {
                        recorded.after.push(dependency);
                    }
                }
            }
        }
        task
    }
}

/// The outputs of a [`VolumeSnapshotOp`]: `name`, `manifest`, `size`.
#[derive(Clone, Copy, Debug)]
pub struct SnapshotOutputs {
    task: TaskRef,
}

impl SnapshotOutputs {
    /// The snapshot's name (`{.metadata.name}`).
    pub fn name(&self) -> Output<String> {
        self.task.output("name")
    }

    /// The snapshot as the cluster has it (`{}`).
    pub fn manifest(&self) -> Output<String> {
        self.task.output("manifest")
    }

    /// The size a claim restored from it needs (`{.status.restoreSize}`).
    pub fn size(&self) -> Output<String> {
        self.task.output("size")
    }

    /// A reference to the snapshot, for [`VolumeOp::data_source`] (kfp's `snap.snapshot`).
    pub fn snapshot(&self) -> TypedLocalObjectReference {
        TypedLocalObjectReference {
            api_group: Some(SNAPSHOT_GROUP.to_owned()),
            kind: "VolumeSnapshot".to_owned(),
            name: self.name().to_string(),
        }
    }
}

impl Outputs for SnapshotOutputs {
    type Handles = SnapshotOutputs;
    fn handles(task: TaskRef) -> SnapshotOutputs {
        SnapshotOutputs { task }
    }
}

impl Task<SnapshotOutputs> {
    /// The snapshot's name (kfp's `snap.output`).
    pub fn output(&self) -> Output<String> {
        self.outputs().name()
    }

    /// A reference to the snapshot, for [`VolumeOp::data_source`] (kfp's `snap.snapshot`).
    pub fn snapshot(&self) -> TypedLocalObjectReference {
        self.outputs().snapshot()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_strings_like_kfp() {
        for good in ["1", "10Gi", "5M", "3Ki"] {
            assert!(is_memory_string(good), "{good}");
        }
        for bad in ["", "Gi", "1.5Gi", "10GB", "1 Gi", "-1"] {
            assert!(!is_memory_string(bad), "{bad}");
        }
    }

    #[test]
    fn claims_get_sanitized_names() {
        let pvc = VolumeOp::new("create", "My PVC", "1Gi").pvc().unwrap();
        assert_eq!(pvc.metadata.name.as_deref(), Some("my-pvc"));
        let pvc = VolumeOp::new("create", "my_pvc", "1Gi").generate_unique_name(false).pvc().unwrap();
        assert_eq!(pvc.metadata.name.as_deref(), Some("my-pvc"));
        let spec = pvc.spec.unwrap();
        assert_eq!(spec.access_modes.unwrap(), ["ReadWriteMany"]);
        assert!(VolumeOp::new("create", "x", "1.5Gi").pvc().is_err());
    }

    #[test]
    fn snapshots_name_their_claim() {
        let manifest = VolumeSnapshotOp::from_pvc("snap", "Snap 1", "my-claim").snapshot_class("csi").manifest();
        assert_eq!(
            manifest,
            serde_json::json!({
                "apiVersion": "snapshot.storage.k8s.io/v1alpha1",
                "kind": "VolumeSnapshot",
                "metadata": {"name": "snap-1"},
                "spec": {"source": {"kind": "PersistentVolumeClaim", "name": "my-claim"}, "snapshotClassName": "csi"},
            })
        );
    }
}
