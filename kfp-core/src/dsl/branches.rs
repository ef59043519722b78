//! kfp 2's `dsl.If`, `dsl.Elif`, `dsl.Else` and `dsl.OneOf`: branches of which at
//! most one runs, and the output of whichever ran.
//!
//! An `if_` alone is kfp's `dsl.If`, the same group as [`condition`](super::condition).
//! The first `.elif` or `.else_` wraps it, as kfp does, in a `condition-branches-N`
//! group holding every branch; each later branch runs when its own condition holds
//! and every earlier branch's does not.

use std::marker::PhantomData;

use super::arg::{Arg, Feeds, FeedsPath, IntoArg, Output};
use super::marker::{OutputRef, ValueRef};
use super::nested::PipelineReturn;
use super::record::{self, current};
use super::recorded::PipelineOutput;
use super::recorded::{BranchCondition, Condition, Group, GroupKind, Operand, RecordedTask};
use crate::types::{KfpType, TypeInfo};
use crate::wire::support::InputPath;

/// Runs `body` as kfp's `with dsl.If(condition):` block, its tasks running only when
/// `condition` holds; chain [`If::elif`] and [`If::else_`] for the other branches.
///
/// Each body returns a value (a task, an output, `()`); the chain gives them back in
/// branch order, so outputs of the branches can be joined with [`one_of`].
///
/// ```
/// use kfp_core::components::load_component_from_text;
/// use kfp_core::dsl::{if_, one_of, record, Compare, GroupKind, PipelineInfo};
///
/// let echo = load_component_from_text(
///     r#"
/// name: echo
/// inputs: [{name: text, type: String}]
/// outputs: [{name: said, type: String}]
/// implementation:
///   container:
///     image: alpine
///     command: [sh, -c, 'echo "$0" | tee "$1"', {inputValue: text}, {outputPath: said}]
/// "#,
/// )
/// .unwrap();
/// let recorded = record(PipelineInfo::new("p"), || {
///     let flip = echo.call([("text", "heads")]);
///     let said = if_(flip.output().eq("heads"), || echo.call([("text", "Got heads!")]).output())
///         .elif(flip.output().eq("tails"), || echo.call([("text", "Got tails!")]).output())
///         .else_(|| echo.call([("text", "On its edge!")]).output());
///     echo.call([("text", one_of(said))]);
/// })
/// .unwrap();
/// // condition-branches-1 holds condition-2 (the If), condition-3 and condition-4.
/// let names: Vec<&str> = recorded.groups.iter().map(|group| group.name.as_str()).collect();
/// assert_eq!(names, ["condition-2", "condition-branches-1", "condition-3", "condition-4"]);
/// assert!(matches!(&recorded.groups[1].kind, GroupKind::ConditionBranches { one_ofs } if one_ofs.len() == 1));
/// ```
pub fn if_<R>(condition: Condition, body: impl FnOnce() -> R) -> If<R> {
    check_condition(&condition);
    let negated = vec![BranchCondition { condition: condition.clone(), negated: true }];
    let group = record::open_group("condition", None, GroupKind::Condition(condition));
    let value = body();
    record::close_group(group);
    let recording = current();
    let rec = recording.borrow();
    If {
        recording: rec.id,
        last: group,
        branches: None,
        negated,
        values: vec![value],
        recorded: (rec.tasks.len(), rec.groups.len()),
    }
}

/// A `dsl.If` and the `dsl.Elif`s after it, as recorded so far (see [`if_`]).
pub struct If<R> {
    recording: u64,
    /// The last branch's group.
    last: u32,
    /// The condition-branches group, once an Elif or Else made one.
    branches: Option<u32>,
    /// Every condition so far, negated: what a later branch requires besides its own.
    negated: Vec<BranchCondition>,
    values: Vec<R>,
    /// How many tasks and groups there were when the last branch closed.
    recorded: (usize, usize),
}

impl<R> If<R> {
    /// Runs `body` as kfp's `with dsl.Elif(condition):` block: its tasks run only when
    /// no earlier branch's condition holds and `condition` does.
    pub fn elif(mut self, condition: Condition, body: impl FnOnce() -> R) -> If<R> {
        check_condition(&condition);
        let mut conditions = self.negated.clone();
        conditions.push(BranchCondition { condition: condition.clone(), negated: false });
        self.negated.push(BranchCondition { condition, negated: true });
        self.branch("elif", conditions, body);
        self
    }

