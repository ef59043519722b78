//! The pipeline builder: a `#[pipeline]` body runs once at build time, and every
//! component call in it records a task here.
//!
//! Handles ([`Param`], [`Output`], [`Task`]) are typed by the Rust type of the
//! value they stand for, so wiring mismatched types does not compile.

mod arg;
mod record;
pub(crate) mod task;
mod unknown;
mod untyped;

pub use arg::{Arg, Feeds, IntoArg, Output, OutputRef, Param};
pub(crate) use record::{output_type, record_error};
pub use record::{
    pipeline_param, record, record_task, DefaultValue, PipelineInfo, PipelineParam, PipelineParamType, Recorded,
    RecordedTask,
};
pub use task::{Outputs, ReturnType, Task, TaskSettings};
pub use unknown::Unknown;
pub use untyped::Untyped;

use crate::error::Result;

/// A pipeline: what `#[pipeline]` makes of a function.
pub trait Pipeline {
    /// Name, description and parameters.
    fn info(&self) -> PipelineInfo;

    /// Runs the body, recording its tasks into the current recording.
    #[doc(hidden)]
    fn __kfp_body(&self);

    /// Runs the body and returns the recorded DAG, or every problem found.
    fn build(&self) -> Result<Recorded> {
        record(self.info(), || self.__kfp_body())
    }

    /// Runs the pipeline on this machine, its components called as the Rust
    /// functions they are ([`crate::run::run_pipeline`]).
    fn run_local(&self, options: &crate::run::RunOptions) -> Result<crate::run::RunReport, crate::run::RunError>
    where
        Self: Sized,
    {
        crate::run::run_pipeline(self, options)
    }
}

impl<P: Pipeline + ?Sized> Pipeline for &P {
    fn info(&self) -> PipelineInfo {
        (**self).info()
    }

    fn __kfp_body(&self) {
        (**self).__kfp_body()
    }
}
