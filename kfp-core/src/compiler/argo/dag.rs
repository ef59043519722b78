//! DAG templates of the pipeline and its groups, as kfp's `_create_dag_templates`
//! makes them: which values each group takes in and hands out, which of its
//! children depend on which, and the `when`, `withItems` and `withParam` of
//! conditions and loops.
//!
//! kfp keys all of this by name (tasks and groups share one namespace); so does
//! this port, which keeps it comparable line by line with kfp's compiler.

use std::borrow::Cow;
use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt};

use super::values::{input_parameter, Use, Values};
use crate::argo::{DagTask, DagTemplate, Inputs, Outputs, Parameter, Template, ValueFrom};
use crate::dsl::marker;
use crate::dsl::{
    BranchCondition, Condition, GraphCall, GroupKind, Loop, LoopItems, Node, Operand, Operator, Recorded,
};

/// (value name, the sibling producing it) pairs per task or group name. Names
/// are borrowed from the recording; the value a loop or a graph call reads is
/// named on the fly, hence the `Cow`. Each list is sorted and free of
/// duplicates once built ([`settle`]): a task has few entries, and a `BTreeSet`
/// node each took half a kilobyte.
type Flow<'a> = HashMap<&'a str, FlowList<'a>>;
type FlowList<'a> = Vec<(Cow<'a, str>, Option<&'a str>)>;
/// The siblings each task or group runs after, by name (settled as [`Flow`] is).
type Dependencies<'a> = HashMap<&'a str, Vec<&'a str>>;

/// Sorts each list of `map` and drops its duplicates: what a set would hold.
fn settle<K, T: Ord>(map: &mut HashMap<K, Vec<T>>) {
    for list in map.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
}

/// What flows in and out of each task and group, and what each depends on.
#[derive(Clone, Copy)]
struct FlowMaps<'m, 'a> {
    inputs: &'m Flow<'a>,
    outputs: &'m Flow<'a>,
    dependencies: &'m Dependencies<'a>,
}

/// The groups and tasks directly in one group.
#[derive(Default)]
struct Children {
    groups: Vec<u32>,
    tasks: Vec<u32>,
}

/// The DAG side of one pipeline.
pub(super) struct Dags<'a> {
    pub(super) recorded: &'a Recorded,
    pub(super) values: &'a Values<'a>,
    pub(super) task_names: &'a [String],
    /// Values each task reads, by task index.
    pub(super) uses: &'a [Vec<Use>],
    /// The root template's name.
    pub(super) root: &'a str,
    /// The exit handler's task, which belongs to no group.
    pub(super) exit_task: Option<u32>,
}

