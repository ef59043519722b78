//! kfp 2's `dsl.importer`: a task whose output is an existing artifact, named by
//! its URI, typed as the components that read it expect.

use std::marker::PhantomData;

use super::arg::{IntoArg, Output};
use super::record::{record_op, Task};
use super::recorded::{Importer, Op, ARTIFACT_OUTPUT};
use super::task::{Outputs, TaskRef};
use crate::types::{self, KfpType, TypeInfo};

/// A kfp artifact class an importer can import (kfp's `artifact_class`):
/// `Artifact` (untyped), `Dataset`, `Model`, `Metrics`, `ClassificationMetrics`,
/// `SlicedClassificationMetrics`, `Html`, `Markdown`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a kfp artifact class",
    label = "import an artifact class",
    note = "an importer imports `Artifact`, `Dataset`, `Model`, `Metrics`, `ClassificationMetrics`, `SlicedClassificationMetrics`, `Html` or `Markdown`; a value is passed as a parameter instead"
)]
pub trait ArtifactClass: KfpType + sealed::Sealed {}

// kfp's classes only: an importer's output is an artifact, never a value.
mod sealed {
    pub trait Sealed {}
}

macro_rules! artifact_classes {
    ($($class:ident $type_name:literal $list_item:literal),*) => {$(
        impl sealed::Sealed for types::$class {}
        impl ArtifactClass for types::$class {}
    )*};
}
types::for_each_artifact_type!(artifact_classes);

/// kfp 2's `dsl.importer(artifact_uri=..., artifact_class=T)`: an importer of
/// the `T` artifact at `artifact_uri` (a constant, a pipeline parameter or a task
/// output). Set `reimport` and `metadata` on it, then [`call`](ImporterCall::call)
/// it to record the task; its [`output`](Task::output) feeds `InputPath<T>` inputs.
///
/// KFP v2 only: a KFP v1 (Argo) compile refuses it.
///
/// ```
/// use kfp_core::dsl::{importer, record, PipelineInfo};
/// use kfp_core::types::Dataset;
/// use serde_json::json;
///
/// let recorded = record(PipelineInfo::new("p"), || {
///     let data = importer::<Dataset>("gs://ml-pipeline-playground/shakespeare1.txt")
///         .reimport(true)
///         .metadata([("key", json!("value"))])
///         .call();
///     let _dataset = data.output(); // an `Output<Dataset>`
/// })
/// .unwrap();
/// assert_eq!(recorded.tasks[0].human_name(), "importer");
/// ```
pub fn importer<T: ArtifactClass>(artifact_uri: impl IntoArg<String>) -> ImporterCall<T> {
    ImporterCall { importer: Importer::new(artifact_uri.into_arg(), TypeInfo::of::<T>()), _class: PhantomData }
}

/// An importer being set up; [`call`](ImporterCall::call) records it.
#[derive(Debug)]
#[must_use = "call `.call()` to record the importer task"]
pub struct ImporterCall<T> {
    importer: Importer,
    _class: PhantomData<fn() -> T>,
}

impl<T: ArtifactClass> ImporterCall<T> {
    /// kfp's `reimport`: import the artifact again on every run (default: reuse
    /// the record of an artifact already imported from the same URI).
    pub fn reimport(mut self, reimport: bool) -> Self {
        self.importer.reimport = reimport;
        self
    }

    /// kfp 2's `download_to_workspace`: KFP downloads the artifact into the run's
    /// workspace once, and the tasks reading it read it there. The pipeline needs a
    /// workspace ([`set_workspace`](crate::dsl::PipelineConfHandle::set_workspace)),
    /// or the compile fails saying so.
    pub fn download_to_workspace(mut self, download_to_workspace: bool) -> Self {
        self.importer.download_to_workspace = download_to_workspace;
        self
    }

    /// kfp's `metadata`: the artifact's metadata, as top-level entries in order.
    /// Strings in it, keys included, may embed pipeline values
    /// (`param.to_string()`, `format!("prefix-{}", task.output())`): each value
    /// becomes an input of the importer (`metadata`, `metadata-2`, ... in the
    /// order they first appear), as kfp does.
    pub fn metadata<K: Into<String>>(mut self, entries: impl IntoIterator<Item = (K, serde_json::Value)>) -> Self {
        self.importer.metadata = entries.into_iter().map(|(key, value)| (key.into(), value)).collect();
        self
    }

    /// Records the importer task in the innermost open group.
    pub fn call(self) -> Task<Imported<T>> {
        record_op(Op::Importer(self.importer))
    }
}

impl ImporterCall<types::Artifact> {
    /// The schema title of the imported artifact, for an artifact class kfp-rs has no type for:
    /// a Google type (`google.VertexDataset`, kfp 2's `_GOOGLE_TYPES_PATTERN`), as a Python class
    /// with that `schema_title` gives it; component inputs declared with the same kfp type
    /// (`#[kfp(type = "google.VertexDataset")]`, or a loaded component's) take it.
    pub fn schema_title(mut self, schema_title: &'static str) -> Self {
        let Importer { uri, reimport, download_to_workspace, metadata, .. } = self.importer;
        let artifact_type = TypeInfo { type_name: schema_title, ..TypeInfo::of::<types::Artifact>() };
        self.importer = Importer { reimport, download_to_workspace, metadata, ..Importer::new(uri, artifact_type) };
        self
    }
}

/// The outputs of an importer task: the one artifact, `artifact`.
pub struct Imported<T>(PhantomData<fn() -> T>);

impl<T: ArtifactClass> Outputs for Imported<T> {
    type Handles = Output<T>;
    fn handles(task: TaskRef) -> Output<T> {
        task.output(ARTIFACT_OUTPUT)
    }
}

impl<T: ArtifactClass> Task<Imported<T>> {
    /// The imported artifact (kfp's `importer_task.output`).
    pub fn output(&self) -> Output<T> {
        self.outputs()
    }
}
