//! `run-local`: runs a Workflow YAML on this machine (`kfp_core::run`), or, in a
//! user's program, one of its pipelines in process, with a
//! live line per task, logs in the run directory, the failing task's log tail,
//! a summary table, or one JSON document with `--json`.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use kfp_core::dsl::PipelineInfo;
use kfp_core::run::{self, Cancel, Observer, Phase, RunReport, TaskReport};
use kfp_core::RegisteredPipeline;

use super::CliError;

/// Lines of a failed task's log printed after the run.
const LOG_TAIL_LINES: usize = 20;

/// Arguments of `run-local`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Each container runs as a local process with this machine's programs (the image is ignored; \
with --engine docker or podman, in its image, its directory mounted at the same path), \
in its own directory under the run directory, where its log is saved as logs/<task>.log. \
Exit status 0 only when the run succeeded, 128 + the signal when one stopped it. Ctrl-C, SIGTERM or SIGHUP \
stops every task (and what it started, even detached, on Linux) and runs the exit handler; \
a second signal stops the exit handler too.")]
pub struct RunArgs {
    /// The Workflow YAML (compiled by kfp-rs or by Python's kfp). In a user's
    /// program (`kfp::cli::main`) also a pipeline's name.
    #[arg(value_name = "WORKFLOW", help = "The Workflow YAML (compiled by kfp-rs or by Python's kfp)")]
    pub workflow: PathBuf,
    /// A workflow parameter, NAME=VALUE (repeatable); NAME=@FILE reads the value
    /// from FILE, NAME=@@TEXT is the value @TEXT.
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Where logs and task files go (default: a new directory in `$TMPDIR/kfp-runs`).
    #[arg(long, value_name = "DIR")]
    pub run_dir: Option<PathBuf>,
    /// At most this many task processes at once (default: the number of CPUs).
    #[arg(long, value_name = "N")]
    pub parallelism: Option<usize>,
    /// Print one JSON document (each task's status, exit code, outputs and duration, and the run's status) instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Run each container in its image with `docker run` (or `podman run`), the
    /// task's directory mounted, instead of as a local process.
    #[arg(long, value_name = "ENGINE", value_parser = ["docker", "podman", "local"], default_value = "local")]
    pub engine: String,
    /// Build each Rust component's program once for this run, in the run directory,
    /// instead of reusing the programs kept in the user's cache directory
    /// (`$XDG_CACHE_HOME/kfp-rs/programs` or `~/.cache/kfp-rs/programs`).
    #[arg(long)]
    pub no_cache: bool,
    /// Most bytes the program cache keeps, the least recently used removed first:
    /// bytes or a number with K, M, G or T (binary units; default 1G).
    #[arg(long, value_name = "SIZE", env = "KFP_PROGRAM_CACHE_SIZE", value_parser = parse_size)]
    pub program_cache_size: Option<u64>,
    /// For a pipeline of this program: compile it with shared templates, a template per
    /// component rather than per task, as `compile --share-templates` does. A file runs as it is.
    #[arg(long)]
    pub share_templates: bool,
    /// For a pipeline of this program: compile it with build steps, each component's program
    /// built once and its tasks running the binary, as `compile --build-once` does. A file runs as it is.
    #[arg(long)]
    pub build_once: bool,
    /// The Python that runs a KFP v2 pipeline IR file's Python lightweight components, as kfp's
    /// SubprocessRunner does; it needs kfp 2 (default: $KFP2_PYTHON, else python3).
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,
}

/// Runs `run-local` and returns the process exit code: 0 when the run
/// succeeded, 128 + the signal when one stopped it (130 for Ctrl-C, 143 for
/// SIGTERM, 129 for SIGHUP), 1 otherwise.
pub fn run(args: &RunArgs) -> std::process::ExitCode {
    // Unlocked, as in `cli::main`: a component's `println!` must not wait for the run to end.
    let mut out = std::io::stdout();
    match execute(args, &mut out) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            let _ = out.flush();
            let _ = writeln!(std::io::stderr(), "error: {error}");
            std::process::ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(1))
        }
    }
}

