//! A container, script or resource template as a leaf task: its attempts, each in a process slot, retried
//! by its `retryStrategy` with backoff, within its deadline; and its report.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{int_or_string, report_outputs, Engine, Inputs, Node};
use crate::argo::{IntOrString, RetryStrategy, Template};
use crate::run::control::SlotGuard;
use crate::run::outcome::Outcome;
use crate::run::report::{NodeKind, Phase, TaskReport};
use crate::run::vars::Scope;
use crate::run::{duration, globals};

/// A leaf task so far: the attempts made and when the first one got a process slot.
struct Progress<'a> {
    id: &'a str,
    display: &'a str,
    attempts: u32,
    running_since: Option<Instant>,
}

impl Engine<'_> {
    pub(super) fn leaf(&self, template: &Template, inputs: &Inputs, node: &Node) -> Outcome {
        let id = if node.id.is_empty() { template.name.clone() } else { node.id.clone() };
        let display = if node.id.is_empty() { template.name.clone() } else { node.display.clone() };
        let root = self.run_dir.join("tasks").join(Self::file_name(&id));
        let log = self.run_dir.join("logs").join(format!("{}.log", Self::file_name(&id)));
        let mut progress = Progress { id: &id, display: &display, attempts: 0, running_since: None };
        let outcome = self.attempts(template, inputs, node, &root, &log, &mut progress);
        let (attempts, running_since) = (progress.attempts, progress.running_since);
        let (outputs, artifacts) = report_outputs(&outcome);
        self.record(TaskReport {
            id,
            display_name: display,
            template: template.name.clone(),
            kind: NodeKind::Container,
            phase: outcome.phase,
            items: node.items.clone(),
            exit_handler: node.exit_handler,
            exit_code: outcome.exit_code,
            attempts,
            outputs,
            artifacts,
            metadata: outcome.metadata.clone(),
            duration: running_since.map_or(Duration::ZERO, |since| since.elapsed()),
            log: (attempts > 0).then_some(log),
            message: outcome.message.clone(),
        });
        outcome
    }

    /// A process slot for the next attempt of a leaf, telling the observer the
    /// task is pending while it waits and running when its first attempt gets
    /// one; `None` when the run stops first.
    fn slot(&self, node: &Node, progress: &mut Progress<'_>) -> Option<SlotGuard<'_>> {
        let first = progress.running_since.is_none();
        let slot = match self.slots.try_acquire() {
            Some(slot) => slot,
            None => {
                if first && !node.told_pending {
                    if let Some(observer) = &self.observer {
                        observer.task_pending(progress.id, progress.display);
                    }
                }
                self.slots.acquire(&|| self.stop_reason(node).is_some())?
            }
        };
        if first {
            progress.running_since = Some(Instant::now());
            if let Some(observer) = &self.observer {
                observer.task_started(progress.id, progress.display);
            }
        }
        Some(slot)
    }

    fn attempts(
        &self,
        template: &Template,
        inputs: &Inputs,
        node: &Node,
        root: &Path,
        log: &Path,
        progress: &mut Progress<'_>,
    ) -> Outcome {
        let id = progress.id;
        let mut scope = self.globals();
        for (name, value) in &inputs.params {
            scope.set(format!("inputs.parameters.{name}"), value.clone());
        }
        scope.set("node.name", id);
        let retry = template.retry_strategy.as_deref().or(self.plan.workflow.spec.retry_strategy.as_ref());
        let limit = match retry.and_then(|retry| retry.limit.as_ref()) {
            None if retry.is_some() => u32::MAX, // Argo: a strategy without a limit retries forever
            None => 0,
            Some(limit) => match int_or_string(limit, &scope) {
                Ok(limit) => limit.max(0) as u32,
                Err(message) => return Outcome::ended(Phase::Error, format!("retryStrategy.limit: {message}")),
            },
        };
        let timeout = match task_timeout(template, &scope) {
            Ok(timeout) => timeout,
            Err(message) => return Outcome::ended(Phase::Error, message),
        };
        let policy = retry.and_then(|retry| retry.retry_policy.as_deref()).unwrap_or("OnFailure");
        let mut delay = None;
        let mut previous: Option<Outcome> = None;
        loop {
            let Some(slot) = self.slot(node, progress) else {
                let reason = self.stop_reason(node).unwrap_or_default();
                return match previous {
                    Some(outcome) => Outcome { message: Some(reason), ..outcome },
                    None => Outcome::ended(Phase::Omitted, reason),
                };
            };
            progress.attempts += 1;
            let attempts = progress.attempts;
            if attempts > 1 {
                append(log, &format!("\n--- retry {} of {limit} ---\n", attempts - 1));
            }
            let workflow = scope.get("workflow.name").unwrap_or_default();
            scope.set("pod.name", globals::pod_name(workflow, &node.id, retry.map(|_| attempts - 1)));
            let outcome = self.attempt(template, inputs, node, root, log, &scope, attempts - 1, timeout);
            drop(slot);
            let retryable = match outcome.phase {
                Phase::Failed => matches!(policy, "Always" | "OnFailure"),
                Phase::Error => matches!(policy, "Always" | "OnError" | "OnTransientError"),
                _ => false,
            };
            let stopped = self.stop_reason(node);
            if !retryable || attempts > limit || stopped.is_some() {
                return outcome;
            }
            let wait = backoff(retry, &mut delay);
            let until = Instant::now() + wait;
            while Instant::now() < until {
                if let Some(reason) = self.stop_reason(node) {
                    return Outcome { message: Some(reason), ..outcome };
                }
                std::thread::sleep(Duration::from_millis(20).min(until - Instant::now()));
            }
            previous = Some(outcome);
        }
    }
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    if let Ok(mut file) = std::fs::File::options().create(true).append(true).open(path) {
        let _ = file.write_all(text.as_bytes());
    }
}

/// The task's own deadline: `activeDeadlineSeconds`, or `timeout` (a duration).
fn task_timeout(template: &Template, scope: &Scope) -> Result<Option<Duration>, String> {
    if let Some(seconds) = &template.active_deadline_seconds {
        let seconds = int_or_string(seconds, scope)
            .map_err(|why| format!("activeDeadlineSeconds of `{}`: {why}", template.name))?;
        return Ok(Some(Duration::from_secs(seconds.max(0) as u64)));
    }
    match &template.timeout {
        Some(text) => {
            let text = scope.substitute(text)?;
            duration::parse(&text).map(Some).map_err(|why| format!("timeout of `{}`: {why}", template.name))
        }
        None => Ok(None),
    }
}

/// The wait before the next retry: `backoff.duration`, times `factor` after each retry, at most `cap`.
fn backoff(retry: Option<&RetryStrategy>, delay: &mut Option<Duration>) -> Duration {
    let Some(backoff) = retry.and_then(|retry| retry.backoff.as_ref()) else { return Duration::ZERO };
    let parse = |text: &Option<String>| text.as_deref().and_then(|text| duration::parse(text).ok());
    let next = match *delay {
        None => parse(&backoff.duration).unwrap_or_default(),
        Some(previous) => {
            let factor = match &backoff.factor {
                Some(IntOrString::Int(n)) => f64::from(*n),
                Some(IntOrString::String(text)) => text.parse().unwrap_or(1.0),
                None => 1.0,
            };
            previous.mul_f64(factor.max(0.0))
        }
    };
    let next = parse(&backoff.cap).map_or(next, |cap| next.min(cap));
    *delay = Some(next);
    next
}
