//! Control flow in a pipeline body: conditions, loops and the exit handler, as
//! kfp's `dsl.Condition`, `dsl.ParallelFor` and `dsl.ExitHandler`.
//!
//! Each takes the body as a closure; tasks recorded while it runs belong to the
//! group. Group names follow kfp: `condition-1`, `for-loop-2`, `exit-handler-3`,
//! numbered by one counter per pipeline in the order groups are opened.

use std::fmt;
use std::marker::PhantomData;

use super::arg::{Arg, Feeds, FeedsPath, IntoArg, Output, Param};
use super::marker::ValueRef;
use super::record::{self, current, Task};
use super::recorded::{Condition, GraphCall, GroupKind, Loop, LoopItems, Node, Operand, Operator};
use crate::types::{family, KfpType};
use crate::wire::support::InputPath;

/// A value that can be compared with a pipeline value of type `T`: a constant of
/// `T` (`&str` for strings), or another parameter or output of the same kfp type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared with a pipeline value of type `{T}`",
    label = "expected a constant of type `{T}`, or a parameter or output of the same kfp type",
    note = "compare integers with integers and strings with strings, as the pipeline compares them when it runs"
)]
pub trait ComparableWith<T> {
    /// The operand.
    fn into_operand(self) -> Operand;
}

impl<T: KfpType> ComparableWith<T> for T {
    fn into_operand(self) -> Operand {
        Operand::Constant(self.to_kfp_string())
    }
}

impl ComparableWith<String> for &str {
    fn into_operand(self) -> Operand {
        Operand::Constant(self.to_owned())
    }
}

impl ComparableWith<crate::types::Untyped> for &str {
    fn into_operand(self) -> Operand {
        Operand::Constant(self.to_owned())
    }
}

impl<T: KfpType, U: KfpType> ComparableWith<T> for Param<U>
where
    U::Family: super::arg::Feeds<T::Family>,
{
    fn into_operand(self) -> Operand {
        Operand::Value(self.value_ref())
    }
}

impl<T: KfpType, U: KfpType> ComparableWith<T> for Output<U>
where
    U::Family: super::arg::Feeds<T::Family>,
{
    fn into_operand(self) -> Operand {
        Operand::Value(self.value_ref())
    }
}

/// Comparisons of a pipeline value, giving a [`Condition`]: `flip.output().eq("heads")`.
pub trait Compare<T>: Sized {
    /// The value as an operand.
    #[doc(hidden)]
    fn operand(self) -> Operand;

    /// `self == other`.
    fn eq(self, other: impl ComparableWith<T>) -> Condition {
        self.compare(Operator::Eq, other)
    }
    /// `self != other`.
    fn ne(self, other: impl ComparableWith<T>) -> Condition {
        self.compare(Operator::Ne, other)
    }
    /// `self < other`.
    fn lt(self, other: impl ComparableWith<T>) -> Condition {
        self.compare(Operator::Lt, other)
    }
    /// `self <= other`.
    fn le(self, other: impl ComparableWith<T>) -> Condition {
        self.compare(Operator::Le, other)
    }
    /// `self > other`.
    fn gt(self, other: impl ComparableWith<T>) -> Condition {
        self.compare(Operator::Gt, other)
    }
    /// `self >= other`.
    fn ge(self, other: impl ComparableWith<T>) -> Condition {
        self.compare(Operator::Ge, other)
    }
    /// `self <operator> other`.
    fn compare(self, operator: Operator, other: impl ComparableWith<T>) -> Condition {
        Condition { left: self.operand(), operator, right: other.into_operand() }
    }
}

impl<T: KfpType> Compare<T> for Param<T> {
    fn operand(self) -> Operand {
        Operand::Value(self.value_ref())
    }
}

impl<T: KfpType> Compare<T> for Output<T> {
    fn operand(self) -> Operand {
        Operand::Value(self.value_ref())
    }
}

