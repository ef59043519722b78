//! Executing templates: container and script templates as processes, DAG
//! templates as tasks in dependency order on threads, loops, conditions,
//! retries, deadlines and exit handlers, following Argo's semantics.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::container::{self, ContainerEngine};
use super::control::{Cancel, SlotGuard, Slots};
use super::globals;
use super::inprocess::{self, LocalPrograms};
use super::outcome::Outcome;
use super::paths::Rewriter;
use super::plan::Plan;
use super::process::{self, Stop};
use super::programs::{self, Failure, Prepared, Programs};
use super::report::{NodeKind, Phase, TaskReport};
use super::sidecars;
use super::vars::{json_text, Scope};
use super::volumes;
use super::when;
use super::Observer;
use crate::argo::{Arguments, DagTask, IntOrString, RetryStrategy, Template, TemplateType};
use crate::fsutil::copy_tree;

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

/// A leaf task so far: the attempts made and when the first one got a process slot.
struct Progress<'a> {
    id: &'a str,
    display: &'a str,
    attempts: u32,
    running_since: Option<Instant>,
}

/// How one attempt's process is started.
struct Launch {
    argv: Vec<String>,
    /// Where the container's `args` start in `argv` (what an in-process program gets).
    args_from: usize,
    env: Vec<(String, String)>,
    cwd: PathBuf,
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

    // ----- container and script templates ------------------------------------------------

