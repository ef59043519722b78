//! Tasks of loaded components: their outputs are untyped at Rust compile time.

use super::arg::Output;
use super::marker::{intern, OutputRef};
use super::record::Task;
use super::task::{Outputs, TaskRef};
use crate::spec::ComponentSpec;
use crate::types::Untyped;

/// A wrong call of a loaded component, or a wrong output name.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// An argument names no input.
    #[error("component `{component}` has no input `{name}`; its inputs: {}", names(.inputs.iter()))]
    UnknownInput {
        /// The component's name.
        component: String,
        /// The name given.
        name: String,
        /// The component's inputs.
        inputs: Vec<String>,
    },
    /// Two arguments for one input.
    #[error("input `{name}` of component `{component}` is given twice")]
    DuplicateInput {
        /// The component's name.
        component: String,
        /// The input.
        name: String,
    },
    /// Required inputs without argument (nor default).
    #[error("component `{component}` needs input{} {}; its inputs: {}", if .missing.len() == 1 { "" } else { "s" }, names(.missing.iter()), names(.inputs.iter()))]
    MissingInputs {
        /// The component's name.
        component: String,
        /// The required inputs not given.
        missing: Vec<String>,
        /// The component's inputs.
        inputs: Vec<String>,
    },
    /// An argument's kfp type differs from the input's.
    #[error("{0}")]
    TypeMismatch(String),
    /// An output name the component does not have.
    #[error("component `{component}` has no output `{name}`; its outputs: {}", names(.outputs.iter()))]
    UnknownOutput {
        /// The component's name.
        component: String,
        /// The name asked for.
        name: String,
        /// The component's outputs.
        outputs: Vec<String>,
    },
    /// `task.output()` on a component without exactly one output.
    #[error("component `{component}` has {} outputs, so `output()` is ambiguous: use `output_named(..)` with one of {}", .outputs.len(), names(.outputs.iter()))]
    NotSingleOutput {
        /// The component's name.
        component: String,
        /// The component's outputs.
        outputs: Vec<String>,
    },
}

crate::error::debug_as_message!(CallError);

/// Names as error messages list them: `a`, `b`, or `none`.
pub(crate) fn names<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let list: Vec<String> = names.map(|name| format!("`{name}`")).collect();
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.join(", ")
    }
}

/// The outputs of a task of a loaded component ([`crate::components::LoadedComponent`]).
///
/// A component.yaml is read when the program runs, so the Rust compiler cannot know
/// its outputs or their types. Its tasks are `Task<Loaded>`: fetch an output by name
/// with [`Task::output_named`]; the `Output<Untyped>` handle ([`Untyped`]) feeds an input of any
/// type (of a loaded or a Rust component), and the kfp types of both sides are
/// compared when the pipeline is built, as kfp does: a mismatch (an `Integer` output
/// into a `String` input) is an error of the compile, not of the Rust build.
#[derive(Clone, Copy, Debug)]
pub struct Loaded {
    _private: (),
}

/// `task.outputs()` of an untyped task has nothing: use [`Task::output_named`].
impl Outputs for Loaded {
    type Handles = ();
    fn handles(_: TaskRef) {}
}

impl Task<Loaded> {
    /// The component spec of this task (`Task<Loaded>` is made only for components).
    fn with_spec<R>(&self, read: impl FnOnce(&ComponentSpec) -> R) -> Option<R> {
        let recording = self.recording.borrow();
        let component = recording.tasks.get(self.index as usize).and_then(|task| task.component());
        component.map(|component| read(&component.spec))
    }

    /// The names of the component's outputs.
    pub fn output_names(&self) -> Vec<String> {
        self.with_spec(|spec| spec.outputs.iter().map(|output| output.name.clone()).collect()).unwrap_or_default()
    }

    /// Output `name`, or an error listing the component's outputs.
    pub fn try_output_named(&self, name: &str) -> Result<Output<Untyped>, CallError> {
        self.with_spec(|spec| match spec.output(name) {
            Some(_) => Ok(()),
            None => Err(CallError::UnknownOutput {
                component: spec.display_name().to_owned(),
                name: name.to_owned(),
                outputs: spec.outputs.iter().map(|output| output.name.clone()).collect(),
            }),
        })
        .unwrap_or(Ok(()))?;
        let recording = self.recording.borrow().id;
        Ok(Output::new(OutputRef { recording, task: self.index, name: intern(name) }))
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
                let component = self.with_spec(|spec| spec.display_name().to_owned()).unwrap_or_default();
                let error = CallError::NotSingleOutput { component, outputs: names };
                let mut recording = self.recording.borrow_mut();
                recording.errors.push(error.to_string());
                Output::new(OutputRef { recording: recording.id, task: self.index, name: intern("") })
            }
        }
    }
}
