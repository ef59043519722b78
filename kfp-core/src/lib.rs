//! The model, compiler and runtime of kfp-rs, Kubeflow Pipelines for Rust.
//!
//! Users depend on the `kfp` crate, which re-exports this one together with
//! the `#[component]` and `#[pipeline]` macros. Data flows one way: user code
//! -> recorded pipeline ([`dsl`]) -> Workflow value ([`compiler`], [`argo`]) -> YAML.

pub mod argo;
pub mod compiler;
pub mod component;
pub mod dsl;
mod error;
mod fsutil;
pub mod spec;
pub mod types;
pub mod wire;

pub use compiler::{Compiled, Compiler};
pub use dsl::{Output, Param, Pipeline, Task};
pub use error::{Error, Result};
pub use spec::ComponentSpec;
pub use types::KfpType;
pub use wire::support::{InputPath, OutputPath};

/// What the macros' generated code uses. Not public API: it may change in any
/// release without notice.
#[doc(hidden)]
pub mod __private {
    pub use std::sync::{Arc, OnceLock};

    pub use crate::component::{Component, FnParam, FunctionDef, ReturnSpec};
    pub use crate::dsl::task::TaskRef;
    pub use crate::dsl::{pipeline_param, record_task, IntoArg, Outputs, PipelineInfo, PipelineParam, ReturnType};
    pub use crate::types::{Artifact, TypeInfo};

    /// The names a component's container program has besides std.
    pub mod container_prelude {
        pub use crate::wire::support::{InputPath, OutputPath};
    }

    /// A type whose definition is shipped into component programs
    /// (`#[derive(ComponentOutputs)]`).
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not available inside the component's container",
        label = "defined outside the component function",
        note = "a component runs alone in its container: write std types by full path (`std::collections::HashMap`), and derive `kfp::ComponentOutputs` for named outputs"
    )]
    pub trait Shipped {}

    /// Fails to compile unless `T` is shipped with the program.
    pub fn assert_shipped<T: Shipped + ?Sized>() {}

    /// A pipeline description from doc comment lines.
    pub fn doc_description(lines: &[&str]) -> Option<String> {
        crate::component::doc_text(lines)
    }
}
