//! Executing templates, following Argo's semantics: the engine, its nodes and the inputs it binds here;
//! container, script and resource templates in `leaf` (attempts, retries, deadlines) and `attempt` (one
//! process, container or in-process call); DAG templates in `dag` (tasks in dependency order on threads) and
//! `task` (one DAG task: its loop iterations, `when` condition and exit hook).

mod attempt;
mod dag;
mod leaf;
mod task;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::container::ContainerEngine;
use super::control::{Cancel, Slots};
use super::inprocess::LocalPrograms;
use super::metadata::ArtifactMetadata;
use super::outcome::Outcome;
use super::plan::Plan;
use super::programs::Programs;
use super::report::{NodeKind, Phase, TaskReport};
use super::vars::Scope;
use super::Observer;
use crate::argo::{DagTask, IntOrString, Template, TemplateType};

/// Output artifacts up to this size are also shown as text in the report.
const TEXT_OUTPUT_LIMIT: u64 = 64 * 1024;

/// One run in progress.
pub(crate) struct Engine<'w> {
    pub(crate) plan: Plan<'w>,
    pub(crate) run_dir: PathBuf,
    /// The `workflow.*` variables (`workflow.status` is added for the exit handler).
    pub(crate) globals: Mutex<Scope>,
    pub(crate) slots: Slots,
    /// Most children of one DAG or loop started at once when no `parallelism` says.
    pub(crate) fan_out: usize,
    pub(crate) cancel: Cancel,
    /// When the run started (`workflow.duration` counts from it).
    pub(crate) started: Instant,
    /// The workflow's `activeDeadlineSeconds`, as an instant.
    pub(crate) deadline: Option<Instant>,
    pub(crate) observer: Option<Arc<dyn Observer>>,
    pub(crate) reports: Mutex<Vec<TaskReport>>,
    /// Components called in this process instead of started (in-process runs).
    pub(crate) local: LocalPrograms,
    /// Local processes, or containers with docker or podman.
    pub(crate) engine: ContainerEngine,
    /// The Rust components' programs, built once (local processes).
    pub(crate) programs: Programs,
    /// Output artifacts' metadata, for the tasks taking them (KFP v2).
    pub(crate) metadata: ArtifactMetadata,
}

/// Where a node is in the run.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    /// `condition-1.flip-again`; empty for the entrypoint.
    pub(crate) id: String,
    /// Argo's name for people: `for-loop-2(1:200)`.
    pub(crate) display: String,
    /// True inside the exit handler, which a first Ctrl-C does not stop.
    pub(crate) exit_handler: bool,
    /// The items of the loop iterations this node runs inside, outermost first.
    pub(crate) items: Vec<String>,
    /// A loop iteration's own item (its display name shows it; its children's reports list it).
    pub(crate) item: Option<String>,
    /// Its DAG or loop held it back for a parallelism slot and told the observer it is pending.
    pub(crate) told_pending: bool,
}

impl Node {
    /// The entrypoint (`id` empty) or the exit handler.
    pub(crate) fn top(id: &str, display: String, exit_handler: bool) -> Node {
        Node { id: id.to_owned(), display, exit_handler, items: Vec::new(), item: None, told_pending: false }
    }

    fn child(&self, id_part: &str, display: &str) -> Node {
        let join = |base: &str, part: &str| if base.is_empty() { part.to_owned() } else { format!("{base}.{part}") };
        Node {
            id: join(&self.id, id_part),
            display: display.to_owned(),
            exit_handler: self.exit_handler,
            items: self.items.iter().chain(&self.item).cloned().collect(),
            item: None,
            told_pending: false,
        }
    }
}

/// An input artifact's content.
#[derive(Clone, Debug)]
pub(crate) enum ArtifactIn {
    /// A file or directory of an earlier task.
    File(PathBuf),
    /// Constant text (`raw`), substituted in the callee.
    Raw(String),
}

/// The inputs a template is called with.
#[derive(Clone, Debug, Default)]
pub(crate) struct Inputs {
    pub(crate) params: BTreeMap<String, String>,
    pub(crate) artifacts: BTreeMap<String, ArtifactIn>,
}

