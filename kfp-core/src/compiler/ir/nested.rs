//! Pipelines called as tasks and pipeline outputs, as kfp 2.17 compiles them:
//! the inner pipeline is compiled on its own, then its executors and components
//! join the outer pipeline's under names made unique, and its root becomes the
//! task's component (`merge_deployment_spec_and_component_spec`); names are
//! given in kfp's order (`build_spec_by_group`: each DAG from the root down,
//! in it the groups, then the tasks), so a clash is renamed as kfp renames it.
//! A pipeline's outputs are its root's `outputDefinitions` and `dag.outputs`.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Map, Value};

use super::component::{definitions, Io};
use super::dag::{Node, Pipeline};
use super::types::{artifact_type, ir_type, IrType};
use crate::dsl::marker::ValueRef;
use crate::dsl::{GroupKind, NestedPipeline, Recorded};
use crate::ir::kubernetes::KubernetesExecutorConfig;
use crate::ir::{ComponentSpec, ExecutorSpec};

/// A pipeline compiled on its own: its root and what the root refers to.
pub(super) struct Part {
    pub root: ComponentSpec,
    pub components: BTreeMap<String, ComponentSpec>,
    pub executors: BTreeMap<String, ExecutorSpec>,
    pub kubernetes: BTreeMap<String, KubernetesExecutorConfig>,
}

/// A pipeline's inputs and outputs as a task sees them: kfp 2 keeps a pipeline's
/// parameter and output names as written.
pub(super) fn io(pipeline: &NestedPipeline) -> Io {
    let spec = &pipeline.interface.spec;
    let ty = |type_name: Option<&crate::spec::TypeSpec>| ir_type(type_name.and_then(|t| t.name()));
    Io {
        inputs: spec.inputs.iter().map(|input| (input.name.clone(), ty(input.type_name.as_ref()))).collect(),
        outputs: spec.outputs.iter().map(|output| (output.name.clone(), ty(output.type_name.as_ref()))).collect(),
    }
}

/// The settings kfp 2 takes on a pipeline's task: its display name, caching,
/// retries and `.after()`; a problem for each other one.
pub(super) fn check_settings(recorded: &Recorded, index: u32, name: &str) -> Vec<String> {
    let task = &recorded.tasks[index as usize];
    let allowed = crate::dsl::TaskSettings {
        display_name: task.settings.display_name.clone(),
        caching: task.settings.caching,
        retry: task.settings.retry.clone(),
        ..Default::default()
    };
    if task.settings == allowed && task.pvolumes.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "task `{name}` runs a pipeline, which takes only a display name, caching options, retries and `.after()`: \
         kfp 2 sets container and Kubernetes settings on single-step components; set them on the tasks inside the \
         pipeline"
    )]
}