    fn leaf(&self, template: &Template, inputs: &Inputs, node: &Node) -> Outcome {
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

    #[allow(clippy::too_many_arguments)]
    fn attempt(
        &self,
        template: &Template,
        inputs: &Inputs,
        node: &Node,
        root: &Path,
        log: &Path,
        base: &Scope,
        retry: u32,
        timeout: Option<Duration>,
    ) -> Outcome {
        if template.resource.is_some() {
            return volumes::resource(template, base, &self.run_dir, log);
        }
        let mounts = match volumes::mounts(template, self.plan.workflow, base, &self.run_dir, root) {
            Ok(mounts) => mounts,
            Err(message) => return Outcome::ended(Phase::Error, message),
        };
        let rewriter = Rewriter::new(template, root).mounted(mounts.iter().map(|m| (m.path.clone(), m.dir.clone())));
        let prepared = self.prepare_root(template, inputs, root, &rewriter, base, retry);
        let (scope, tmp) = match prepared.and_then(|prepared| volumes::prepare(&mounts).map(|()| prepared)) {
            Ok(prepared) => prepared,
            Err(message) => return Outcome::ended(Phase::Error, message),
        };
        let launch = match self.launch(template, root, &rewriter, &scope, &tmp) {
            Ok(launch) => launch,
            Err(message) => return Outcome::ended(Phase::Error, message),
        };
        let mount_dirs: Vec<PathBuf> = mounts.into_iter().map(|mount| mount.dir).collect();
        let pod = sidecars::Pod {
            template,
            rewriter: &rewriter,
            scope: &scope,
            root,
            tmp: &tmp,
            log,
            env_from_host: &self.plan.env_from_host,
            engine: self.engine,
            mounts: &mount_dirs,
            node_id: &node.id,
        };
        let sidecars = match sidecars::start(&pod, &|| self.stop_reason(node)) {
            Ok(sidecars) => sidecars,
            Err(message) => return Outcome::ended(Phase::Failed, message),
        };
        let (argv, env, cwd) = (&launch.argv, &launch.env, &launch.cwd);
        let deadline = timeout.map(|timeout| Instant::now() + timeout);
        let command = template.container.as_ref().and_then(|container| container.command.as_ref());
        let ended = match self.local.get(command) {
            Some((main, component)) => {
                let args = argv[launch.args_from..].to_vec();
                inprocess::call(*main, component, args, log, deadline, &|| self.stop_reason(node))
            }
            None => {
                let image = match (&template.container, &template.script) {
                    (Some(container), _) => container.image.as_deref(),
                    (None, Some(script)) => script.image.as_deref(),
                    (None, None) => None,
                };
                let builder = match self.engine.program() {
                    Some(program) => programs::Builder::Container { program, image: image.unwrap_or_default() },
                    None => programs::Builder::Local,
                };
                let request = programs::Request { argv, args_from: launch.args_from, env, log, deadline, builder };
                let built = match self.programs.prepare(&request, &|| self.stop_reason(node)) {
                    Prepared::NotAProgram => None,
                    Prepared::Run(argv) => Some(argv),
                    Prepared::Failed(failure) => {
                        sidecars.stop();
                        return match failure {
                            Failure::Build(message) => Outcome::ended(Phase::Failed, message),
                            Failure::Stopped(stop) => Outcome::ended(Phase::Failed, stopped_message(stop, timeout)),
                        };
                    }
                };
                // The built program and the task's args, or the command as it is.
                let (argv, args_from) = match &built {
                    Some(built) => (built.as_slice(), 1),
                    None => (argv.as_slice(), launch.args_from),
                };
                match self.engine.program() {
                    Some(program) => {
                        // A program built for the run is mounted where it was built.
                        let mut mounts = mount_dirs.clone();
                        mounts.extend(
                            argv.first()
                                .and_then(|binary| Path::new(binary).parent())
                                .filter(|_| built.is_some())
                                .map(Path::to_path_buf),
                        );
                        let name = container::container_name(&node.id);
                        let task = container::Task {
                            image: image.unwrap_or_default(),
                            argv,
                            args_from,
                            env,
                            cwd,
                            root,
                            mounts: &mounts,
                        };
                        let argv = container::argv(program, &name, &task);
                        let spec = process::Spec { argv: &argv, env, cwd, log };
                        let ended = process::run(&spec, deadline, &|| self.stop_reason(node));
                        if ended.stopped.is_some() {
                            container::remove(program, &name);
                        }
                        ended
                    }
                    None => {
                        let spec = process::Spec { argv, env, cwd, log };
                        process::run(&spec, deadline, &|| self.stop_reason(node))
                    }
                }
            }
        };
        sidecars.stop();
        let mut outcome = Outcome { exit_code: ended.exit_code, ..Outcome::succeeded() };
        if let Some(message) = ended.spawn_error {
            return Outcome { phase: Phase::Error, message: Some(message), ..outcome };
        }
        if let Some(stop) = ended.stopped {
            return Outcome { phase: Phase::Failed, message: Some(stopped_message(stop, timeout)), ..outcome };
        }
        if ended.exit_code != Some(0) {
            let code = ended.exit_code.map_or_else(|| "unknown".to_owned(), |code| code.to_string());
            return Outcome { phase: Phase::Failed, message: Some(format!("exit code {code}")), ..outcome };
        }
        outcome.result = Some(ended.stdout.strip_suffix('\n').unwrap_or(&ended.stdout).to_owned());
        match collect_outputs(template, &rewriter, &scope, &mut outcome) {
            Ok(()) => outcome,
            Err(message) => Outcome { phase: Phase::Error, message: Some(message), ..outcome },
        }
    }

    /// The command line, environment and working directory of one attempt.
    fn launch(
        &self,
        template: &Template,
        root: &Path,
        rewriter: &Rewriter,
        scope: &Scope,
        tmp: &Path,
    ) -> Result<Launch, String> {
        let text = |text: &str| scope.substitute(&rewriter.rewrite(text));
        let (command, args, env, working_dir) = match (&template.container, &template.script) {
            (Some(c), _) => (&c.command, &c.args, &c.env, &c.working_dir),
            (None, Some(s)) => (&s.command, &s.args, &s.env, &s.working_dir),
            (None, None) => return Err("not a container".to_owned()),
        };
        let mut argv = Vec::new();
        for item in command.iter().flatten() {
            argv.push(text(item)?);
        }
        if let Some(script) = &template.script {
            let path = root.join("script");
            std::fs::write(&path, text(&script.source)?)
                .map_err(|error| format!("cannot write the script {}: {error}", path.display()))?;
            argv.push(path.to_string_lossy().into_owned());
        }
        let args_from = argv.len();
        for item in args.iter().flatten() {
            argv.push(text(item)?);
        }
        let mut vars = vec![("TMPDIR".to_owned(), tmp.to_string_lossy().into_owned())];
        for var in env.iter().flatten() {
            let value = match (&var.value, &var.value_from) {
                (_, Some(_)) => self.plan.env_from_host.get(&var.name).cloned().unwrap_or_default(),
                (Some(value), None) => text(value)?,
                (None, None) => String::new(),
            };
            vars.push((var.name.clone(), value));
        }
        let cwd = match working_dir {
            Some(dir) => rewriter.local(&text(dir)?),
            None => root.to_path_buf(),
        };
        std::fs::create_dir_all(&cwd)
            .map_err(|error| format!("cannot create the working directory {}: {error}", cwd.display()))?;
        Ok(Launch { argv, args_from, env: vars, cwd })
    }

    /// A fresh root with the input artifacts in place; the task's variables.
    fn prepare_root(
        &self,
        template: &Template,
        inputs: &Inputs,
        root: &Path,
        rewriter: &Rewriter,
        base: &Scope,
        retry: u32,
    ) -> Result<(Scope, PathBuf), String> {
        let io =
            |action: &str, path: &Path, error: std::io::Error| format!("cannot {action} {}: {error}", path.display());
        if root.exists() {
            std::fs::remove_dir_all(root).map_err(|e| io("clear the task directory", root, e))?;
        }
        // Every image has a /tmp, and it is where TMPDIR points (mktemp, rustc, Python).
        let tmp = rewriter.local("/tmp");
        std::fs::create_dir_all(&tmp).map_err(|e| io("create", &tmp, e))?;
        let mut scope = base.clone();
        scope.set("retries", retry.to_string());
        for artifact in &template.inputs.artifacts {
            let Some(path) = artifact.path.as_deref() else { continue };
            let local = rewriter.local(path);
            scope.set(format!("inputs.artifacts.{}.path", artifact.name), local.to_string_lossy());
            let Some(content) = inputs.artifacts.get(&artifact.name) else { continue };
            if let Some(parent) = local.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
            }
            match content {
                ArtifactIn::Raw(text) => {
                    let text =
                        scope.substitute(text).map_err(|why| format!("raw artifact `{}`: {why}", artifact.name))?;
                    std::fs::write(&local, text).map_err(|e| io("write", &local, e))?;
                }
                ArtifactIn::File(from) => copy_tree(from, &local).map_err(|e| io("copy the artifact to", &local, e))?,
            }
        }
        for param in &template.outputs.parameters {
            if let Some(path) = param.value_from.as_ref().and_then(|from| from.path.as_deref()) {
                scope.set(format!("outputs.parameters.{}.path", param.name), rewriter.local(path).to_string_lossy());
            }
        }
        for artifact in &template.outputs.artifacts {
            if let Some(path) = artifact.path.as_deref() {
                scope.set(format!("outputs.artifacts.{}.path", artifact.name), rewriter.local(path).to_string_lossy());
            }
        }
        Ok((scope, tmp))
    }

