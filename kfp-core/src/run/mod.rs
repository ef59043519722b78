//! Runs an Argo Workflow on this machine, without a cluster.
//!
//! [`run_workflow`] checks the Workflow first (Argo's rules, the parameters,
//! that every template it reaches can run here) and returns a [`RunError`]
//! before anything runs when something is wrong. Then it executes it as Argo
//! would: container and script templates as local processes (the image is
//! ignored: the command runs with this machine's programs), DAG tasks in
//! dependency order with independent ones in parallel, `when` conditions,
//! `withItems`/`withParam`/`withSequence` loops, `parallelism`, retries,
//! deadlines and exit handlers. Each task runs in its own directory under the
//! run directory, with the absolute paths its template declares (and kfp's
//! `/tmp/inputs`, `/tmp/outputs`) rewritten into it, so tasks never collide.
//! A Rust component's program, which its command builds before running it, is
//! built once per run by the first task that needs it and kept for later runs
//! in a [`ProgramCache`] (with an engine: built in its image, kept for the run);
//! the tasks run the binary.
//! A task's init containers run before it and its sidecars beside it; resource
//! templates that create PersistentVolumeClaims and VolumeSnapshots (kfp's
//! `VolumeOp`, `VolumeSnapshotOp`) make directories of the run, which the
//! tasks that mount them see at their `mountPath`.
//!
//! The run directory holds `logs/<task>.log` (stdout and stderr of every
//! attempt; `logs/<task>.<container>.log` for init containers and sidecars),
//! `tasks/<task>/` (each task's files, output artifacts included),
//! `volumes/<claim>/`, `snapshots/<snapshot>/`, `resources/<Kind>.<name>.json`,
//! `programs/` (the programs built when the cache is off, or in containers) and `run.json` (the [`RunReport`]).
//!
//! ```no_run
//! use kfp_core::run::{parse_workflow, run_workflow, RunOptions};
//!
//! let workflow = parse_workflow(&std::fs::read_to_string("add_pipeline.yaml")?)?;
//! let options = RunOptions::new("runs/add").param("value_1", "3").param("value_2", "4");
//! let report = run_workflow(&workflow, &options)?;
//! assert_eq!(report.output("multiply", "multiply-Output"), Some("-7"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod container;
mod control;
mod duration;
mod engine;
mod error;
mod executor;
mod globals;
mod inprocess;
mod ir;
mod metadata;
mod orphans;
mod outcome;
mod paths;
mod plan;
mod process;
mod programs;
mod report;
mod sidecars;
mod vars;
mod volumes;
mod when;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

pub use container::ContainerEngine;
pub use control::Cancel;
pub use error::RunError;
pub use orphans::become_subreaper;
pub use programs::ProgramCache;
pub use report::{NodeKind, Phase, RunReport, TaskReport};

use crate::argo::Workflow;
use crate::dsl::Pipeline;
use crate::ir::PipelineFile;
use crate::types::KfpType;
use engine::{Engine, Node};
use inprocess::LocalPrograms;

/// Hears about tasks as they start and end (a progress display); called from
/// the run's threads.
pub trait Observer: Send + Sync {
    /// Task `id` is ready to run but waits for a parallelism slot (Argo's
    /// [`Phase::Pending`]): `--parallelism`, the Workflow's `spec.parallelism`,
    /// or its DAG's or loop's `parallelism`. Then `task_started` follows when
    /// it gets one, or `task_finished` when it does not run after all.
    fn task_pending(&self, id: &str, display_name: &str) {
        let _ = (id, display_name);
    }

    /// Task `id` started ([`Phase::Running`]): its first attempt got a process
    /// slot, or a DAG or loop began.
    fn task_started(&self, id: &str, display_name: &str) {
        let _ = (id, display_name);
    }

    /// A task ended, or was skipped or omitted.
    fn task_finished(&self, report: &TaskReport) {
        let _ = report;
    }
}