/// The command behind [`run`]: writes the summary (or JSON) to `out`, live lines to stderr.
pub(super) fn execute(args: &RunArgs, out: &mut dyn Write) -> Result<(), CliError> {
    for (set, flag) in [(args.share_templates, "--share-templates"), (args.build_once, "--build-once")] {
        if set {
            return Err(CliError::Invalid(format!(
                "{flag} compiles a pipeline of this program; {} is a Workflow file, which runs as it is: leave the flag out",
                args.workflow.display()
            )));
        }
    }
    let text = std::fs::read_to_string(&args.workflow).map_err(|source| CliError::Io {
        action: "read",
        path: args.workflow.display().to_string(),
        source,
    })?;
    let stem = args.workflow.file_stem().map_or_else(|| "run".into(), |stem| stem.to_string_lossy().into_owned());
    if super::validate::is_pipeline_ir(&text) {
        let file = kfp_core::ir::PipelineFile::from_yaml(&text)
            .map_err(|error| CliError::Invalid(format!("{} (KFP v2 pipeline IR): {error}", args.workflow.display())))?;
        let stem = stem.strip_suffix(".ir").unwrap_or(&stem);
        let (options, cancel) = options(args, &params(args)?, stem)?;
        run::check_ir(&file, &options).map_err(|error| CliError::Invalid(error.to_string()))?;
        return run_and_report(args, options, &cancel, out, |options| run::run_ir(&file, options));
    }
    let workflow = run::parse_workflow(&text)
        .map_err(|error| CliError::Invalid(format!("{}: {error}", args.workflow.display())))?;
    let (options, cancel) = options(args, &params(args)?, &stem)?;
    run::check(&workflow, &options).map_err(|error| CliError::Invalid(error.to_string()))?;
    run_and_report(args, options, &cancel, out, |options| run::run_workflow(&workflow, options))
}

/// `run-local` in a user's program: `TARGET` is one of its pipelines (by name,
/// Rust name or Rust path), run in process with its Rust functions; failing
/// that, a Workflow YAML file, run as the `kfp` binary runs it.
pub(super) fn execute_in_program(args: &RunArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let target = args.workflow.to_string_lossy();
    let all = kfp_core::pipelines();
    let found: Vec<&RegisteredPipeline> = all.iter().copied().filter(|entry| entry.is_named(&target)).collect();
    match found.as_slice() {
        [entry] => execute_pipeline(entry, args, out),
        [] if args.workflow.is_file() => execute(args, out),
        [] => {
            let known: Vec<String> = all.iter().map(|entry| format!("`{}`", entry.name())).collect();
            let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
            Err(CliError::Invalid(format!(
                "no pipeline is named `{target}` and there is no such Workflow file; this program's pipelines: {known}"
            )))
        }
        several => {
            let paths: Vec<String> = several.iter().map(|entry| entry.rust_path()).collect();
            Err(CliError::Invalid(format!(
                "`{target}` names several pipelines ({}); give the Rust path instead",
                paths.join(", ")
            )))
        }
    }
}

/// Runs a registered pipeline in process (`kfp::run::run_pipeline`).
fn execute_pipeline(entry: &RegisteredPipeline, args: &RunArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let pipeline = entry.pipeline();
    let info = pipeline.info();
    let params = params(args)?;
    check_param_types(&info, &params)?;
    // No cluster takes this Workflow: its size is not limited.
    let compiler = kfp_core::Compiler::new()
        .share_templates(args.share_templates)
        .build_once(args.build_once)
        .max_workflow_bytes(usize::MAX);
    // Compiled once: checked before anything starts, then run.
    let compiled = run::CompiledPipeline::new(pipeline, &compiler)?;
    let stem = kfp_core::compiler::names::sanitize(&info.name).unwrap_or_else(|| "pipeline".to_owned());
    let (options, cancel) = options(args, &params, &stem)?;
    run::check(compiled.workflow(), &options).map_err(|error| CliError::Invalid(error.to_string()))?;
    run_and_report(args, options, &cancel, out, |options| {
        // The functions print to this process's stdout; with --json, stdout is the document's alone.
        let _prints_to_stderr = if args.json { StdoutToStderr::start() } else { None };
        compiled.run(options)
    })
}

/// While it lives, what this process writes to stdout goes to stderr. Unix
/// only (elsewhere, `None`: the prints precede the JSON document).
struct StdoutToStderr {
    #[cfg(unix)]
    saved: std::os::fd::OwnedFd,
}

