//! One task of a DAG: its loop iterations (`withItems`, `withParam`, `withSequence`) in parallel, each with
//! its `when` condition and arguments, then its exit hook; a loop's outputs aggregated as Argo does.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Instant;

use serde_json::Value;

use super::{int_or_string, limit_of, report_outputs, ArtifactIn, Engine, Inputs, Node};
use crate::argo::{Arguments, DagTask, IntOrString, Template};
use crate::run::outcome::Outcome;
use crate::run::report::{NodeKind, Phase, TaskReport};
use crate::run::vars::{json_text, Scope};
use crate::run::when;

impl Engine<'_> {
    /// One task of a DAG: its iterations (or itself), each with its condition, then its exit hook.
    pub(super) fn dag_task(&self, task: &DagTask, scope: &Scope, node: &Node, parent: &Template) -> Outcome {
        let Some(template) = self.plan.templates.get(task.template.as_str()).copied() else {
            return Outcome::ended(Phase::Error, format!("no template `{}`", task.template));
        };
        let items = match loop_items(task, scope) {
            Ok(items) => items,
            Err(message) => {
                let outcome = Outcome::ended(Phase::Error, message);
                self.record_unrun(node, task, Phase::Error, outcome.message.clone().unwrap_or_default());
                return outcome;
            }
        };
        let Some(items) = items else {
            return self.iteration(task, template, scope.clone(), node);
        };
        let started = Instant::now();
        if let Some(observer) = &self.observer {
            observer.task_started(&node.id, &node.display);
        }
        let limit = limit_of(template.parallelism).or(limit_of(parent.parallelism)).unwrap_or(self.fan_out);
        // Every iteration is ready now; those past the limit wait for a slot.
        for (i, item) in items.iter().enumerate().skip(limit) {
            self.tell_pending(&iteration_node(node, i, item));
        }
        let mut outcomes: Vec<Option<Outcome>> = vec![None; items.len()];
        std::thread::scope(|threads| {
            let (done_tx, done_rx) = mpsc::channel::<(usize, Outcome)>();
            let mut next = 0;
            let mut running = 0;
            while next < items.len() || running > 0 {
                while next < items.len() && running < limit {
                    let i = next;
                    next += 1;
                    let item = &items[i];
                    let mut item_scope = scope.clone();
                    set_item(&mut item_scope, "item", item);
                    let child = Node { told_pending: i >= limit, ..iteration_node(node, i, item) };
                    if let Some(reason) = self.stop_reason(node) {
                        self.record_unrun(&child, task, Phase::Omitted, reason.clone());
                        outcomes[i] = Some(Outcome::ended(Phase::Omitted, reason));
                        continue;
                    }
                    running += 1;
                    let done = done_tx.clone();
                    threads.spawn(move || {
                        let _ = done.send((i, self.iteration(task, template, item_scope, &child)));
                    });
                }
                if running == 0 {
                    break;
                }
                let Ok((i, outcome)) = done_rx.recv() else { break };
                running -= 1;
                outcomes[i] = Some(outcome);
            }
        });
        let outcomes: Vec<Outcome> = outcomes.into_iter().flatten().collect();
        let outcome =
            aggregate(&outcomes, |name| self.plan.text_outputs.contains(&(template.name.clone(), name.to_owned())));
        let (outputs, _) = report_outputs(&outcome);
        self.record(TaskReport {
            id: node.id.clone(),
            display_name: node.display.clone(),
            template: template.name.clone(),
            kind: NodeKind::Loop,
            phase: outcome.phase,
            items: node.items.clone(),
            exit_handler: node.exit_handler,
            exit_code: None,
            attempts: 1,
            outputs,
            artifacts: BTreeMap::new(),
            metadata: BTreeMap::new(),
            duration: started.elapsed(),
            log: None,
            message: outcome.message.clone(),
        });
        outcome
    }

    /// One run of a task's template: condition, arguments, the template, the exit hook.
    fn iteration(&self, task: &DagTask, template: &Template, scope: Scope, node: &Node) -> Outcome {
        if let Some(condition) = &task.when {
            let verdict = scope.substitute(condition).and_then(|text| {
                when::evaluate(&text).map_err(|why| format!("`when: {text}` is not a condition Argo evaluates: {why}"))
            });
            match verdict {
                Ok(true) => {}
                Ok(false) => {
                    let message = format!("when `{}` was false", scope.substitute(condition).unwrap_or_default());
                    self.record_unrun(node, task, Phase::Skipped, message.clone());
                    return Outcome::ended(Phase::Skipped, message);
                }
                Err(message) => {
                    self.record_unrun(node, task, Phase::Error, message.clone());
                    return Outcome::ended(Phase::Error, message);
                }
            }
        }
        let inputs = match arguments(&task.arguments, &scope)
            .and_then(|given| self.bind(template, &given.params, &given.artifacts))
        {
            Ok(inputs) => inputs,
            Err(message) => {
                let message = format!("arguments of task `{}`: {message}", task.name);
                self.record_unrun(node, task, Phase::Error, message.clone());
                return Outcome::ended(Phase::Error, message);
            }
        };
        let outcome = self.execute(template, &inputs, node);
        if let Some(hook) = task.on_exit.as_deref().and_then(|name| self.plan.templates.get(name).copied()) {
            let hook_node = node.child("onExit", &format!("{}.onExit", node.display));
            match self.bind(hook, &BTreeMap::new(), &BTreeMap::new()) {
                Ok(inputs) => {
                    self.execute(hook, &inputs, &hook_node);
                }
                Err(message) => self.record_unrun(&hook_node, task, Phase::Error, message),
            }
        }
        outcome
    }
}

