//! The DAGs: the root's and one component per group (`comp-condition-1`,
//! `comp-for-loop-2`, `comp-exit-handler-1`), a port of kfp 2's
//! `build_spec_by_group`. A value used inside a group from outside comes in as a
//! group input named `pipelinechannel--<name>`, passed down by every group between
//! the producer and the consumer (kfp 2's `get_inputs_for_all_groups`); a task
//! depends on a producer, or the group holding it, in its own DAG
//! (`get_dependencies`).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::component::{definitions, Io};
use super::types::{artifact_type, json_type, list_item_type, IrType};
use super::{into_map, typed};
use crate::dsl::marker::{self, Piece, ValueRef};
use crate::dsl::{Arg, Condition, GroupKind, LoopItems, Operand, Operator, Recorded};
use crate::ir::{ComponentSpec, PipelineTaskSpec, TriggerPolicy, TriggerStrategy};

mod branches;
mod flow;
mod inputs;
mod subvar;

use self::flow::{flow, uncommon, Flow};

pub(super) use self::inputs::{embedded_input, parameter_input, value_input, TaskInput};
use self::inputs::{root_input, task_output};

pub(super) use self::branches::one_of_output;
mod collected;

pub(super) use self::collected::pipeline_output;
use self::collected::Surfaced;

/// A task or a group, by index, or the root.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Node {
    Root,
    Group(u32),
    Task(u32),
}

/// A value that flows between DAGs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Channel {
    /// Pipeline parameter, by index.
    Param(u32),
    /// Output `spec_name` of a task.
    Output { task: u32, output: usize },
    /// The item of a loop group.
    Item(u32),
    /// Output `output` of `task`, collected over loops and surfaced by loop group `group`.
    Surfaced { group: u32, task: u32, output: usize },
    /// OneOf `index` of condition-branches group `group`: an output of that group.
    OneOf { group: u32, index: u32 },
    /// Field `field` of the item of loop group `group` (kfp 2's subvar, `LoopArgumentVariable`):
    /// the input of a group that loops over it or compares it.
    Subvar { group: u32, field: String },
}

/// What the lowering of every DAG reads.
pub(super) struct Pipeline<'a> {
    pub recorded: &'a Recorded,
    pub task_names: &'a [String],
    /// The IR inputs and outputs of each task's component.
    pub io: &'a [Option<std::rc::Rc<Io>>],
    /// The root's parameters: name and type (an artifact for kfp 2's `Input[Dataset]`).
    pub params: &'a [(String, IrType)],
}