impl StdoutToStderr {
    #[cfg(unix)]
    fn start() -> Option<Self> {
        use std::os::fd::AsFd;
        let _ = std::io::stdout().flush();
        let saved = std::io::stdout().as_fd().try_clone_to_owned().ok()?;
        // SAFETY: both descriptors are open; dup2 only repoints descriptor 1.
        let redirected = unsafe { libc::dup2(libc::STDERR_FILENO, libc::STDOUT_FILENO) };
        (redirected >= 0).then_some(StdoutToStderr { saved })
    }

    #[cfg(not(unix))]
    fn start() -> Option<Self> {
        None
    }
}

impl Drop for StdoutToStderr {
    fn drop(&mut self) {
        let _ = std::io::stdout().flush();
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: `saved` is the original stdout, open until this guard is dropped.
            unsafe { libc::dup2(self.saved.as_raw_fd(), libc::STDOUT_FILENO) };
        }
    }
}

/// Pipeline parameters whose value cannot be read as their type (`value_1=abc`
/// for an integer) are errors before anything runs, not failed tasks.
fn check_param_types(info: &PipelineInfo, params: &[(String, String)]) -> Result<(), CliError> {
    let mut problems = Vec::new();
    for (name, value) in params {
        let Some(declared) = info.params.iter().find(|declared| declared.name == *name) else { continue };
        if let Err(error) = declared.ty.kind.check_text(value) {
            // A value read from a file may be long.
            let value = match value.char_indices().nth(80) {
                Some((cut, _)) => format!("{}... ({} characters)", &value[..cut], value.chars().count()),
                None => value.clone(),
            };
            problems.push(format!("--param {name}: `{value}` is not a valid {}: {error}", declared.ty.type_name));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CliError::Invalid(problems.join("\n")))
    }
}

/// `--program-cache-size`: `1073741824`, `512M`, `1G`, `1GiB`.
fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let digits = trimmed.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = trimmed[digits.len()..].to_ascii_uppercase();
    let shift = match unit.trim_end_matches("IB").trim_end_matches('B') {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(format!("`{text}` has an unknown unit: use bytes, or a number with K, M, G or T (512M, 1G)")),
    };
    let number: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write bytes, or a number with K, M, G or T (512M, 1G)"))?;
    number.checked_mul(1 << shift).ok_or_else(|| format!("`{text}` is too large"))
}

/// The `--param`s' names and values, files read.
fn params(args: &RunArgs) -> Result<Vec<(String, String)>, CliError> {
    args.params.iter().map(|param| super::param::parse(param).map_err(CliError::Usage)).collect()
}

/// The run's options from the command line, and the handle a signal cancels it with.
fn options(args: &RunArgs, params: &[(String, String)], stem: &str) -> Result<(run::RunOptions, Cancel), CliError> {
    let run_dir = args.run_dir.clone().unwrap_or_else(|| default_run_dir(stem));
    let cancel = Cancel::new();
    let mut options = run::RunOptions::new(&run_dir).cancel(cancel.clone());
    for (name, value) in params {
        options = options.param(name, value);
    }
    if let Some(parallelism) = args.parallelism {
        options = options.parallelism(parallelism);
    }
    if let Some(python) = &args.python {
        options = options.python(python);
    }
    let engine: run::ContainerEngine = args.engine.parse().map_err(CliError::Usage)?;
    let mut cache = if args.no_cache { run::ProgramCache::off() } else { run::ProgramCache::user() };
    if let Some(bytes) = args.program_cache_size {
        cache = cache.max_bytes(bytes);
    }
    Ok((options.engine(engine).program_cache(cache), cancel))
}

