//! Values a task input can take: constants, pipeline parameters, task outputs.

use std::marker::PhantomData;

use super::marker::{OutputRef, ValueRef};
use crate::types::{family, KfpType};
use crate::wire::support::InputPath;

/// A pipeline parameter inside the pipeline body, standing for a `T`.
pub struct Param<T> {
    pub(crate) recording: u64,
    pub(crate) index: u32,
    _type: PhantomData<fn() -> T>,
}

/// An output of a task, standing for a `T` (or a file, for [`Artifact`](crate::types::Artifact)).
pub struct Output<T> {
    pub(crate) source: OutputRef,
    _type: PhantomData<fn() -> T>,
}

// Handles are plain references: copy them freely, whatever `T` is.
impl<T> Clone for Param<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Param<T> {}
impl<T> Clone for Output<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Output<T> {}

impl<T> std::fmt::Debug for Param<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Param").field("index", &self.index).finish()
    }
}
impl<T> std::fmt::Debug for Output<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output").field("task", &self.source.task).field("name", &self.source.name).finish()
    }
}

impl<T> Param<T> {
    pub(crate) fn new(recording: u64, index: u32) -> Self {
        Param { recording, index, _type: PhantomData }
    }
}

impl<T> Output<T> {
    pub(crate) fn new(source: OutputRef) -> Self {
        Output { source, _type: PhantomData }
    }

    pub(crate) fn value_ref(&self) -> ValueRef {
        ValueRef::Output(self.source)
    }

    /// The same output, read as another type: kfp passes every value as text, so
    /// a container op's untyped output can feed a typed input this way.
    pub fn cast<U>(self) -> Output<U> {
        Output::new(self.source)
    }
}

impl<T> Param<T> {
    pub(crate) fn value_ref(&self) -> ValueRef {
        ValueRef::Param { recording: self.recording, index: self.index }
    }
}

/// Embeds the parameter in a string (`format!("echo {}", message)`); a compiler
/// turns it into its target's reference, as kfp does with its placeholders.
impl<T> std::fmt::Display for Param<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value_ref().fmt(f)
    }
}

/// Embeds the output in a string, like [`Param`]'s `Display`.
impl<T> std::fmt::Display for Output<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value_ref().fmt(f)
    }
}

/// What a task input receives.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// A constant, already serialized as kfp does.
    Constant(String),
    /// A pipeline parameter, task output or loop item.
    Value(ValueRef),
    /// Nothing: an optional input left out.
    Absent,
}

/// A value that can be passed to a task input of Rust type `T`.
///
/// Implemented for constants of `T`, and for parameters and outputs of any
/// type in `T`'s kfp family.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be passed to a component input of type `{T}`",
    label = "expected a constant of type `{T}`, or a pipeline parameter or task output of the same kfp type",
    note = "kfp types must match: integers feed integers, strings feed strings; convert the value in a component if needed"
)]
pub trait IntoArg<T> {
    /// The recorded argument.
    fn into_arg(self) -> Arg;
}

/// Values of kfp type family `Self` may feed inputs of family `To`: only the same one.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "kfp type mismatch: a value of kfp type `{Self}` cannot feed an input of kfp type `{To}`",
    label = "the kfp types differ",
    note = "kfp types must match: integers feed integers, strings feed strings; convert the value in a component if needed"
)]
pub trait Feeds<To> {}

// Each typed family feeds itself; an untyped value feeds and is fed by any.
macro_rules! typed_families {
    ($($family:ident)*) => {$(
        impl Feeds<family::$family> for family::$family {}
        impl Feeds<family::$family> for family::Untyped {}
    )*};
}
typed_families!(String Integer Float Boolean JsonArray JsonObject Artifact);
macro_rules! artifact_families {
    (Artifact $type_name:literal $list_item:literal
     $(, $family:ident $typed_name:literal $typed_item:literal)*) => {
        typed_families!($($family)*);
    };
}
crate::types::for_each_artifact_type!(artifact_families);
impl<F> Feeds<family::Untyped> for F {}

// An untyped artifact (kfp 2's `system.Artifact`) feeds every artifact type, as kfp 2's type
// check lets it: an `Artifact` output into a `Dataset` parameter of a pipeline called as a task.
macro_rules! untyped_artifact_feeds {
    (Artifact $type_name:literal $list_item:literal
     $(, $family:ident $typed_name:literal $typed_item:literal)*) => {$(
        impl Feeds<family::$family> for family::Artifact {}
    )*};
}
crate::types::for_each_artifact_type!(untyped_artifact_feeds);

/// Outputs of kfp type family `Self` may be read as files of family `To`
/// (`InputPath<T>`): an untyped file takes any output, a typed one takes its own
/// type or an untyped output, as kfp's type check does.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "kfp type mismatch: an output of kfp type `{Self}` cannot feed a file input of kfp type `{To}`",
    label = "the kfp types differ",
    note = "a typed file input (`InputPath<Dataset>`) takes outputs of its own type or untyped ones; an untyped `InputPath` takes any output"
)]
pub trait FeedsPath<To> {}

