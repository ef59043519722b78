//! # kfp: Kubeflow Pipelines for Rust
//!
//! Write components as Rust functions and pipelines as Rust functions that
//! call them; compile to the Argo Workflow YAML a KFP v1 cluster runs.
//!
//! ```no_run
//! use kfp::prelude::*;
//!
//! /// Adds two numbers.
//! #[component]
//! fn add(value_1: i64, value_2: i64) -> i64 {
//!     value_1 + value_2
//! }
//!
//! #[pipeline(name = "add example")]
//! fn my_pipeline(value_1: i64, #[default(4)] value_2: i64) {
//!     let sum = add_op(value_1, value_2);
//!     add_op(sum.output(), 10);
//! }
//!
//! fn main() -> kfp::Result<()> {
//!     kfp::Compiler::new().compile(my_pipeline, "add_pipeline.yaml")?;
//!     Ok(())
//! }
//! ```
//!
//! See the README for types, task settings, and what the macros check.

// kfp's extension modules (op transformers), at the top as in kfp: `kfp::gcp`.
pub use kfp_core::dsl::ext::{aws, azure, gcp, onprem};
pub use kfp_core::*;
pub use kfp_macros::{component, pipeline, ComponentOutputs, JsonObject};

#[cfg(feature = "client")]
pub use kfp_core::client::Client;

#[cfg(feature = "cli")]
pub mod cli;

/// Everything a pipeline file needs: `use kfp::prelude::*;`.
pub mod prelude {
    pub use crate::artifacts::{
        ClassificationMetrics, Dataset, Html, Markdown, Metrics, Model, SlicedClassificationMetrics,
    };
    pub use crate::dsl::PipelineTaskFinalStatus;
    pub use crate::run::RunLocal;
    pub use crate::{
        component, get_uri, pipeline, ComponentOutputs, InputPath, JsonObject, Output, OutputArtifact, OutputPath,
        Param, Pipeline, Task, Untyped,
    };
}
