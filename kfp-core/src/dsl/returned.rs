//! Artifacts a component returns (kfp 2's `-> Dataset` and `NamedTuple` artifact fields):
//! an [`OutputArtifact<T>`] return value, or field of a `#[derive(ComponentOutputs)]`
//! struct, is an output artifact of kfp type `T`, which feeds `InputPath<T>` inputs.

use super::arg::Output;
use super::record::Task;
use super::task::{Outputs, ReturnType, SingleOutput, TaskRef};
use crate::component::ReturnSpec;
use crate::types::{KfpType, Kind, TypeInfo};
use crate::wire::support::OutputArtifact;

impl<T: KfpType> Outputs for OutputArtifact<T> {
    type Handles = Output<T>;
    fn handles(task: TaskRef) -> Output<T> {
        task.output("Output")
    }
}

impl<T: KfpType> ReturnType for OutputArtifact<T> {
    type Outputs = OutputArtifact<T>;
    fn return_spec() -> ReturnSpec {
        ReturnSpec { outputs: vec![("Output", <Self as OutputField>::type_info())], ..ReturnSpec::default() }
    }
    fn into_output_texts(self) -> Result<Vec<String>, String> {
        Ok(vec![self.to_text()?])
    }
}

impl<T: KfpType> SingleOutput for OutputArtifact<T> {}

impl<T: KfpType> Task<OutputArtifact<T>> {
    /// The artifact the task returns (`Output` in kfp).
    pub fn output(&self) -> Output<T> {
        self.outputs()
    }
}

/// The type of a field of a `#[derive(ComponentOutputs)]` struct: a kfp type (an output
/// parameter, or an artifact marker where a pipeline returns an artifact) or an
/// [`OutputArtifact`], the artifact a component returns.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a kfp type",
    label = "not a kfp type",
    note = "kfp types are integers, floats, bool, String, Vec<T>, maps with String keys (BTreeMap, HashMap), serde_json::Value and `#[derive(kfp::JsonObject)]` types, and a returned artifact is an `OutputArtifact<T>`; see the kfp-rs README, section \"Types\""
)]
pub trait OutputField: 'static {
    /// What the output's handle carries: `T` of `OutputArtifact<T>`, else the type itself.
    type Value;
    /// The output's kfp type and wire form.
    fn type_info() -> TypeInfo;
    /// The text the program writes for it (for an artifact, the path it is copied from).
    fn output_text(&self) -> Result<String, String>;
}

impl<T: KfpType> OutputField for T {
    type Value = T;
    fn type_info() -> TypeInfo {
        TypeInfo::of::<T>()
    }
    fn output_text(&self) -> Result<String, String> {
        self.to_kfp_output()
    }
}

impl<T: KfpType> OutputField for OutputArtifact<T> {
    type Value = T;
    fn type_info() -> TypeInfo {
        // Written as a file whatever `T` is, as an `OutputPath<T>` is.
        TypeInfo { type_name: T::TYPE_NAME, kind: Kind::Artifact }
    }
    fn output_text(&self) -> Result<String, String> {
        self.to_text()
    }
}