    // ----- DAG templates --------------------------------------------------------------------

    fn dag(&self, template: &Template, inputs: &Inputs, node: &Node) -> Outcome {
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
                        let blocked = deps[i]
                            .iter()
                            .find(|&&d| !phases[d].is_some_and(Phase::is_ok) && !continues(&tasks[d], phases[d]));
                        let omit = if let Some(&d) = blocked {
                            Some(format!("dependency `{}` {}", tasks[d].name, phases[d].unwrap_or(Phase::Omitted)))
                        } else if let Some(reason) = self.stop_reason(node) {
                            Some(reason)
                        } else if fail_fast && failure.is_some() {
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
            if let Err(message) = dag_outputs(template, &scope, &mut outcome) {
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
            duration: Duration::ZERO,
            log: None,
            message: Some(reason),
        });
    }

    /// One task of a DAG: its iterations (or itself), each with its condition, then its exit hook.
    fn dag_task(&self, task: &DagTask, scope: &Scope, node: &Node, parent: &Template) -> Outcome {
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
        let outcome = aggregate(&outcomes);
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

/// Whether a finished task lets its dependents run although it did not succeed (`continueOn`).
fn continues(task: &DagTask, phase: Option<Phase>) -> bool {
    let Some(on) = &task.continue_on else { return false };
    match phase {
        Some(Phase::Failed) => on.failed == Some(true),
        Some(Phase::Error) => on.error == Some(true),
        _ => false,
    }
}

fn limit_of(parallelism: Option<i64>) -> Option<usize> {
    parallelism.filter(|&n| n > 0).map(|n| n as usize)
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
/// each output parameter as the JSON list of the iterations' values, as Argo aggregates.
fn aggregate(outcomes: &[Outcome]) -> Outcome {
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
            let parsed = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.clone()));
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

/// A DAG's outputs: parameters from `valueFrom.parameter`, artifacts from `from`.
fn dag_outputs(template: &Template, scope: &Scope, outcome: &mut Outcome) -> Result<(), String> {
    for param in &template.outputs.parameters {
        let from = param.value_from.as_ref();
        let value = match from.and_then(|from| from.parameter.as_deref()) {
            Some(reference) => match scope.substitute(reference) {
                Ok(value) => value,
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

/// Reads a finished container's output parameters and finds its output artifacts.
fn collect_outputs(
    template: &Template,
    rewriter: &Rewriter,
    scope: &Scope,
    outcome: &mut Outcome,
) -> Result<(), String> {
    for param in &template.outputs.parameters {
        let Some(from) = &param.value_from else {
            // A `value` (kfp's sub-path of an output passed through a volume).
            if let Some(value) = &param.value {
                let value =
                    scope.substitute(value).map_err(|why| format!("output parameter `{}`: {why}", param.name))?;
                outcome.params.insert(param.name.clone(), value);
            }
            continue;
        };
        let Some(path) = from.path.as_deref() else { continue };
        let local = rewriter.local(path);
        let value = match std::fs::read(&local) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                // Argo trims one trailing newline "for user convenience".
                text.strip_suffix('\n').map(str::to_owned).unwrap_or(text)
            }
            Err(_) => match &from.default {
                Some(default) => default.clone(),
                None => return Err(format!("output parameter `{}`: the task did not write {path}", param.name)),
            },
        };
        outcome.params.insert(param.name.clone(), value);
    }
    for artifact in &template.outputs.artifacts {
        let Some(path) = artifact.path.as_deref() else { continue };
        let local = rewriter.local(path);
        if local.exists() {
            outcome.artifacts.insert(artifact.name.clone(), local);
        } else if artifact.optional != Some(true) {
            return Err(format!("output artifact `{}`: the task did not write {path}", artifact.name));
        }
    }
    Ok(())
}

/// What a report shows of an outcome: parameters, and artifacts that are short text.
fn report_outputs(outcome: &Outcome) -> (BTreeMap<String, String>, BTreeMap<String, PathBuf>) {
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

/// Why a task stopped from outside failed.
fn stopped_message(stop: Stop, timeout: Option<Duration>) -> String {
    match stop {
        Stop::Deadline => {
            let seconds = timeout.map_or(0, |timeout| timeout.as_secs());
            format!("killed after its deadline of {seconds} s (activeDeadlineSeconds)")
        }
        Stop::Run(reason) => reason,
    }
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    if let Ok(mut file) = std::fs::File::options().create(true).append(true).open(path) {
        let _ = file.write_all(text.as_bytes());
    }
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
            super::duration::parse(&text).map(Some).map_err(|why| format!("timeout of `{}`: {why}", template.name))
        }
        None => Ok(None),
    }
}

/// The wait before the next retry: `backoff.duration`, times `factor` after each retry, at most `cap`.
fn backoff(retry: Option<&RetryStrategy>, delay: &mut Option<Duration>) -> Duration {
    let Some(backoff) = retry.and_then(|retry| retry.backoff.as_ref()) else { return Duration::ZERO };
    let parse = |text: &Option<String>| text.as_deref().and_then(|text| super::duration::parse(text).ok());
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