/// `root.outputDefinitions` and `root.dag.outputs` of a pipeline returning values
/// (kfp's `_build_dag_outputs`), written into `root`.
pub(super) fn root_outputs(p: &Pipeline, root: &mut Value) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    let (mut definitions_p, mut definitions_a) = (Map::new(), Map::new());
    let (mut selectors_p, mut selectors_a) = (Map::new(), Map::new());
    for output in &p.recorded.outputs {
        // A collected list or a OneOf comes out of its group with a selector of its own.
        let surfaced = match &output.value {
            ValueRef::Collected { output: source, .. } => Some(super::dag::pipeline_output(p, source)),
            ValueRef::OneOf { group, index, .. } => Some(super::dag::one_of_output(p, *group, *index)),
            _ => None,
        };
        if let Some(surfaced) = surfaced {
            match surfaced {
                Ok((selector, definition)) if selector.get("artifactSelectors").is_some() => {
                    selectors_a.insert(output.name.clone(), selector);
                    definitions_a.insert(output.name.clone(), definition);
                }
                Ok((selector, definition)) => {
                    selectors_p.insert(output.name.clone(), selector);
                    definitions_p.insert(output.name.clone(), definition);
                }
                Err(problem) => problems.push(format!("pipeline output `{}` {problem}", output.name)),
            }
            continue;
        }
        let ValueRef::Output(source) = &output.value else {
            problems.push(format!(
                "pipeline output `{}` is not a task output: KFP v2 returns outputs of the pipeline's tasks",
                output.name
            ));
            continue;
        };
        let (Some(io), Some(producer)) = (&p.io[source.task as usize], p.task_names.get(source.task as usize)) else {
            problems.push(format!("pipeline output `{}` comes from a task without outputs", output.name));
            continue;
        };
        let component = p.recorded.tasks[source.task as usize].component();
        let position = component.and_then(|c| c.spec.outputs.iter().position(|o| o.name == source.name));
        let Some((key, _)) = position.map(|at| &io.outputs[at]) else {
            problems.push(format!("pipeline output `{}`: `{producer}` has no output `{}`", output.name, source.name));
            continue;
        };
        match ir_type(Some(output.ty.type_name)) {
            IrType::Parameter(parameter_type) => {
                definitions_p.insert(output.name.clone(), json!({"parameterType": parameter_type}));
                selectors_p.insert(
                    output.name.clone(),
                    json!({"valueFromParameter": {"producerSubtask": producer, "outputParameterKey": key}}),
                );
            }
            IrType::Artifact(title) => {
                definitions_a.insert(output.name.clone(), json!({"artifactType": artifact_type(&title)}));
                selectors_a.insert(
                    output.name.clone(),
                    json!({"artifactSelectors": [{"producerSubtask": producer, "outputArtifactKey": key}]}),
                );
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if let Some(outputs) = definitions(selectors_p, selectors_a) {
        root["dag"]["outputs"] = outputs;
    }
    if let Some(outputs) = definitions(definitions_p, definitions_a) {
        root["outputDefinitions"] = outputs;
    }
    Ok(())
}

/// What names the outer pipeline's own components and executors get, and each
/// nested part renamed to join it.
pub(super) fn assemble(p: &Pipeline, mut own: Part, mut parts: BTreeMap<u32, Part>) -> Part {
    // Without nested pipelines no name clashes: every one would be given itself.
    if parts.is_empty() {
        return own;
    }
    let recorded = p.recorded;
    let mut components = BTreeMap::new();
    let mut executors = BTreeMap::new();
    let mut kubernetes = BTreeMap::new();
    // Own names (`comp-<task>`, `exec-<task>`) to the names given.
    let mut renamed: HashMap<String, String> = HashMap::new();
    let exit_tasks: Vec<u32> = (recorded.groups.iter())
        .filter_map(|group| match group.kind {
            GroupKind::ExitHandler { exit_task } => Some(exit_task),
            _ => None,
        })
        .collect();
    let mut order = Vec::new();
    dag_order(recorded, None, &mut order);
    order.extend(exit_tasks.iter().map(|&task| Node::Task(task)));
    for node in order {
        let (old, root) = match node {
            Node::Root => continue,
            Node::Group(group) => (format!("comp-{}", recorded.groups[group as usize].name), None),
            Node::Task(task) => {
                let name = &p.task_names[task as usize];
                match parts.remove(&task) {
                    Some(part) => {
                        (format!("comp-{name}"), Some(merge(part, &mut components, &mut executors, &mut kubernetes)))
                    }
                    None => {
                        let old = format!("exec-{name}");
                        let new = unique(&old, |n| executors.contains_key(n));
                        if let Some(executor) = own.executors.remove(&old) {
                            executors.insert(new.clone(), executor);
                        }
                        if let Some(config) = own.kubernetes.remove(&old) {
                            kubernetes.insert(new.clone(), config);
                        }
                        renamed.insert(old, new);
                        (format!("comp-{name}"), None)
                    }
                }
            }
        };
        // An empty component stands in for an own one, written below once its references are renamed.
        let new = unique(&old, |n| components.contains_key(n));
        components.insert(new.clone(), root.unwrap_or_default());
        renamed.insert(old, new);
    }
    for (old, mut component) in std::mem::take(&mut own.components) {
        rename_refs(&mut component, &renamed);
        rename_label(&mut component, &renamed);
        let new = renamed.get(&old).cloned().unwrap_or(old);
        components.insert(new, component);
    }
    rename_refs(&mut own.root, &renamed);
    Part { root: own.root, components, executors, kubernetes }
}

/// Every group of the DAG of `group` (the root for `None`), then its tasks, each
/// group's DAG after its parent's: kfp's order of `build_spec_by_group`.
fn dag_order(recorded: &Recorded, group: Option<u32>, order: &mut Vec<Node>) {
    let children: Vec<u32> =
        (0..recorded.groups.len() as u32).filter(|&child| recorded.groups[child as usize].parent == group).collect();
    order.extend(children.iter().map(|&child| Node::Group(child)));
    let exit_task = |task: u32| {
        recorded.groups.iter().any(|g| matches!(g.kind, GroupKind::ExitHandler { exit_task } if exit_task == task))
    };
    order.extend(
        (0..recorded.tasks.len() as u32)
            .filter(|&task| recorded.tasks[task as usize].group == group && !exit_task(task))
            .map(Node::Task),
    );
    for child in children {
        dag_order(recorded, Some(child), order);
    }
}

/// Joins `part` into the outer pipeline's components and executors, renaming what
/// clashes (kfp's `_merge_deployment_spec`, `_merge_component_spec`); returns its root.
fn merge(
    mut part: Part,
    components: &mut BTreeMap<String, ComponentSpec>,
    executors: &mut BTreeMap<String, ExecutorSpec>,
    kubernetes: &mut BTreeMap<String, KubernetesExecutorConfig>,
) -> ComponentSpec {
    let mut labels = HashMap::new();
    for (old, executor) in std::mem::take(&mut part.executors) {
        let new = unique(&old, |n| executors.contains_key(n));
        if let Some(config) = part.kubernetes.remove(&old) {
            kubernetes.insert(new.clone(), config);
        }
        executors.insert(new.clone(), executor);
        labels.insert(old, new);
    }
    let mut names: HashMap<String, String> = HashMap::new();
    let mut taken: Vec<String> = Vec::new();
    for old in part.components.keys() {
        let new = unique(old, |n| components.contains_key(n) || taken.iter().any(|t| t == n));
        taken.extend([old.clone(), new.clone()]);
        names.insert(old.clone(), new);
    }
    for (old, mut component) in std::mem::take(&mut part.components) {
        rename_refs(&mut component, &names);
        rename_label(&mut component, &labels);
        components.insert(names[&old].clone(), component);
    }
    rename_refs(&mut part.root, &names);
    part.root
}

/// Renames the `componentRef` of every task in `component`'s DAG.
fn rename_refs(component: &mut ComponentSpec, names: &HashMap<String, String>) {
    let Some(dag) = &mut component.dag else { return };
    for reference in dag.tasks.values_mut().filter_map(|task| task.component_ref.as_mut()) {
        if let Some(new) = names.get(&reference.name) {
            reference.name.clone_from(new);
        }
    }
}

/// Renames `component`'s `executorLabel`.
fn rename_label(component: &mut ComponentSpec, labels: &HashMap<String, String>) {
    if let Some(label) = &mut component.executor_label {
        if let Some(new) = labels.get(label.as_str()) {
            label.clone_from(new);
        }
    }
}

/// kfp's `make_name_unique_by_adding_index`: `name`, else `name-2`, `name-3`, ...
fn unique(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_owned();
    }
    (2..).map(|index| format!("{name}-{index}")).find(|candidate| !taken(candidate)).expect("a free index")
}

/// The task running a nested pipeline, in DAG `scope`: the inner pipeline compiled
/// on its own, and the task's spec.
pub(super) fn lower(
    p: &Pipeline,
    index: u32,
    scope: Node,
    pipeline: &NestedPipeline,
    io: &Io,
    args: &[crate::dsl::Arg],
) -> Result<(Part, crate::ir::PipelineTaskSpec), Vec<String>> {
    let name = &p.task_names[index as usize];
    let mut problems = check_settings(p.recorded, index, name);
    let part = super::compile_part(&pipeline.recorded).map_err(|error| match error {
        crate::error::Error::InvalidPipeline { pipeline, problems } => {
            problems.into_iter().map(|problem| format!("in pipeline `{pipeline}` (task `{name}`): {problem}")).collect()
        }
        other => vec![format!("in pipeline `{}` (task `{name}`): {other}", pipeline.recorded.info.name)],
    });
    let part = match part {
        Ok(part) => Some(part),
        Err(more) => {
            problems.extend(more);
            None
        }
    };
    let spec = super::task_spec(p, index, scope, args, io);
    match (part, spec) {
        (Some(part), Ok(spec)) if problems.is_empty() => Ok((part, spec)),
        (_, spec) => {
            problems.extend(spec.err().unwrap_or_default());
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_adds_the_first_free_index() {
        let taken = ["comp-a", "comp-a-2"];
        assert_eq!(unique("comp-b", |n| taken.contains(&n)), "comp-b");
        assert_eq!(unique("comp-a", |n| taken.contains(&n)), "comp-a-3");
    }
}