/// Runs with the live view on stderr, then writes the summary (or JSON) to `out`.
fn run_and_report(
    args: &RunArgs,
    options: run::RunOptions,
    cancel: &Cancel,
    out: &mut dyn Write,
    run: impl FnOnce(&run::RunOptions) -> Result<RunReport, run::RunError>,
) -> Result<(), CliError> {
    let live = Arc::new(Live::new(std::io::stderr().is_terminal()));
    let options = options.observer(Arc::clone(&live) as Arc<dyn Observer>);
    if let Err(error) = run::become_subreaper() {
        // Elsewhere than on Linux this is the documented limit, not news.
        if error.kind() != std::io::ErrorKind::Unsupported {
            let _ =
                writeln!(std::io::stderr(), "warning: processes a task detaches with setsid() may outlive it: {error}");
        }
    }
    let watch = SignalWatch::start(cancel);
    eprintln!("run directory: {}", options.run_dir().display());
    let ticker = live.start_ticker();
    let result = run(&options);
    let signal = watch.stop();
    live.finish();
    if let Some(ticker) = ticker {
        let _ = ticker.join();
    }
    let report = result.map_err(|error| CliError::Invalid(error.to_string()))?;

    let written = if args.json { write_json(&report, out) } else { write_summary(&report, out) };
    if let Some(signal) = signal {
        // The exit status names the signal even when stdout is gone with the terminal (SIGHUP).
        let state = format!("{} ({})", report.phase, cancel.reason());
        return Err(CliError::Stopped { run_id: report.workflow.clone(), state, signal });
    }
    written.map_err(CliError::stdout)?;
    if report.succeeded() {
        Ok(())
    } else {
        let state = match &report.message {
            Some(message) => format!("{}: {message}", report.phase),
            None => report.phase.to_string(),
        };
        Err(CliError::RunFailed { run_id: report.workflow.clone(), state })
    }
}

/// `$TMPDIR/kfp-runs/<stem>-<seconds>-<pid>`: new for every run.
fn default_run_dir(stem: &str) -> PathBuf {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    std::env::temp_dir().join("kfp-runs").join(format!("{stem}-{seconds}-{}", std::process::id()))
}

// ----- signals -----------------------------------------------------------------------------

/// A run's cancel handle, and the first signal that stopped it (0 until one does).
type Watched = (Cancel, Arc<AtomicI32>);

/// The run a signal stops. The handlers are process-wide and installed once;
/// each run registers itself while it goes.
static CURRENT: OnceLock<Mutex<Option<Watched>>> = OnceLock::new();

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP stop the current run while it lives: the first stops the tasks
/// and lets the exit handler run, the second stops the exit handler too.
struct SignalWatch(Arc<AtomicI32>);

impl SignalWatch {
    fn start(cancel: &Cancel) -> Self {
        let current = CURRENT.get_or_init(|| {
            // Without handlers a signal would end only us: the tasks run in process
            // groups of their own and would go on as orphans.
            if let Err(error) = listen() {
                let _ = writeln!(std::io::stderr(), "warning: signals cannot stop the run cleanly: {error}");
            }
            Mutex::new(None)
        });
        let signal = Arc::new(AtomicI32::new(0));
        *current.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((cancel.clone(), Arc::clone(&signal)));
        SignalWatch(signal)
    }

    /// Ends the watch; the signal that stopped the run, if one did.
    fn stop(self) -> Option<i32> {
        Some(self.0.load(Ordering::SeqCst)).filter(|&signal| signal != 0)
    }
}

impl Drop for SignalWatch {
    fn drop(&mut self) {
        if let Some(current) = CURRENT.get() {
            *current.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
        }
    }
}

#[cfg(unix)]
fn listen() -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::spawn(move || signals.forever().for_each(on_signal));
    Ok(())
}

#[cfg(not(unix))]
fn listen() -> std::io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    for signal in [SIGINT, SIGTERM] {
        // SAFETY: on Windows the C runtime calls signal handlers on a thread it
        // starts for the purpose, not on an interrupted one, so the action may
        // lock and print.
        unsafe { signal_hook::low_level::register(signal, move || on_signal(signal)) }?;
    }
    Ok(())
}

fn on_signal(signal: i32) {
    let name = signal_hook::low_level::signal_name(signal).unwrap_or("a signal");
    let current = CURRENT.get().and_then(|current| current.lock().ok()?.clone());
    let Some((cancel, stopped_by)) = current else {
        // No run to stop: end as the signal's default action would.
        std::process::exit(128 + signal);
    };
    let first = stopped_by.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst).is_ok();
    cancel.cancel_because(format!("stopped by {name}"));
    let what = if first { "stopping the tasks, then the exit handler runs" } else { "stopping the exit handler" };
    // Not eprintln!, which panics when stderr fails: after SIGHUP the terminal is gone.
    let _ = writeln!(std::io::stderr(), "\n{name}: {what}");
}

