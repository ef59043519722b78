//! Recording a pipeline body: the current recording lives in a thread-local
//! while the body runs, so component calls need no context argument.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::arg::{Arg, Param};
use super::task::{Task, TaskSettings};
use crate::component::Component;
use crate::error::{Error, Result};
use crate::types::{KfpType, TypeInfo};

/// A pipeline's name, description and parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineInfo {
    /// Name as given (`add example`); the Workflow name is its sanitized form.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Parameters in declaration order.
    pub params: Vec<PipelineParam>,
}

impl PipelineInfo {
    /// A pipeline named `name`, without description or parameters: the start of the
    /// info of a pipeline built at run time with [`record`] (the `#[pipeline]` macro
    /// writes its own).
    ///
    /// ```
    /// use kfp_core::dsl::{PipelineInfo, PipelineParam};
    ///
    /// let info = PipelineInfo::new("big pipeline")
    ///     .with_description("A generated pipeline")
    ///     .param::<i64>("a")
    ///     .with_param(PipelineParam::new::<i64>("b").with_default(2));
    /// assert_eq!(info.params.len(), 2);
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        PipelineInfo { name: name.into(), description: None, params: Vec::new() }
    }

    /// The same info with a description.
    pub fn with_description(self, description: impl Into<String>) -> Self {
        PipelineInfo { description: Some(description.into()), ..self }
    }

    /// The same info with one more parameter, of Rust type `T`; the body reads it with
    /// [`pipeline_param`] and its position (0 for the first).
    pub fn param<T: PipelineParamType>(self, name: impl Into<String>) -> Self {
        self.with_param(PipelineParam::new::<T>(name))
    }

    /// The same info with one more parameter, given whole (to give it a default).
    pub fn with_param(mut self, param: PipelineParam) -> Self {
        self.params.push(param);
        self
    }
}

/// A pipeline parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineParam {
    /// Name, as in the Rust function.
    pub name: String,
    /// kfp type.
    pub ty: TypeInfo,
    /// Default value, serialized.
    pub default: Option<String>,
}

impl PipelineParam {
    /// A parameter of Rust type `T`.
    pub fn new<T: PipelineParamType>(name: impl Into<String>) -> Self {
        PipelineParam { name: name.into(), ty: TypeInfo::of::<T>(), default: None }
    }

    /// The same parameter with a default value.
    pub fn with_default<T: KfpType>(self, default: T) -> Self {
        PipelineParam { default: Some(default.to_kfp_string()), ..self }
    }
}

/// A type a pipeline parameter can have: any kfp type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a pipeline parameter",
    label = "use a kfp type (integer, float, bool, String, Vec, map, `#[derive(JsonObject)]` type)",
    note = "a pipeline parameter always has a value: instead of an `Option`, give it a default with `#[default(...)]`; see the kfp-rs README, section \"Types\""
)]
pub trait PipelineParamType: KfpType {}

impl<T: KfpType> PipelineParamType for T {}

/// A value `#[default(...)]` takes for a pipeline parameter of type `T`: a `T`,
/// or a `&str` for a `String`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the default of a pipeline parameter of type `{T}`",
    label = "expected a `{T}` value",
    note = "write the default as the parameter's type: `#[default(4)]` for an integer, `#[default(0.5)]` for a float, `#[default(\"text\")]` for a String"
)]
pub trait DefaultValue<T> {
    /// The value as a `T`.
    fn into_default(self) -> T;
}

impl<T: KfpType> DefaultValue<T> for T {
    fn into_default(self) -> T {
        self
    }
}

impl DefaultValue<String> for &str {
    fn into_default(self) -> String {
        self.to_owned()
    }
}

/// One recorded task.
#[derive(Clone, Debug)]
pub struct RecordedTask {
    /// The component it runs.
    pub component: Arc<Component>,
    /// One argument per component input, in the component's input order.
    pub args: Vec<Arg>,
    /// Tasks (indexes) it must run after, besides those it takes data from.
    pub after: Vec<u32>,
    /// Resources, retries and the like.
    pub settings: TaskSettings,
}

/// A recorded pipeline: its info and its tasks in call order.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// Name, description, parameters.
    pub info: PipelineInfo,
    /// Tasks in the order the body called them.
    pub tasks: Vec<RecordedTask>,
}

pub(crate) struct Recording {
    pub(crate) id: u64,
    pub(crate) tasks: Vec<RecordedTask>,
    pub(crate) errors: Vec<String>,
}

static NEXT_RECORDING: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static CURRENT: RefCell<Option<Rc<RefCell<Recording>>>> = const { RefCell::new(None) };
}