impl Pipeline<'_> {
    pub(super) fn parent(&self, node: Node) -> Node {
        let group = match node {
            Node::Root => return Node::Root,
            Node::Task(task) => self.recorded.tasks[task as usize].group,
            Node::Group(group) => self.recorded.groups[group as usize].parent,
        };
        group.map_or(Node::Root, Node::Group)
    }

    /// Root, the groups around `node` outermost first, then `node`.
    pub(super) fn chain(&self, node: Node) -> Vec<Node> {
        // Room for a node in a few groups: a chain is made per task and per value it takes.
        let mut chain = Vec::with_capacity(4);
        chain.push(node);
        let mut at = node;
        while at != Node::Root {
            at = self.parent(at);
            chain.push(at);
        }
        chain.reverse();
        chain
    }

    pub(super) fn name(&self, node: Node) -> &str {
        match node {
            Node::Root => "root",
            Node::Task(task) => &self.task_names[task as usize],
            Node::Group(group) => &self.recorded.groups[group as usize].name,
        }
    }

    /// The chains of `a` and of DAG `scope` past their common part (kfp 2's `_get_uncommon_ancestors`).
    pub(super) fn uncommon(&self, a: Node, scope: Node) -> (Vec<Node>, Vec<Node>) {
        let (a, scope) = (self.chain(a), self.chain(scope));
        let (a, scope) = uncommon(&a, &scope);
        (a.to_vec(), scope.to_vec())
    }

    pub(super) fn is_loop(&self, group: u32) -> bool {
        matches!(self.recorded.groups[group as usize].kind, GroupKind::ParallelFor(_))
    }

    /// The index of `output` among its task's component outputs.
    pub(super) fn output_index(&self, output: &crate::dsl::OutputRef) -> Result<usize, String> {
        let task = output.task;
        let component = self.recorded.tasks[task as usize].component().ok_or("an output of a non-component")?;
        (component.spec.outputs.iter())
            .position(|o| o.name == output.name)
            .ok_or_else(|| format!("`{}` has no output `{}`", self.task_names[task as usize], output.name))
    }

    /// The channel of `value` as a consumer in DAG `scope` reads it: a collected
    /// output from the group that surfaces it to that DAG.
    fn channel_in(&self, value: &ValueRef, scope: Node) -> Result<(Channel, Option<String>), String> {
        match value {
            ValueRef::Collected { output, depth } => {
                let group = collected::surfacer(self, output, *depth, scope)?;
                Ok((Channel::Surfaced { group, task: output.task, output: self.output_index(output)? }, None))
            }
            _ => self.channel(value),
        }
    }

    /// The channel a group reads `value` through: a loop item's field as its own (a subvar).
    fn group_channel(&self, value: &ValueRef) -> Result<Channel, String> {
        Ok(match self.channel(value)? {
            (Channel::Item(group), Some(field)) => Channel::Subvar { group, field },
            (channel, _) => channel,
        })
    }

    fn channel(&self, value: &ValueRef) -> Result<(Channel, Option<String>), String> {
        Ok(match value {
            ValueRef::Param { index, .. } => (Channel::Param(*index), None),
            ValueRef::Output(output) => {
                (Channel::Output { task: output.task, output: self.output_index(output)? }, None)
            }
            ValueRef::Item { group, field: Some(field), .. } if self.loops_over_artifacts(*group)? => {
                return Err(format!(
                    "reads field `{field}` of the item of `{}`, a loop over artifacts: an artifact has no fields \
                     in KFP v2; pass the item itself to a file input",
                    self.name(Node::Group(*group))
                ))
            }
            ValueRef::Item { group, field, .. } => (Channel::Item(*group), field.clone()),
            ValueRef::OneOf { group, index, .. } => (Channel::OneOf { group: *group, index: *index }, None),
            ValueRef::Collected { output, .. } => {
                return Err(format!(
                    "output `{}` collected (`collected`) where KFP v2 takes a single value: pass it to a task input",
                    output.name
                ))
            }
        })
    }

    /// kfp 2's `full_name` of a channel: `text`, `flip-coin-op-Output`, `loop-item-param-1`.
    fn full_name(&self, channel: &Channel) -> Result<String, String> {
        Ok(match channel {
            Channel::Param(index) => self.params[*index as usize].0.clone(),
            Channel::Output { task, output } => {
                format!("{}-{}", self.task_names[*task as usize], self.output(*task, *output).0)
            }
            Channel::Item(group) => match &self.loop_of(*group).items {
                LoopItems::Static(_) => {
                    let code = self.loop_of(*group).code.ok_or("a static loop without its number")?;
                    format!("loop-item-param-{code}")
                }
                LoopItems::Value(value) => format!("{}-loop-item", self.full_name(&self.group_channel(value)?)?),
            },
            Channel::Subvar { group, field } => format!("{}-subvar-{field}", self.full_name(&Channel::Item(*group))?),
            // kfp's OneOf is an output of the branches group, named as the group names it.
            Channel::OneOf { group, index } => {
                format!("{}-{}", self.name(Node::Group(*group)), branches::one_of_key(self, *group, *index))
            }
            Channel::Surfaced { group, task, output } => {
                format!(
                    "{}-{}",
                    self.recorded.groups[*group as usize].name,
                    collected::surfaced_name(self, *task, *output)
                )
            }
        })
    }

    pub(super) fn output(&self, task: u32, output: usize) -> &(String, IrType) {
        &self.io[task as usize].as_ref().expect("outputs come from component tasks").outputs[output]
    }

    fn loop_of(&self, group: u32) -> &crate::dsl::Loop {
        match &self.recorded.groups[group as usize].kind {
            GroupKind::ParallelFor(parallel_for) => parallel_for,
            _ => unreachable!("loop items come from loops"),
        }
    }

    /// The channel's IR type.
    fn channel_type(&self, channel: &Channel) -> Result<IrType, String> {
        Ok(match channel {
            Channel::Param(index) => self.params[*index as usize].1.clone(),
            Channel::Output { task, output } => self.output(*task, *output).1.clone(),
            Channel::OneOf { group, index } => self.channel_type(&branches::first_channel(self, *group, *index)?)?,
            Channel::Surfaced { task, output, .. } => match &self.output(*task, *output).1 {
                IrType::Parameter(_) => IrType::Parameter("LIST"),
                artifact => artifact.clone(),
            },
            // An item of a loop over artifacts is one artifact of the list's type.
            Channel::Item(group) if self.loops_over_artifacts(*group)? => {
                let LoopItems::Value(value) = &self.loop_of(*group).items else { unreachable!("a list of artifacts") };
                self.channel_type(&self.group_channel(value)?)?
            }
            Channel::Item(group) => IrType::Parameter(match &self.loop_of(*group).items {
                LoopItems::Static(items) => items.first().map_or("STRING", json_type),
                // Untyped JSON items whose fields are read are objects (kfp 2 types them `Dict`).
                LoopItems::Value(_) if self.loop_of(*group).object_items && self.item_fields_read(*group) => "STRUCT",
                LoopItems::Value(value) => match self.channel(value)?.0 {
                    Channel::Param(index) => list_item_type(self.recorded.info.params[index as usize].ty.type_name),
                    Channel::Output { task, output } => {
                        let spec = &self.recorded.tasks[task as usize].component().expect("a component").spec;
                        list_item_type(spec.outputs[output].type_name.as_ref().and_then(|t| t.name()).unwrap_or(""))
                    }
                    Channel::Item(_) | Channel::Surfaced { .. } | Channel::OneOf { .. } | Channel::Subvar { .. } => {
                        "STRING"
                    }
                },
            }),
            Channel::Subvar { group, field } => IrType::Parameter(subvar::field_type(self.loop_of(*group), field)),
        })
    }

    /// Whether loop `group` iterates over a list of artifacts (kfp 2's `artifactIterator`).
    fn loops_over_artifacts(&self, group: u32) -> Result<bool, String> {
        let LoopItems::Value(value) = &self.loop_of(group).items else { return Ok(false) };
        let channel = self.group_channel(value)?;
        Ok(self.is_artifact_list(&channel) && matches!(self.channel_type(&channel)?, IrType::Artifact(_)))
    }

    /// Whether `channel` carries a list of artifacts (`isArtifactList`): a collected list of
    /// artifacts, or a value whose kfp type is one (`List[Dataset]`, a pipeline's returned list).
    fn is_artifact_list(&self, channel: &Channel) -> bool {
        let list_type = |type_name: Option<&str>| type_name.and_then(crate::spec::artifact_list_item).is_some();
        match channel {
            Channel::Surfaced { task, output, .. } => matches!(self.output(*task, *output).1, IrType::Artifact(_)),
            Channel::Output { task, output } => {
                let spec = self.recorded.tasks[*task as usize].component().map(|c| &c.spec.outputs[*output]);
                list_type(spec.and_then(|o| o.type_name.as_ref()).and_then(|t| t.name()))
            }
            Channel::Param(index) => list_type(Some(self.recorded.info.params[*index as usize].ty.type_name)),
            Channel::Item(_) | Channel::OneOf { .. } | Channel::Subvar { .. } => false,
        }
    }

    fn item_fields_read(&self, group: u32) -> bool {
        self.values().any(|(_, value)| matches!(value, ValueRef::Item { group: g, field: Some(_), .. } if g == group))
    }

    /// Every value a task takes as an argument or embeds in a text argument, with the task.
    fn values(&self) -> impl Iterator<Item = (u32, ValueRef)> + '_ {
        (0..self.recorded.tasks.len() as u32).flat_map(|index| self.task_values(index).map(move |value| (index, value)))
    }

    /// The values one task takes as arguments or embeds in text arguments: per
    /// task, so that a pass over the tasks stays linear.
    pub(super) fn task_values(&self, index: u32) -> impl Iterator<Item = ValueRef> + '_ {
        let (args, importer): (&[Arg], Vec<ValueRef>) = match &self.recorded.tasks[index as usize].op {
            crate::dsl::Op::Component { args, .. } | crate::dsl::Op::Pipeline { args, .. } => (args, Vec::new()),
            crate::dsl::Op::Importer(importer) => (&[], importer.values()),
            _ => (&[], Vec::new()),
        };
        // One value or the values in a text; an empty `Vec` costs no allocation.
        let from_args = args.iter().flat_map(|arg| {
            let (value, in_text) = match arg {
                Arg::Value(value) => (Some(value.clone()), Vec::new()),
                Arg::Constant(text) => (None, embedded(text)),
                Arg::Absent => (None, Vec::new()),
            };
            value.into_iter().chain(in_text)
        });
        from_args.chain(importer)
    }

    /// The values the conditions around `node` compare (kfp 2's condition channels).
    fn condition_values(&self, node: Node) -> Vec<ValueRef> {
        let mut out = Vec::new();
        if self.parent(node) == Node::Root {
            return out;
        }
        for at in self.chain(node) {
            if let Node::Group(group) = at {
                let conditions = match &self.recorded.groups[group as usize].kind {
                    GroupKind::Condition(condition) => vec![condition],
                    GroupKind::Branch(conditions) => conditions.iter().map(|branch| &branch.condition).collect(),
                    _ => Vec::new(),
                };
                for condition in conditions {
                    for operand in [&condition.left, &condition.right] {
                        if let Operand::Value(value) = operand {
                            out.push(value.clone());
                        }
                    }
                }
            }
        }
        out
    }
}

