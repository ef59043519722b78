//! kfp 2's `dsl.Collected` (`compiler_utils.get_outputs_for_all_groups`): a task
//! output inside loops, read outside them, is surfaced as an output of each group
//! between the producer and the consumer's DAG, from the inside out, named
//! `pipelinechannel--<task>-<output>` and typed a list (`LIST`, or the artifact
//! type with `isArtifactList`). The consumer reads it from the outermost of those
//! groups (the surfacer): as that group's task output in the same DAG, or through
//! the groups around the consumer as `pipelinechannel--<surfacer>-pipelinechannel--<task>-<output>`.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{Node, Pipeline};
use crate::compiler::ir::types::{artifact_type, IrType};
use crate::dsl::marker::{OutputRef, ValueRef};
use crate::dsl::GroupKind;

/// The outputs each group surfaces: by group index, output name to (where it
/// comes from in the group's DAG, its definition).
#[derive(Default)]
pub(super) struct Surfaced {
    groups: BTreeMap<u32, BTreeMap<String, (Value, Value)>>,
}

/// The name a collected output is surfaced under: `pipelinechannel--<task>-<output>`.
pub(super) fn surfaced_name(p: &Pipeline, task: u32, output: usize) -> String {
    format!("pipelinechannel--{}-{}", p.task_names[task as usize], p.output(task, output).0)
}

/// Checks that a collected list of `task`'s output goes to an input of its kind: a
/// list of artifacts to an artifact input (`artifact`), a list of values to a parameter.
pub(super) fn check_input(p: &Pipeline, task: u32, output: usize, artifact: bool) -> Result<(), String> {
    let (name, ty) = p.output(task, output);
    match (ty, artifact) {
        (IrType::Artifact(_), false) => Err(format!(
            "collects artifact `{name}` of `{}` into a parameter input: a list of artifacts goes to an input of \
             artifacts (kfp's `Input[List[Dataset]]`): take it as `Vec<InputPath<_>>`",
            p.task_names[task as usize]
        )),
        (IrType::Parameter(_), true) => Err(format!(
            "collects parameter `{name}` of `{}` into an artifact input: take the list as a list parameter (`Vec<_>`)",
            p.task_names[task as usize]
        )),
        _ => Ok(()),
    }
}

/// The group that surfaces `output` to a consumer in DAG `scope`, after checking
/// the loops as kfp does and the list's levels against `depth`.
pub(super) fn surfacer(p: &Pipeline, output: &OutputRef, depth: u32, scope: Node) -> Result<u32, String> {
    let producer = Node::Task(output.task);
    let (up, _) = p.uncommon(producer, scope);
    let task = &p.task_names[output.task as usize];
    let groups = &up[..up.len() - 1];
    let loops = groups.iter().filter(|node| matches!(node, Node::Group(g) if p.is_loop(*g))).count() as u32;
    let Some(&Node::Group(outermost)) = groups.first().filter(|_| loops > 0) else {
        return Err(format!(
            "collects output `{}` of `{task}`, which is not inside a loop the consumer is outside of: collect \
             (kfp's dsl.Collected) only an output of a task in a loop, for a task outside that loop",
            output.name
        ));
    };
    if !p.is_loop(outermost) {
        let kind = match p.recorded.groups[outermost as usize].kind {
            GroupKind::ExitHandler { .. } => "exit handler",
            _ => "condition",
        };
        return Err(format!(
            "collects output `{}` of `{task}`, whose loop is inside {kind} `{}` the consumer is outside of: whether \
             the loop ran is unknown there; move the consumer into `{}` (kfp 2 refuses this too)",
            output.name,
            p.name(Node::Group(outermost)),
            p.name(Node::Group(outermost)),
        ));
    }
    // A list of artifacts is flat however many loops gather it, as kfp 2 collects one.
    let artifact =
        p.output_index(output).is_ok_and(|index| matches!(p.output(output.task, index).1, IrType::Artifact(_)));
    if loops != depth && !(artifact && depth == 1) {
        let levels = |n: u32| if n == 1 { "a list".to_owned() } else { format!("a list of {n} levels") };
        return Err(format!(
            "collects output `{}` of `{task}` over {loops} nested loop(s), which gives {}, but takes it as {}: \
             {}",
            output.name,
            levels(loops),
            levels(depth),
            if loops > depth {
                "add a level with `.nested()` (one per extra loop) and take `Vec<Vec<_>>`"
            } else {
                "remove a `.nested()`"
            }
        ));
    }
    Ok(outermost)
}