/// How to run: parameters, where, how many processes at once, and who listens.
#[derive(Clone)]
pub struct RunOptions {
    params: Vec<(String, String)>,
    run_dir: PathBuf,
    parallelism: Option<usize>,
    cancel: Cancel,
    observer: Option<Arc<dyn Observer>>,
    engine: ContainerEngine,
    program_cache: ProgramCache,
    python: Option<PathBuf>,
}

impl std::fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("params", &self.params)
            .field("run_dir", &self.run_dir)
            .field("parallelism", &self.parallelism)
            .field("engine", &self.engine)
            .field("program_cache", &self.program_cache)
            .field("python", &self.python)
            .finish_non_exhaustive()
    }
}

impl RunOptions {
    /// Runs in `run_dir` (created if needed), with no parameters given.
    pub fn new(run_dir: impl Into<PathBuf>) -> Self {
        RunOptions {
            params: Vec::new(),
            run_dir: run_dir.into(),
            parallelism: None,
            cancel: Cancel::new(),
            observer: None,
            engine: ContainerEngine::Local,
            program_cache: ProgramCache::user(),
            python: None,
        }
    }

    /// Gives workflow parameter `name` the value `value`.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// Gives workflow parameter `name` a typed value, written as kfp writes it
    /// (`3`, `2.5`, `True`, JSON).
    pub fn arg<T: KfpType>(self, name: impl Into<String>, value: T) -> Self {
        self.param(name, value.to_kfp_string())
    }

    /// At most `processes` task processes at once (default: the machine's available parallelism).
    pub fn parallelism(mut self, processes: usize) -> Self {
        self.parallelism = Some(processes.max(1));
        self
    }

    /// Stops the run when `cancel` is cancelled (from a Ctrl-C handler).
    pub fn cancel(mut self, cancel: Cancel) -> Self {
        self.cancel = cancel;
        self
    }