impl<T: KfpType> Compare<T> for LoopItem<T> {
    fn operand(self) -> Operand {
        Operand::Value(self.value_ref())
    }
}

/// The item of a static list of `&str` (`vec!["a", "b"]`) compares as a string.
impl Compare<String> for LoopItem<&str> {
    fn operand(self) -> Operand {
        Operand::Value(self.value_ref())
    }
}

/// Runs `body` as kfp's `with dsl.Condition(condition):` block: its tasks run only
/// when `condition` holds.
pub fn condition<R>(condition: Condition, body: impl FnOnce() -> R) -> R {
    Conditional::new(condition).run(body)
}

/// A condition group with settings: `Conditional::new(cond).name("check").run(|| ...)`.
#[derive(Clone, Debug)]
pub struct Conditional {
    condition: Condition,
    name: Option<String>,
}

impl Conditional {
    /// A condition group for `condition`.
    pub fn new(condition: Condition) -> Self {
        Conditional { condition, name: None }
    }

    /// Names the group `condition-<name>-N` (kfp's `dsl.Condition(..., name=...)`).
    pub fn name(self, name: impl Into<String>) -> Self {
        Conditional { name: Some(name.into()), ..self }
    }

    /// Records `body` inside the group.
    pub fn run<R>(self, body: impl FnOnce() -> R) -> R {
        let values: Vec<&ValueRef> = [&self.condition.left, &self.condition.right]
            .into_iter()
            .filter_map(|operand| match operand {
                Operand::Value(value) => Some(value),
                Operand::Constant(_) => None,
            })
            .collect();
        record::check_values(values, "a condition");
        let group = record::open_group("condition", self.name.as_deref(), GroupKind::Condition(self.condition));
        let result = body();
        record::close_group(group);
        result
    }
}

/// Runs `body` once per item, as kfp's `with dsl.ParallelFor(items) as item:`.
///
/// `items` is a static list (`vec![1, 2, 3]`, or objects whose fields the body
/// reads with [`field!`](crate::field) or [`LoopItem::field`]), a pipeline parameter
/// or task output holding a JSON list, or an outer loop's item or a field of it
/// holding one (kfp 2's `for b in item.b:`, which KFP v1 cannot run).
///
/// `items` may also be a list of artifacts, the output of a pipeline called as a task that
/// returns a collected list ([`ArtifactList`](crate::dsl::ArtifactList), kfp 2's
/// `dsl.ParallelFor(items=<list of artifacts>)`): each item is one artifact, which feeds a
/// file input (`InputPath<Dataset>`, or an untyped `InputPath`) and no parameter. KFP v2
/// only. With the `kfp` crate's macros (run in
/// `tests/conformance_v2/parallelfor_list_artifacts.rs`):
///
/// ```ignore
/// use kfp::dsl::{collected, parallel_for, Collected};
/// use kfp::prelude::*;
///
/// #[component]
/// fn make_dataset(text: String) -> std::io::Result<OutputArtifact<Dataset>> {
///     let dataset = OutputArtifact::new(get_uri("Output")?);
///     std::fs::write(&dataset, text)?;
///     Ok(dataset)
/// }
///
/// #[component]
/// fn read_dataset(dataset: InputPath<Dataset>) -> std::io::Result<String> {
///     std::fs::read_to_string(dataset)
/// }
///
/// #[pipeline(name = "make-datasets")]
/// fn make_datasets() -> Collected<Dataset> {
///     collected(parallel_for(vec!["a".to_owned(), "b".to_owned()], make_dataset_op).output())
/// }
///
/// #[pipeline(name = "read-datasets")]
/// fn read_datasets() {
///     parallel_for(make_datasets_op().output(), read_dataset_op); // one task per dataset
/// }
/// ```
pub fn parallel_for<T, R>(items: impl IntoLoopItems<T>, body: impl FnOnce(LoopItem<T>) -> R) -> R {
    ParallelFor::new(items).run(body)
}