fn new_recording() -> Rc<RefCell<Recording>> {
    let id = NEXT_RECORDING.fetch_add(1, Ordering::Relaxed);
    Rc::new(RefCell::new(Recording { id, tasks: Vec::new(), errors: Vec::new() }))
}

/// Puts the previous recording back when the body returns or unwinds.
struct Restore(Option<Rc<RefCell<Recording>>>);

impl Drop for Restore {
    fn drop(&mut self) {
        let previous = self.0.take();
        CURRENT.with(|current| *current.borrow_mut() = previous);
    }
}

/// Runs `body` with a fresh recording and returns what it recorded.
pub fn record(info: PipelineInfo, body: impl FnOnce()) -> Result<Recorded> {
    let recording = new_recording();
    let previous = CURRENT.with(|current| current.borrow_mut().replace(Rc::clone(&recording)));
    let restore = Restore(previous);
    body();
    drop(restore);
    let mut recording = recording.borrow_mut();
    if !recording.errors.is_empty() {
        return Err(Error::InvalidPipeline { pipeline: info.name, problems: std::mem::take(&mut recording.errors) });
    }
    Ok(Recorded { info, tasks: std::mem::take(&mut recording.tasks) })
}

/// The recording the body runs in, or a detached one when called outside a
/// pipeline (its tasks are then refused when used in a pipeline).
fn current() -> Rc<RefCell<Recording>> {
    CURRENT.with(|current| current.borrow().clone()).unwrap_or_else(new_recording)
}

/// The handle of pipeline parameter number `index` of the running body.
pub fn pipeline_param<T>(index: u32) -> Param<T> {
    Param::new(current().borrow().id, index)
}

/// Adds a problem to the running pipeline's recording: building it then fails with it.
pub(crate) fn record_error(problem: String) {
    current().borrow_mut().errors.push(problem);
}

/// The declared kfp type of a task output of the running pipeline.
pub(crate) fn output_type(source: &super::arg::OutputRef) -> Option<crate::spec::TypeSpec> {
    let recording = current();
    let recording = recording.borrow();
    if recording.id != source.recording {
        return None;
    }
    let task = recording.tasks.get(source.task as usize)?;
    task.component.spec.output(source.name)?.type_name.clone()
}

/// Records a task of `component` with one argument per component input.
pub fn record_task<O>(component: &Arc<Component>, args: Vec<Arg>) -> Task<O> {
    let recording = current();
    let index = {
        let mut rec = recording.borrow_mut();
        let id = rec.id;
        for (arg, input) in args.iter().zip(&component.spec.inputs) {
            let foreign = match arg {
                Arg::Param { recording, .. } => *recording != id,
                Arg::Output(source) => source.recording != id,
                Arg::Constant(_) | Arg::Absent => false,
            };
            if foreign {
                let problem = format!(
                    "input `{}` of `{}` takes a value from another pipeline: pass parameters and outputs of this pipeline's body only",
                    input.name,
                    component.spec.display_name()
                );
                rec.errors.push(problem);
                continue;
            }
            // Rust components are checked by rustc; where a loaded component is on
            // either side, the kfp types are compared here, as kfp does.
            if let Arg::Output(source) = arg {
                let Some(producer) = rec.tasks.get(source.task as usize) else { continue };
                if component.local.is_some() && producer.component.local.is_some() {
                    continue;
                }
                let given = producer.component.spec.output(source.name).and_then(|output| output.type_name.as_ref());
                if let Err(problem) = crate::components::check_types(
                    given,
                    input.type_name.as_ref(),
                    &format!("output `{}` of `{}`", source.name, producer.component.spec.display_name()),
                    &format!("input `{}` of `{}`", input.name, component.spec.display_name()),
                ) {
                    rec.errors.push(problem);
                }
            }
        }
        let index = rec.tasks.len() as u32;
        rec.tasks.push(RecordedTask {
            component: Arc::clone(component),
            args,
            after: Vec::new(),
            settings: TaskSettings::default(),
        });
        index
    };
    Task::new(recording, index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_builder_matches_the_struct() {
        let built = PipelineInfo::new("big pipeline")
            .with_description("many tasks")
            .param::<i64>("a")
            .with_param(PipelineParam::new::<f64>("b").with_default(0.5));
        let written = PipelineInfo {
            name: "big pipeline".to_owned(),
            description: Some("many tasks".to_owned()),
            params: vec![PipelineParam::new::<i64>("a"), PipelineParam::new::<f64>("b").with_default(0.5)],
        };
        assert_eq!(built, written);
        assert_eq!(PipelineInfo::new("p"), PipelineInfo { name: "p".to_owned(), description: None, params: vec![] });
    }
}
