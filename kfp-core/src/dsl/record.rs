//! Recording a pipeline body: the current recording lives in a thread-local
//! while the body runs, so component calls need no context argument.
//!
//! The machinery every builder calls (tasks, groups, errors) and the [`Task`]
//! handle into it; the data it records is [`super::recorded`], below it.

use std::cell::RefCell;
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::arg::{Arg, Param};
use super::marker::{self, OutputRef, Piece, ValueRef};
use super::recorded::{
    Group, GroupKind, Node, Op, PipelineConf, PipelineInfo, PipelineOutput, Recorded, RecordedTask, TaskSettings,
};
use crate::component::Component;
use crate::error::{Error, Result};

/// A recorded task; `O` types its outputs.
///
/// A handle: clones share the one recorded task. Settings methods mirror kfp's
/// `ContainerOp` (`set_cpu_limit`, `set_retry`, ...) and return the handle, so
/// they chain and bind: `let task = add_op(1, 2).set_retry(5);`.
pub struct Task<O> {
    pub(crate) recording: Rc<RefCell<Recording>>,
    pub(crate) index: u32,
    _outputs: PhantomData<fn() -> O>,
}

impl<O> Task<O> {
    // No `Outputs` bound: an op's task type is written out by the macro, and an
    // unsupported return type is reported once, at the component.
    pub(crate) fn new(recording: Rc<RefCell<Recording>>, index: u32) -> Self {
        Task { recording, index, _outputs: PhantomData }
    }
}

impl<O> Clone for Task<O> {
    fn clone(&self) -> Self {
        Task { recording: Rc::clone(&self.recording), index: self.index, _outputs: PhantomData }
    }
}

impl<O> std::fmt::Debug for Task<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task").field("index", &self.index).finish()
    }
}

/// A function applied to every task of the pipeline when the body has run
/// (kfp's op transformers); it sees each task as a `Task<()>`: settings, no outputs.
pub type OpTransformer = Arc<dyn Fn(&Task<()>)>;

pub(crate) struct Recording {
    pub(crate) id: u64,
    pub(crate) tasks: Vec<RecordedTask>,
    pub(crate) groups: Vec<Group>,
    /// Groups open now, innermost last.
    open: Vec<u32>,
    /// kfp's group counter: numbers group names and static loop arguments.
    group_ids: u32,
    pub(crate) errors: Vec<String>,
    pub(crate) conf: PipelineConf,
    /// Applied to every task when the body has run, in order.
    pub(crate) op_transformers: Vec<OpTransformer>,
    /// The kfp type each pipeline parameter declares, by index.
    param_types: Vec<&'static str>,
    /// What the body returned.
    pub(crate) outputs: Vec<PipelineOutput>,
}

static NEXT_RECORDING: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static CURRENT: RefCell<Option<Rc<RefCell<Recording>>>> = const { RefCell::new(None) };
}

fn new_recording() -> Rc<RefCell<Recording>> {
    let id = NEXT_RECORDING.fetch_add(1, Ordering::Relaxed);
    Rc::new(RefCell::new(Recording {
        id,
        tasks: Vec::new(),
        groups: Vec::new(),
        open: Vec::new(),
        group_ids: 0,
        errors: Vec::new(),
        conf: PipelineConf::default(),
        op_transformers: Vec::new(),
        param_types: Vec::new(),
        outputs: Vec::new(),
    }))
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
    recording.borrow_mut().param_types = info.params.iter().map(|param| param.ty.type_name).collect();
    let previous = CURRENT.with(|current| current.borrow_mut().replace(Rc::clone(&recording)));
    let restore = Restore(previous);
    body();
    apply_op_transformers(&recording);
    drop(restore);
    let mut recording = recording.borrow_mut();
    if !recording.errors.is_empty() {
        return Err(Error::InvalidPipeline { pipeline: info.name, problems: std::mem::take(&mut recording.errors) });
    }
    Ok(Recorded {
        info,
        tasks: std::mem::take(&mut recording.tasks),
        groups: std::mem::take(&mut recording.groups),
        recording: recording.id,
        conf: std::mem::take(&mut recording.conf),
        outputs: std::mem::take(&mut recording.outputs),
    })
}