/// A loop with settings: `ParallelFor::new(items).parallelism(2).run(|item| ...)`.
pub struct ParallelFor<T> {
    items: Result<LoopItems, String>,
    object_items: bool,
    parallelism: u32,
    _item: PhantomData<fn() -> T>,
}

impl<T> ParallelFor<T> {
    /// A loop over `items`.
    pub fn new(items: impl IntoLoopItems<T>) -> Self {
        let object_items = items.json_object_items();
        ParallelFor { items: items.into_loop_items(), object_items, parallelism: 0, _item: PhantomData }
    }

    /// Runs at most `parallelism` iterations at once (0: no limit, kfp's default).
    pub fn parallelism(self, parallelism: u32) -> Self {
        ParallelFor { parallelism, ..self }
    }

    /// Records `body` inside the loop.
    pub fn run<R>(self, body: impl FnOnce(LoopItem<T>) -> R) -> R {
        let items = self.items.unwrap_or_else(|problem| {
            record::push_error(problem);
            LoopItems::Static(Vec::new())
        });
        if let LoopItems::Value(value) = &items {
            record::check_values([value], "a loop");
        }
        // kfp numbers a static list's loop argument before the group itself.
        let code = matches!(items, LoopItems::Static(_)).then(record::next_group_id);
        let (parallelism, object_items) = (self.parallelism, self.object_items);
        let kind = GroupKind::ParallelFor(Loop { items, code, parallelism, object_items });
        let group = record::open_group("for-loop", None, kind);
        let item = LoopItem { recording: current().borrow().id, group, field: None, _type: PhantomData };
        let result = body(item);
        record::close_group(group);
        result
    }
}

/// What a loop can iterate over: a static list, a parameter or output holding one, or a
/// list of artifacts.
#[diagnostic::on_unimplemented(
    message = "a loop cannot iterate over `{Self}`",
    label = "expected a Vec of items, or a pipeline parameter or task output holding a list",
    note = "static items: `vec![1, 2]` or a Vec of `serde_json::Value` objects; dynamic items: a `Param<Vec<T>>` or `Output<Vec<T>>`; artifacts: the `Output<ArtifactList<T>>` of a pipeline called as a task",
    note = "a collected list (`collected(..)`) is not looped over where it is collected (kfp 2 refuses it too): return it from a pipeline and loop over that pipeline's output",
    note = "an output holding a JSON list as text (a `String` output, a container op's file) loops as a list with `.cast::<Vec<T>>()`: `parallel_for(task.output().cast::<Vec<i64>>(), |item| ...)`"
)]
pub trait IntoLoopItems<T> {
    /// The items, or why they cannot be a loop's items.
    fn into_loop_items(self) -> Result<LoopItems, String>;

    /// Whether a dynamic list's items are declared untyped JSON objects (`serde_json::Value`).
    #[doc(hidden)]
    fn json_object_items(&self) -> bool {
        false
    }
}

fn is_json_value<T: 'static>() -> bool {
    std::any::TypeId::of::<T>() == std::any::TypeId::of::<serde_json::Value>()
}

impl<T: serde::Serialize> IntoLoopItems<T> for Vec<T> {
    fn into_loop_items(self) -> Result<LoopItems, String> {
        if self.is_empty() {
            return Err("a loop over a static list needs at least one item".to_owned());
        }
        self.iter()
            .map(serde_json::to_value)
            .collect::<Result<Vec<_>, _>>()
            .map(LoopItems::Static)
            .map_err(|error| format!("loop items cannot be written as JSON: {error}"))
    }
}

impl<T: serde::Serialize, const N: usize> IntoLoopItems<T> for [T; N] {
    fn into_loop_items(self) -> Result<LoopItems, String> {
        Vec::from(self).into_loop_items()
    }
}