    /// Runs `body` as kfp's `with dsl.Else():` block: its tasks run only when no
    /// earlier branch's condition holds. Gives back every branch's value, in order.
    pub fn else_(mut self, body: impl FnOnce() -> R) -> Vec<R> {
        let conditions = std::mem::take(&mut self.negated);
        self.branch("else_", conditions, body);
        self.values
    }

    /// The branches' values, in order, for a chain without an Else.
    pub fn into_values(self) -> Vec<R> {
        self.values
    }

    /// Records one more branch, wrapping the If in its condition-branches group first.
    fn branch(&mut self, method: &str, conditions: Vec<BranchCondition>, body: impl FnOnce() -> R) {
        let recording = current();
        let follows = {
            let rec = recording.borrow();
            rec.id == self.recording && (rec.tasks.len(), rec.groups.len()) == self.recorded
        };
        if !follows {
            record::push_error(format!(
                "`.{method}()` must come right after its `if_` or `.elif()` in the same pipeline, as kfp's \
                 dsl.{} must follow its dsl.If: record other tasks before the `if_` or after the chain",
                if method == "elif" { "Elif" } else { "Else" }
            ));
            return;
        }
        let branches = match self.branches {
            Some(branches) => {
                record::reopen_group(branches);
                branches
            }
            None => {
                let branches = record::open_group(
                    "condition-branches",
                    None,
                    GroupKind::ConditionBranches { one_ofs: Vec::new() },
                );
                let mut rec = recording.borrow_mut();
                // kfp swaps the two numbers so that they read in the order written:
                // the wrapper takes the If's and the If the wrapper's.
                let (wrapper, first) =
                    (number(&rec.groups[branches as usize].name), number(&rec.groups[self.last as usize].name));
                rec.groups[branches as usize].name = format!("condition-branches-{first}");
                rec.groups[self.last as usize].name = format!("condition-{wrapper}");
                rec.groups[self.last as usize].parent = Some(branches);
                self.branches = Some(branches);
                branches
            }
        };
        let group = record::open_group("condition", None, GroupKind::Branch(conditions));
        self.values.push(body());
        record::close_group(group);
        record::close_group(branches);
        self.last = group;
        let rec = recording.borrow();
        self.recorded = (rec.tasks.len(), rec.groups.len());
    }
}

/// The number ending a group's name (`condition-3` is 3).
fn number(name: &str) -> String {
    name.rsplit('-').next().unwrap_or_default().to_owned()
}

fn check_condition(condition: &Condition) {
    let values = [&condition.left, &condition.right].into_iter().filter_map(|operand| match operand {
        Operand::Value(value) => Some(value),
        Operand::Constant(_) => None,
    });
    record::check_values(values, "a condition");
}

/// kfp's `dsl.OneOf(a, b, ...)`: the output of whichever branch of one `if_` chain
/// ran, for a task argument. Each output comes from a task directly in a branch of
/// the same chain, one of them in its `.else_()` (so that one always runs); all
/// have the same type (rustc checks: they are `Output<T>`s of one `T`).
///
/// ```
/// use kfp_core::components::load_component_from_text;
/// use kfp_core::dsl::{if_, one_of, record, Compare, PipelineInfo};
///
/// let echo = load_component_from_text(
///     r#"
/// name: echo
/// inputs: [{name: text, type: String}]
/// outputs: [{name: said, type: String}]
/// implementation:
///   container:
///     image: alpine
///     command: [sh, -c, 'echo "$0" | tee "$1"', {inputValue: text}, {outputPath: said}]
/// "#,
/// )
/// .unwrap();
/// let problem = record(PipelineInfo::new("p"), || {
///     let flip = echo.call([("text", "heads")]);
///     // No `.else_()`: when neither branch runs, there is no value.
///     let said = if_(flip.output().eq("heads"), || echo.call([("text", "Got heads!")]).output())
///         .elif(flip.output().eq("tails"), || echo.call([("text", "Got tails!")]).output())
///         .into_values();
///     echo.call([("text", one_of(said))]);
/// })
/// .unwrap_err();
/// assert!(problem.to_string().contains("a OneOf must include an output of a task in the chain's `.else_()`"));
/// ```
pub fn one_of<T>(outputs: impl IntoIterator<Item = Output<T>>) -> OneOf<T> {
    let outputs: Vec<OutputRef> = outputs.into_iter().map(|output| output.source).collect();
    record::check_values(outputs.iter().map(|output| ValueRef::Output(*output)).collect::<Vec<_>>().iter(), "a OneOf");
    let recording = current();
    let mut rec = recording.borrow_mut();
    let id = rec.id;
    let found = branches_of(&rec.tasks, &rec.groups, &outputs);
    let (group, index) = match found {
        Ok(group) => match &mut rec.groups[group as usize].kind {
            GroupKind::ConditionBranches { one_ofs } => {
                one_ofs.push(outputs);
                (group, one_ofs.len() as u32 - 1)
            }
            _ => unreachable!("branches_of gives a condition-branches group"),
        },
        Err(problem) => {
            rec.errors.push(problem);
            (0, 0)
        }
    };
    OneOf { recording: id, group, index, _type: PhantomData }
}

