//! A DAG template: its tasks on threads in dependency order, within its `parallelism`, skipping the
//! dependents of a failure (`continueOn`, `failFast`); each task's results published to the rest; its outputs.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Instant;

use super::{limit_of, report_outputs, ArtifactIn, Engine, Inputs, Node};
use crate::argo::{DagTask, Template};
use crate::run::outcome::Outcome;
use crate::run::report::{NodeKind, Phase, TaskReport};
use crate::run::vars::Scope;

impl Engine<'_> {
    pub(super) fn dag(&self, template: &Template, inputs: &Inputs, node: &Node) -> Outcome {
        let started = Instant::now();
        let Some(dag) = &template.dag else { return Outcome::ended(Phase::Error, "not a DAG") };
        if !node.id.is_empty() {
            if let Some(observer) = &self.observer {
                observer.task_started(&node.id, &node.display);
            }
        }
        let mut scope = self.globals();
        for (name, value) in &inputs.params {
            scope.set(format!("inputs.parameters.{name}"), value.clone());
        }
        for (name, artifact) in &inputs.artifacts {
            match self.materialize(artifact, node, name) {
                Ok(path) => scope.set(format!("inputs.artifacts.{name}"), path.to_string_lossy()),
                Err(message) => return Outcome::ended(Phase::Error, message),
            }
        }
        let tasks = &dag.tasks;
        let index: BTreeMap<&str, usize> = tasks.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
        let deps: Vec<Vec<usize>> = tasks
            .iter()
            .map(|t| t.dependencies.iter().flatten().filter_map(|d| index.get(d.as_str()).copied()).collect())
            .collect();
        let limit = limit_of(template.parallelism).unwrap_or(self.fan_out);
        let fail_fast = dag.fail_fast.unwrap_or(true);
        let mut phases: Vec<Option<Phase>> = vec![None; tasks.len()];
        let mut started_tasks = vec![false; tasks.len()];
        let mut told_pending = vec![false; tasks.len()];
        let mut failure: Option<String> = None;
        std::thread::scope(|threads| {
            let (done_tx, done_rx) = mpsc::channel::<(usize, Outcome)>();
            let mut running = 0;
            loop {
                let mut progressed = true;
                while progressed {
                    progressed = false;
                    for i in 0..tasks.len() {
                        if started_tasks[i] || !deps[i].iter().all(|&d| phases[d].is_some()) {
                            continue;
                        }
                        let task = &tasks[i];
                        let mut child = node.child(&task.name, &task.name);
                        let completes =
                            self.plan.after_completion.contains(&(template.name.clone(), task.name.clone()));
                        child.exit_handler |= completes;
                        let blocked = deps[i].iter().find(|&&d| {
                            !completes && !phases[d].is_some_and(Phase::is_ok) && !continues(&tasks[d], phases[d])
                        });
                        let omit = if let Some(&d) = blocked {
                            Some(format!("dependency `{}` {}", tasks[d].name, phases[d].unwrap_or(Phase::Omitted)))
                        } else if let Some(reason) = self.stop_reason(&child) {
                            Some(reason)
                        } else if fail_fast && failure.is_some() && !completes {
                            Some("an earlier task failed".to_owned())
                        } else {
                            None
                        };
                        if let Some(reason) = omit {
                            started_tasks[i] = true;
                            phases[i] = Some(Phase::Omitted);
                            self.record_unrun(&child, task, Phase::Omitted, reason);
                            progressed = true;
                            continue;
                        }
                        if running >= limit {
                            if !told_pending[i] {
                                told_pending[i] = true;
                                self.tell_pending(&child);
                            }
                            continue;
                        }
                        child.told_pending = told_pending[i];
                        started_tasks[i] = true;
                        progressed = true;
                        running += 1;
                        let done = done_tx.clone();
                        // A snapshot: the tasks it depends on have all published.
                        let scope = scope.clone();
                        threads.spawn(move || {
                            let outcome = self.dag_task(task, &scope, &child, template);
                            let _ = done.send((i, outcome));
                        });
                    }
                }
                if running == 0 {
                    break;
                }
                let Ok((i, outcome)) = done_rx.recv() else { break };
                running -= 1;
                let task = &tasks[i];
                publish(&mut scope, &format!("tasks.{}", task.name), &outcome, &node.child(&task.name, "").id);
                if !outcome.phase.is_ok() && !continues(task, Some(outcome.phase)) && failure.is_none() {
                    failure = Some(format!(
                        "task `{}` {}{}",
                        task.name,
                        outcome.phase,
                        outcome.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
                    ));
                }
                phases[i] = Some(outcome.phase);
            }
        });
        if failure.is_none() {
            // Tasks left out by a stop (Ctrl-C, the workflow's deadline) fail the DAG too.
            if let Some(i) = phases.iter().position(|phase| *phase == Some(Phase::Omitted)) {
                failure = Some(format!("task `{}` was not run", tasks[i].name));
            }
        }
        let mut outcome = match failure {
            Some(message) => Outcome::ended(Phase::Failed, message),
            None => Outcome::succeeded(),
        };
        if outcome.phase == Phase::Succeeded {
            if let Err(message) = dag_outputs(template, &scope, self.plan.v2_launcher, &mut outcome) {
                outcome = Outcome::ended(Phase::Error, message);
            }
        }
        if !node.id.is_empty() {
            let (outputs, artifacts) = report_outputs(&outcome);
            self.record(TaskReport {
                id: node.id.clone(),
                display_name: node.display.clone(),
                template: template.name.clone(),
                kind: NodeKind::Dag,
                phase: outcome.phase,
                items: node.items.clone(),
                exit_handler: node.exit_handler,
                exit_code: None,
                attempts: 1,
                outputs,
                artifacts,
                metadata: BTreeMap::new(),
                duration: started.elapsed(),
                log: None,
                message: outcome.message.clone(),
            });
        }
        outcome
    }

    /// Writes a raw artifact to a file so a DAG can pass its path on.
    fn materialize(&self, artifact: &ArtifactIn, node: &Node, name: &str) -> Result<PathBuf, String> {
        match artifact {
            ArtifactIn::File(path) => Ok(path.clone()),
            ArtifactIn::Raw(text) => {
                let dir = self.run_dir.join("values").join(Self::file_name(&node.id));
                let path = dir.join(Self::file_name(name));
                std::fs::create_dir_all(&dir)
                    .and_then(|()| std::fs::write(&path, text))
                    .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
                Ok(path)
            }
        }
    }
}