impl<T: 'static> IntoLoopItems<T> for Param<Vec<T>> {
    fn into_loop_items(self) -> Result<LoopItems, String> {
        Ok(LoopItems::Value(self.value_ref()))
    }
    fn json_object_items(&self) -> bool {
        is_json_value::<T>()
    }
}

impl<T: 'static> IntoLoopItems<T> for Output<Vec<T>> {
    fn into_loop_items(self) -> Result<LoopItems, String> {
        Ok(LoopItems::Value(self.value_ref()))
    }
    fn json_object_items(&self) -> bool {
        is_json_value::<T>()
    }
}

/// An outer loop's item, or a field of it, holding a list: kfp 2's loop over
/// `item.p_a` inside `for item in ...`.
impl<T: 'static> IntoLoopItems<T> for LoopItem<Vec<T>> {
    fn into_loop_items(self) -> Result<LoopItems, String> {
        Ok(LoopItems::Value(self.value_ref()))
    }
    fn json_object_items(&self) -> bool {
        is_json_value::<T>()
    }
}

/// Untyped JSON (kfp's `JsonObject`) may hold a list too, as kfp allows.
impl IntoLoopItems<serde_json::Value> for Param<serde_json::Value> {
    fn into_loop_items(self) -> Result<LoopItems, String> {
        Ok(LoopItems::Value(self.value_ref()))
    }
}

impl IntoLoopItems<serde_json::Value> for Output<serde_json::Value> {
    fn into_loop_items(self) -> Result<LoopItems, String> {
        Ok(LoopItems::Value(self.value_ref()))
    }
}

/// An untyped value (a loaded component's output, say) holds a JSON list at run time.
impl IntoLoopItems<crate::types::Untyped> for Output<crate::types::Untyped> {
    fn into_loop_items(self) -> Result<LoopItems, String> {
        Ok(LoopItems::Value(self.value_ref()))
    }
}

impl IntoLoopItems<crate::types::Untyped> for Param<crate::types::Untyped> {
    fn into_loop_items(self) -> Result<LoopItems, String> {
        Ok(LoopItems::Value(self.value_ref()))
    }
}

/// The current item of a loop, standing for a `T`; pass it to tasks, embed it in
/// strings with `format!`, or read a field of an object item: [`field!`](crate::field)
/// for a struct item's field, checked by rustc, or [`LoopItem::field`] by name.
pub struct LoopItem<T> {
    recording: u64,
    group: u32,
    field: Option<&'static str>,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for LoopItem<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for LoopItem<T> {}

impl<T> fmt::Debug for LoopItem<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoopItem").field("group", &self.group).field("field", &self.field).finish()
    }
}

impl<T> LoopItem<T> {
    pub(crate) fn value_ref(&self) -> ValueRef {
        ValueRef::Item { recording: self.recording, group: self.group, field: self.field.map(str::to_owned) }
    }

    /// Field `name` of an object item, standing for a `U` (kfp's `item.name`): for
    /// JSON objects (`serde_json::Value` items), or a struct field that serde renames.
    pub fn field<U>(&self, name: &str) -> LoopItem<U> {
        LoopItem {
            recording: self.recording,
            group: self.group,
            field: Some(super::marker::intern(name)),
            _type: PhantomData,
        }
    }
}

impl<T> LoopItem<T> {
    /// Field `name` of a struct item, the field `project` reads (`|item| &item.name`),
    /// so that rustc checks it exists and gives its type; `project` is never called.
    /// Written by [`field!`](crate::field).
    #[doc(hidden)]
    pub fn field_of<U>(&self, name: &str, _project: impl FnOnce(&T) -> &U) -> LoopItem<U> {
        self.field(name)
    }
}

