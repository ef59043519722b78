//! A named output of a pipeline given by a task output or by a collected list: the
//! fields of the `<Outputs>Returns` struct `#[derive(ComponentOutputs)]` makes, for
//! a pipeline returning a `dsl.Collected` among its named outputs (kfp's
//! `NamedTuple` holding one).

use std::marker::PhantomData;

use super::arg::Output;
use super::collected::Collected;
use super::marker::ValueRef;
use super::recorded::PipelineOutput;
use crate::types::TypeInfo;

/// The value of a pipeline's named output of type `T`: a task output
/// (`task.output().into()`) or, for a list, a loop's output collected
/// (`collected(task.output()).into()`). With the `kfp` crate's macros (run in
/// `tests/conformance_v2/pipeline_producer_consumer.rs`):
///
/// ```ignore
/// use kfp::dsl::{collected, parallel_for};
/// use kfp::prelude::*;
///
/// #[derive(ComponentOutputs)]
/// pub struct Letters {
///     count: i64,
///     letters: Vec<String>,
/// }
///
/// #[pipeline]
/// fn letters() -> LettersReturns {
///     let echoed = parallel_for(vec!["m", "a", "t", "h"], echo_op);
///     LettersReturns { count: count_op().output().into(), letters: collected(echoed.output()).into() }
/// }
/// ```
pub struct ReturnValue<T> {
    value: ValueRef,
    _type: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for ReturnValue<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ReturnValue").field(&self.value).finish()
    }
}

impl<T> From<Output<T>> for ReturnValue<T> {
    fn from(output: Output<T>) -> Self {
        ReturnValue { value: output.value_ref(), _type: PhantomData }
    }
}

impl<T> From<Collected<T>> for ReturnValue<Vec<T>> {
    fn from(collected: Collected<T>) -> Self {
        ReturnValue { value: collected.value_ref(), _type: PhantomData }
    }
}

/// Output `name` of a pipeline, of kfp type `ty`, given by `value`.
pub fn returned_output<T>(name: &str, ty: TypeInfo, value: ReturnValue<T>) -> PipelineOutput {
    PipelineOutput { name: name.to_owned(), ty, value: value.value }
}

// A named output holding a collected list of artifacts (kfp's `NamedTuple` field `List[Dataset]`
// given `dsl.Collected(task.outputs['out'])`): an `ArtifactList<Dataset>` field.
macro_rules! artifact_list_returns {
    ($($marker:ident $type_name:literal $list_item:literal),*) => {$(
        impl From<Collected<crate::types::$marker>> for ReturnValue<super::collected::ArtifactList<crate::types::$marker>> {
            fn from(collected: Collected<crate::types::$marker>) -> Self {
                ReturnValue { value: collected.value_ref(), _type: PhantomData }
            }
        }
    )*};
}
crate::types::for_each_artifact_type!(artifact_list_returns);