/// The outermost group around `output`'s task: a pipeline output collected from
/// it is surfaced through every group up to that one (kfp checks no loop there).
fn outermost_group(p: &Pipeline, output: &OutputRef) -> Result<Node, String> {
    match p.chain(Node::Task(output.task)).get(1) {
        Some(&group @ Node::Group(_)) => Ok(group),
        _ => Err(format!(
            "collects output `{}` of `{}`, which is in no loop: return the output itself",
            output.name, p.task_names[output.task as usize]
        )),
    }
}

/// A pipeline output collected over loops (kfp's `return dsl.Collected(...)`): its
/// root `dag.outputs` entry and its definition, a list.
pub(in crate::compiler::ir) fn pipeline_output(p: &Pipeline, output: &OutputRef) -> Result<(Value, Value), String> {
    let top = outermost_group(p, output)?;
    let index = p.output_index(output)?;
    let ty = &p.output(output.task, index).1;
    Ok((dag_output(ty, p.name(top), &surfaced_name(p, output.task, index)), list_definition(ty)))
}

impl Surfaced {
    /// Every collected value the tasks take, surfaced through its groups.
    pub(super) fn of(p: &Pipeline) -> Surfaced {
        let mut surfaced = Surfaced::default();
        for index in 0..p.recorded.tasks.len() as u32 {
            for value in p.task_values(index) {
                let ValueRef::Collected { output, depth } = value else { continue };
                let scope = p.parent(Node::Task(index));
                // A consumer the checks refuse is reported where its input is lowered.
                let Ok(surfacer) = surfacer(p, &output, depth, scope) else { continue };
                surfaced.surface(p, &output, Node::Group(surfacer));
            }
        }
        for returned in &p.recorded.outputs {
            if let ValueRef::Collected { output, .. } = &returned.value {
                if let Ok(top) = outermost_group(p, output) {
                    surfaced.surface(p, output, top);
                }
            }
        }
        surfaced
    }

    /// Surfaces `output` through every group from its producer's up to `top`
    /// (a group around the producer), inside out.
    pub(super) fn surface(&mut self, p: &Pipeline, output: &OutputRef, top: Node) {
        let Ok(index) = p.output_index(output) else { return };
        let chain = p.chain(Node::Task(output.task));
        let Some(start) = chain.iter().position(|node| *node == top) else { return };
        let name = surfaced_name(p, output.task, index);
        let ty = &p.output(output.task, index).1;
        for pair in chain[start..].windows(2).rev() {
            let (Node::Group(group), inner) = (pair[0], pair[1]) else { continue };
            let key = match inner {
                Node::Task(_) => p.output(output.task, index).0.clone(),
                _ => name.clone(),
            };
            let source = dag_output(ty, p.name(inner), &key);
            self.groups.entry(group).or_default().insert(name.clone(), (source, list_definition(ty)));
        }
    }

    /// Writes group `group`'s surfaced outputs into its component: `dag.outputs` and
    /// `outputDefinitions`, beside any outputs already there.
    pub(super) fn write(&self, group: u32, component: &mut Value) {
        for (name, (source, definition)) in self.groups.get(&group).into_iter().flatten() {
            let kind = if source.get("artifactSelectors").is_some() { "artifacts" } else { "parameters" };
            component["dag"]["outputs"][kind][name] = source.clone();
            component["outputDefinitions"][kind][name] = definition.clone();
        }
    }
}

/// A DAG output taken from output `key` of its task or group `from`.
fn dag_output(ty: &IrType, from: &str, key: &str) -> Value {
    match ty {
        IrType::Parameter(_) => json!({"valueFromParameter": {"producerSubtask": from, "outputParameterKey": key}}),
        IrType::Artifact(_) => json!({"artifactSelectors": [{"producerSubtask": from, "outputArtifactKey": key}]}),
    }
}

/// The definition of a list of `ty`'s values: `LIST`, or a list of its artifacts.
fn list_definition(ty: &IrType) -> Value {
    match ty {
        IrType::Parameter(_) => json!({"parameterType": "LIST"}),
        IrType::Artifact(title) => json!({"artifactType": artifact_type(title), "isArtifactList": true}),
    }
}