/// A field of a loop item whose type is a Rust struct, as kfp's `item.name`:
/// `field!(item.name)` stands for the item's field `name`, with its type, and is a
/// rustc error when the struct has no such field. The field is read from the
/// item's JSON by its Rust name; for a field serde renames, use
/// [`LoopItem::field`] with the JSON name.
///
/// ```
/// use kfp_core::dsl::{parallel_for, record, PipelineInfo};
///
/// #[derive(serde::Serialize)]
/// struct Shard {
///     name: String,
///     parts: Vec<i64>,
/// }
///
/// let recorded = record(PipelineInfo::new("p"), || {
///     parallel_for(vec![Shard { name: "a".into(), parts: vec![1, 2] }], |shard| {
///         let name: kfp_core::dsl::LoopItem<String> = kfp_core::field!(shard.name);
///         assert_eq!(format!("{name:?}"), format!("{:?}", shard.field::<String>("name")));
///         parallel_for(kfp_core::field!(shard.parts), |_part| {});
///     });
/// })
/// .unwrap();
/// assert_eq!(recorded.groups.len(), 2);
/// ```
#[macro_export]
macro_rules! field {
    ($item:ident . $field:ident) => {
        $item.field_of(::core::stringify!($field), |item| &item.$field)
    };
}

impl<T> fmt::Display for LoopItem<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value_ref().fmt(f)
    }
}

/// What the item of a loop over values stands for: anything serde writes as JSON, or an
/// untyped value. An artifact (a loop over a list of artifacts) is not one: it feeds file inputs
/// only, so rustc refuses a `LoopItem<Dataset>` given to a parameter input.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a parameter value: a loop item of it cannot feed a parameter input",
    label = "a loop item of an artifact type",
    note = "an item of a loop over artifacts feeds a file input of its type or an untyped one (`InputPath<{Self}>`, `InputPath`)"
)]
pub trait ParameterItem {}

impl<U: serde::Serialize + ?Sized> ParameterItem for U {}
impl ParameterItem for crate::types::Untyped {}

impl<T: KfpType, U: ParameterItem> IntoArg<T> for LoopItem<U> {
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

/// A loop item fills an optional input as it fills a required one.
impl<T: KfpType, U: ParameterItem> IntoArg<Option<T>> for LoopItem<U> {
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

// The item of a loop over artifacts is one artifact: read as a file by an untyped `InputPath` or
// one of its own type, or given to an artifact parameter of a pipeline called as a task, as a
// task's output artifact is.
macro_rules! artifact_items {
    ($($marker:ident $type_name:literal $list_item:literal),*) => {$(
        impl<T: KfpType> IntoArg<InputPath<T>> for LoopItem<crate::types::$marker>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }

        impl<T: KfpType> IntoArg<T> for LoopItem<crate::types::$marker>
        where
            family::$marker: Feeds<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }
    )*};
}
crate::types::for_each_artifact_type!(artifact_items);