/// Applies the pipeline's op transformers to every task (kfp applies them when
/// it compiles, to all ops of the pipeline).
fn apply_op_transformers(recording: &Rc<RefCell<Recording>>) {
    let (transformers, tasks) = {
        let rec = recording.borrow();
        (rec.op_transformers.clone(), rec.tasks.len() as u32)
    };
    for index in 0..tasks {
        let task = Task::<()>::new(Rc::clone(recording), index);
        for transformer in &transformers {
            transformer(&task);
        }
    }
}

/// The recording the body runs in, or a detached one when called outside a
/// pipeline (its tasks are then refused when used in a pipeline).
pub(crate) fn current() -> Rc<RefCell<Recording>> {
    CURRENT.with(|current| current.borrow().clone()).unwrap_or_else(new_recording)
}

/// The handle of pipeline parameter number `index` of the running body.
pub fn pipeline_param<T>(index: u32) -> Param<T> {
    Param::new(current().borrow().id, index)
}

/// The declared kfp type of pipeline parameter `index` of the running pipeline.
pub(crate) fn param_type(recording: u64, index: u32) -> Option<&'static str> {
    let current = current();
    let current = current.borrow();
    let type_name = *current.param_types.get(index as usize).filter(|_| current.id == recording)?;
    (!type_name.is_empty()).then_some(type_name)
}

/// The declared kfp type of a task output of the running pipeline.
pub(crate) fn output_type(source: &OutputRef) -> Option<crate::spec::TypeSpec> {
    let recording = current();
    let recording = recording.borrow();
    if recording.id != source.recording {
        return None;
    }
    let task = recording.tasks.get(source.task as usize)?;
    task.component()?.spec.output(source.name)?.type_name.clone()
}

/// Records a task of `component` with one argument per component input.
pub fn record_task<O>(component: &Arc<Component>, args: Vec<Arg>) -> Task<O> {
    record_op(Op::Component { component: Arc::clone(component), args })
}

/// Records a task running `op` in the innermost open group.
pub(crate) fn record_op<O>(op: Op) -> Task<O> {
    let recording = current();
    let index = {
        let mut rec = recording.borrow_mut();
        let id = rec.id;
        let mut problems = Vec::new();
        match &op {
            Op::Component { .. } | Op::Pipeline { .. } => {
                let (component, args) = op.call().expect("component and pipeline tasks are calls");
                for (arg, input) in args.iter().zip(&component.spec.inputs) {
                    let foreign = match arg {
                        Arg::Value(value) => value.recording() != id,
                        Arg::Constant(text) => foreign_marker(text, id),
                        Arg::Absent => false,
                    };
                    if foreign {
                        problems.push(format!(
                            "input `{}` of `{}` takes a value from another pipeline: pass parameters and outputs of this pipeline's body only",
                            input.name,
                            component.spec.display_name()
                        ));
                        continue;
                    }
                    // Rust components are checked by rustc; where a loaded component is on
                    // either side, the kfp types are compared here, as kfp does.
                    let Arg::Value(ValueRef::Output(source)) = arg else { continue };
                    let Some(producer) = rec.tasks.get(source.task as usize).and_then(|t| t.component()) else {
                        continue;
                    };
                    if component.local.is_some() && producer.local.is_some() {
                        continue;
                    }
                    let given = producer.spec.output(source.name).and_then(|output| output.type_name.as_ref());
                    if let Err(problem) = crate::spec::check_types(
                        given,
                        input.type_name.as_ref(),
                        &format!("output `{}` of `{}`", source.name, producer.spec.display_name()),
                        &format!("input `{}` of `{}`", input.name, component.spec.display_name()),
                    ) {
                        problems.push(problem);
                    }
                }
            }
            Op::Container(op) => {
                let texts =
                    op.command.iter().chain(&op.arguments).chain(op.artifact_arguments.iter().map(|a| &a.value));
                if texts.into_iter().any(|text| foreign_marker(text, id)) {
                    problems.push(format!(
                        "container op `{}` embeds a value from another pipeline: use parameters and outputs of this pipeline's body only",
                        op.name
                    ));
                }
            }
            Op::Importer(importer) => {
                if importer.values().iter().any(|value| value.recording() != id) {
                    problems.push(
                        "an importer takes a value from another pipeline: use parameters and outputs of this pipeline's body only"
                            .to_owned(),
                    );
                }
            }
            Op::Resource(op) => {
                if json_has_foreign_marker(&op.manifest, id) {
                    problems.push(format!(
                        "resource op `{}` embeds a value from another pipeline: use parameters and outputs of this pipeline's body only",
                        op.name
                    ));
                }
            }
        }
        rec.errors.extend(problems);
        let index = rec.tasks.len() as u32;
        let group = rec.open.last().copied();
        rec.tasks.push(RecordedTask {
            op,
            after: Vec::new(),
            settings: TaskSettings::default(),
            group,
            after_groups: Vec::new(),
            pvolumes: Vec::new(),
        });
        index
    };
    Task::new(recording, index)
}