/// The condition-branches group whose branches hold the tasks of `outputs`, or why there is none.
fn branches_of(tasks: &[RecordedTask], groups: &[Group], outputs: &[OutputRef]) -> Result<u32, String> {
    const HOW: &str =
        "pass `one_of` outputs of tasks directly in the branches of one `if_(..).elif(..).else_(..)` chain";
    let mut found = None;
    for output in outputs {
        let Some(task) = tasks.get(output.task as usize) else {
            return Err("a OneOf takes an output of a task of another pipeline: use this pipeline's tasks".to_owned());
        };
        let branch = task.group.map(|group| (group, &groups[group as usize]));
        let branches = branch
            .and_then(|(_, branch)| branch.parent)
            .filter(|&parent| matches!(groups[parent as usize].kind, GroupKind::ConditionBranches { .. }));
        let Some(branches) = branches else {
            return Err(format!("a OneOf takes output `{}`, of a task not directly in a branch of an `if_` chain with an `.elif` or `.else_`: {HOW}", output.name));
        };
        if found.is_some_and(|found| found != branches) {
            return Err(format!("a OneOf takes outputs of tasks in two different `if_` chains: {HOW}"));
        }
        found = Some(branches);
    }
    let Some(branches) = found else {
        return Err(format!("a OneOf of no outputs: {HOW}"));
    };
    let last =
        (groups.iter().enumerate()).rev().find(|(_, group)| group.parent == Some(branches)).map(|(index, _)| index);
    let has_else = last.is_some_and(
        |last| matches!(&groups[last].kind, GroupKind::Branch(conditions) if conditions.iter().all(|c| c.negated)),
    );
    let from_else = outputs.iter().any(|output| tasks[output.task as usize].group.map(|g| g as usize) == last);
    if !has_else || !from_else {
        return Err(format!(
            "a OneOf must include an output of a task in the chain's `.else_()`, so that one output is there when \
             the pipeline runs (kfp's rule for dsl.OneOf): {HOW}"
        ));
    }
    Ok(branches)
}

/// The output of whichever branch ran, made by [`one_of`]; pass it to a task as
/// any output of type `T`.
pub struct OneOf<T> {
    recording: u64,
    group: u32,
    index: u32,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for OneOf<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for OneOf<T> {}

impl<T> std::fmt::Debug for OneOf<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OneOf").field("group", &self.group).field("index", &self.index).finish()
    }
}

impl<T> OneOf<T> {
    pub(crate) fn value_ref(&self) -> ValueRef {
        ValueRef::OneOf { recording: self.recording, group: self.group, index: self.index }
    }
}

/// A pipeline returns a OneOf as its output `Output`, as kfp's `return dsl.OneOf(...)`.
impl<T: KfpType> PipelineReturn for OneOf<T> {
    type Outputs = T;
    fn pipeline_outputs(self) -> Vec<PipelineOutput> {
        vec![PipelineOutput { name: "Output".to_owned(), ty: TypeInfo::of::<T>(), value: self.value_ref() }]
    }
}

impl<T> From<OneOf<T>> for ValueRef {
    fn from(one_of: OneOf<T>) -> Self {
        one_of.value_ref()
    }
}

impl<T: KfpType, U: KfpType> IntoArg<T> for OneOf<U>
where
    U::Family: Feeds<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

impl<T: KfpType, U: KfpType> IntoArg<Option<T>> for OneOf<U>
where
    U::Family: Feeds<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}

impl<T: KfpType, U: KfpType> IntoArg<InputPath<T>> for OneOf<U>
where
    U::Family: FeedsPath<T::Family>,
{
    fn into_arg(self) -> Arg {
        Arg::Value(self.value_ref())
    }
}