/// Records a call of graph component `function` (kfp's `@dsl.graph_component`):
/// `body` records the graph's tasks into a group of their own, `graph-<function>-N`.
///
/// A graph component is a Rust function that calls this with its own name and
/// arguments; when it calls itself from inside its body (under a condition, for
/// a loop that runs until the condition fails), the inner call does not run the
/// body again but runs the same graph with new arguments, as in kfp.
///
/// ```
/// use kfp_core::dsl::{condition, graph_component, record, Compare, ContainerOp, Graph, PipelineInfo};
/// use kfp_core::Output;
///
/// fn flip() -> Output<String> {
///     ContainerOp::new("flip", "python:alpine3.6").file_output("output", "/tmp/output").add().output()
/// }
///
/// fn until_tails(result: Output<String>) -> Graph {
///     graph_component("until_tails", [("result", result.into())], || {
///         condition(result.eq("heads"), || {
///             until_tails(flip());
///         });
///     })
/// }
///
/// let recorded = record(PipelineInfo::new("p"), || {
///     until_tails(flip());
/// })
/// .unwrap();
/// assert_eq!(recorded.groups.len(), 3);
/// ```
pub fn graph_component(
    function: &str,
    arguments: impl IntoIterator<Item = (&'static str, ValueRef)>,
    body: impl FnOnce(),
) -> Graph {
    let arguments: Vec<(String, ValueRef)> =
        arguments.into_iter().map(|(name, value)| (name.to_owned(), value)).collect();
    record::check_values(arguments.iter().map(|(_, value)| value), "a graph component's arguments");
    let recursive_ref = record::open_graph(function);
    let call = GraphCall { function: function.to_owned(), arguments, recursive_ref };
    let group = match recursive_ref {
        Some(_) => record::push_group(function.to_owned(), GroupKind::Graph(call)),
        None => record::open_group("graph", Some(function), GroupKind::Graph(call)),
    };
    if recursive_ref.is_none() {
        body();
    }
    record::close_group(group);
    Graph { recording: current().borrow().id, group }
}

/// A recorded call of a graph component, to order other steps after it.
#[derive(Clone, Copy, Debug)]
pub struct Graph {
    pub(crate) recording: u64,
    pub(crate) group: u32,
}

impl Graph {
    /// Runs the graph only after `other` finished.
    pub fn after(&self, other: &impl Upstream) -> Self {
        record::group_after((self.recording, self.group), other.node());
        *self
    }
}

/// What a task or graph can run after: a [`Task`] or a [`Graph`].
pub trait Upstream {
    /// The recording it belongs to and its node.
    #[doc(hidden)]
    fn node(&self) -> (u64, Node);
}

impl<O> Upstream for Task<O> {
    fn node(&self) -> (u64, Node) {
        (self.recording.borrow().id, Node::Task(self.index))
    }
}

impl Upstream for Graph {
    fn node(&self) -> (u64, Node) {
        (self.recording, Node::Group(self.group))
    }
}

impl<T> From<Param<T>> for ValueRef {
    fn from(param: Param<T>) -> Self {
        param.value_ref()
    }
}

impl<T> From<Output<T>> for ValueRef {
    fn from(output: Output<T>) -> Self {
        output.value_ref()
    }
}

impl<T> From<LoopItem<T>> for ValueRef {
    fn from(item: LoopItem<T>) -> Self {
        item.value_ref()
    }
}

/// Runs `body` as kfp's `with dsl.SubGraph(parallelism):` block: at most
/// `parallelism` of its tasks run at once (a group `subgraph-N`).
pub fn sub_graph<R>(parallelism: u32, body: impl FnOnce() -> R) -> R {
    if parallelism < 1 {
        record::push_error("a sub-graph's parallelism must be at least 1 (kfp's `SubGraph(parallelism)`)");
    }
    let group = record::open_group("subgraph", None, GroupKind::SubGraph { parallelism });
    let result = body();
    record::close_group(group);
    result
}

/// Runs `body` as kfp's `with dsl.ExitHandler(exit_task):` block: `exit_task` runs
/// when the body's tasks end, however they end. It belongs in the pipeline's body
/// itself, and its exit task takes no task's output. KFP v2 allows several; KFP v1
/// one, holding every task but its exit task.
pub fn exit_handler<O, R>(exit_task: &Task<O>, body: impl FnOnce() -> R) -> R {
    let exit = record::take_exit_task(exit_task);
    let group = record::open_group("exit-handler", None, GroupKind::ExitHandler { exit_task: exit });
    let result = body();
    record::close_group(group);
    result
}

/// [`exit_handler`] with the name KFP v2 shows for the group (kfp 2's
/// `dsl.ExitHandler(exit_task, name=...)`); KFP v1 names it `exit-handler-N` either way.
pub fn exit_handler_named<O, R>(exit_task: &Task<O>, name: &str, body: impl FnOnce() -> R) -> R {
    let group = record::groups_len();
    exit_handler(exit_task, || {
        record::set_display_name(group, name);
        body()
    })
}