/// Whether `text` embeds a value of a recording other than `id`.
fn foreign_marker(text: &str, id: u64) -> bool {
    marker::has_marker(text)
        && marker::pieces(text).iter().any(|piece| matches!(piece, Piece::Value(value) if value.recording() != id))
}

/// Whether a string (or key) anywhere in `value` embeds a value of a recording other than `id`.
fn json_has_foreign_marker(value: &serde_json::Value, id: u64) -> bool {
    match value {
        serde_json::Value::String(text) => foreign_marker(text, id),
        serde_json::Value::Array(items) => items.iter().any(|item| json_has_foreign_marker(item, id)),
        serde_json::Value::Object(map) => {
            map.iter().any(|(key, value)| foreign_marker(key, id) || json_has_foreign_marker(value, id))
        }
        _ => false,
    }
}

/// Records a problem of the pipeline being built; the build then fails with it.
pub(crate) fn push_error(problem: impl Into<String>) {
    current().borrow_mut().errors.push(problem.into());
}

/// Records a problem for each of `values` that belongs to another pipeline.
pub(crate) fn check_values<'a>(values: impl IntoIterator<Item = &'a ValueRef>, place: &str) {
    let recording = current();
    let mut rec = recording.borrow_mut();
    let id = rec.id;
    if values.into_iter().any(|value| value.recording() != id) {
        rec.errors.push(format!("{place} uses a value from another pipeline: use this pipeline's values only"));
    }
}

/// Takes the next number of kfp's group counter.
pub(crate) fn next_group_id() -> u32 {
    let recording = current();
    let mut rec = recording.borrow_mut();
    rec.group_ids += 1;
    rec.group_ids
}

/// Opens a group named `<prefix>-<name>-<N>` (kfp's naming) inside the innermost open one.
pub(crate) fn open_group(prefix: &str, name: Option<&str>, kind: GroupKind) -> u32 {
    let id = next_group_id();
    let recording = current();
    let mut rec = recording.borrow_mut();
    let name = match name {
        Some(name) => format!("{prefix}-{name}-{id}").replace('_', "-"),
        None => format!("{prefix}-{id}"),
    };
    let parent = rec.open.last().copied();
    let index = rec.groups.len() as u32;
    rec.groups.push(Group { name, kind, parent, after: Vec::new(), display_name: None });
    rec.open.push(index);
    index
}

