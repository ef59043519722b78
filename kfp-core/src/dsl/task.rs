//! What a task hands out: its outputs, typed by the component's return type, and
//! the steps it runs after.

use super::arg::Output;
use super::group::Upstream;
use super::marker::OutputRef;
use super::record::Task;
use super::recorded::Node;
use crate::component::ReturnSpec;
use crate::types::{KfpType, TypeInfo};

/// How a task's outputs are handed out: `()` none, a [`KfpType`] one `Output`,
/// a `#[derive(ComponentOutputs)]` struct one handle per field.
pub trait Outputs: 'static {
    /// What [`Task::outputs`] returns.
    type Handles;
    /// The handles of the task `task`.
    #[doc(hidden)]
    fn handles(task: TaskRef) -> Self::Handles;
}

/// The task a set of output handles belongs to.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct TaskRef {
    pub(crate) recording: u64,
    pub(crate) task: u32,
}

impl TaskRef {
    /// The handle of output `name`, typed `T`.
    pub fn output<T>(self, name: &'static str) -> Output<T> {
        Output::new(OutputRef { recording: self.recording, task: self.task, name })
    }
}

impl Outputs for () {
    type Handles = ();
    fn handles(_: TaskRef) {}
}

impl<T: KfpType> Outputs for T {
    type Handles = Output<T>;
    fn handles(task: TaskRef) -> Output<T> {
        task.output("Output")
    }
}

/// A return type of a component function.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by a component",
    label = "return a kfp type (integer, float, bool, String, Vec, map), `()`, a `#[derive(ComponentOutputs)]` struct, or a `Result` of one",
    note = "see the kfp-rs README, section \"Types\""
)]
pub trait ReturnType {
    /// The outputs tasks of the component have.
    type Outputs: Outputs;
    /// The outputs as data, for the component spec and program.
    fn return_spec() -> ReturnSpec;
    /// The returned value as the program writes its output files, one text per
    /// output; an `Err` return is the error's message.
    fn into_output_texts(self) -> Result<Vec<String>, String>
    where
        Self: Sized;
}

impl ReturnType for () {
    type Outputs = ();
    fn return_spec() -> ReturnSpec {
        ReturnSpec::default()
    }
    fn into_output_texts(self) -> Result<Vec<String>, String> {
        Ok(Vec::new())
    }
}

impl<T: KfpType> ReturnType for T {
    type Outputs = T;
    fn return_spec() -> ReturnSpec {
        ReturnSpec { outputs: vec![("Output", TypeInfo::of::<T>())], ..ReturnSpec::default() }
    }
    fn into_output_texts(self) -> Result<Vec<String>, String> {
        Ok(vec![self.to_kfp_output()?])
    }
}

impl<T: ReturnType, E: std::fmt::Display> ReturnType for Result<T, E> {
    type Outputs = T::Outputs;
    fn return_spec() -> ReturnSpec {
        ReturnSpec { fallible: true, ..T::return_spec() }
    }
    fn into_output_texts(self) -> Result<Vec<String>, String> {
        self.map_err(|error| error.to_string())?.into_output_texts()
    }
}

/// A return type that is one value, the component's output `Output`: the
/// only kind whose kfp type `#[kfp(type = "...")]` on the function declares.
#[diagnostic::on_unimplemented(
    message = "`#[kfp(type = ...)]` on a component declares the kfp type of its one return value, and `{Self}` is not one value",
    label = "not a single value",
    note = "declare the type of each named output with `#[kfp(type = ...)]` on its field of the `#[derive(ComponentOutputs)]` struct, and of a file output on its `OutputPath` parameter"
)]
pub trait SingleOutput {}

impl<T: KfpType> SingleOutput for T {}

impl<T: KfpType, E: std::fmt::Display> SingleOutput for Result<T, E> {}

impl<O: Outputs> Task<O> {
    fn task_ref(&self) -> TaskRef {
        TaskRef { recording: self.recording.borrow().id, task: self.index }
    }

    /// The handles of the task's outputs.
    pub fn outputs(&self) -> O::Handles {
        O::handles(self.task_ref())
    }

    /// Runs this task only after `other` (a task or a graph component call) finished.
    pub fn after(&self, other: &impl Upstream) -> Self {
        let (recording_id, node) = other.node();
        let mut recording = self.recording.borrow_mut();
        if recording.id != recording_id {
            recording.errors.push(
                "`.after()` names a task of another pipeline: call component ops only inside the #[pipeline] body"
                    .to_owned(),
            );
        } else if let Some(task) = recording.tasks.get_mut(self.index as usize) {
            match node {
                Node::Task(index) => task.after.push(index),
                Node::Group(index) => task.after_groups.push(index),
            }
        }
        drop(recording);
        self.clone()
    }
}

impl<T: KfpType> Task<T> {
    /// The single output of the task (`Output` in kfp).
    pub fn output(&self) -> Output<T> {
        self.outputs()
    }
}