macro_rules! typed_path_families {
    ($($family:ident)*) => {$(
        impl FeedsPath<family::$family> for family::$family {}
        impl FeedsPath<family::$family> for family::Artifact {}
        impl FeedsPath<family::$family> for family::Untyped {}
    )*};
}
typed_path_families!(String Integer Float Boolean JsonArray JsonObject);
// The untyped `Artifact` takes any output: below.
macro_rules! typed_artifact_path_families {
    (Artifact $type_name:literal $list_item:literal
     $(, $family:ident $typed_name:literal $typed_item:literal)*) => {
        typed_path_families!($($family)*);
    };
}
crate::types::for_each_artifact_type!(typed_artifact_path_families);
impl<F> FeedsPath<family::Artifact> for F {}
impl<F> FeedsPath<family::Untyped> for F {}

impl<T: KfpType> IntoArg<T> for T {
    fn into_arg(self) -> Arg {
        Arg::Constant(self.to_kfp_string())
    }
}

impl IntoArg<String> for &str {
    fn into_arg(self) -> Arg {
        Arg::Constant(self.to_owned())
    }
}

impl IntoArg<crate::types::Untyped> for &str {
    fn into_arg(self) -> Arg {
        Arg::Constant(self.to_owned())
    }
}

impl IntoArg<String> for &String {
    fn into_arg(self) -> Arg {
        Arg::Constant(self.clone())
    }
}

impl<T: KfpType, U: KfpType> IntoArg<T> for Param<U>
where
    U::Family: Feeds<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

impl<T: KfpType, U: KfpType> IntoArg<T> for Output<U>
where
    U::Family: Feeds<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

impl<T: KfpType> IntoArg<Option<T>> for Option<T> {
    fn into_arg(self) -> Arg {
        self.map_or(Arg::Absent, |value| Arg::Constant(value.to_kfp_string()))
    }
}

impl<T: KfpType> IntoArg<Option<T>> for T {
    fn into_arg(self) -> Arg {
        Arg::Constant(self.to_kfp_string())
    }
}

impl IntoArg<Option<String>> for &str {
    fn into_arg(self) -> Arg {
        Arg::Constant(self.to_owned())
    }
}

impl IntoArg<Option<crate::types::Untyped>> for &str {
    fn into_arg(self) -> Arg {
        Arg::Constant(self.to_owned())
    }
}

impl<T: KfpType, U: KfpType> IntoArg<Option<T>> for Param<U>
where
    U::Family: Feeds<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

impl<T: KfpType, U: KfpType> IntoArg<Option<T>> for Output<U>
where
    U::Family: Feeds<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

/// A task output can be read as a file (kfp stores every output as an artifact):
/// any output by an untyped `InputPath`, outputs of a matching kfp type by a typed one.
impl<T: KfpType, U: KfpType> IntoArg<InputPath<T>> for Output<U>
where
    U::Family: FeedsPath<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

/// A constant text becomes the file's content (kfp's raw artifact).
impl<T> IntoArg<InputPath<T>> for &str {
    fn into_arg(self) -> Arg {
        Arg::Constant(self.to_owned())
    }
}

impl<T> IntoArg<InputPath<T>> for String {
    fn into_arg(self) -> Arg {
        Arg::Constant(self)
    }
}

/// An optional pipeline parameter (`Option<T>`, kfp's `Optional[str] = None`) feeds optional
/// inputs: left out of the run, it leaves them out.
impl<T: KfpType, U: KfpType> IntoArg<Option<T>> for Param<Option<U>>
where
    U::Family: Feeds<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

// An artifact pipeline parameter (kfp 2's `Input[Dataset]`) is read as a file by a task, as a
// task's output artifact is: by an untyped `InputPath` or one of its own type.
macro_rules! artifact_params {
    ($($marker:ident $type_name:literal $list_item:literal),*) => {$(
        impl<T: KfpType> IntoArg<InputPath<T>> for Param<crate::types::$marker>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }
    )*};
}
crate::types::for_each_artifact_type!(artifact_params);

/// A task output feeds an optional file input (`Option<InputPath<T>>`) as it feeds a required one.
impl<T: KfpType, U: KfpType> IntoArg<Option<InputPath<T>>> for Output<U>
where
    U::Family: FeedsPath<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

/// `Some(task.output())` or `None` (the input left out) for an optional file input. The output's
/// type is the input's own, so that a bare `None` needs no annotation; pass another type's output
/// unwrapped.
impl<T: KfpType> IntoArg<Option<InputPath<T>>> for Option<Output<T>> {
    fn into_arg(self) -> Arg {
        self.map_or(Arg::Absent, |output| Arg::Value(output.value_ref()))
    }
}

// An artifact pipeline parameter, required or optional (kfp 2's `Optional[Input[Dataset]] = None`),
// feeds an optional file input: one the run leaves out leaves the input out.
macro_rules! optional_artifact_params {
    ($($marker:ident $type_name:literal $list_item:literal),*) => {$(
        impl<T: KfpType> IntoArg<Option<InputPath<T>>> for Param<crate::types::$marker>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }

        impl<T: KfpType> IntoArg<Option<InputPath<T>>> for Param<Option<crate::types::$marker>>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }
    )*};
}
crate::types::for_each_artifact_type!(optional_artifact_params);
