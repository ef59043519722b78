//! Lists of artifacts in a pipeline's interface (kfp 2's `Input[List[Dataset]]` on a
//! `@dsl.pipeline`, and `List[Dataset]` among its `NamedTuple` outputs), all spelled
//! [`ArtifactList<T>`]: the type a task calling a pipeline that returns a collected list
//! of artifacts already has as its output. A `Vec<T>` is kfp's JSON list, a parameter;
//! a list of artifacts has no value to hold, so it gets a type of its own.

use super::arg::{Arg, FeedsPath, IntoArg, Output, Param};
use super::collected::{ArtifactList, Collected};
use super::recorded::PipelineParamType;
use super::returned::OutputField;
use crate::types::{family, KfpType, Kind, TypeInfo};
use crate::wire::support::InputPath;

/// The kfp type of a list of artifacts, `type_name` naming its items (`List[Dataset]`).
fn list_type(type_name: &'static str) -> TypeInfo {
    TypeInfo { type_name, kind: Kind::Artifact }
}

// Each list of artifacts of one of kfp's artifact types: a pipeline parameter (required, or an
// `Option` a run may leave out; kfp gives a list of artifacts no default), an argument of a
// pipeline called as a task, read as files by a `Vec<InputPath<T>>` or `Option<Vec<InputPath<T>>>`
// input, and a named output of a pipeline. The `IntoArg` impls are spelled out, not made by a
// macro of their own: rustc's "other types implement" help quotes each impl's source line,
// which would then read `IntoArg<$target> for $source`.
macro_rules! artifact_list_impls {
    ($($marker:ident $type_name:literal $list_item:literal),*) => {$(
        /// `in_datasets: ArtifactList<Dataset>`, kfp 2's `in_datasets: Input[List[Dataset]]`
        /// pipeline parameter (KFP v2 only).
        impl PipelineParamType for ArtifactList<crate::types::$marker> {
            const OPTIONAL: bool = false;
            fn type_info() -> TypeInfo {
                list_type(concat!("List[", $list_item, "]"))
            }
        }

        /// A named output of a pipeline (kfp's `NamedTuple` field `List[Dataset]`), given a
        /// collected list (`collected(task.outputs().out).into()`). No component returns
        /// one: kfp 2 has no output list of artifacts on a component.
        impl OutputField for ArtifactList<crate::types::$marker> {
            type Value = ArtifactList<crate::types::$marker>;
            fn type_info() -> TypeInfo {
                list_type(concat!("List[", $list_item, "]"))
            }
            fn output_text(&self) -> Result<String, String> {
                Err("output lists of artifacts are only supported for pipelines (kfp 2): return the list from a \
                     pipeline, each artifact from a task in a loop".to_owned())
            }
        }

        /// The list parameter read as files, each artifact at its path.
        impl<T: KfpType> IntoArg<Vec<InputPath<T>>> for Param<ArtifactList<crate::types::$marker>>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }

        /// A pipeline task's list of artifacts read as files.
        impl<T: KfpType> IntoArg<Vec<InputPath<T>>> for Output<ArtifactList<crate::types::$marker>>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }

        /// `in_datasets: Option<ArtifactList<Dataset>>`, kfp 2's `in_datasets:
        /// Optional[Input[List[Dataset]]] = None` pipeline parameter (KFP v2 only): a run may
        /// leave it out, and so leaves out the inputs it feeds.
        impl PipelineParamType for Option<ArtifactList<crate::types::$marker>> {
            const OPTIONAL: bool = true;
            fn type_info() -> TypeInfo {
                list_type(concat!("List[", $list_item, "]"))
            }
        }

        /// The list parameter given to an optional list of files, `Option<Vec<InputPath<T>>>`.
        impl<T: KfpType> IntoArg<Option<Vec<InputPath<T>>>> for Param<ArtifactList<crate::types::$marker>>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }

        /// The optional list parameter given to an optional list of files: a run that leaves the
        /// parameter out leaves the input out.
        impl<T: KfpType> IntoArg<Option<Vec<InputPath<T>>>> for Param<Option<ArtifactList<crate::types::$marker>>>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }

        /// A pipeline task's list of artifacts given to an optional list of files.
        impl<T: KfpType> IntoArg<Option<Vec<InputPath<T>>>> for Output<ArtifactList<crate::types::$marker>>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }

        /// A loop's artifacts collected (kfp's `dsl.Collected`) into a pipeline's list parameter.
        impl<T: KfpType> IntoArg<ArtifactList<T>> for Collected<crate::types::$marker>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }

        /// The enclosing pipeline's list parameter passed on to a pipeline called as a task.
        impl<T: KfpType> IntoArg<ArtifactList<T>> for Param<ArtifactList<crate::types::$marker>>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }

        /// Another pipeline task's list of artifacts passed on to a pipeline called as a task.
        impl<T: KfpType> IntoArg<ArtifactList<T>> for Output<ArtifactList<crate::types::$marker>>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }

        /// A list given to a pipeline called as a task whose parameter is an optional list
        /// (`Option<ArtifactList<T>>`): the enclosing pipeline's list, required or optional, a
        /// pipeline task's list, or a loop's artifacts collected.
        impl<T: KfpType> IntoArg<Option<ArtifactList<T>>> for Param<ArtifactList<crate::types::$marker>>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }

        impl<T: KfpType> IntoArg<Option<ArtifactList<T>>> for Param<Option<ArtifactList<crate::types::$marker>>>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }

        impl<T: KfpType> IntoArg<Option<ArtifactList<T>>> for Output<ArtifactList<crate::types::$marker>>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }

        impl<T: KfpType> IntoArg<Option<ArtifactList<T>>> for Collected<crate::types::$marker>
        where
            family::$marker: FeedsPath<T::Family>,
        {
            fn into_arg(self) -> Arg {
                Arg::Value(self.value_ref())
            }
        }
    )*};
}
crate::types::for_each_artifact_type!(artifact_list_impls);
