//! kfp-kubernetes' components for KFP v2: [`CreatePvc`] makes a persistent volume
//! claim, [`delete_pvc`] removes it.
//!
//! kfp-kubernetes' task settings are the dsl's KFP v1 setters, which the KFP v2
//! compiler writes into the platform spec as kfp-kubernetes does:
//!
//! | kfp-kubernetes | kfp-rs |
//! |---|---|
//! | `mount_pvc(task, pvc_name, mount_path, sub_path)` | `add_volume` with `persistent_volume_claim` (its `claim_name` a constant, a parameter's or output's `to_string()`), and `add_volume_mount` (`sub_path`) |
//! | `use_secret_as_volume`, `use_config_map_as_volume` | `add_volume` with `secret` or `config_map`, and `add_volume_mount` |
//! | `empty_dir_mount` | `empty_dir_mount(EmptyDirMount::new(..))` (`EmptyDirMount::shared_memory` for `/dev/shm`), or `add_volume` with `empty_dir` and `add_volume_mount` |
//! | `add_ephemeral_volume` | `add_ephemeral_volume(EphemeralVolume::new(..))`, or `add_volume` with `ephemeral` and `add_volume_mount` |
//! | `use_secret_as_env`, `use_config_map_as_env`, `use_field_path_as_env` | `add_env_variable` with `value_from` a `secret_key_ref`, `config_map_key_ref` or `field_ref` |
//! | `add_pod_label`, `add_pod_annotation` | `add_pod_label`, `add_pod_annotation` |
//! | `add_node_selector`, `add_toleration` | `add_node_selector_constraint`, `add_toleration` |
//! | `set_timeout`, `set_image_pull_policy` | `set_timeout`, `set_image_pull_policy` |
//! | `set_image_pull_secrets` | the pipeline conf's `set_image_pull_secrets` |
//!
//! A secret, config map or claim name may be a pipeline parameter or task output
//! (its `to_string()`), as kfp-kubernetes takes a `PipelineChannel`.
//!
//! The components run only on KFP v2: the backend's driver makes and deletes the
//! claim; their images (`argostub/...`) are placeholders it recognises, and a KFP v1
//! compile refuses them. `createpvc.yaml` and `deletepvc.yaml` describe the two as
//! kfp-kubernetes 2.17.3 defines them (kubeflow/pipelines, Apache-2.0): their inputs,
//! outputs and that image, so a compile writes the components kfp-kubernetes writes.

mod volumes;

use std::sync::LazyLock;

use crate::components::{load_component_from_text, IntoAnyArg, LoadedComponent, TaskArgs};
use crate::dsl::{Loaded, Task};

pub use volumes::{EmptyDirMount, EphemeralVolume};

/// kfp-kubernetes 2.17.3's `CreatePVC` component (its inputs and their docs).
static CREATE_PVC: LazyLock<LoadedComponent> =
    LazyLock::new(|| load_component_from_text(include_str!("createpvc.yaml")).expect("createpvc.yaml is a component"));

/// kfp-kubernetes 2.17.3's `DeletePVC` component.
static DELETE_PVC: LazyLock<LoadedComponent> =
    LazyLock::new(|| load_component_from_text(include_str!("deletepvc.yaml")).expect("deletepvc.yaml is a component"));

/// kfp-kubernetes' `CreatePVC`: a task making a persistent volume claim, whose
/// output `name` is the claim's name:
/// `let pvc = CreatePvc::new(["ReadWriteOnce"], "5Mi").pvc_name_suffix("-my-pvc").call();`
/// then `pvc.output_named("name")` names it in a mount.
#[derive(Debug)]
#[must_use = "call `.call()` to record the task"]
pub struct CreatePvc {
    args: TaskArgs<'static>,
}

impl CreatePvc {
    /// A claim of `size` (a Kubernetes quantity, `5Mi`) with `access_modes`
    /// (`ReadWriteOnce`, `ReadWriteMany`, ...).
    pub fn new<M: AsRef<str>>(access_modes: impl IntoIterator<Item = M>, size: impl IntoAnyArg) -> Self {
        let modes: Vec<String> = access_modes.into_iter().map(|mode| mode.as_ref().to_owned()).collect();
        let modes = serde_json::to_string(&modes).expect("a list of strings is JSON");
        CreatePvc { args: CREATE_PVC.args().arg("access_modes", modes).arg("size", size) }
    }

    /// The claim's whole name (else the run's id and [`Self::pvc_name_suffix`]).
    pub fn pvc_name(self, name: impl IntoAnyArg) -> Self {
        self.arg("pvc_name", name)
    }

    /// Appended to the run's id to name the claim.
    pub fn pvc_name_suffix(self, suffix: impl IntoAnyArg) -> Self {
        self.arg("pvc_name_suffix", suffix)
    }

    /// The storage class (else the cluster's default).
    pub fn storage_class_name(self, name: impl IntoAnyArg) -> Self {
        self.arg("storage_class_name", name)
    }

    /// A pre-existing persistent volume to bind.
    pub fn volume_name(self, name: impl IntoAnyArg) -> Self {
        self.arg("volume_name", name)
    }

    /// The claim's annotations, a JSON object's text (`{"a": "b"}`).
    pub fn annotations(self, json_object: impl IntoAnyArg) -> Self {
        self.arg("annotations", json_object)
    }

    /// Where the claim's data comes from, a JSON object's text (`{"apiGroup":
    /// "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "my-snapshot"}`).
    pub fn data_source(self, json_object: impl IntoAnyArg) -> Self {
        self.arg("data_source", json_object)
    }

    /// Records the task.
    pub fn call(self) -> Task<Loaded> {
        self.args.call()
    }

    fn arg(self, name: &str, value: impl IntoAnyArg) -> Self {
        CreatePvc { args: self.args.arg(name, value) }
    }
}

/// kfp-kubernetes' `DeletePVC`: a task deleting the claim `pvc_name` (a
/// [`CreatePvc`] task's `output_named("name")`); order it after the claim's users
/// with `.after(...)`.
pub fn delete_pvc(pvc_name: impl IntoAnyArg) -> Task<Loaded> {
    DELETE_PVC.call([("pvc_name", pvc_name)])
}
