//! kfp 2's `dsl.Collected`: the fan-in of a loop's outputs. A task output inside
//! a [`parallel_for`](crate::dsl::parallel_for) is, outside the loop, the list of
//! every iteration's value, in iteration order.

use std::marker::PhantomData;

use super::arg::{Arg, Feeds, FeedsPath, IntoArg, Output, Param};
use super::group::IntoLoopItems;
use super::marker::{OutputRef, ValueRef};
use super::nested::PipelineReturn;
use super::record::Task;
use super::recorded::{LoopItems, PipelineOutput};
use super::task::{Outputs, TaskRef};
use crate::types::{KfpType, Kind, TypeInfo};
use crate::wire::support::InputPath;

/// A task output inside a loop, collected over every iteration into a list: a
/// `Collected<T>` feeds a `Vec<T>` input (kfp's `List[T]`) of a task outside the loop.
///
/// Made by [`collected`]; for an output inside two nested loops, the list holds
/// one list per outer iteration: say so with [`Collected::nested`].
pub struct Collected<T> {
    output: OutputRef,
    depth: u32,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for Collected<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Collected<T> {}

impl<T> std::fmt::Debug for Collected<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (f.debug_struct("Collected"))
            .field("task", &self.output.task)
            .field("name", &self.output.name)
            .field("depth", &self.depth)
            .finish()
    }
}

/// kfp 2's `dsl.Collected(task.output)`: `output`, of a task inside a loop, as the
/// list of its values over the loop's iterations, for a task (or the pipeline's
/// outputs) outside the loop. With the `kfp` crate's macros (run in
/// `tests/collected_v2.rs`):
///
/// ```ignore
/// use kfp::dsl::{collected, parallel_for};
/// use kfp::prelude::*;
///
/// #[component]
/// fn double(num: i64) -> i64 {
///     2 * num
/// }
///
/// #[component]
/// fn add(nums: Vec<i64>) -> i64 {
///     nums.iter().sum()
/// }
///
/// #[pipeline(name = "math-pipeline")]
/// fn math_pipeline() {
///     let doubled = parallel_for(vec![1, 2, 3], |x| double_op(x));
///     add_op(collected(doubled.output())); // [2, 4, 6]
/// }
/// ```
///
/// The producer must be inside a loop the consumer is not in; the loop may not
/// sit in a condition or exit handler the consumer is outside of (whether it ran
/// would be unknown). Compiled for KFP v2 only: KFP v1 has no fan-in.
pub fn collected<T>(output: Output<T>) -> Collected<T> {
    Collected { output: output.source, depth: 1, _type: PhantomData }
}

impl<T> Collected<T> {
    /// The list of lists of an output inside two nested loops (kfp's
    /// `List[List[T]]`): one list per iteration of the outer loop. Each call adds
    /// a level; the compiler checks the levels against the loops. With the `kfp`
    /// crate's macros (run in `tests/collected_v2.rs`):
    ///
    /// ```ignore
    /// use kfp::dsl::{collected, parallel_for};
    /// use kfp::prelude::*;
    ///
    /// #[component]
    /// fn multiply(x: i64, y: i64) -> i64 {
    ///     x * y
    /// }
    ///
    /// #[component]
    /// fn add(nums: Vec<Vec<i64>>) -> i64 {
    ///     nums.iter().flatten().sum()
    /// }
    ///
    /// #[pipeline(name = "table")]
    /// fn table() {
    ///     let product = parallel_for(vec![1, 2], |x| parallel_for(vec![3, 4], |y| multiply_op(x, y)));
    ///     add_op(collected(product.output()).nested()); // [[3, 4], [6, 8]]
    /// }
    /// ```
    pub fn nested(self) -> Collected<Vec<T>> {
        Collected { output: self.output, depth: self.depth + 1, _type: PhantomData }
    }

    pub(crate) fn value_ref(&self) -> ValueRef {
        ValueRef::Collected { output: self.output, depth: self.depth }
    }
}

impl<T> From<Collected<T>> for ValueRef {
    fn from(collected: Collected<T>) -> ValueRef {
        collected.value_ref()
    }
}

/// The list feeds a list input whose items the collected values feed.
impl<T: KfpType, U: KfpType> IntoArg<Vec<T>> for Collected<U>
where
    U::Family: Feeds<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