// ----- live view ---------------------------------------------------------------------------

/// One line per task on stderr: on a terminal, running tasks stay at the bottom
/// with their time ticking, pending ones below them, and finished tasks scroll
/// above; otherwise one plain line when a task waits for a slot, one when it
/// starts and one when it ends.
struct Live {
    terminal: bool,
    started: Instant,
    state: Mutex<LiveState>,
}

/// Pending tasks shown by name on a terminal; more are counted on one line.
const PENDING_SHOWN: usize = 3;

#[derive(Default)]
struct LiveState {
    /// Running tasks: id, display name, start.
    running: Vec<(String, String, Instant)>,
    /// Pending tasks: id, display name.
    pending: Vec<(String, String)>,
    /// Lines of the running block drawn last time.
    drawn: usize,
    done: bool,
}

impl Live {
    fn new(terminal: bool) -> Self {
        Live { terminal, started: Instant::now(), state: Mutex::new(LiveState::default()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LiveState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// On a terminal, redraws the running block five times a second.
    fn start_ticker(self: &Arc<Self>) -> Option<std::thread::JoinHandle<()>> {
        if !self.terminal {
            return None;
        }
        let live = Arc::clone(self);
        Some(std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(200));
            let mut state = live.lock();
            if state.done {
                break;
            }
            live.redraw(&mut state, None);
        }))
    }

    /// Clears the running block, prints `line` above it (if any), draws the block again.
    fn redraw(&self, state: &mut LiveState, line: Option<&str>) {
        let mut err = std::io::stderr().lock();
        let mut text = String::new();
        if state.drawn > 0 {
            text.push_str(&format!("\x1b[{}A", state.drawn));
        }
        text.push_str("\x1b[J");
        if let Some(line) = line {
            text.push_str(line);
            text.push('\n');
        }
        if !state.done {
            let mut lines = 0;
            for (_, display, started) in &state.running {
                text.push_str(&format!("  {:<9} {display} {}\n", Phase::Running.as_str(), seconds(started.elapsed())));
                lines += 1;
            }
            let shown = if state.pending.len() > PENDING_SHOWN { PENDING_SHOWN - 1 } else { PENDING_SHOWN };
            for (_, display) in state.pending.iter().take(shown) {
                text.push_str(&format!("  {:<9} {display}\n", Phase::Pending.as_str()));
                lines += 1;
            }
            if state.pending.len() > shown {
                let more = state.pending.len() - shown;
                text.push_str(&format!("  {:<9} {more} more tasks wait for a slot\n", Phase::Pending.as_str()));
                lines += 1;
            }
            state.drawn = lines;
        } else {
            state.drawn = 0;
        }
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }

    fn finish(&self) {
        let mut state = self.lock();
        state.done = true;
        if self.terminal {
            self.redraw(&mut state, None);
        }
    }

    fn stamp(&self) -> String {
        format!("[{:>7}]", seconds(self.started.elapsed()))
    }
}

impl Observer for Live {
    fn task_pending(&self, id: &str, display_name: &str) {
        let mut state = self.lock();
        if self.terminal {
            state.pending.push((id.to_owned(), display_name.to_owned()));
            self.redraw(&mut state, None);
        } else {
            eprintln!("{} {:<9} {display_name}", self.stamp(), Phase::Pending.as_str());
        }
    }

    fn task_started(&self, id: &str, display_name: &str) {
        let mut state = self.lock();
        if self.terminal {
            state.pending.retain(|(pending, _)| pending != id);
            state.running.push((id.to_owned(), display_name.to_owned(), Instant::now()));
            self.redraw(&mut state, None);
        } else {
            eprintln!("{} {:<9} {display_name}", self.stamp(), Phase::Running.as_str());
        }
    }

    fn task_finished(&self, report: &TaskReport) {
        let mut state = self.lock();
        state.pending.retain(|(id, _)| *id != report.id);
        state.running.retain(|(id, _, _)| *id != report.id);
        let mut line = format!("{:<9} {} {}", report.phase.as_str(), report.display_name, seconds(report.duration));
        if matches!(report.phase, Phase::Skipped | Phase::Omitted | Phase::Failed | Phase::Error) {
            if let Some(message) = &report.message {
                line.push_str(&format!(": {message}"));
            }
        }
        if self.terminal {
            self.redraw(&mut state, Some(&format!("{} {line}", self.stamp())));
        } else {
            eprintln!("{} {line}", self.stamp());
        }
    }
}