    /// Tells `observer` about every task as it starts and ends.
    pub fn observer(mut self, observer: Arc<dyn Observer>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Runs container and script tasks with `engine`: `docker run` (or
    /// `podman run`) in their images instead of local processes. Components
    /// called in process ([`run_pipeline`]) are called in process all the same.
    pub fn engine(mut self, engine: ContainerEngine) -> Self {
        self.engine = engine;
        self
    }

    /// Where the programs of Rust components are kept between runs (default:
    /// [`ProgramCache::user`]). Local processes only: with docker or podman a
    /// program is built once per run in its image, into the run directory.
    pub fn program_cache(mut self, cache: ProgramCache) -> Self {
        self.program_cache = cache;
        self
    }

    /// The Python that runs the Python lightweight components of pipeline IR ([`run_ir`]), as
    /// kfp's `SubprocessRunner` runs them with its own: it needs kfp 2 (`pip install kfp`).
    /// Default: `$KFP2_PYTHON`, else `python3` on `PATH`. Local processes only: with docker or
    /// podman, the image's `python3` runs them.
    pub fn python(mut self, python: impl Into<PathBuf>) -> Self {
        self.python = Some(python.into());
        self
    }

    /// The Python of [`RunOptions::python`], or its default.
    fn python_program(&self) -> String {
        match &self.python {
            Some(python) => python.to_string_lossy().into_owned(),
            None => std::env::var("KFP2_PYTHON").ok().filter(|python| !python.is_empty()).unwrap_or("python3".into()),
        }
    }

    /// The run directory.
    pub fn run_dir(&self) -> &Path {
        &self.run_dir
    }
}

/// Reads a Workflow from YAML or JSON; an unknown field or a wrong type is an
/// error naming its YAML path, line and column.
pub fn parse_workflow(text: &str) -> Result<Workflow, RunError> {
    Workflow::from_yaml(text).map_err(|error| RunError::Malformed(error.to_string()))
}

/// Everything [`run_workflow`] checks before it starts, without running anything.
pub fn check(workflow: &Workflow, options: &RunOptions) -> Result<(), RunError> {
    plan::plan(workflow, &options.params, options.engine, &host_env).map(drop)
}

/// Runs `workflow` to its end and reports every task. `Err` only when it could
/// not start; a failed task makes a report whose phase is not `Succeeded`.
pub fn run_workflow(workflow: &Workflow, options: &RunOptions) -> Result<RunReport, RunError> {
    execute(workflow, options, LocalPrograms::default())
}

/// Runs a `#[pipeline]` in this process: it is compiled to its Workflow, which
/// runs as [`run_workflow`] runs it, except that every component made from a
/// Rust function is called as that function (with the container's command line
/// and wire code) instead of being built and started. Values and files pass
/// between tasks exactly as between containers, so the outputs are the ones a
/// cluster would give.
///
/// ```no_run
/// # fn example(my_pipeline: impl kfp_core::Pipeline) -> Result<(), kfp_core::run::RunError> {
/// use kfp_core::run::RunOptions;
/// let options = RunOptions::new("runs/add").arg("value_1", 3).arg("value_2", 4);
/// let report = kfp_core::run::run_pipeline(my_pipeline, &options)?;
/// println!("{:?}", report.output("multiply", "multiply-Output"));
/// # Ok(()) }
/// ```
///
/// Limits of a process: a function cannot be killed, so past its deadline (or
/// on a cancel) its task fails while the function finishes in the background;
/// what it prints goes to this process's output, not to the task's log (which
/// gets its error or panic).
///
/// The Workflow is compiled by `Compiler::new()` with no size limit (no cluster
/// stores it); [`run_pipeline_with`] takes the compiler.
pub fn run_pipeline(pipeline: impl Pipeline, options: &RunOptions) -> Result<RunReport, RunError> {
    run_pipeline_with(pipeline, &crate::Compiler::new().max_workflow_bytes(usize::MAX), options)
}

/// `my_pipeline.run_local(&options)` for every [`Pipeline`] (in `kfp::prelude`): the runner adds it, as the
/// recorded pipeline knows nothing of runners.
pub trait RunLocal: Pipeline {
    /// Runs the pipeline on this machine, its components called as the Rust
    /// functions they are ([`run_pipeline`]).
    fn run_local(&self, options: &RunOptions) -> Result<RunReport, RunError>
    where
        Self: Sized,
    {
        run_pipeline(self, options)
    }

    /// Runs the pipeline on this machine as KFP v2 runs it: compiled to pipeline IR
    /// ([`run_pipeline_v2`]).
    fn run_local_v2(&self, options: &RunOptions) -> Result<RunReport, RunError>
    where
        Self: Sized,
    {
        run_pipeline_v2(self, options)
    }
}

impl<P: Pipeline> RunLocal for P {}

/// Runs a `#[pipeline]` compiled to KFP v2 pipeline IR, as [`run_ir`] runs the file: every
/// component runs as its container's command (a Rust component's program built once and kept in
/// the [`ProgramCache`]), with the values and files the v2 launcher gives it.
pub fn run_pipeline_v2(pipeline: impl Pipeline, options: &RunOptions) -> Result<RunReport, RunError> {
    let file = crate::Compiler::new().compile_to_ir(pipeline)?;
    run_ir(&file, options)
}

/// [`run_pipeline`], compiled by `compiler` (with shared templates, say).
pub fn run_pipeline_with(
    pipeline: impl Pipeline,
    compiler: &crate::Compiler,
    options: &RunOptions,
) -> Result<RunReport, RunError> {
    CompiledPipeline::new(pipeline, compiler)?.run(options)
}

/// A pipeline compiled for a local run: its Workflow, to check or show before the
/// run, and its Rust functions, called in process when it runs.
pub struct CompiledPipeline {
    workflow: Workflow,
    local: LocalPrograms,
}

impl CompiledPipeline {
    /// Records `pipeline` and compiles it with `compiler`.
    pub fn new(pipeline: impl Pipeline, compiler: &crate::Compiler) -> crate::Result<Self> {
        let recorded = pipeline.build()?;
        let workflow = compiler.compile_recorded(&recorded)?;
        Ok(CompiledPipeline { workflow, local: LocalPrograms::of(&recorded) })
    }

    /// The compiled Workflow.
    pub fn workflow(&self) -> &Workflow {
        &self.workflow
    }

    /// Runs it as [`run_pipeline`] does.
    pub fn run(&self, options: &RunOptions) -> Result<RunReport, RunError> {
        execute(&self.workflow, options, self.local.clone())
    }
}

/// Everything [`run_ir`] checks before it starts, without running anything.
pub fn check_ir(file: &PipelineFile, options: &RunOptions) -> Result<(), RunError> {
    let local = local_workspace(file, options)?;
    let file = local.as_ref().map_or(file, |(file, _)| file);
    let lowered = ir::workflow(file, &options.params)?;
    ir::root_artifacts(file, &options.params)?;
    let params = ir::launcher_params(file, &options.params);
    plan::plan(&lowered.workflow, &params, options.engine, &host_env)?;
    executors(&lowered, options).map(drop)
}

/// The executor contract of `lowered`'s templates, with the Python that runs its Python
/// lightweight components checked (local processes only).
fn executors(lowered: &ir::Lowered, options: &RunOptions) -> Result<executor::Executors, RunError> {
    let python = (options.engine == ContainerEngine::Local).then(|| options.python_program());
    let mut tasks: Vec<&str> =
        lowered.executors.values().filter(|executor| executor.is_python()).map(|executor| executor.task()).collect();
    if let Some(python) = python.as_deref().filter(|_| !tasks.is_empty()) {
        tasks.sort_unstable();
        tasks.dedup();
        executor::check_python(python, &tasks).map_err(|problem| RunError::IrUnsupported(vec![problem]))?;
    }
    Ok(executor::Executors { templates: lowered.executors.clone(), python })
}

/// Runs a KFP v2 pipeline IR file as [`run_workflow`] runs a Workflow (same engine, progress,
/// logs, report, retries and Ctrl-C): its root DAG, nested DAG components, conditions,
/// ParallelFor loops over parameters and over lists of artifacts (their outputs collected as
/// lists, kfp's `dsl.Collected`), exit tasks (which run once their group ends, however it ends, and a first Ctrl-C does not stop)
/// and container executors, with v2's placeholders resolved as kfp's launcher resolves them.
/// Importers import a local path or `file://` URI (a remote URI is refused, naming the
/// importer), and an exit task's `PipelineTaskFinalStatus` is given as kfp.local gives it. kfp 2's
/// pipeline workspace is the run's folder `workspace`, its path each task's `WORKSPACE_PATH_PLACEHOLDER`.
/// Caching is off. Refused before anything starts, naming the task: a DAG's list of artifacts
/// taken from one of several tasks (`dsl.OneOf` over collected artifacts), kfp-kubernetes
/// platform settings, and resolver and custom-job executors. kfp's structured placeholders resolve as
/// kfp.local resolves them: `IfPresent` takes its branch for whether the task gives the input,
/// `Concat` joins its items into one argument, each nested in the other. An input artifact's
/// metadata (its placeholders, and in the executor input) is what its producer's executor output
/// recorded, as kfp.local gives it: numbers as doubles, written by Python's `json.dumps`; a list
/// of artifacts' metadata placeholder reads its first artifact's, as kfp.local's does (a task
/// whose list is empty fails, naming the input, where kfp.local fails too).
///
/// Python lightweight components run as kfp's `SubprocessRunner` runs them: their command (kfp's
/// pip install, then its executor) with [`RunOptions::python`] in place of `python3`, given the
/// executor input (`{{$}}`); the output parameters they return and their artifacts' metadata
/// (a Metrics artifact's metrics) come back in the executor output. A Python without kfp 2 is
/// refused before anything starts, naming the tasks.
pub fn run_ir(file: &PipelineFile, options: &RunOptions) -> Result<RunReport, RunError> {
    let local = local_workspace(file, options)?;
    let file = local.as_ref().map_or(file, |(file, _)| file);
    let lowered = ir::workflow(file, &options.params)?;
    let artifacts = ir::root_artifacts(file, &options.params)?;
    let executors = executors(&lowered, options)?;
    let ir::Lowered { workflow, after_completion, text_outputs, .. } = lowered;
    let params = ir::launcher_params(file, &options.params);
    let mut plan = plan::plan(&workflow, &params, options.engine, &host_env)?;
    plan.v2_launcher = true;
    plan.after_completion = after_completion;
    plan.text_outputs = text_outputs;
    plan.executors = executors;
    if let Some((_, dir)) = &local {
        std::fs::create_dir_all(dir).map_err(|source| RunError::Io {
            action: "create the workspace folder",
            path: dir.clone(),
            source,
        })?;
    }
    execute_plan(&workflow, plan, options, LocalPrograms::default(), artifacts)
}

/// `file` with kfp 2's pipeline workspace as the run's folder `workspace` (and that folder), or
/// `None` when it has no workspace.
fn local_workspace(file: &PipelineFile, options: &RunOptions) -> Result<Option<(PipelineFile, PathBuf)>, RunError> {
    let run_dir = std::path::absolute(&options.run_dir).unwrap_or_else(|_| options.run_dir.clone());
    let dir = run_dir.join("workspace");
    let local = ir::workspace::local(file, &dir).map_err(|problem| RunError::IrUnsupported(vec![problem]))?;
    Ok(local.map(|file| (file, dir)))
}

fn execute(workflow: &Workflow, options: &RunOptions, local: LocalPrograms) -> Result<RunReport, RunError> {
    let plan = plan::plan(workflow, &options.params, options.engine, &host_env)?;
    execute_plan(workflow, plan, options, local, BTreeMap::new())
}

fn execute_plan<'w>(
    workflow: &'w Workflow,
    plan: plan::Plan<'w>,
    options: &RunOptions,
    local: LocalPrograms,
    artifacts: BTreeMap<String, engine::ArtifactIn>,
) -> Result<RunReport, RunError> {
    let started = Instant::now();
    // Absolute: tasks run in directories of their own (and containers mount them).
    let run_dir = std::path::absolute(&options.run_dir).unwrap_or_else(|_| options.run_dir.clone());
    for dir in [run_dir.join("logs"), run_dir.join("tasks")] {
        std::fs::create_dir_all(&dir).map_err(|source| RunError::Io {
            action: "create directory",
            path: dir,
            source,
        })?;
    }
    let name = workflow_name(workflow);
    let parameters = plan.params.clone();
    let machine = std::thread::available_parallelism().map_or(1, usize::from);
    let mut processes = options.parallelism.unwrap_or(machine);
    if let Some(limit) = workflow.spec.parallelism.filter(|&n| n > 0) {
        processes = processes.min(limit as usize);
    }
    let deadline = workflow
        .spec
        .active_deadline_seconds
        .filter(|&s| s >= 0)
        .map(|s| started + std::time::Duration::from_secs(s as u64));
    let engine = Engine {
        globals: Mutex::new(globals::globals(workflow, &name, &plan.params, SystemTime::now())),
        started,
        plan,
        run_dir: run_dir.clone(),
        slots: control::Slots::new(processes),
        fan_out: processes.max(64),
        cancel: options.cancel.clone(),
        deadline,
        observer: options.observer.clone(),
        reports: Mutex::new(Vec::new()),
        local,
        engine: options.engine,
        programs: programs::Programs::new(&options.program_cache, &run_dir),
        metadata: Default::default(),
    };

    let spec = &workflow.spec;
    let root = Node::top("", name.clone(), false);
    let entry = engine.plan.templates[spec.entrypoint.as_str()];
    // Argo substitutes the globals in `spec.arguments` before the entrypoint and the exit handler get them.
    let arguments: BTreeMap<String, String> = {
        let globals = engine.globals();
        parameters.iter().map(|(name, value)| (name.clone(), globals.substitute_known(value))).collect()
    };
    // The pipeline's input artifacts (KFP v2 IR), given as files.
    let outcome = match engine.bind(entry, &arguments, &artifacts) {
        Ok(inputs) => engine.execute(entry, &inputs, &root),
        Err(message) => outcome::Outcome { message: Some(message), ..failed() },
    };
    let (outputs, artifacts) = engine::report_outputs(&outcome);
    let (mut phase, mut message) = match outcome.phase {
        Phase::Succeeded | Phase::Skipped => (Phase::Succeeded, None),
        Phase::Error => (Phase::Error, outcome.message),
        _ => (Phase::Failed, outcome.message),
    };

    if let Some(handler) = spec.on_exit.as_deref().and_then(|name| engine.plan.templates.get(name).copied()) {
        {
            let mut globals = engine.globals.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            globals.set("workflow.status", phase.as_str());
            globals.set("workflow.failures", failures(&engine));
        }
        let node = Node::top("onExit", format!("{name}.onExit"), true);
        let exit = match engine.bind(handler, &arguments, &BTreeMap::new()) {
            Ok(inputs) => engine.execute(handler, &inputs, &node),
            Err(why) => outcome::Outcome { message: Some(why), ..failed() },
        };
        if !exit.phase.is_ok() && phase == Phase::Succeeded {
            phase = Phase::Failed;
            message = Some(format!("the exit handler {}: {}", exit.phase, exit.message.unwrap_or_default()));
        }
    }
    let tasks = engine.reports.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    let report = RunReport {
        workflow: name,
        phase,
        message,
        parameters,
        outputs,
        artifacts,
        tasks,
        run_dir: run_dir.clone(),
        duration: started.elapsed(),
    };
    let path = run_dir.join("run.json");
    let json = serde_json::to_string_pretty(&report).unwrap_or_default();
    std::fs::write(&path, json).map_err(|source| RunError::Io { action: "write", path, source })?;
    Ok(report)
}

fn failed() -> outcome::Outcome {
    outcome::Outcome { phase: Phase::Failed, ..outcome::Outcome::succeeded() }
}

fn host_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The Workflow's `name`, or its `generateName` completed as Kubernetes would.
fn workflow_name(workflow: &Workflow) -> String {
    let meta = &workflow.metadata;
    if let Some(name) = meta.name.clone().filter(|name| !name.is_empty()) {
        return name;
    }
    let prefix = meta.generate_name.clone().unwrap_or_else(|| "workflow-".to_owned());
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos()) ^ std::process::id();
    let alphabet = b"bcdfghjklmnpqrstvwxz2456789";
    let suffix: String =
        (0..5).map(|i| alphabet[(nanos as usize / alphabet.len().pow(i)) % alphabet.len()] as char).collect();
    format!("{prefix}{suffix}")
}

/// `workflow.failures`: the failed tasks as Argo lists them, in JSON.
fn failures(engine: &Engine<'_>) -> String {
    let reports = engine.reports.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let list: Vec<serde_json::Value> = reports
        .iter()
        .filter(|task| matches!(task.phase, Phase::Failed | Phase::Error) && task.kind == NodeKind::Container)
        .map(|task| {
            serde_json::json!({
                "displayName": task.display_name,
                "message": task.message.clone().unwrap_or_default(),
                "templateName": task.template,
                "phase": task.phase.as_str(),
                "podName": task.id,
            })
        })
        .collect();
    serde_json::Value::Array(list).to_string()
}
