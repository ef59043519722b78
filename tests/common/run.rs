//! Runs compiled container commands on this machine (sh + rustc; the image is
//! ignored), with output paths moved into a scratch directory per task.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

#[cfg(unix)]
use std::os::unix::fs::symlink;
#[cfg(windows)]
use std::os::windows::fs::symlink_file as symlink;

use kfp::argo::{Template, Workflow};

/// A fresh directory for one test, removed when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    /// Creates `<tmp>/kfp-rs-test-<pid>-<label>`, empty.
    pub fn new(label: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("kfp-rs-test-{}-{label}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Rewrites kfp's fixed `/tmp/outputs/...` and `/tmp/inputs/...` paths into `root`.
pub fn relocate(text: &str, root: &Path) -> String {
    text.replace("/tmp/outputs/", &format!("{}/outputs/", root.display()))
        .replace("/tmp/inputs/", &format!("{}/inputs/", root.display()))
}

/// Runs `command` + `args` (a container's) with `sh`; a program it builds is
/// checked against the base image's Rust ([`check_builds_against_image_rust`]).
pub fn run_container(command: &[String], args: &[String]) -> Output {
    check_builds_against_image_rust();
    let (program, rest) = command.split_first().expect("a command");
    // The command builds in `mktemp -d`: a pod's /tmp goes with the pod, this machine's would not.
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let tmp = Scratch::new(&format!("container-{}", RUNS.fetch_add(1, Ordering::Relaxed)));
    Command::new(program).args(rest).args(args).env("TMPDIR", &*tmp).output().expect("the container command starts")
}

/// Runs every task of a compiled single-DAG Workflow in dependency order, with
/// `params` as the pipeline arguments; returns each task's output files' contents
/// keyed by output artifact name (`multiply-Output`).
pub fn run_workflow(workflow: &Workflow, params: &[(&str, &str)], label: &str) -> BTreeMap<String, String> {
    let root = Scratch::new(label);
    let templates: HashMap<&str, &Template> = workflow.spec.templates.iter().map(|t| (t.name.as_str(), t)).collect();
    let entry = templates[workflow.spec.entrypoint.as_str()];
    let dag = entry.dag.as_ref().expect("the entrypoint is a DAG");
    let mut values: HashMap<String, String> =
        params.iter().map(|(name, value)| (format!("inputs.parameters.{name}"), value.to_string())).collect();
    let mut outputs = BTreeMap::new();
    let mut files: HashMap<String, String> = HashMap::new();
    let mut done: Vec<&str> = Vec::new();
    while done.len() < dag.tasks.len() {
        let ready = dag
            .tasks
            .iter()
            .find(|task| {
                !done.contains(&task.name.as_str())
                    && task.dependencies.iter().flatten().all(|d| done.contains(&d.as_str()))
            })
            .expect("the DAG has no cycle");
        let template = templates[ready.template.as_str()];
        let task_root = root.join(&ready.name);
        let mut inputs = HashMap::new();
        for param in &ready.arguments.parameters {
            let value = substitute(param.value.as_deref().unwrap_or_default(), &values);
            inputs.insert(format!("inputs.parameters.{}", param.name), value);
        }
        for artifact in &template.inputs.artifacts {
            let path = relocate(artifact.path.as_deref().expect("an input artifact path"), &task_root);
            std::fs::create_dir_all(Path::new(&path).parent().unwrap()).unwrap();
            match (&artifact.raw, ready.arguments.artifacts.iter().find(|a| a.name == artifact.name)) {
                (Some(raw), _) => std::fs::write(&path, substitute(&raw.data, &inputs)).unwrap(),
                (None, Some(argument)) => {
                    let from = argument.from.as_deref().expect("an artifact argument with `from`");
                    std::fs::copy(&files[from.trim_start_matches("{{").trim_end_matches("}}")], &path).unwrap();
                }
                (None, None) => panic!("no value for input artifact {}", artifact.name),
            }
        }
        let container = template.container.as_ref().expect("a container template");
        let resolve = |items: Vec<&str>| -> Vec<String> {
            items.into_iter().map(|item| relocate(&substitute(item, &inputs), &task_root)).collect()
        };
        let command = container.command.iter().flatten().map(|item| item.as_str()).collect();
        let args = container.args.iter().flatten().map(String::as_str).collect();
        let output = run_container(&resolve(command), &resolve(args));
        assert!(
            output.status.success(),
            "task {} failed: {}\n{}",
            ready.name,
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        for artifact in &template.outputs.artifacts {
            let path = relocate(artifact.path.as_deref().unwrap(), &task_root);
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            values.insert(format!("tasks.{}.outputs.parameters.{}", ready.name, artifact.name), text.clone());
            files.insert(format!("tasks.{}.outputs.artifacts.{}", ready.name, artifact.name), path.clone());
            outputs.insert(artifact.name.clone(), text);
        }
        done.push(&ready.name);
    }
    outputs
}

/// Replaces `{{name}}` references by their values.
fn substitute(text: &str, values: &HashMap<String, String>) -> String {
    let mut out = text.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

/// Whether `rustc` can be run here (it is needed to build component programs);
/// the programs built afterwards are checked against the base image's Rust
/// ([`check_builds_against_image_rust`]).
pub fn have_rustc() -> bool {
    check_builds_against_image_rust();
    Command::new("rustc").arg("--version").output().is_ok_and(|out| out.status.success())
}

/// From now on, every `rustc` this test process's children run (the container
/// commands' rustc, and cargo's for programs with crates) is clippy-driver, which
/// builds the same program and fails the build when it uses a std API newer than
/// the default base image's Rust (`clippy::incompatible_msrv`): this machine's
/// rustc is newer than the image's, and a program it accepts may fail in every pod.
/// Without clippy here, says so once, changes nothing and returns false.
pub fn check_builds_against_image_rust() -> bool {
    static CHECKING: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CHECKING.get_or_init(|| match image_rust_check_dir() {
        Ok(dir) => {
            let path = std::env::var_os("PATH").unwrap_or_default();
            let paths = std::iter::once(dir.clone()).chain(std::env::split_paths(&path));
            // Set before the first program is built; std's env lock orders this
            // against the other tests' process spawns.
            std::env::set_var("PATH", std::env::join_paths(paths).expect("PATH entries without `:`"));
            std::env::set_var("CLIPPY_CONF_DIR", &dir);
            // Only this lint, as an error: the programs are built with `-A warnings`.
            std::env::set_var("CLIPPY_ARGS", "-Aclippy::all__CLIPPY_HACKERY__-Dclippy::incompatible_msrv");
            true
        }
        Err(why) => {
            super::skip(&format!(
                "component programs are not checked against Rust {} (the base image's): {why}",
                kfp::component::DEFAULT_RUST_VERSION
            ));
            false
        }
    })
}

/// `<target tmp>/image-rust-check/`, holding `rustc` (a link to this toolchain's
/// clippy-driver) and a `clippy.toml` with the image's Rust version as `msrv`.
fn image_rust_check_dir() -> Result<PathBuf, String> {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map_err(|error| format!("cannot run rustc: {error}"))?;
    let driver = Path::new(String::from_utf8_lossy(&sysroot.stdout).trim()).join("bin/clippy-driver");
    if !driver.is_file() {
        return Err(format!("no {} (`rustup component add clippy`)", driver.display()));
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("image-rust-check");
    std::fs::create_dir_all(&dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    // Test binaries run at once share the directory: each puts its files in place
    // by a rename, so none sees a half-written one.
    let staged = dir.join(format!(".{}", std::process::id()));
    let _ = std::fs::remove_file(&staged);
    let msrv = format!("msrv = \"{}\"\n", kfp::component::DEFAULT_RUST_VERSION);
    std::fs::write(&staged, msrv)
        .and_then(|()| std::fs::rename(&staged, dir.join("clippy.toml")))
        .and_then(|()| symlink(&driver, &staged))
        .and_then(|()| std::fs::rename(&staged, dir.join("rustc")))
        .map_err(|error| format!("cannot set up {}: {error}", dir.display()))?;
    Ok(dir)
}

/// What a run gave, comparable between a Workflow's kfp shape and its shared
/// templates: by task id, its phase and its outputs (parameter values, and
/// each artifact file's bytes), each named without its template's prefix
/// (`add-2-Output` of template `add-2` and `add-Output` of `add` are `Output`).
pub fn run_results(report: &kfp::run::RunReport) -> BTreeMap<String, (String, BTreeMap<String, Vec<u8>>)> {
    report
        .tasks
        .iter()
        .map(|task| {
            let prefix = format!("{}-", task.template);
            let name = |name: &str| name.strip_prefix(&prefix).unwrap_or(name).to_owned();
            let mut outputs: BTreeMap<String, Vec<u8>> =
                task.outputs.iter().map(|(key, value)| (name(key), value.clone().into_bytes())).collect();
            for (key, path) in &task.artifacts {
                let bytes = std::fs::read(path).unwrap_or_else(|e| format!("unreadable: {e}").into_bytes());
                outputs.insert(format!("file {}", name(key)), bytes);
            }
            (task.id.clone(), (task.phase.as_str().to_owned(), outputs))
        })
        .collect()
}

/// Whether process `pid` has ended (or is a zombie nobody reaped), waiting up to 10 s
/// for it: a SIGKILL takes effect when the process is next scheduled, which on a
/// loaded machine is not at once.
pub fn gone(pid: &str) -> bool {
    let alive = || {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
        let state = stat.rsplit_once(") ").and_then(|(_, rest)| rest.chars().next());
        state.is_some_and(|state| state != 'Z' && state != 'X')
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while alive() {
        if std::time::Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    true
}