fn seconds(duration: Duration) -> String {
    format!("{:.1}s", duration.as_secs_f64())
}

// ----- after the run -----------------------------------------------------------------------

/// `--json`: the report, reduced to what scripts read.
fn write_json(report: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    let tasks: Vec<serde_json::Value> = report
        .tasks
        .iter()
        .map(|task| {
            serde_json::json!({
                "id": task.id,
                "name": task.display_name,
                "template": task.template,
                "kind": task.kind,
                "status": task.phase,
                "exit_code": task.exit_code,
                "attempts": task.attempts,
                "outputs": task.outputs,
                "metadata": task.metadata,
                "duration": round(task.duration),
                "log": task.log,
                "message": task.message,
                "items": task.items,
                "exit_handler": task.exit_handler,
            })
        })
        .collect();
    let document = serde_json::json!({
        "workflow": report.workflow,
        "status": report.phase,
        "message": report.message,
        "parameters": report.parameters,
        "outputs": report.outputs,
        "duration": round(report.duration),
        "run_dir": report.run_dir,
        "tasks": tasks,
    });
    let text = serde_json::to_string_pretty(&document).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}

fn round(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 1000.0).round() / 1000.0
}

/// The failed tasks' log tails, the table of tasks, and the run's status.
fn write_summary(report: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    for task in report.tasks.iter().filter(|task| matches!(task.phase, Phase::Failed | Phase::Error)) {
        let Some(log) = &task.log else { continue };
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = &lines[lines.len().saturating_sub(LOG_TAIL_LINES)..];
        writeln!(out, "--- {} {}: last {} lines of {} ---", task.display_name, task.phase, tail.len(), log.display())?;
        for line in tail {
            writeln!(out, "{line}")?;
        }
    }
    let rows: Vec<[String; 5]> = report
        .tasks
        .iter()
        .map(|task| {
            [
                task_cell(task),
                task.phase.to_string(),
                task.exit_code.map(|code| code.to_string()).unwrap_or_default(),
                seconds(task.duration),
                outputs_cell(&task.outputs),
            ]
        })
        .collect();
    let header = ["TASK", "STATUS", "EXIT", "DURATION", "OUTPUTS"].map(str::to_owned);
    let mut widths = header.clone().map(|cell| cell.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    writeln!(out)?;
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(cell, width)| format!("{cell:<width$}")).collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    writeln!(out)?;
    let mut status = format!("{} {} in {}", report.workflow, report.phase, seconds(report.duration));
    if let Some(message) = &report.message {
        status.push_str(&format!(": {message}"));
    }
    writeln!(out, "{status}")?;
    if !report.outputs.is_empty() {
        writeln!(out, "pipeline outputs: {}", outputs_cell(&report.outputs))?;
    }
    writeln!(out, "logs and files: {}", report.run_dir.display())
}

/// The task's name, with the items of the loop iterations it ran in
/// (`square [item 2]`) and, for the exit handler, `(exit handler)`; the exit
/// handler itself by its template's name (`cleanup`), not Argo's `<run>.onExit`.
fn task_cell(task: &TaskReport) -> String {
    let mut cell = if task.id == "onExit" { task.template.clone() } else { task.display_name.clone() };
    match task.items.as_slice() {
        [] => {}
        [item] => cell.push_str(&format!(" [item {item}]")),
        items => cell.push_str(&format!(" [items {}]", items.join(", "))),
    }
    if task.exit_handler {
        cell.push_str(" (exit handler)");
    }
    cell
}

/// `name=value` pairs, each value cut to one short line.
fn outputs_cell(outputs: &BTreeMap<String, String>) -> String {
    outputs
        .iter()
        .map(|(name, value)| {
            let value = value.replace('\n', "\\n");
            let value = match value.char_indices().nth(40) {
                Some((cut, _)) => format!("{}...", &value[..cut]),
                None => value,
            };
            format!("{name}={value}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}
