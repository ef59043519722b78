//! The model, compiler and runtime of kfp-rs, Kubeflow Pipelines for Rust.
//!
//! Users depend on the `kfp` crate, which re-exports this one together with
//! the `#[component]` and `#[pipeline]` macros. Data flows one way: user code
//! -> recorded pipeline ([`dsl`]) -> Workflow value ([`compiler`], [`argo`]) -> YAML.

pub mod argo;
#[cfg(feature = "client")]
pub mod client;
pub mod compiler;
pub mod component;
pub mod components;
pub mod docstring;
pub mod dsl;
mod error;
mod fsutil;
mod go_duration;
pub mod graph;
pub mod input;
pub mod ir;
pub mod kubernetes;
pub mod names;
pub mod registry;
pub mod run;
pub mod spec;
pub mod types;
pub mod wire;

pub use compiler::{Compiled, Compiler, Target};
pub use components::LoadedComponent;
pub use dsl::{Output, Param, Pipeline, PipelineReturn, Task};
pub use error::{fmt_error_chain, Error, Result};
pub use registry::{components, pipelines, RegisteredComponent, RegisteredPipeline};
pub use spec::ComponentSpec;
pub use types::{artifacts, KfpType, Untyped};
pub use wire::support::{get_uri, InputPath, OutputArtifact, OutputPath};

/// The Kubernetes API types (`k8s-openapi`) the DSL takes: volumes, claims and
/// manifests of resource ops.
pub use k8s_openapi;

/// What the macros' generated code uses. Not public API: it may change in any
/// release without notice.
#[doc(hidden)]
pub mod __private {
    pub use std::sync::{Arc, OnceLock};

    pub use inventory;

    pub use crate::component::{
        Component, FnParam, FunctionDef, Locked, ParamType, Prebuilt, ReturnSpec, Shipped, ShippedTypes,
    };
    pub use crate::dsl::return_value::returned_output;
    pub use crate::dsl::task::TaskRef;
    pub use crate::dsl::Arg;
    pub use crate::dsl::{
        pipeline_output, pipeline_param, record_pipeline_task, record_task, set_pipeline_outputs, DefaultValue,
        IntoArg, OutputField, Outputs, PipelineInfo, PipelineOutput, PipelineParam, PipelineReturn, ReturnType,
        SingleOutput, Unknown,
    };
    pub use crate::registry::{RegisteredComponent, RegisteredPipeline};
    pub use crate::types::{Artifact, TypeInfo};

    /// What a component's in-process program uses: its steps, run with the
    /// container's wire code.
    pub mod local {
        pub use crate::component::run_steps;
        pub use crate::wire::json::{from_json, to_json};
    }

    /// The names a component's container program has besides std.
    pub mod container_prelude {
        pub use crate::wire::support::artifacts::*;
        pub use crate::wire::support::{get_uri, InputPath, OutputArtifact, OutputPath, Untyped};
    }

    /// The kfp type a file parameter (`OutputPath<T>`) carries.
    pub trait FilePath {
        /// `T`.
        type Type;
    }

    impl<T> FilePath for crate::wire::support::OutputPath<T> {
        type Type = T;
    }

    impl<T> FilePath for crate::wire::support::InputPath<T> {
        type Type = T;
    }

    /// The JSON text of a value, as kfp writes it (errors become the text; the
    /// compiler reports them).
    pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
        crate::types::json_text(value)
    }

    /// A pipeline description from doc comment lines: the text before its sections.
    pub fn doc_description(lines: &[&str]) -> Option<String> {
        crate::docstring::parse(lines).description
    }
}