impl<'a> Dags<'a> {
    /// `[root, outer group, ..., innermost group]` of a task or group in `group`,
    /// borrowed: a chain is compared far more often than a name in it is kept.
    fn group_chain(&self, mut group: Option<u32>) -> Vec<&'a str> {
        let mut chain = Vec::new();
        while let Some(index) = group {
            let found = &self.recorded.groups[index as usize];
            chain.push(found.name.as_str());
            group = found.parent;
        }
        chain.push(self.root);
        chain.reverse();
        chain
    }

    /// Whether `group` lies directly in a sub-graph.
    fn in_sub_graph(&self, group: u32) -> bool {
        let parent = self.recorded.groups[group as usize].parent;
        parent.is_some_and(|parent| matches!(self.recorded.groups[parent as usize].kind, GroupKind::SubGraph { .. }))
    }

    /// kfp's `op_groups[task]`: the groups around the task, then the task.
    fn ancestors(&self, task: u32) -> Vec<&'a str> {
        let mut chain = self.group_chain(self.recorded.tasks[task as usize].group);
        chain.push(&self.task_names[task as usize]);
        chain
    }

    /// Values read by conditions in `group` and around it (kfp's condition params).
    fn condition_uses(&self, mut group: Option<u32>, problems: &mut Vec<String>) -> Vec<Use> {
        let mut uses = Vec::new();
        while let Some(index) = group {
            let found = &self.recorded.groups[index as usize];
            let conditions = match &found.kind {
                GroupKind::Condition(condition) => vec![condition.clone()],
                GroupKind::Branch(conditions) => conditions.iter().map(BranchCondition::required).collect(),
                _ => Vec::new(),
            };
            for condition in &conditions {
                for operand in [&condition.left, &condition.right] {
                    if let Operand::Value(value) = operand {
                        match self.values.use_of(value) {
                            Ok(found) => uses.push(found),
                            Err(problem) => problems.push(format!("{}: {problem}", found.name)),
                        }
                    }
                }
            }
            group = found.parent;
        }
        uses
    }

    fn loop_arg_names(&self) -> HashMap<String, String> {
        let mut names = HashMap::new();
        for (index, group) in self.recorded.groups.iter().enumerate() {
            if matches!(group.kind, GroupKind::ParallelFor(_)) {
                if let Ok(item) = self.values.loop_item(index as u32) {
                    names.insert(group.name.clone(), item.full_name);
                }
            }
        }
        names
    }

    fn is_exit(&self, task: usize) -> bool {
        self.exit_task == Some(task as u32)
    }

    /// The root's and every group's DAG template.
    pub(super) fn templates(&self, problems: &mut Vec<String>) -> Vec<Template> {
        let loop_args = self.loop_arg_names();
        let mut inputs: Flow<'a> = HashMap::new();
        let mut outputs: Flow<'a> = HashMap::new();
        let mut dependencies: Dependencies<'a> = HashMap::new();
        let ancestors: Vec<Vec<&str>> = (0..self.recorded.tasks.len() as u32).map(|t| self.ancestors(t)).collect();

        for (index, task) in self.recorded.tasks.iter().enumerate() {
            if self.is_exit(index) {
                continue;
            }
            let condition_uses = self.condition_uses(task.group, problems);
            let mine = &ancestors[index];
            let mut upstream_tasks: BTreeSet<u32> = task.after.iter().copied().collect();
            let own = self.uses[index].iter().map(|found| (found, Cow::Borrowed(found.full_name.as_str())));
            let conditions = condition_uses.iter().map(|found| (found, Cow::Owned(found.full_name.clone())));
            for (found, full_name) in own.chain(conditions) {
                match found.producer {
                    Some(producer) => {
                        upstream_tasks.insert(producer);
                        if self.is_exit(producer as usize) {
                            problems.push(format!(
                                "task `{}` reads an output of the exit handler's task, which runs last",
                                self.task_names[index]
                            ));
                            continue;
                        }
                        let (up, down) = uncommon(&ancestors[producer as usize], mine);
                        for (i, &group) in down.iter().enumerate() {
                            let source = (i == 0).then(|| up[0]);
                            inputs.entry(group).or_default().push((full_name.clone(), source));
                        }
                        for (i, &group) in up.iter().enumerate() {
                            let source = up.get(i + 1).copied();
                            outputs.entry(group).or_default().push((full_name.clone(), source));
                        }
                    }
                    None => {
                        for &group in mine.iter().rev() {
                            inputs.entry(group).or_default().push((full_name.clone(), None));
                            if loop_args.get(group).is_some_and(|arg| found.full_name.contains(arg.as_str())) {
                                break;
                            }
                        }
                    }
                }
            }
            let upstream_nodes =
                upstream_tasks.into_iter().map(Node::Task).chain(task.after_groups.iter().copied().map(Node::Group));
            for upstream in upstream_nodes {
                if matches!(upstream, Node::Task(t) if self.is_exit(t as usize)) {
                    continue;
                }
                match self.node_ancestors(upstream, &ancestors) {
                    Some(theirs) => {
                        let (up, down) = uncommon(&theirs, mine);
                        dependencies.entry(down[0]).or_default().push(up[0]);
                    }
                    None => problems.push(format!(
                        "task `{}` runs after a step that is not part of this pipeline",
                        self.task_names[index]
                    )),
                }
            }
        }
        self.recursive_flow(&ancestors, &mut inputs, &mut outputs, &mut dependencies, problems);
        self.loop_value_flow(&ancestors, &mut inputs, &mut outputs, &mut dependencies);
        settle(&mut inputs);
        settle(&mut outputs);
        settle(&mut dependencies);

        // Children of the root (key `None`) and of each group, in recording order.
        let mut children: HashMap<Option<u32>, Children> = HashMap::new();
        for (index, group) in self.recorded.groups.iter().enumerate() {
            children.entry(group.parent).or_default().groups.push(index as u32);
        }
        for (index, task) in self.recorded.tasks.iter().enumerate() {
            if !self.is_exit(index) {
                children.entry(task.group).or_default().tasks.push(index as u32);
            }
        }
        // Argo refuses an empty DAG; kfp writes one for an empty group.
        if !children.contains_key(&None) {
            problems
                .push("the pipeline records no task: call a component or add a container op in its body".to_owned());
        }
        for (index, group) in self.recorded.groups.iter().enumerate() {
            if self.recursive_ref(index as u32).is_none() && !children.contains_key(&Some(index as u32)) {
                problems.push(format!(
                    "`{}` records no task, and Argo refuses an empty group: record at least one task inside it",
                    group.name
                ));
            }
        }
        let flow = FlowMaps { inputs: &inputs, outputs: &outputs, dependencies: &dependencies };
        let none = Children::default();
        let mut templates = Vec::with_capacity(self.recorded.groups.len() + 1);
        templates.push(self.template(None, children.get(&None).unwrap_or(&none), &flow, problems));
        for index in 0..self.recorded.groups.len() as u32 {
            if self.recursive_ref(index).is_none() {
                let mine = children.get(&Some(index)).unwrap_or(&none);
                templates.push(self.template(Some(index), mine, &flow, problems));
            }
        }
        templates
    }

    /// A loop over a task output reads the list at the loop's own task, in the
    /// DAG around it. kfp assumes the producer is a sibling there; when it is not
    /// (it sits in another group, or the loop in one), the list travels as a
    /// condition's operands do: out of the producer's groups and into the
    /// loop's, but not into the loop itself.
    fn loop_value_flow(
        &self,
        ancestors: &[Vec<&'a str>],
        inputs: &mut Flow<'a>,
        outputs: &mut Flow<'a>,
        dependencies: &mut Dependencies<'a>,
    ) {
        for (index, group) in self.recorded.groups.iter().enumerate() {
            let GroupKind::ParallelFor(Loop { items: LoopItems::Value(value), .. }) = &group.kind else { continue };
            let Ok(Use { full_name, producer: Some(producer) }) = self.values.use_of(value) else { continue };
            let Some(theirs) = ancestors.get(producer as usize) else { continue };
            let mine = self.group_chain(Some(index as u32));
            let (up, down) = uncommon(theirs, &mine);
            for (i, &name) in down.iter().enumerate().take(down.len() - 1) {
                let source = (i == 0).then(|| up[0]);
                inputs.entry(name).or_default().push((Cow::Owned(full_name.clone()), source));
            }
            for (i, &name) in up.iter().enumerate() {
                let source = up.get(i + 1).copied();
                outputs.entry(name).or_default().push((Cow::Owned(full_name.clone()), source));
            }
            dependencies.entry(down[0]).or_default().push(up[0]);
        }
    }

    /// The group a recursive graph call runs again, if `group` is one.
    fn recursive_ref(&self, group: u32) -> Option<u32> {
        match &self.recorded.groups[group as usize].kind {
            GroupKind::Graph(call) => call.recursive_ref,
            _ => None,
        }
    }

    /// kfp's ancestor chain of a task or group, itself last.
    fn node_ancestors<'t>(&self, node: Node, tasks: &'t [Vec<&'a str>]) -> Option<Cow<'t, [&'a str]>> {
        match node {
            Node::Task(task) => tasks.get(task as usize).map(|chain| Cow::Borrowed(&chain[..])),
            Node::Group(group) => {
                (group < self.recorded.groups.len() as u32).then(|| Cow::Owned(self.group_chain(Some(group))))
            }
        }
    }

    /// What kfp's `_get_inputs_outputs_recursive_opsgroup` and
    /// `_get_dependency_opsgroup` add: the values recursive graph calls pass,
    /// and every group's `.after()`.
    fn recursive_flow(
        &self,
        ancestors: &[Vec<&'a str>],
        inputs: &mut Flow<'a>,
        outputs: &mut Flow<'a>,
        dependencies: &mut Dependencies<'a>,
        problems: &mut Vec<String>,
    ) {
        for (index, group) in self.recorded.groups.iter().enumerate() {
            let mine = self.group_chain(Some(index as u32));
            let mut upstream: Vec<Node> = group.after.clone();
            if let GroupKind::Graph(GraphCall { recursive_ref: Some(_), arguments, .. }) = &group.kind {
                let mut uses: Vec<(Use, bool)> = Vec::new();
                for (name, value) in arguments {
                    match self.values.use_of(value) {
                        Ok(found) => uses.push((found, false)),
                        Err(problem) => {
                            problems.push(format!("graph call `{}`, argument `{name}`: {problem}", group.name))
                        }
                    }
                }
                uses.extend(self.condition_uses(group.parent, problems).into_iter().map(|found| (found, true)));
                for (found, is_condition) in uses {
                    let full_name = || Cow::Owned(found.full_name.clone());
                    match found.producer {
                        Some(producer) => {
                            upstream.push(Node::Task(producer));
                            let (up, down) = uncommon(&ancestors[producer as usize], &mine);
                            for (i, &name) in down.iter().enumerate() {
                                if i == 0 {
                                    inputs.entry(name).or_default().push((full_name(), Some(up[0])));
                                } else if !(i == down.len() - 1 && is_condition) {
                                    inputs.entry(name).or_default().push((full_name(), None));
                                }
                            }
                            for (i, &name) in up.iter().enumerate() {
                                let source = up.get(i + 1).copied();
                                outputs.entry(name).or_default().push((full_name(), source));
                            }
                        }
                        None if !is_condition => {
                            for &name in &mine {
                                inputs.entry(name).or_default().push((full_name(), None));
                            }
                        }
                        None => {}
                    }
                }
            }
            for node in upstream {
                match self.node_ancestors(node, ancestors) {
                    Some(theirs) => {
                        let (up, down) = uncommon(&theirs, &mine);
                        if let (Some(&up), Some(&down)) = (up.first(), down.first()) {
                            dependencies.entry(down).or_default().push(up);
                        }
                    }
                    None => {
                        problems.push(format!("`{}` runs after a step that is not part of this pipeline", group.name))
                    }
                }
            }
        }
    }

    /// kfp's `_group_to_dag_template` for the root (`None`) or a group.
    fn template(
        &self,
        group: Option<u32>,
        children: &Children,
        flow: &FlowMaps<'_, 'a>,
        problems: &mut Vec<String>,
    ) -> Template {
        let FlowMaps { inputs, outputs, dependencies } = *flow;
        let name = match group {
            None => self.root.to_owned(),
            Some(index) => self.recorded.groups[index as usize].name.clone(),
        };
        let parallelism = group.and_then(|index| match &self.recorded.groups[index as usize].kind {
            GroupKind::ParallelFor(lp) => Some(i64::from(lp.parallelism)),
            GroupKind::SubGraph { parallelism } => Some(i64::from(*parallelism)),
            _ => None,
        });
        let mut input_names: Vec<String> = inputs
            .get(name.as_str())
            .map(|set| set.iter().map(|(name, _)| name.to_string()).collect())
            .unwrap_or_default();
        input_names.sort_unstable();
        input_names.dedup();
        let mut output_params: Vec<Parameter> = outputs
            .get(name.as_str())
            .map(|set| {
                set.iter()
                    .map(|(param, source)| Parameter {
                        value_from: Some(Box::new(ValueFrom {
                            parameter: Some(task_output(source.unwrap_or_default(), param)),
                            ..ValueFrom::default()
                        })),
                        ..Parameter::named(param.as_ref())
                    })
                    .collect()
            })
            .unwrap_or_default();
        output_params.sort_by(|a, b| a.name.cmp(&b.name));
        output_params.dedup_by(|a, b| a.name == b.name);

        let mut tasks = Vec::with_capacity(children.groups.len() + children.tasks.len());
        for &index in &children.groups {
            let child = &self.recorded.groups[index as usize];
            if let Some(target) = self.recursive_ref(index) {
                tasks.push(self.recursive_task(index, target, inputs, dependencies));
                continue;
            }
            let mut task = DagTask { name: child.name.clone(), template: child.name.clone(), ..DagTask::default() };
            let child_inputs = inputs.get(child.name.as_str());
            if let GroupKind::Condition(condition) = &child.kind {
                task.when = Some(self.when(condition, child_inputs, problems));
            }
            // KFP v1 has no Elif or Else: a branch runs when every comparison holds,
            // the earlier branches' negated.
            if let GroupKind::Branch(conditions) = &child.kind {
                let whens: Vec<String> =
                    conditions.iter().map(|branch| self.when(&branch.required(), child_inputs, problems)).collect();
                task.when = Some(whens.join(" && "));
            }
            self.finish_task(&mut task, child_inputs, dependencies);
            if let GroupKind::ParallelFor(lp) = &child.kind {
                let loop_arg = self.values.loop_item(index).map(|item| item.full_name).unwrap_or_default();
                task.arguments.parameters = self.arguments(child_inputs, Some(&loop_arg), problems);
                let whole_item = child_inputs.is_some_and(|set| set.iter().any(|(name, _)| *name == loop_arg));
                self.loop_items(&mut task, index, &lp.items, whole_item, problems);
            }
            tasks.push(task);
        }
        for &index in &children.tasks {
            let name = &self.task_names[index as usize];
            let mut dag_task = DagTask { name: name.clone(), template: name.clone(), ..DagTask::default() };
            self.finish_task(&mut dag_task, inputs.get(name.as_str()), dependencies);
            tasks.push(dag_task);
        }
        tasks.sort_by(|a, b| a.name.cmp(&b.name));
        Template {
            name,
            parallelism,
            inputs: Inputs { parameters: input_names.into_iter().map(Parameter::named).collect(), ..Inputs::default() },
            outputs: Outputs { parameters: output_params, ..Outputs::default() },
            dag: Some(DagTemplate { tasks, ..DagTemplate::default() }),
            ..Template::default()
        }
    }

    /// The DAG task of a recursive graph call: it runs the called graph's template,
    /// its arguments named as the graph's own (kfp's `get_arguments_for_sub_group`).
    fn recursive_task(&self, call: u32, target: u32, inputs: &Flow<'a>, dependencies: &Dependencies<'a>) -> DagTask {
        let group = &self.recorded.groups[call as usize];
        let target_name = self.recorded.groups[target as usize].name.clone();
        let mut task = DagTask { name: target_name.clone(), template: target_name, ..DagTask::default() };
        if let Some(found) = dependencies.get(group.name.as_str()) {
            task.dependencies = Some(found.iter().map(|&name| name.to_owned()).collect());
        }
        let (GroupKind::Graph(call), GroupKind::Graph(called)) =
            (&group.kind, &self.recorded.groups[target as usize].kind)
        else {
            return task;
        };
        let full_name = |value| self.values.use_of(value).map(|found| found.full_name).ok();
        let mut arguments = Vec::new();
        for (param, source) in inputs.get(group.name.as_str()).into_iter().flatten() {
            let argument = call.arguments.iter().find(|(_, value)| full_name(value).as_deref() == Some(param.as_ref()));
            let name = argument
                .and_then(|(name, _)| called.arguments.iter().find(|(called_name, _)| called_name == name))
                .and_then(|(_, value)| full_name(value))
                .unwrap_or_else(|| param.to_string());
            let value = match source {
                Some(source) => task_output(source, param),
                None => input_parameter(param),
            };
            arguments.push(Parameter::with_value(name, value));
        }
        arguments.sort_by(|a, b| a.name.cmp(&b.name));
        task.arguments.parameters = arguments;
        task
    }

    /// Dependencies and arguments of a task of a DAG.
    fn finish_task(&self, task: &mut DagTask, inputs: Option<&FlowList<'_>>, dependencies: &Dependencies<'_>) {
        if let Some(found) = dependencies.get(task.name.as_str()) {
            task.dependencies = Some(found.iter().map(|&name| name.to_owned()).collect());
        }
        task.arguments.parameters = self.arguments(inputs, None, &mut Vec::new());
    }

    /// kfp's `get_arguments_for_sub_group`.
    fn arguments(
        &self,
        inputs: Option<&FlowList<'_>>,
        loop_arg: Option<&str>,
        problems: &mut Vec<String>,
    ) -> Vec<Parameter> {
        let Some(inputs) = inputs else { return Vec::new() };
        let loop_arg = loop_arg.map(k8s_name);
        let mut arguments: Vec<Parameter> = Vec::with_capacity(inputs.len());
        for (param, source) in inputs {
            // Only a loop's arguments need the sanitized name.
            let reference = loop_arg.as_ref().map(|_| k8s_name(param)).unwrap_or_default();
            let value = match &loop_arg {
                Some(loop_arg) if reference.starts_with(loop_arg.as_str()) => {
                    if reference == *loop_arg {
                        "{{item}}".to_owned()
                    } else if let Some((_, field)) = param.split_once("-subvar-") {
                        format!("{{{{item.{field}}}}}")
                    } else {
                        problems
                            .push(format!("`{param}` looks like the loop item but is neither the item nor a field"));
                        continue;
                    }
                }
                _ => match source {
                    Some(source) => task_output(source, param),
                    None => input_parameter(param),
                },
            };
            arguments.push(Parameter::with_value(param.as_ref(), value));
        }
        arguments.sort_by(|a, b| a.name.cmp(&b.name));
        arguments.dedup_by(|a, b| a.name == b.name);
        arguments
    }

    /// kfp's `when` of a condition group's task.
    fn when(&self, condition: &Condition, inputs: Option<&FlowList<'_>>, problems: &mut Vec<String>) -> String {
        let operand = |operand: &Operand, problems: &mut Vec<String>| match operand {
            Operand::Constant(text) => text.clone(),
            Operand::Value(value) => match self.values.use_of(value) {
                Ok(found) => {
                    let source = inputs
                        .and_then(|set| set.iter().find(|(name, _)| *name == found.full_name))
                        .and_then(|(_, source)| *source);
                    match source {
                        Some(task) => task_output(task, &found.full_name),
                        None => input_parameter(&found.full_name),
                    }
                }
                Err(problem) => {
                    problems.push(format!("condition: {problem}"));
                    String::new()
                }
            },
        };
        let (mut left, mut right) = (operand(&condition.left, problems), operand(&condition.right, problems));
        if matches!(condition.operator, Operator::Eq | Operator::Ne) {
            left = format!("\"{left}\"");
            right = format!("\"{right}\"");
        }
        format!("{left} {} {right}", condition.operator.as_str())
    }

    /// `withItems` or `withParam` of a loop group's task, and the dependencies they add.
    ///
    /// Argo resolves `{{item}}` of a `withItems` item only for scalars (maps and
    /// lists give `item.<key>`), where kfp writes it for any item. A static list
    /// holding objects or lists whose body reads the whole item becomes
    /// `withParam` over the list's JSON text instead: there Argo resolves
    /// `{{item}}` of an object as its JSON text and `{{item.<key>}}` as its field.
    fn loop_items(
        &self,
        task: &mut DagTask,
        group: u32,
        items: &LoopItems,
        whole_item: bool,
        problems: &mut Vec<String>,
    ) {
        let mut producers = Vec::new();
        match items {
            // kfp 1.8 writes such a loop's `withParam` as a workflow parameter that does not exist.
            LoopItems::Value(marker::ValueRef::Item { field, .. }) => problems.push(format!(
                "loop `{}` loops over {}, which KFP v1 cannot (its loop items are no workflow parameters): compile \
                 for KFP v2 (`--target v2`), or pass the item to a task that outputs the list, and loop over that \
                 output",
                task.name,
                field
                    .as_ref()
                    .map_or("an outer loop's item".to_owned(), |f| format!("field `{f}` of an outer loop's item"))
            )),
            LoopItems::Value(value) => match self.values.use_of(value) {
                Ok(found) => match found.producer {
                    None => task.with_param = Some(self.task_pipeline_param(&found)),
                    Some(producer) => {
                        // The list comes from the producer's side of this DAG, or
                        // into it as an input (see `loop_value_flow`).
                        let theirs = self.ancestors(producer);
                        let mine = self.group_chain(Some(group));
                        let (up, down) = uncommon(&theirs, &mine);
                        task.with_param = Some(if down.len() > 1 {
                            // kfp starts a list for a loop over an output and, in a
                            // sub-graph, adds nothing to it: `dependencies: []`.
                            if self.in_sub_graph(group) {
                                task.dependencies.get_or_insert_with(Vec::new);
                            }
                            input_parameter(&found.full_name)
                        } else {
                            let names = task.dependencies.get_or_insert_with(Vec::new);
                            if !names.iter().any(|name| name == up[0]) {
                                names.push(up[0].to_owned());
                            }
                            task_output(up[0], &found.full_name)
                        });
                    }
                },
                Err(problem) => problems.push(format!("loop `{}`: {problem}", task.name)),
            },
            LoopItems::Static(list) => {
                let items: Vec<serde_json::Value> = list
                    .iter()
                    .map(|item| {
                        let item = match item {
                            serde_json::Value::Object(map) => serde_json::Value::Object(
                                map.iter().map(|(key, value)| (k8s_name_keep_case(key), value.clone())).collect(),
                            ),
                            other => other.clone(),
                        };
                        self.resolve_json(item, &mut producers, problems)
                    })
                    .collect();
                // Argo fails an iteration whose item lacks a field the body reads.
                let fields = task
                    .arguments
                    .parameters
                    .iter()
                    .filter_map(|p| p.value.as_deref()?.strip_prefix("{{item.")?.strip_suffix("}}"));
                for field in fields {
                    if let Some((at, item)) = items.iter().enumerate().find(|(_, item)| item.get(field).is_none()) {
                        problems.push(format!(
                            "loop `{}` reads the field `{field}` of its items, but item {at} ({}) has no such field: give every item the field, or read it outside the loop",
                            task.name,
                            crate::wire::json::to_json(item).unwrap_or_default()
                        ));
                    }
                }
                if whole_item && items.iter().any(|item| item.is_object() || item.is_array()) {
                    // Argo pastes pipeline values into withParam's text unescaped, so a
                    // value holding `"` would break the list.
                    if list.iter().any(embeds_value) {
                        problems.push(format!(
                            "loop `{}` passes whole object items, which Argo hands over as JSON text, and its items hold pipeline values, which Argo would paste into that text unescaped: pass those values to the loop body directly, or pass only the items' fields",
                            task.name
                        ));
                    }
                    // Compact, UTF-8 as is: Argo hands a string field over as its JSON
                    // text without the quotes, so a `\u00e9` escape would reach the step.
                    task.with_param = Some(serde_json::to_string(&items).unwrap_or_default());
                } else {
                    task.with_items = items;
                }
            }
        }
        for producer in producers {
            let name = self.task_names[producer as usize].clone();
            let names = task.dependencies.get_or_insert_with(Vec::new);
            if !names.contains(&name) {
                names.push(name);
            }
        }
        if let Some(names) = &mut task.dependencies {
            names.sort();
        }
    }

    /// kfp's `_resolve_task_pipeline_param`: a task output or workflow parameter reference.
    fn task_pipeline_param(&self, found: &Use) -> String {
        match found.producer {
            Some(producer) => task_output(&self.task_names[producer as usize], &found.full_name),
            None => format!("{{{{workflow.parameters.{}}}}}", found.full_name),
        }
    }

    /// A static item with its embedded values resolved as kfp's `_process_obj` does.
    fn resolve_json(
        &self,
        item: serde_json::Value,
        producers: &mut Vec<u32>,
        problems: &mut Vec<String>,
    ) -> serde_json::Value {
        match item {
            serde_json::Value::String(text) if marker::has_marker(&text) => {
                let Ok(out) = marker::replace_values(&text, |value| -> Result<String, std::convert::Infallible> {
                    match self.values.use_of(&value) {
                        Ok(found) => {
                            producers.extend(found.producer);
                            Ok(self.task_pipeline_param(&found))
                        }
                        Err(problem) => {
                            problems.push(format!("loop items: {problem}"));
                            Ok(String::new())
                        }
                    }
                });
                serde_json::Value::String(out)
            }
            serde_json::Value::Array(list) => {
                serde_json::Value::Array(list.into_iter().map(|v| self.resolve_json(v, producers, problems)).collect())
            }
            serde_json::Value::Object(map) => serde_json::Value::Object(
                map.into_iter().map(|(k, v)| (k, self.resolve_json(v, producers, problems))).collect(),
            ),
            other => other,
        }
    }
}

/// Whether a static loop item holds a pipeline value (a task output or parameter).
fn embeds_value(item: &serde_json::Value) -> bool {
    match item {
        serde_json::Value::String(text) => marker::has_marker(text),
        serde_json::Value::Array(list) => list.iter().any(embeds_value),
        serde_json::Value::Object(map) => map.values().any(embeds_value),
        _ => false,
    }
}

/// `{{tasks.<task>.outputs.parameters.<param>}}`, made without `format!`, as
/// it is for nearly every argument of a big pipeline.
fn task_output(task: &str, param: &str) -> String {
    ["{{tasks.", task, ".outputs.parameters.", param, "}}"].concat()
}

/// kfp's `_get_uncommon_ancestors`: both chains after their common start.
fn uncommon<'c, T: PartialEq>(first: &'c [T], second: &'c [T]) -> (&'c [T], &'c [T]) {
    let common = first.iter().zip(second).take_while(|(a, b)| a == b).count();
    (&first[common..], &second[common..])
}

/// kfp's `sanitize_k8s_name(name)`: lowercase, runs outside `[-0-9a-z]` and of `-` become one `-`.
fn k8s_name(name: &str) -> String {
    replace_runs(&name.to_lowercase(), |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// kfp's `sanitize_k8s_name(name, allow_capital_underscore=True)`.
fn k8s_name_keep_case(name: &str) -> String {
    replace_runs(name, |c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn replace_runs(name: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = if keep(c) { c } else { '-' };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_matches('-').to_owned()
}
