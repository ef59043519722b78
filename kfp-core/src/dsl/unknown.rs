//! The outputs of a component whose `#[component]` failed: the macro reports
//! the error and emits a stub op returning `Task<Unknown>`, which accepts every
//! use so the pipeline body shows no follow-on errors.

use super::arg::{Arg, IntoArg};
use super::record::Task;
use super::task::{Outputs, TaskRef};

/// Outputs of a component whose macro reported an error. Never exists at run time.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Unknown {
    // Inhabited, so rustc does not call the code after it unreachable.
    _private: (),
}

impl Outputs for Unknown {
    type Handles = Unknown;
    fn handles(_: TaskRef) -> Unknown {
        unreachable!("a component with a macro error never compiles")
    }
}

impl Task<Unknown> {
    /// Stands for the output of a component with a macro error.
    pub fn output(&self) -> Unknown {
        unreachable!("a component with a macro error never compiles")
    }
}

impl<T> IntoArg<T> for Unknown {
    fn into_arg(self) -> Arg {
        unreachable!("a component with a macro error never compiles")
    }
}