impl<T: KfpType, U: KfpType> IntoArg<Option<Vec<T>>> for Collected<U>
where
    U::Family: Feeds<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

/// A collected list of artifacts feeds a list of files, `Vec<InputPath<T>>` (kfp 2's
/// `Input[List[Dataset]]`), of its items' type or untyped. KFP v2 only; the program gets each
/// artifact's local path, in iteration order. With the `kfp` crate's macros (run in
/// `tests/conformance_v2/collected_artifacts.rs`):
///
/// ```ignore
/// use kfp::dsl::{collected, parallel_for};
/// use kfp::prelude::*;
///
/// #[component]
/// fn write_artifact(index: i64, out: OutputPath<Artifact>) {
///     std::fs::write(out, index.to_string()).unwrap();
/// }
///
/// #[component]
/// fn read_and_join(artifacts: Vec<InputPath<Artifact>>) -> String {
///     let parts: Vec<String> = artifacts.iter().map(|a| std::fs::read_to_string(a).unwrap()).collect();
///     parts.join(",")
/// }
///
/// #[pipeline(name = "pipeline-with-collected-artifacts")]
/// fn pipeline_with_collected_artifacts() {
///     let producer = parallel_for(vec![0, 1, 2], |i| write_artifact_op(i));
///     read_and_join_op(collected(producer.outputs().out));
/// }
/// ```
impl<T: KfpType, U: KfpType> IntoArg<Vec<InputPath<T>>> for Collected<U>
where
    U::Family: FeedsPath<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

/// A collected list of artifacts feeds an optional list of files, `Option<Vec<InputPath<T>>>` (kfp 2's
/// `Optional[Input[List[Dataset]]] = None`), as it feeds a required one.
impl<T: KfpType, U: KfpType> IntoArg<Option<Vec<InputPath<T>>>> for Collected<U>
where
    U::Family: FeedsPath<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

/// `Some(collected(..))` or `None` (the input left out) for an optional list of files. The items'
/// type is the input's own, so that a bare `None` needs no annotation; pass another type's list
/// unwrapped (an optional list also takes a list parameter or a pipeline task's list unwrapped).
impl<T: KfpType> IntoArg<Option<Vec<InputPath<T>>>> for Option<Collected<T>> {
    fn into_arg(self) -> Arg {
        self.map_or(Arg::Absent, |collected| Arg::Value(collected.value_ref()))
    }
}

/// `Some(collected(..))` or `None` (left out) for a pipeline called as a task whose parameter is an
/// optional list of artifacts, `Option<ArtifactList<T>>`.
impl<T: KfpType> IntoArg<Option<ArtifactList<T>>> for Option<Collected<T>> {
    fn into_arg(self) -> Arg {
        self.map_or(Arg::Absent, |collected| Arg::Value(collected.value_ref()))
    }
}

/// A pipeline may return a collected list (kfp's `-> List[int]` pipeline returning
/// `dsl.Collected(t.output)`): its output `Output`, a `Vec<T>`. With the `kfp` crate's
/// macros (run in `tests/collected_v2.rs`):
///
/// ```ignore
/// use kfp::dsl::{collected, parallel_for, Collected};
/// use kfp::prelude::*;
///
/// #[component]
/// fn double(num: i64) -> i64 {
///     2 * num
/// }
///
/// #[pipeline(name = "doubles")]
/// fn doubles() -> Collected<i64> {
///     let doubled = parallel_for(vec![1, 2, 3], |x| double_op(x));
///     collected(doubled.output())
/// }
/// ```
impl<T: 'static> PipelineReturn for Collected<T>
where
    Vec<T>: KfpType,
{
    type Outputs = Vec<T>;
    fn pipeline_outputs(self) -> Vec<PipelineOutput> {
        vec![PipelineOutput { name: "Output".to_owned(), ty: TypeInfo::of::<Vec<T>>(), value: self.value_ref() }]
    }
}