/// The values embedded in a text argument (`format!("Hello {name}")`).
pub(super) fn embedded(text: &str) -> Vec<ValueRef> {
    if !marker::has_marker(text) {
        return Vec::new();
    }
    (marker::pieces(text).into_iter())
        .filter_map(|piece| match piece {
            Piece::Value(value) => Some(value),
            Piece::Text(_) => None,
        })
        .collect()
}

/// `pipelinechannel--<full name>`.
fn channel_input(p: &Pipeline, channel: &Channel) -> Result<String, String> {
    Ok(format!("pipelinechannel--{}", p.full_name(channel)?))
}

/// The root and group components, each task's spec placed in its DAG. Tasks are
/// typed as they are made (most of the file is the root's tasks); the root is left
/// JSON without them, for the lowering to add its inputs and outputs.
pub(super) struct Dags {
    pub root: Value,
    pub root_tasks: BTreeMap<String, PipelineTaskSpec>,
    /// `comp-<group>` by group name.
    pub groups: BTreeMap<String, ComponentSpec>,
}

/// Builds every DAG; `task_spec` gives each task's spec (without `dependentTasks`).
pub(super) fn dags(
    p: &Pipeline,
    mut task_spec: impl FnMut(u32, Node) -> Result<PipelineTaskSpec, Vec<String>>,
) -> Result<Dags, Vec<String>> {
    let mut problems = Vec::new();
    let flow = flow(p, &mut problems);
    let surfaced = Surfaced::of(p);
    let one_ofs = branches::OneOfs::of(p, &mut problems);
    let mut tasks: BTreeMap<Node, Vec<(String, PipelineTaskSpec)>> = BTreeMap::new();
    // Each exit handler's group, by its exit task (kfp 2 allows several).
    let exit_handlers: BTreeMap<u32, u32> = (p.recorded.groups.iter().enumerate())
        .filter_map(|(index, group)| match group.kind {
            GroupKind::ExitHandler { exit_task } => Some((exit_task, index as u32)),
            _ => None,
        })
        .collect();
    for index in 0..p.recorded.tasks.len() as u32 {
        let node = Node::Task(index);
        let scope = p.parent(node);
        let mut spec = match task_spec(index, scope) {
            Ok(spec) => spec,
            Err(more) => {
                problems.extend(more);
                continue;
            }
        };
        let mut depends: Vec<String> =
            flow.dependencies.get(&node).into_iter().flatten().map(|n| p.name(*n).to_owned()).collect();
        if let Some(&group) = exit_handlers.get(&index) {
            depends.push(p.name(Node::Group(group)).to_owned());
            spec.trigger_policy =
                Some(TriggerPolicy { strategy: TriggerStrategy::AllUpstreamTasksCompleted, ..Default::default() });
        }
        if !depends.is_empty() {
            depends.sort();
            spec.dependent_tasks = depends;
        }
        tasks.entry(scope).or_default().push((p.task_names[index as usize].clone(), spec));
    }
    let mut groups = BTreeMap::new();
    for index in 0..p.recorded.groups.len() as u32 {
        let node = Node::Group(index);
        let scope = p.parent(node);
        match group_task(p, &flow, index, scope) {
            Ok(spec) => match typed(spec) {
                Ok(spec) => {
                    tasks.entry(scope).or_default().push((p.name(node).to_owned(), spec));
                }
                Err(more) => problems.extend(more),
            },
            Err(problem) => problems.push(problem),
        }
    }
    for index in 0..p.recorded.groups.len() as u32 {
        let node = Node::Group(index);
        let mut component = json!({"dag": {}});
        let (mut parameters, mut artifacts) = (Map::new(), Map::new());
        for channel in flow.inputs.get(&index).into_iter().flat_map(|inputs| inputs.keys()) {
            let (name, ty) = match channel_input(p, channel).and_then(|name| Ok((name, p.channel_type(channel)?))) {
                Ok(named) => named,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            match ty {
                IrType::Parameter(parameter_type) => {
                    parameters.insert(name, json!({"parameterType": parameter_type}));
                }
                IrType::Artifact(title) => {
                    let mut definition = json!({"artifactType": artifact_type(&title)});
                    if p.is_artifact_list(channel) {
                        definition["isArtifactList"] = json!(true);
                    }
                    artifacts.insert(name, definition);
                }
            }
        }
        if let Some(definitions) = definitions(parameters, artifacts) {
            component["inputDefinitions"] = definitions;
        }
        surfaced.write(index, &mut component);
        one_ofs.write(index, &mut component);
        match typed::<ComponentSpec>(component) {
            Ok(mut component) => {
                component.dag.get_or_insert_with(Default::default).tasks =
                    into_map(tasks.remove(&node).unwrap_or_default());
                groups.insert(format!("comp-{}", p.name(node)), component);
            }
            Err(more) => problems.extend(more),
        }
    }
    let root = json!({"dag": {}});
    let root_tasks = into_map(tasks.remove(&Node::Root).unwrap_or_default());
    if problems.is_empty() {
        Ok(Dags { root, root_tasks, groups })
    } else {
        Err(problems)
    }
}

/// The task of group `index` in its parent's DAG.
fn group_task(p: &Pipeline, flow: &Flow, index: u32, scope: Node) -> Result<Value, String> {
    let group = &p.recorded.groups[index as usize];
    let node = Node::Group(index);
    let display = group.display_name.as_deref().unwrap_or(&group.name);
    let mut spec = json!({"componentRef": {"name": format!("comp-{}", group.name)}, "taskInfo": {"name": display}});
    let (mut parameters, mut artifacts) = (Map::new(), Map::new());
    for (channel, producer) in flow.inputs.get(&index).into_iter().flatten() {
        if *channel == Channel::Item(index) {
            continue; // the loop's own item: its iterator sets it
        }
        let name = channel_input(p, channel)?;
        let artifact = matches!(p.channel_type(channel)?, IrType::Artifact(_));
        let input = match (producer, channel) {
            (Some(Node::Group(group)), Channel::Surfaced { task, output, .. }) => {
                let key = collected::surfaced_name(p, *task, *output);
                let producer = p.name(Node::Group(*group));
                task_output(producer, &key, artifact).into_json()?
            }
            (Some(Node::Task(task)), Channel::Output { output, .. }) => {
                let key = &p.output(*task, *output).0;
                let producer = &p.task_names[*task as usize];
                task_output(producer, key, artifact).into_json()?
            }
            (Some(Node::Group(from)), Channel::OneOf { group, index }) if from == group => {
                task_output(p.name(Node::Group(*group)), &branches::one_of_key(p, *group, *index), artifact)
                    .into_json()?
            }
            (Some(other), _) => {
                return Err(format!(
                    "`{}` takes a value from inside `{}`: KFP v2 takes values out of a group only as a collected \
                     list (dsl.Collected) or a oneOf, which kfp-rs does not compile yet",
                    group.name,
                    p.name(*other)
                ))
            }
            (None, Channel::Param(param)) if scope == Node::Root => {
                root_input(&p.params[*param as usize].0, artifact).into_json()?
            }
            (None, Channel::Subvar { group, field }) => {
                subvar::selected(channel_input(p, &Channel::Item(*group))?, field)
            }
            (None, _) if artifact => json!({"componentInputArtifact": name}),
            (None, _) => json!({"componentInputParameter": name}),
        };
        if artifact {
            artifacts.insert(name, input);
        } else {
            parameters.insert(name, input);
        }
    }
    if let Some(inputs) = definitions(parameters, artifacts) {
        spec["inputs"] = inputs;
    }
    let mut depends: Vec<&str> = flow.dependencies.get(&node).into_iter().flatten().map(|n| p.name(*n)).collect();
    if !depends.is_empty() {
        depends.sort_unstable();
        spec["dependentTasks"] = json!(depends);
    }
    match &group.kind {
        GroupKind::Condition(condition) => {
            spec["triggerPolicy"] = json!({"condition": cel_condition(p, condition)?});
        }
        GroupKind::Branch(conditions) => {
            spec["triggerPolicy"] = json!({"condition": branches::cel_conditions(p, conditions)?});
        }
        GroupKind::ParallelFor(parallel_for) => {
            let mut iterator = "parameterIterator";
            let items = match &parallel_for.items {
                LoopItems::Static(items) => json!({"raw": python_json(&Value::Array(items.clone()))}),
                // kfp 2's `artifactIterator`: the list of artifacts is an artifact input of the loop.
                LoopItems::Value(value) if p.loops_over_artifacts(index)? => {
                    iterator = "artifactIterator";
                    json!({"inputArtifact": channel_input(p, &p.group_channel(value)?)?})
                }
                LoopItems::Value(value) => {
                    let channel = p.group_channel(value)?;
                    match p.channel_type(&channel)? {
                        // kfp 2 cannot tell a field's type: it loops over whatever it holds.
                        _ if matches!(channel, Channel::Subvar { .. }) => {}
                        IrType::Parameter("LIST") => {}
                        other => {
                            let kind = match other {
                                IrType::Parameter(parameter_type) => parameter_type.to_owned(),
                                IrType::Artifact(title) => format!("an artifact, {title}"),
                            };
                            return Err(format!(
                                "`{}` loops over `{}`, which is not a list ({kind}): KFP v2 loops over a list \
                                 parameter; declare it a list (`Vec<_>`, kfp type `JsonArray` or `typing.List[...]`)",
                                group.name,
                                p.full_name(&channel)?
                            ));
                        }
                    }
                    json!({"inputParameter": channel_input(p, &channel)?})
                }
            };
            spec[iterator] = json!({"itemInput": channel_input(p, &Channel::Item(index))?, "items": items});
            if parallel_for.parallelism > 0 {
                spec["iteratorPolicy"] = json!({"parallelismLimit": parallel_for.parallelism});
            }
        }
        GroupKind::ExitHandler { .. }
        | GroupKind::Graph(_)
        | GroupKind::SubGraph { .. }
        | GroupKind::ConditionBranches { .. } => {}
    }
    Ok(spec)
}

/// kfp 2's CEL condition: `inputs.parameter_values['pipelinechannel--x'] == 'heads'`,
/// an integer value read with `int(...)`, a constant written as the value's type.
fn cel_condition(p: &Pipeline, condition: &Condition) -> Result<String, String> {
    let typed = |operand: &Operand| -> Result<Option<&'static str>, String> {
        let Operand::Value(value) = operand else { return Ok(None) };
        let channel = p.group_channel(value)?;
        match p.channel_type(&channel)? {
            IrType::Parameter(t @ ("STRING" | "NUMBER_INTEGER" | "NUMBER_DOUBLE" | "BOOLEAN")) => Ok(Some(t)),
            _ => Err(format!(
                "the condition compares `{}`, which is not a string, number or boolean: KFP v2 compares only those",
                p.full_name(&channel)?
            )),
        }
    };
    let (left, right) = (typed(&condition.left)?, typed(&condition.right)?);
    // kfp 2 promotes to one type: String > Boolean > Double > Integer.
    let rank = |t: &str| ["NUMBER_INTEGER", "NUMBER_DOUBLE", "BOOLEAN", "STRING"].iter().position(|x| *x == t);
    let common = match (left, right) {
        (Some(a), Some(b)) => {
            if rank(a) >= rank(b) {
                a
            } else {
                b
            }
        }
        (Some(t), None) | (None, Some(t)) => t,
        (None, None) => "STRING",
    };
    let operand = |operand: &Operand, own: Option<&'static str>| -> Result<String, String> {
        Ok(match operand {
            Operand::Value(value) => {
                let name = channel_input(p, &p.group_channel(value)?)?;
                let read = format!("inputs.parameter_values['{name}']");
                match own {
                    Some("NUMBER_INTEGER") if common == "NUMBER_DOUBLE" => format!("double(int({read}))"),
                    Some("NUMBER_INTEGER") => format!("int({read})"),
                    _ => read,
                }
            }
            Operand::Constant(text) => match common {
                "STRING" => format!("'{text}'"),
                "BOOLEAN" => text.to_lowercase(),
                _ => text.clone(),
            },
        })
    };
    let operator = match condition.operator {
        Operator::Eq => "==",
        Operator::Ne => "!=",
        Operator::Lt => "<",
        Operator::Le => "<=",
        Operator::Gt => ">",
        Operator::Ge => ">=",
    };
    Ok(format!("{} {operator} {}", operand(&condition.left, left)?, operand(&condition.right, right)?))
}

/// JSON as Python's `json.dumps` writes it (`[1, 2]`, `{"a": 1}`): kfp 2's raw loop items.
fn python_json(value: &Value) -> String {
    match value {
        Value::Array(items) => format!("[{}]", items.iter().map(python_json).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => {
            let entries: Vec<String> =
                map.iter().map(|(key, value)| format!("{}: {}", json!(key), python_json(value))).collect();
            format!("{{{}}}", entries.join(", "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_items_are_written_as_python_writes_them() {
        assert_eq!(python_json(&json!([1, 2, 3])), "[1, 2, 3]");
        assert_eq!(python_json(&json!([{"A_a": "1", "B_b": "2"}])), r#"[{"A_a": "1", "B_b": "2"}]"#);
    }
}
