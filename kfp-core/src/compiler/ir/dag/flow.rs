//! The data flow between DAGs, a port of kfp 2's `get_inputs_for_all_groups` and
//! `get_dependencies`: which group inputs carry each value down to its consumers, and
//! which task or group each task and group depends on in its own DAG.

use std::collections::{BTreeMap, BTreeSet};

use super::super::machine;
use super::{subvar, Channel, Node, Pipeline};
use crate::dsl::marker::{self, Piece, ValueRef};
use crate::dsl::{GroupKind, LoopItems, TaskSettings};

/// kfp 2's `_get_uncommon_ancestors`: the chains of `a` and `b` past their common part.
pub(super) fn uncommon<'a>(a: &'a [Node], b: &'a [Node]) -> (&'a [Node], &'a [Node]) {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    (&a[common..], &b[common..])
}

/// The inputs of each group (channel and, for the outermost group that takes it
/// from a sibling, the producer) and the dependencies of each task and group.
pub(super) struct Flow {
    pub inputs: BTreeMap<u32, BTreeMap<Channel, Option<Node>>>,
    pub dependencies: BTreeMap<Node, BTreeSet<Node>>,
}

/// The pipeline values that name a task's secrets, config maps and claims, or are
/// its JSON settings: the task takes them as it takes its arguments (and runs
/// after their producers); `platform` writes them into the platform spec.
fn setting_values(settings: &TaskSettings) -> Vec<ValueRef> {
    let sources = settings.env.iter().filter_map(|var| var.value_from.as_ref());
    let env_names = sources.flat_map(|source| {
        let secret = source.secret_key_ref.as_ref().map(|secret| &secret.name);
        secret.into_iter().chain(source.config_map_key_ref.as_ref().map(|map| &map.name))
    });
    let volume_names = settings.volumes.iter().flat_map(|volume| {
        let secret = volume.secret.as_ref().and_then(|secret| secret.secret_name.as_ref());
        let map = volume.config_map.as_ref().map(|map| &map.name);
        let claim = volume.persistent_volume_claim.as_ref().map(|claim| &claim.claim_name);
        secret.into_iter().chain(map).chain(claim)
    });
    let kubernetes_own = (settings.node_selector_json.iter().chain(&settings.node_affinity_json))
        .chain(&settings.tolerations_json)
        .chain(&settings.image_pull_secrets);
    (env_names.chain(volume_names).chain(kubernetes_own))
        .flat_map(|name| marker::pieces(name))
        .filter_map(|piece| match piece {
            Piece::Value(value) => Some(value),
            Piece::Text(_) => None,
        })
        .collect()
}