/// Opens a group with `name` as given, taking no number: a recursive graph call.
pub(crate) fn push_group(name: String, kind: GroupKind) -> u32 {
    let recording = current();
    let mut rec = recording.borrow_mut();
    let parent = rec.open.last().copied();
    let index = rec.groups.len() as u32;
    rec.groups.push(Group { name, kind, parent, after: Vec::new(), display_name: None });
    rec.open.push(index);
    index
}

/// The open call of graph component `function`, if the call being made is
/// recursive (kfp matches open groups named `graph-<function>-<N>`).
pub(crate) fn open_graph(function: &str) -> Option<u32> {
    let recording = current();
    let rec = recording.borrow();
    rec.open.iter().copied().find(|&index| {
        matches!(&rec.groups[index as usize].kind, GroupKind::Graph(call) if call.function == function && call.recursive_ref.is_none())
    })
}

/// Records that group `group` of recording `graph` (a graph call) runs after `upstream`.
pub(crate) fn group_after((graph, group): (u64, u32), (recording_id, upstream): (u64, Node)) {
    let recording = current();
    let mut rec = recording.borrow_mut();
    if rec.id != graph || rec.id != recording_id {
        rec.errors.push("`.after()` names a step of another pipeline: use steps of this pipeline's body".to_owned());
        return;
    }
    if let Some(group) = rec.groups.get_mut(group as usize) {
        group.after.push(upstream);
    }
}

/// Opens group `index` again, inside the innermost open group (its parent): one
/// more branch goes into a condition-branches group.
pub(crate) fn reopen_group(index: u32) {
    current().borrow_mut().open.push(index);
}

/// The number of groups recorded so far: the index the next group takes.
pub(crate) fn groups_len() -> u32 {
    current().borrow().groups.len() as u32
}

/// Gives group `index` the name KFP v2 shows for it.
pub(crate) fn set_display_name(index: u32, name: &str) {
    if let Some(group) = current().borrow_mut().groups.get_mut(index as usize) {
        group.display_name = Some(name.to_owned());
    }
}

/// Closes group `index`, opened by [`open_group`].
pub(crate) fn close_group(index: u32) {
    let recording = current();
    let mut rec = recording.borrow_mut();
    if rec.open.last() == Some(&index) {
        rec.open.pop();
    }
}

/// Takes `task` out of every group for an exit handler, and returns its index.
pub(crate) fn take_exit_task<O>(task: &Task<O>) -> u32 {
    let recording = current();
    let mut rec = recording.borrow_mut();
    if !Rc::ptr_eq(&recording, &task.recording) {
        rec.errors.push("the exit handler's task belongs to another pipeline".to_owned());
        return task.index;
    }
    if !rec.open.is_empty() {
        rec.errors.push(
            "an exit handler is in another group: kfp allows exit handlers only in the pipeline's body itself"
                .to_owned(),
        );
    }
    // kfp 2's rule: the exit task runs whatever happened, so it cannot wait for a task.
    if let Some(exit) = rec.tasks.get(task.index as usize) {
        let takes_output = match &exit.op {
            Op::Component { args, .. } => args.iter().any(|arg| matches!(arg, Arg::Value(ValueRef::Output(_)))),
            _ => false,
        };
        if takes_output || !exit.after.is_empty() {
            let name = exit.human_name().to_owned();
            rec.errors.push(format!(
                "the exit task `{name}` depends on another task (its output or `.after()`): an exit task runs however \
                 the tasks before it end, so it takes only parameters and constants"
            ));
        }
    }
    task.index
}

/// The file output names of the container op behind `task`.
pub(crate) fn file_output_names<O>(task: &Task<O>) -> Vec<String> {
    let rec = task.recording.borrow();
    match rec.tasks.get(task.index as usize).map(|task| &task.op) {
        Some(Op::Container(op)) => op.file_outputs.iter().map(|(name, _)| name.clone()).collect(),
        _ => Vec::new(),
    }
}