/// A task's argument values and artifacts, substituted in the DAG's scope.
fn arguments(arguments: &Arguments, scope: &Scope) -> Result<Inputs, String> {
    let mut params = BTreeMap::new();
    for param in &arguments.parameters {
        let value = scope.substitute(param.value.as_deref().unwrap_or_default())?;
        params.insert(param.name.clone(), value);
    }
    let mut artifacts = BTreeMap::new();
    for artifact in &arguments.artifacts {
        let content = match (&artifact.from, &artifact.raw) {
            (Some(from), _) => ArtifactIn::File(PathBuf::from(scope.substitute(from)?)),
            (None, Some(raw)) => ArtifactIn::Raw(scope.substitute(&raw.data)?),
            (None, None) => continue,
        };
        artifacts.insert(artifact.name.clone(), content);
    }
    Ok(Inputs { params, artifacts })
}

/// The items a looped task runs over, or `None` for a task without a loop.
fn loop_items(task: &DagTask, scope: &Scope) -> Result<Option<Vec<Value>>, String> {
    if !task.with_items.is_empty() {
        return task.with_items.iter().map(|item| substitute_json(item, scope)).collect::<Result<_, _>>().map(Some);
    }
    if let Some(param) = &task.with_param {
        let text = scope.substitute(param)?;
        return match serde_json::from_str::<Value>(&text) {
            Ok(Value::Array(items)) => Ok(Some(items)),
            _ => Err(format!(
                "withParam of task `{}` is not a JSON list: {}",
                task.name,
                crate::wire::support::quote(&text)
            )),
        };
    }
    if let Some(sequence) = &task.with_sequence {
        let number = |value: &Option<IntOrString>| -> Result<Option<i64>, String> {
            value.as_ref().map(|value| int_or_string(value, scope)).transpose()
        };
        let start = number(&sequence.start)?.unwrap_or(0);
        let items: Vec<i64> = match (number(&sequence.count)?, number(&sequence.end)?) {
            (Some(count), _) => (start..start + count).collect(),
            (None, Some(end)) if end >= start => (start..=end).collect(),
            (None, Some(end)) => (end..=start).rev().collect(),
            (None, None) => return Err(format!("withSequence of task `{}` needs `count` or `end`", task.name)),
        };
        return Ok(Some(items.into_iter().map(|n| Value::String(n.to_string())).collect()));
    }
    Ok(None)
}

/// An item with its strings substituted (withItems may name parameters).
fn substitute_json(value: &Value, scope: &Scope) -> Result<Value, String> {
    Ok(match value {
        Value::String(text) => Value::String(scope.substitute(text)?),
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| substitute_json(item, scope)).collect::<Result<_, _>>()?)
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, item)| Ok((key.clone(), substitute_json(item, scope)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// `{{item}}`, `{{item.key}}`, `{{item.key.inner}}` and `{{item.[0]}}` for one item.
fn set_item(scope: &mut Scope, name: &str, item: &Value) {
    scope.set(name, json_text(item));
    match item {
        Value::Object(map) => {
            for (key, value) in map {
                set_item(scope, &format!("{name}.{key}"), value);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                set_item(scope, &format!("{name}.[{i}]"), value);
            }
        }
        _ => {}
    }
}

/// Iteration `i` of loop `node`, over `item`.
fn iteration_node(node: &Node, i: usize, item: &Value) -> Node {
    let label = item_label(item);
    Node {
        id: format!("{}-{i}", node.id),
        display: format!("{}({i}:{label})", node.display),
        exit_handler: node.exit_handler,
        items: node.items.clone(),
        item: Some(label),
        told_pending: false,
    }
}

fn item_label(item: &Value) -> String {
    let text = json_text(item);
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// A loop's result: failed if an iteration failed, skipped if all were;
/// each output parameter as the JSON list of the iterations' values, as Argo aggregates
/// (those `text` names kept as strings).
fn aggregate(outcomes: &[Outcome], text: impl Fn(&str) -> bool) -> Outcome {
    let failed = outcomes.iter().find(|o| !o.phase.is_ok());
    let mut outcome = match failed {
        Some(failed) => Outcome::ended(
            if failed.phase == Phase::Omitted { Phase::Failed } else { failed.phase },
            format!("an iteration {}: {}", failed.phase, failed.message.as_deref().unwrap_or("")),
        ),
        None if !outcomes.is_empty() && outcomes.iter().all(|o| o.phase == Phase::Skipped) => {
            Outcome::ended(Phase::Skipped, "every iteration was skipped")
        }
        None => Outcome::succeeded(),
    };
    let mut lists: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut all = Vec::new();
    for o in outcomes.iter().filter(|o| o.phase == Phase::Succeeded && !o.params.is_empty()) {
        let mut map = serde_json::Map::new();
        for (name, value) in &o.params {
            map.insert(name.clone(), Value::String(value.clone()));
            // Argo keeps a value that is JSON as JSON in the list, and the rest as strings.
            let parsed = if text(name) {
                Value::String(value.clone())
            } else {
                serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.clone()))
            };
            lists.entry(name.clone()).or_default().push(parsed);
        }
        all.push(Value::Object(map));
    }
    for (name, values) in lists {
        outcome.params.insert(name, Value::Array(values).to_string());
    }
    if !all.is_empty() {
        outcome.all_params = Some(Value::Array(all).to_string());
    }
    outcome
}