/// A list of artifacts of kfp type `T` (kfp 2's `List[Dataset]`), in a pipeline's interface: the
/// outputs of a task calling a pipeline that returns a collected list of artifacts (kfp's
/// `-> List[Dataset]`, its output `Output`), a pipeline parameter (`datasets: ArtifactList<Dataset>`,
/// kfp 2's `Input[List[Dataset]]` on a pipeline; KFP v2 only), and a field of a pipeline's named
/// outputs (`#[derive(ComponentOutputs)]`, given `collected(..).into()`). It feeds
/// `Vec<InputPath<T>>` and `Option<Vec<InputPath<T>>>` inputs and a pipeline's `ArtifactList`
/// parameters. A pipeline parameter a run may leave out is `Option<ArtifactList<T>>` (kfp 2's
/// `Optional[Input[List[Dataset]]] = None`), which leaves out the optional inputs it feeds, the
/// function getting `None`. A `Vec<Dataset>` would be
/// kfp's JSON list, a parameter's value, which artifacts have not. With the `kfp` crate's macros
/// (run in `tests/conformance_v2/artifacts_complex.rs`):
///
/// ```ignore
/// use kfp::dsl::{collected, parallel_for, ArtifactList};
/// use kfp::prelude::*;
///
/// #[pipeline]
/// fn add_lists(in_datasets1: ArtifactList<Dataset>, in_datasets2: ArtifactList<Dataset>) -> Output<Dataset> {
///     let sum1 = add_op(in_datasets1); // fn add(in_datasets: Vec<InputPath<Dataset>>, out_dataset: OutputPath<Dataset>)
///     let sum2 = add_op(in_datasets2);
///     add_two_op(sum1.outputs().out_dataset, sum2.outputs().out_dataset).outputs().out_dataset
/// }
///
/// #[derive(ComponentOutputs)]
/// pub struct Outputs {
///     sum: Dataset,
///     datasets: ArtifactList<Dataset>,
/// }
///
/// #[pipeline]
/// fn math_pipeline() -> OutputsReturns {
///     let doubled = parallel_for(vec![1, 2, 3], double_op); // fn double(num: i64, out_dataset: OutputPath<Dataset>)
///     let sum = add_lists_op(collected(doubled.outputs().out_dataset), collected(doubled.outputs().out_dataset));
///     OutputsReturns { sum: sum.output().into(), datasets: collected(doubled.outputs().out_dataset).into() }
/// }
/// ```
pub struct ArtifactList<T>(PhantomData<fn() -> T>);

impl<T: 'static> Outputs for ArtifactList<T> {
    type Handles = Output<ArtifactList<T>>;
    fn handles(task: TaskRef) -> Output<ArtifactList<T>> {
        task.output("Output")
    }
}

// Loops over lists of artifacts (kfp 2's `artifactIterator`) are here, beside the list: the loop
// machinery in `group` stays below it.
/// The list of artifacts a pipeline called as a task returns (kfp 2's `-> List[Dataset]`):
/// each item is one artifact of kfp type `T`.
impl<T: 'static> IntoLoopItems<T> for Output<ArtifactList<T>> {
    fn into_loop_items(self) -> Result<LoopItems, String> {
        Ok(LoopItems::Value(self.value_ref()))
    }
}

/// A pipeline parameter that is a list of artifacts (kfp 2's `Input[List[Dataset]]`): each item
/// is one artifact of kfp type `T`.
impl<T: 'static> IntoLoopItems<T> for Param<ArtifactList<T>> {
    fn into_loop_items(self) -> Result<LoopItems, String> {
        Ok(LoopItems::Value(self.value_ref()))
    }
}

impl<T: 'static> Task<ArtifactList<T>> {
    /// The list of artifacts the pipeline returns (kfp's `task.output`): loop over it with
    /// [`parallel_for`](crate::dsl::parallel_for).
    pub fn output(&self) -> Output<ArtifactList<T>> {
        self.outputs()
    }
}

// A pipeline may return a collected list of artifacts (kfp's `-> List[Dataset]` pipeline returning
// `dsl.Collected(t.outputs['out'])`): its output `Output`, of kfp 2's type `List[Dataset]`.
macro_rules! artifact_lists {
    ($($marker:ident $type_name:literal $list_item:literal),*) => {$(
        impl PipelineReturn for Collected<crate::types::$marker> {
            type Outputs = ArtifactList<crate::types::$marker>;
            fn pipeline_outputs(self) -> Vec<PipelineOutput> {
                let ty = TypeInfo { type_name: concat!("List[", $list_item, "]"), kind: Kind::Artifact };
                vec![PipelineOutput { name: "Output".to_owned(), ty, value: self.value_ref() }]
            }
        }
    )*};
}

crate::types::for_each_artifact_type!(artifact_lists);