impl Engine<'_> {
    pub(crate) fn globals(&self) -> Scope {
        let mut globals = self.globals.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        // As Argo's controller, which sets it each time it looks at the workflow.
        globals.set("workflow.duration", format!("{:.6}", self.started.elapsed().as_secs_f64()));
        globals
    }

    /// Why nodes in `node`'s part of the run must stop now, if they must.
    fn stop_reason(&self, node: &Node) -> Option<String> {
        let level = self.cancel.level();
        if level >= 2 || (level == 1 && !node.exit_handler) {
            return Some(self.cancel.reason().to_owned());
        }
        if !node.exit_handler && self.deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            return Some("the workflow's activeDeadlineSeconds passed".to_owned());
        }
        None
    }

    fn record(&self, report: TaskReport) {
        if let Some(observer) = &self.observer {
            observer.task_finished(&report);
        }
        self.reports.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(report);
    }

    fn file_name(id: &str) -> String {
        id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect()
    }

    /// Binds the arguments a caller passes to `template`'s inputs.
    pub(crate) fn bind(
        &self,
        template: &Template,
        params: &BTreeMap<String, String>,
        artifacts: &BTreeMap<String, ArtifactIn>,
    ) -> Result<Inputs, String> {
        let mut inputs = Inputs::default();
        let globals = self.globals();
        for param in &template.inputs.parameters {
            let value = match params.get(&param.name) {
                Some(passed) => passed.clone(),
                // Argo substitutes the globals in the template before its inputs.
                None => globals.substitute_known(param.value.as_ref().or(param.default.as_ref()).ok_or_else(|| {
                    format!("input parameter `{}` of template `{}` gets no value", param.name, template.name)
                })?),
            };
            inputs.params.insert(param.name.clone(), value);
        }
        for artifact in &template.inputs.artifacts {
            match (artifacts.get(&artifact.name), &artifact.raw) {
                (Some(given), _) => {
                    inputs.artifacts.insert(artifact.name.clone(), given.clone());
                }
                (None, Some(raw)) => {
                    inputs.artifacts.insert(artifact.name.clone(), ArtifactIn::Raw(raw.data.clone()));
                }
                (None, None) if artifact.optional == Some(true) => {}
                (None, None) => {
                    return Err(format!(
                        "input artifact `{}` of template `{}` gets no file",
                        artifact.name, template.name
                    ))
                }
            }
        }
        Ok(inputs)
    }

    /// Runs `template` as node `node`.
    pub(crate) fn execute(&self, template: &Template, inputs: &Inputs, node: &Node) -> Outcome {
        match template.template_type() {
            Some(TemplateType::Container | TemplateType::Script | TemplateType::Resource) => {
                self.leaf(template, inputs, node)
            }
            Some(TemplateType::Dag) => self.dag(template, inputs, node),
            // The plan refused these before the run.
            _ => Outcome::ended(Phase::Error, format!("template `{}` cannot run on this machine", template.name)),
        }
    }

    fn tell_pending(&self, node: &Node) {
        if let Some(observer) = &self.observer {
            observer.task_pending(&node.id, &node.display);
        }
    }

    fn record_unrun(&self, node: &Node, task: &DagTask, phase: Phase, reason: String) {
        let template = self.plan.templates.get(task.template.as_str());
        let kind = match template.and_then(|template| template.template_type()) {
            Some(TemplateType::Dag) => NodeKind::Dag,
            _ => NodeKind::Container,
        };
        self.record(TaskReport {
            id: node.id.clone(),
            display_name: node.display.clone(),
            template: task.template.clone(),
            kind,
            phase,
            items: node.items.clone(),
            exit_handler: node.exit_handler,
            exit_code: None,
            attempts: 0,
            outputs: BTreeMap::new(),
            artifacts: BTreeMap::new(),
            metadata: BTreeMap::new(),
            duration: Duration::ZERO,
            log: None,
            message: Some(reason),
        });
    }
}

fn limit_of(parallelism: Option<i64>) -> Option<usize> {
    parallelism.filter(|&n| n > 0).map(|n| n as usize)
}

/// What a report shows of an outcome: parameters, and artifacts that are short text.
pub(super) fn report_outputs(outcome: &Outcome) -> (BTreeMap<String, String>, BTreeMap<String, PathBuf>) {
    let mut outputs = outcome.params.clone();
    for (name, path) in &outcome.artifacts {
        if outputs.contains_key(name) {
            continue;
        }
        let small = std::fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.len() <= TEXT_OUTPUT_LIMIT);
        if let Some(text) = small.then(|| std::fs::read(path).ok()).flatten().and_then(|b| String::from_utf8(b).ok()) {
            outputs.insert(name.clone(), text);
        }
    }
    (outputs, outcome.artifacts.clone())
}

/// An integer field that may be a `{{...}}` reference.
fn int_or_string(value: &IntOrString, scope: &Scope) -> Result<i64, String> {
    match value {
        IntOrString::Int(n) => Ok(i64::from(*n)),
        IntOrString::String(text) => {
            let text = scope.substitute(text)?;
            text.trim().parse().map_err(|_| format!("`{text}` is not an integer"))
        }
    }
}