/// Whether a finished task lets its dependents run although it did not succeed (`continueOn`).
fn continues(task: &DagTask, phase: Option<Phase>) -> bool {
    let Some(on) = &task.continue_on else { return false };
    match phase {
        Some(Phase::Failed) => on.failed == Some(true),
        Some(Phase::Error) => on.error == Some(true),
        _ => false,
    }
}

/// Makes a finished task's results visible to the rest of its DAG as `{{prefix...}}`.
fn publish(scope: &mut Scope, prefix: &str, outcome: &Outcome, id: &str) {
    scope.set(format!("{prefix}.status"), outcome.phase.as_str());
    scope.set(format!("{prefix}.id"), id);
    if let Some(code) = outcome.exit_code {
        scope.set(format!("{prefix}.exitCode"), code.to_string());
    }
    if let Some(result) = &outcome.result {
        scope.set(format!("{prefix}.outputs.result"), result.clone());
    }
    for (name, value) in &outcome.params {
        scope.set(format!("{prefix}.outputs.parameters.{name}"), value.clone());
    }
    if let Some(all) = &outcome.all_params {
        scope.set(format!("{prefix}.outputs.parameters"), all.clone());
    }
    for (name, path) in &outcome.artifacts {
        scope.set(format!("{prefix}.outputs.artifacts.{name}"), path.to_string_lossy());
    }
}

