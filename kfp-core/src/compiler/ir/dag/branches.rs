//! kfp 2's `dsl.If`/`dsl.Elif`/`dsl.Else` and `dsl.OneOf` in the DAGs: an Elif's or
//! Else's condition is the earlier branches' negated and its own, joined by `&&`
//! (`pipeline_spec_builder._update_task_spec_for_condition_group`); a OneOf read
//! by a task is surfaced as an output of each branch holding one of its tasks
//! (`pipelinechannel--<task>-<output>`), and of the condition-branches group as
//! `pipelinechannel--condition-branches-N-oneof-M`, picked from the branch that
//! ran (`compiler_utils.get_outputs_for_all_groups`,
//! `pipeline_spec_builder.build_oneof_dag_outputs`).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{cel_condition, Channel, Node, Pipeline};
use crate::compiler::ir::types::{artifact_type, IrType};
use crate::dsl::marker::{OutputRef, ValueRef};
use crate::dsl::{BranchCondition, GroupKind};

/// The output key of OneOf `index` of condition-branches group `group`:
/// `pipelinechannel--condition-branches-1-oneof-1` (kfp numbers them from 1 per group).
pub(super) fn one_of_key(p: &Pipeline, group: u32, index: u32) -> String {
    format!("pipelinechannel--{}-oneof-{}", p.name(Node::Group(group)), index + 1)
}

fn outputs_of<'a>(p: &'a Pipeline, group: u32, index: u32) -> Result<&'a [OutputRef], String> {
    match &p.recorded.groups[group as usize].kind {
        GroupKind::ConditionBranches { one_ofs } => {
            one_ofs.get(index as usize).map(Vec::as_slice).ok_or_else(|| "a OneOf the pipeline did not record".into())
        }
        _ => Err("a OneOf of a group that holds no branches".to_owned()),
    }
}

/// The channel of a OneOf's first output: its type is the OneOf's.
pub(super) fn first_channel(p: &Pipeline, group: u32, index: u32) -> Result<Channel, String> {
    let first = outputs_of(p, group, index)?.first().ok_or("a OneOf of no outputs")?;
    Ok(p.channel(&ValueRef::Output(*first))?.0)
}

/// A pipeline output returning OneOf `index` of group `group`: its selector in the
/// root's `dag.outputs` and its definition. kfp returns a OneOf only from the
/// pipeline's top level.
pub(in crate::compiler::ir) fn one_of_output(p: &Pipeline, group: u32, index: u32) -> Result<(Value, Value), String> {
    let branches = p.name(Node::Group(group));
    if p.parent(Node::Group(group)) != Node::Root {
        return Err(format!(
            "is a OneOf of `{branches}`, inside `{}`: a pipeline returns a OneOf only of an `if_` chain at its top \
             level (kfp's rule); move the chain out, or pass the OneOf to a task there",
            p.name(p.parent(Node::Group(group)))
        ));
    }
    let key = one_of_key(p, group, index);
    Ok(match p.channel_type(&first_channel(p, group, index)?)? {
        IrType::Parameter(parameter_type) => (
            json!({"valueFromParameter": {"producerSubtask": branches, "outputParameterKey": key}}),
            json!({"parameterType": parameter_type}),
        ),
        IrType::Artifact(title) => (
            json!({"artifactSelectors": [{"producerSubtask": branches, "outputArtifactKey": key}]}),
            json!({"artifactType": artifact_type(&title)}),
        ),
    })
}

/// An Elif's or Else's CEL condition: `!(earlier) && own`.
pub(super) fn cel_conditions(p: &Pipeline, conditions: &[BranchCondition]) -> Result<String, String> {
    let mut parts = Vec::with_capacity(conditions.len());
    for branch in conditions {
        let cel = cel_condition(p, &branch.condition)?;
        parts.push(if branch.negated { format!("!({cel})") } else { cel });
    }
    Ok(parts.join(" && "))
}

/// The OneOf outputs each group has: by group index, output name to (its source in
/// the group's DAG, its definition).
pub(super) struct OneOfs {
    groups: BTreeMap<u32, BTreeMap<String, (Value, Value)>>,
}

impl OneOfs {
    /// The outputs of every OneOf a task reads or the pipeline returns.
    pub(super) fn of(p: &Pipeline, problems: &mut Vec<String>) -> OneOfs {
        let mut one_ofs = OneOfs { groups: BTreeMap::new() };
        let read = (0..p.recorded.tasks.len() as u32).flat_map(|task| p.task_values(task));
        let returned = p.recorded.outputs.iter().map(|output| output.value.clone());
        for value in read.chain(returned) {
            let ValueRef::OneOf { group, index, .. } = value else { continue };
            if let Err(problem) = one_ofs.surface(p, group, index) {
                problems.push(problem);
            }
        }
        one_ofs
    }

    fn surface(&mut self, p: &Pipeline, group: u32, index: u32) -> Result<(), String> {
        let name = one_of_key(p, group, index);
        if self.groups.get(&group).is_some_and(|outputs| outputs.contains_key(&name)) {
            return Ok(());
        }
        let mut selectors = Vec::new();
        let mut definition = Value::Null;
        let mut artifact = false;
        for output in outputs_of(p, group, index)? {
            let Channel::Output { task, output: at } = p.channel(&ValueRef::Output(*output))?.0 else {
                return Err("a OneOf of something other than task outputs".to_owned());
            };
            let Node::Group(branch) = p.parent(Node::Task(task)) else {
                return Err(format!(
                    "`{}` is in no branch: a OneOf takes outputs of tasks in branches",
                    p.name(Node::Task(task))
                ));
            };
            let (key, ty) = p.output(task, at);
            let surfaced = format!("pipelinechannel--{}-{key}", p.name(Node::Task(task)));
            let producer = p.name(Node::Task(task));
            let (source, own) = match ty {
                IrType::Parameter(parameter_type) => {
                    artifact = false;
                    (
                        json!({"valueFromParameter": {"producerSubtask": producer, "outputParameterKey": key}}),
                        json!({"parameterType": parameter_type}),
                    )
                }
                IrType::Artifact(title) => {
                    artifact = true;
                    (
                        json!({"artifactSelectors": [{"producerSubtask": producer, "outputArtifactKey": key}]}),
                        json!({"artifactType": artifact_type(title)}),
                    )
                }
            };
            let branch_name = p.name(Node::Group(branch));
            selectors.push(if artifact {
                json!({"producerSubtask": branch_name, "outputArtifactKey": surfaced})
            } else {
                json!({"producerSubtask": branch_name, "outputParameterKey": surfaced})
            });
            if definition.is_null() {
                definition = own.clone();
            }
            self.groups.entry(branch).or_default().insert(surfaced, (source, own));
        }
        let source = if artifact {
            json!({"artifactSelectors": selectors})
        } else {
            json!({"valueFromOneof": {"parameterSelectors": selectors}})
        };
        self.groups.entry(group).or_default().insert(name, (source, definition));
        Ok(())
    }

    /// Writes group `group`'s OneOf outputs into its component: `dag.outputs` and
    /// `outputDefinitions`, beside any outputs already there.
    pub(super) fn write(&self, group: u32, component: &mut Value) {
        for (name, (source, definition)) in self.groups.get(&group).into_iter().flatten() {
            let kind = if definition.get("artifactType").is_some() { "artifacts" } else { "parameters" };
            component["dag"]["outputs"][kind][name] = source.clone();
            component["outputDefinitions"][kind][name] = definition.clone();
        }
    }
}
