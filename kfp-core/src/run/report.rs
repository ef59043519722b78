//! What a run tells: per task its phase, exit code, outputs, duration and log;
//! for the run its phase. Serializes to the JSON of `kfp run --json`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

/// The phase of a task or of the run, named as Argo names node phases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Phase {
    /// Ran and exited 0 (for a DAG or loop: every child succeeded or was skipped).
    Succeeded,
    /// Exited non-zero (after its retries), passed its deadline, or a child failed.
    Failed,
    /// Could not run: an output file was missing, a value did not resolve, a command did not start.
    Error,
    /// Its `when` condition was false.
    Skipped,
    /// Not run because a dependency failed or the run stopped first.
    Omitted,
    /// Ready, its dependencies met, but waiting for a parallelism slot. Only
    /// while the run goes (the live view); a report's tasks have ended.
    Pending,
    /// Started and not ended yet. Only while the run goes, as `Pending`.
    Running,
}

impl Phase {
    /// True for `Succeeded` and `Skipped`: what lets the tasks after it run.
    pub fn is_ok(self) -> bool {
        matches!(self, Phase::Succeeded | Phase::Skipped)
    }

    /// The name, as Argo writes it (`Succeeded`).
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
            Phase::Error => "Error",
            Phase::Skipped => "Skipped",
            Phase::Omitted => "Omitted",
            Phase::Pending => "Pending",
            Phase::Running => "Running",
        }
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of node a task report is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// A container or script template: a process ran.
    Container,
    /// A DAG template (kfp's conditions, loops, exit-handler groups, graph components).
    Dag,
    /// A task with `withItems`/`withParam`/`withSequence`: the group of its iterations.
    Loop,
}

/// One task of the run: a leaf that ran a process, a DAG, or a loop.
#[derive(Clone, Debug, Serialize)]
pub struct TaskReport {
    /// Unique id, the path of task names from the entrypoint: `condition-1.flip-again`,
    /// `for-loop-2-1.print` (iteration 1 of the loop).
    pub id: String,
    /// Argo's display name: `for-loop-2(1:200)` for an iteration.
    pub display_name: String,
    /// The template it ran.
    pub template: String,
    /// Container, DAG or loop.
    pub kind: NodeKind,
    /// How it ended.
    pub phase: Phase,
    /// The last attempt's exit code (containers that started).
    pub exit_code: Option<i32>,
    /// Attempts made (1 + retries used); 0 when it did not run.
    pub attempts: u32,
    /// Output parameters, and output artifacts whose content is short UTF-8 text, by name.
    pub outputs: BTreeMap<String, String>,
    /// Output artifacts by name: where their files are.
    pub artifacts: BTreeMap<String, PathBuf>,
    /// Output artifacts' metadata by name, as a KFP v2 component's executor output gives it
    /// (what kfp records in ML Metadata: a Metrics artifact's metrics, say); empty otherwise.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, serde_json::Value>,
    /// Wall time from its start to its end, in seconds: for a container, from
    /// when its first attempt got a process slot (time spent `Pending` does not
    /// count); zero when it never ran.
    #[serde(serialize_with = "seconds")]
    pub duration: Duration,
    /// The log of every attempt (containers).
    pub log: Option<PathBuf>,
    /// Why it failed, errored, was skipped or omitted.
    pub message: Option<String>,
    /// The items of the loop iterations it ran in, outermost first, as the
    /// iterations' display names show them (`1`, `{"a":1}`, cut at 40 characters);
    /// empty outside loops and for an iteration itself, whose display name holds its item.
    pub items: Vec<String>,
    /// Whether it is the exit handler (`onExit`) or runs inside it.
    pub exit_handler: bool,
}

/// The result of a whole run.
#[derive(Clone, Debug, Serialize)]
pub struct RunReport {
    /// The Workflow's name (its `name`, or `generateName` without the dash).
    pub workflow: String,
    /// `Succeeded` only when the entrypoint and the exit handler succeeded.
    pub phase: Phase,
    /// Why the run failed.
    pub message: Option<String>,
    /// The parameters the run used, defaults included.
    pub parameters: BTreeMap<String, String>,
    /// The pipeline's outputs, by name: what a KFP v2 pipeline returns (its root's
    /// `dag.outputs`), parameters and artifacts whose content is short UTF-8 text.
    pub outputs: BTreeMap<String, String>,
    /// The pipeline's output artifacts by name: where their files are.
    pub artifacts: BTreeMap<String, PathBuf>,
    /// Every task, in the order they finished.
    pub tasks: Vec<TaskReport>,
    /// The run directory: logs, task roots, `run.json`.
    pub run_dir: PathBuf,
    /// Wall time of the whole run, in seconds.
    #[serde(serialize_with = "seconds")]
    pub duration: Duration,
}

impl RunReport {
    /// True when the run succeeded.
    pub fn succeeded(&self) -> bool {
        self.phase == Phase::Succeeded
    }

    /// The task with id `id`.
    pub fn task(&self, id: &str) -> Option<&TaskReport> {
        self.tasks.iter().find(|task| task.id == id)
    }

    /// Output `name` of task `id` (`report.output("multiply", "multiply-Output")`).
    pub fn output(&self, id: &str, name: &str) -> Option<&str> {
        self.task(id).and_then(|task| task.outputs.get(name)).map(String::as_str)
    }
}

fn seconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    // Milliseconds are enough for people and scripts; fewer digits in the JSON.
    serializer.serialize_f64((duration.as_secs_f64() * 1000.0).round() / 1000.0)
}
