//! A KFP v2 pipeline IR file as a [`Graph`]: the root DAG's tasks are nodes joined by their
//! dependencies (`dependentTasks` and the producers of their inputs); a task that runs a DAG
//! component (kfp's `dsl.If`, `dsl.ParallelFor`, `dsl.ExitHandler` and pipelines used as
//! components) is a group holding that DAG's tasks, titled with its condition or loop.

use std::collections::BTreeSet;

use super::{Element, Graph, Kind, MAX_ITEMS_TEXT};
use crate::ir::{PipelineFile, PipelineSpec, PipelineTaskSpec, TriggerStrategy};

/// The prefix kfp gives the inputs it passes into a DAG component for its tasks.
const CHANNEL_PREFIX: &str = "pipelinechannel--";

pub(super) fn build(file: &PipelineFile) -> Graph {
    let spec = &file.spec;
    let title = spec.pipeline_info.as_ref().map(|info| info.name.clone()).unwrap_or_default();
    let mut builder = Builder { spec, next_id: 0, stack: Vec::new() };
    let root = match spec.root.as_ref().and_then(|root| root.dag.as_ref()) {
        Some(dag) => builder.children(dag.tasks.iter()),
        None => Vec::new(),
    };
    Graph { title, root, on_exit: None }
}

struct Builder<'f> {
    spec: &'f PipelineSpec,
    next_id: usize,
    /// The DAG components being expanded (to stop at a component that contains itself).
    stack: Vec<&'f str>,
}

impl<'f> Builder<'f> {
    fn children(&mut self, tasks: impl Iterator<Item = (&'f String, &'f PipelineTaskSpec)>) -> Vec<Element> {
        let tasks: Vec<(&String, &PipelineTaskSpec)> = tasks.collect();
        let names: Vec<&str> = tasks.iter().map(|(name, _)| name.as_str()).collect();
        tasks
            .iter()
            .map(|(name, task)| {
                let after = upstream(task)
                    .into_iter()
                    .filter_map(|before| names.iter().position(|name| *name == before))
                    .collect();
                self.element(name, task, after)
            })
            .collect()
    }

    fn element(&mut self, name: &str, task: &'f PipelineTaskSpec, after: Vec<usize>) -> Element {
        let id = self.next_id;
        self.next_id += 1;
        let shown = task.task_info.as_ref().map(|info| info.name.as_str()).filter(|shown| !shown.is_empty());
        let reference = task.component_ref.as_ref().map(|r| r.name.as_str()).unwrap_or_default();
        let mut lines = Vec::new();
        let condition = task.trigger_policy.as_ref().map(|p| p.condition.as_str()).filter(|c| !c.is_empty());
        let loop_text = loop_text(task);
        let kind = match self.spec.component(reference) {
            None => {
                lines.push(name.to_owned());
                lines.push(format!("missing component `{reference}`"));
                Kind::Missing
            }
            Some(component) => match &component.dag {
                None => {
                    lines.push(shown.unwrap_or(name).to_owned());
                    Kind::Task
                }
                Some(_) if self.stack.contains(&reference) => {
                    lines.push(name.to_owned());
                    lines.push(format!("repeats `{reference}` (recursion)"));
                    Kind::Recursion
                }
                Some(dag) => {
                    if name.starts_with("exit-handler") && condition.is_none() && loop_text.is_none() {
                        lines.push("exit handler".to_owned());
                    } else if condition.is_none() && loop_text.is_none() {
                        lines.push(shown.unwrap_or(name).to_owned());
                    }
                    self.stack.push(reference);
                    let children = self.children(dag.tasks.iter());
                    self.stack.pop();
                    Kind::Group(children)
                }
            },
        };
        if let Some(condition) = condition {
            lines.push(format!("if {}", readable(condition)));
        }
        if let Some(loop_text) = loop_text {
            lines.push(loop_text);
        }
        if task.trigger_policy.as_ref().is_some_and(|p| p.strategy == TriggerStrategy::AllUpstreamTasksCompleted) {
            lines.push("(after its upstream tasks end, failed or not)".to_owned());
        }
        Element { id, label: lines.join("\n"), after, kind }
    }
}

/// The tasks `task` runs after: its `dependentTasks` and the producers of its inputs.
fn upstream(task: &PipelineTaskSpec) -> BTreeSet<&str> {
    let mut before: BTreeSet<&str> = task.dependent_tasks.iter().map(String::as_str).collect();
    if let Some(inputs) = &task.inputs {
        for parameter in inputs.parameters.values() {
            before.extend(parameter.task_output_parameter.as_ref().map(|s| s.producer_task.as_str()));
            before.extend(parameter.task_final_status.as_ref().map(|s| s.producer_task.as_str()));
        }
        for artifact in inputs.artifacts.values() {
            before.extend(artifact.task_output_artifact.as_ref().map(|s| s.producer_task.as_str()));
        }
    }
    before
}

/// `for each item in ...` for a task with an iterator.
fn loop_text(task: &PipelineTaskSpec) -> Option<String> {
    if let Some(iterator) = &task.parameter_iterator {
        let items = iterator.items.as_ref()?;
        if let Some(raw) = &items.raw {
            let text = if raw.chars().count() > MAX_ITEMS_TEXT {
                format!("{}...", raw.chars().take(MAX_ITEMS_TEXT).collect::<String>())
            } else {
                raw.clone()
            };
            return Some(format!("for each item in {text}"));
        }
        return items.input_parameter.as_deref().map(|input| format!("for each item in {}", short(input)));
    }
    let iterator = task.artifact_iterator.as_ref()?;
    iterator.items.as_ref().map(|items| format!("for each artifact in {}", short(&items.input_artifact)))
}

/// kfp's name of a value passed into a DAG without its `pipelinechannel--` prefix.
fn short(name: &str) -> &str {
    name.strip_prefix(CHANNEL_PREFIX).unwrap_or(name)
}

/// A CEL condition with its `inputs.parameter_values['pipelinechannel--x']` references
/// shortened to `x`.
fn readable(condition: &str) -> String {
    const REFERENCE: &str = "inputs.parameter_values['";
    let mut out = String::new();
    let mut rest = condition;
    while let Some(start) = rest.find(REFERENCE) {
        out.push_str(&rest[..start]);
        let after = &rest[start + REFERENCE.len()..];
        let Some(end) = after.find("']") else {
            out.push_str(&rest[start..]);
            return out;
        };
        out.push_str(short(&after[..end]));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_read_with_the_channel_names_shortened() {
        assert_eq!(
            readable("int(inputs.parameter_values['pipelinechannel--flip-coin-Output']) == 1 && inputs.parameter_values['x'] == 'a'"),
            "int(flip-coin-Output) == 1 && x == 'a'"
        );
    }
}