pub(super) fn flow(p: &Pipeline, problems: &mut Vec<String>) -> Flow {
    let mut flow = Flow { inputs: BTreeMap::new(), dependencies: BTreeMap::new() };
    // Consumers: each task with the values it takes and those its conditions compare,
    // and each loop over a value with that value.
    let mut consumers: Vec<(Node, Vec<ValueRef>)> = Vec::with_capacity(p.recorded.tasks.len());
    for index in 0..p.recorded.tasks.len() as u32 {
        let node = Node::Task(index);
        // Room for a task's few values, grown once at most.
        let mut values: Vec<ValueRef> = Vec::with_capacity(4);
        values.extend(p.task_values(index));
        values.extend(p.condition_values(node));
        values.extend(setting_values(&p.recorded.tasks[index as usize].settings));
        values.extend(machine::values(&p.recorded.tasks[index as usize].settings));
        consumers.push((node, values));
    }
    for (index, group) in p.recorded.groups.iter().enumerate() {
        if let GroupKind::ParallelFor(parallel_for) = &group.kind {
            let node = Node::Group(index as u32);
            flow.inputs.entry(index as u32).or_default().insert(Channel::Item(index as u32), None);
            if let LoopItems::Value(value) = &parallel_for.items {
                consumers.push((node, vec![value.clone()]));
            }
        }
    }
    subvar::group_inputs(p, &mut flow.inputs);
    for (consumer, values) in consumers {
        let chain = p.chain(consumer);
        let mut upstream: Vec<Node> = Vec::with_capacity(values.len());
        // Loops surfacing collected outputs: upstream, though the consumer is outside them.
        let mut surfacers: Vec<Node> = Vec::new();
        for value in values {
            let channel = match p.channel_in(&value, p.parent(consumer)) {
                Ok((channel, _)) => channel,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            match channel {
                Channel::Output { .. } | Channel::Surfaced { .. } | Channel::OneOf { .. } => {
                    let producer = match channel {
                        Channel::Surfaced { group, .. } | Channel::OneOf { group, .. } => Node::Group(group),
                        Channel::Output { task, .. } => Node::Task(task),
                        _ => unreachable!("matched above"),
                    };
                    let producer_chain = p.chain(producer);
                    let (up, down) = uncommon(&producer_chain, &chain);
                    for (i, node) in down.iter().enumerate() {
                        if let Node::Group(group) = node {
                            let from = (i == 0).then(|| up[0]);
                            flow.inputs.entry(*group).or_default().entry(channel.clone()).or_insert(from);
                        }
                    }
                    if matches!(producer, Node::Group(_)) {
                        surfacers.push(producer);
                    } else {
                        upstream.push(producer);
                    }
                }
                Channel::Param(_) => {
                    for node in &chain {
                        if let Node::Group(group) = node {
                            flow.inputs.entry(*group).or_default().entry(channel.clone()).or_insert(None);
                        }
                    }
                }
                // Groups between the loop and the consumer pass the item down.
                Channel::Item(loop_group) | Channel::Subvar { group: loop_group, .. } => {
                    let below = chain.iter().skip_while(|node| **node != Node::Group(loop_group)).skip(1);
                    for node in below {
                        if let Node::Group(group) = node {
                            flow.inputs.entry(*group).or_default().entry(channel.clone()).or_insert(None);
                        }
                    }
                }
            }
        }
        if let Node::Task(index) = consumer {
            upstream.extend(p.recorded.tasks[index as usize].after.iter().map(|&after| Node::Task(after)));
        }
        for producer in upstream {
            let producer_chain = p.chain(producer);
            let (up, down) = uncommon(&producer_chain, &chain);
            let (Some(&from), Some(&to)) = (up.first(), down.first()) else { continue };
            if let Node::Group(group) = from {
                let kind = match &p.recorded.groups[group as usize].kind {
                    GroupKind::Condition(_) => Some("condition"),
                    GroupKind::ExitHandler { .. } => Some("exit handler"),
                    GroupKind::ParallelFor(_)
                        if matches!(consumer, Node::Task(_)) && !is_after(p, consumer, producer) =>
                    {
                        Some("loop")
                    }
                    _ => None,
                };
                if let Some(kind) = kind {
                    problems.push(format!(
                        "`{}` takes a value from `{}`, inside {kind} `{}`: in KFP v2 a task outside a {kind} cannot \
                         depend on a task inside it; move `{}` into it",
                        p.name(consumer),
                        p.name(producer),
                        p.name(from),
                        p.name(consumer)
                    ));
                    continue;
                }
            }
            flow.dependencies.entry(to).or_default().insert(from);
        }
        for surfacer in surfacers {
            let surfacer_chain = p.chain(surfacer);
            let (up, down) = uncommon(&surfacer_chain, &chain);
            if let (Some(&from), Some(&to)) = (up.first(), down.first()) {
                flow.dependencies.entry(to).or_default().insert(from);
            }
        }
    }
    flow
}

/// Whether `consumer` only runs after `producer` (`.after()`), taking no value from it.
fn is_after(p: &Pipeline, consumer: Node, producer: Node) -> bool {
    let (Node::Task(task), Node::Task(upstream)) = (consumer, producer) else { return false };
    let takes_value =
        p.task_values(task).any(|value| matches!(value, ValueRef::Output(output) if output.task == upstream));
    !takes_value && p.recorded.tasks[task as usize].after.contains(&upstream)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncommon_ancestors() {
        let a = [Node::Root, Node::Group(0), Node::Task(1)];
        let b = [Node::Root, Node::Group(1), Node::Task(2)];
        assert_eq!(uncommon(&a, &b), (&[Node::Group(0), Node::Task(1)][..], &[Node::Group(1), Node::Task(2)][..]));
    }
}