/// A DAG's outputs: parameters from `valueFrom.parameter`, artifacts from `from`. Under KFP v2
/// (`v2`), an output of a task its condition skipped is left out, as KFP v2 leaves it out of a
/// loop's collected list (`dsl.Collected`).
fn dag_outputs(template: &Template, scope: &Scope, v2: bool, outcome: &mut Outcome) -> Result<(), String> {
    for param in &template.outputs.parameters {
        let from = param.value_from.as_ref();
        if let Some(expression) = from.and_then(|from| from.expression.as_deref()) {
            let value = first_of(expression, "parameters", scope)
                .map_err(|why| format!("output parameter `{}`: {why}", param.name))?;
            outcome.params.insert(param.name.clone(), value);
            continue;
        }
        let value = match from.and_then(|from| from.parameter.as_deref()) {
            Some(reference) => match scope.substitute(reference) {
                Ok(value) => value,
                Err(_) if v2 && skipped_source(reference, scope) => continue,
                Err(why) => match from.and_then(|from| from.default.clone()) {
                    Some(default) => default,
                    None => return Err(format!("output parameter `{}`: {why}", param.name)),
                },
            },
            None => param.value.clone().unwrap_or_default(),
        };
        outcome.params.insert(param.name.clone(), value);
    }
    for artifact in &template.outputs.artifacts {
        if let Some(expression) = &artifact.from_expression {
            let path = first_of(expression, "artifacts", scope)
                .map_err(|why| format!("output artifact `{}`: {why}", artifact.name))?;
            outcome.artifacts.insert(artifact.name.clone(), PathBuf::from(path));
            continue;
        }
        if let Some(from) = &artifact.from {
            match scope.substitute(from) {
                Ok(path) => {
                    outcome.artifacts.insert(artifact.name.clone(), PathBuf::from(path));
                }
                Err(_) if artifact.optional == Some(true) => {}
                Err(why) => return Err(format!("output artifact `{}`: {why}", artifact.name)),
            }
        }
    }
    Ok(())
}

/// Whether `reference` (`{{tasks.NAME.outputs...}}`) reads a task of the DAG that was skipped.
fn skipped_source(reference: &str, scope: &Scope) -> bool {
    let Some(task) = reference.strip_prefix("{{tasks.").and_then(|rest| rest.split_once(".outputs.")) else {
        return false;
    };
    scope.substitute(&format!("{{{{tasks.{}.status}}}}", task.0)).is_ok_and(|status| status == Phase::Skipped.as_str())
}

/// The first of the tasks' outputs in `expression` that has a value: the one form of Argo's
/// expressions local runs evaluate, `tasks['a'].outputs.parameters['x'] ?? tasks['b'].outputs.parameters['y']`
/// (a DAG's output taken from whichever branch ran: kfp 2's `dsl.OneOf`).
fn first_of(expression: &str, kind: &str, scope: &Scope) -> Result<String, String> {
    let unsupported = || {
        format!("`{expression}` is not an expression local runs evaluate: they take `tasks['t'].outputs.{kind}['x']`s joined by `??`")
    };
    let mut tried = Vec::new();
    for reference in expression.split("??").map(str::trim) {
        let inner = reference.strip_prefix("tasks['").ok_or_else(unsupported)?;
        let (task, rest) = inner.split_once("']").ok_or_else(unsupported)?;
        let rest = rest.strip_prefix(&format!(".outputs.{kind}['")).ok_or_else(unsupported)?;
        let name = rest.strip_suffix("']").filter(|name| !name.contains('\'')).ok_or_else(unsupported)?;
        match scope.substitute(&format!("{{{{tasks.{task}.outputs.{kind}.{name}}}}}")) {
            Ok(value) => return Ok(value),
            Err(_) => tried.push(format!("`{task}`")),
        }
    }
    Err(format!("none of {} produced it (each was skipped or has no such output)", tried.join(", ")))
}
