//! Outputs of loaded components: untyped at Rust compile time.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use super::arg::{Arg, IntoArg, Output, OutputRef};
use super::task::{Outputs, Task, TaskRef};
use crate::components::CallError;
use crate::types::KfpType;
use crate::wire::support::InputPath;

/// The outputs of a task of a loaded component ([`crate::components::LoadedComponent`]).
///
/// A component.yaml is read when the program runs, so the Rust compiler cannot know
/// its outputs or their types. Its tasks are `Task<Untyped>`: fetch an output by name
/// with [`Task::output_named`]; the `Output<Untyped>` handle feeds an input of any
/// type (of a loaded or a Rust component), and the kfp types of both sides are
/// compared when the pipeline is built, as kfp does: a mismatch (an `Integer` output
/// into a `String` input) is an error of the compile, not of the Rust build.
#[derive(Clone, Copy, Debug)]
pub struct Untyped {
    _private: (),
}

/// `task.outputs()` of an untyped task has nothing: use [`Task::output_named`].
impl Outputs for Untyped {
    type Handles = ();
    fn handles(_: TaskRef) {}
}

/// Output names live as long as the program: handles are `Copy`. Interned, so each
/// distinct name is stored once however many tasks use it.
pub(crate) fn intern(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES.get_or_init(Default::default).lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(existing) = names.get(name) {
        return existing;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

impl Task<Untyped> {
    /// The names of the component's outputs.
    pub fn output_names(&self) -> Vec<String> {
        let recording = self.recording.borrow();
        recording.tasks[self.index as usize].component.spec.outputs.iter().map(|output| output.name.clone()).collect()
    }

    /// Output `name`, or an error listing the component's outputs.
    pub fn try_output_named(&self, name: &str) -> Result<Output<Untyped>, CallError> {
        let recording = self.recording.borrow();
        let spec = &recording.tasks[self.index as usize].component.spec;
        if spec.output(name).is_none() {
            return Err(CallError::UnknownOutput {
                component: spec.display_name().to_owned(),
                name: name.to_owned(),
                outputs: spec.outputs.iter().map(|output| output.name.clone()).collect(),
            });
        }
        Ok(Output::new(OutputRef { recording: recording.id, task: self.index, name: intern(name) }))
    }

    /// Output `name`. An unknown name is an error of the pipeline (the compile fails
    /// listing the component's outputs); the handle returned then refers to nothing.
    pub fn output_named(&self, name: &str) -> Output<Untyped> {
        self.try_output_named(name).unwrap_or_else(|error| {
            let id = {
                let mut recording = self.recording.borrow_mut();
                recording.errors.push(error.to_string());
                recording.id
            };
            Output::new(OutputRef { recording: id, task: self.index, name: intern(name) })
        })
    }

    /// The component's only output (kfp's `task.output`); an error of the pipeline
    /// when it has none or several.
    pub fn output(&self) -> Output<Untyped> {
        let names = self.output_names();
        match names.as_slice() {
            [only] => self.output_named(only),
            _ => {
                let component = {
                    let recording = self.recording.borrow();
                    recording.tasks[self.index as usize].component.spec.display_name().to_owned()
                };
                let error = CallError::NotSingleOutput { component, outputs: names };
                let mut recording = self.recording.borrow_mut();
                recording.errors.push(error.to_string());
                Output::new(OutputRef { recording: recording.id, task: self.index, name: intern("") })
            }
        }
    }
}

/// An untyped output feeds an input of any kfp type; the types are compared when
/// the task is recorded.
impl<T: KfpType> IntoArg<T> for Output<Untyped> {
    fn into_arg(self) -> Arg {
        Arg::Output(self.source)
    }
}

impl<T: KfpType> IntoArg<Option<T>> for Output<Untyped> {
    fn into_arg(self) -> Arg {
        Arg::Output(self.source)
    }
}

impl IntoArg<InputPath> for Output<Untyped> {
    fn into_arg(self) -> Arg {
        Arg::Output(self.source)
    }
}
