//! A task's other containers, as Kubernetes runs a pod's: `initContainers` one
//! after the other before the main container (one that fails fails the task),
//! then `sidecars` started beside it and stopped (their whole process group,
//! SIGTERM then SIGKILL) when it ends. They run as local processes with the
//! task's directory, path rewriting, mounts and variables; with
//! `--engine docker`/`podman`, init containers run in their images and
//! sidecars are refused before the run (separate containers do not share a
//! pod's `localhost`). Each one's output goes to `logs/<task>.<container>.log`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use super::container::{self, ContainerEngine};
use super::paths::Rewriter;
use super::process;
use super::vars::Scope;
use crate::argo::{Template, UserContainer};

/// What cannot run among `template`'s init containers and sidecars.
pub(crate) fn check(
    template: &Template,
    engine: ContainerEngine,
    host_env: &dyn Fn(&str) -> Option<String>,
    env_from_host: &mut std::collections::BTreeMap<String, String>,
    problems: &mut Vec<String>,
) {
    let name = &template.name;
    if let (Some(program), Some(sidecar)) = (engine.program(), template.sidecars.first()) {
        problems.push(format!(
            "template `{name}` has sidecar `{}`, which --engine {program} does not start (separate containers do not share a pod's localhost): leave out --engine to run the sidecars as local processes",
            sidecar.name
        ));
    }
    for (role, user) in containers(template) {
        if engine == ContainerEngine::Local && user.command.as_ref().is_none_or(Vec::is_empty) {
            problems.push(format!(
                "{role} `{}` of template `{name}` has no `command`: it relies on its image's entrypoint, which is unknown without the image; add the command",
                user.name
            ));
        }
        for var in user.env.iter().flatten().filter(|var| var.value_from.is_some()) {
            match host_env(&var.name) {
                Some(value) => {
                    env_from_host.insert(var.name.clone(), value);
                }
                None => problems.push(format!(
                    "{role} `{}` of template `{name}` takes environment variable `{1}` from the cluster: set {1} in the environment of this run",
                    user.name, var.name
                )),
            }
        }
    }
}

fn containers(template: &Template) -> impl Iterator<Item = (&'static str, &UserContainer)> {
    let init = template.init_containers.iter().map(|user| ("init container", user));
    init.chain(template.sidecars.iter().map(|user| ("sidecar", user)))
}

/// How the task's containers are started.
pub(crate) struct Pod<'a> {
    pub(crate) template: &'a Template,
    pub(crate) rewriter: &'a Rewriter,
    pub(crate) scope: &'a Scope,
    /// The task's directory (the working directory by default).
    pub(crate) root: &'a Path,
    pub(crate) tmp: &'a Path,
    /// The main container's log: the others' logs are named after it.
    pub(crate) log: &'a Path,
    pub(crate) env_from_host: &'a std::collections::BTreeMap<String, String>,
    pub(crate) engine: ContainerEngine,
    /// Directories mounted into the task, bound into its containers too.
    pub(crate) mounts: &'a [PathBuf],
    /// The container name prefix for the engine, from the node's id.
    pub(crate) node_id: &'a str,
}

/// The running sidecars; dropping them stops them.
pub(crate) struct Sidecars {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Sidecars {
    /// Stops every sidecar and waits until they are gone.
    pub(crate) fn stop(mut self) {
        self.stop_all();
    }

    fn stop_all(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for Sidecars {
    fn drop(&mut self) {
        self.stop_all();
    }
}

/// Runs the init containers to completion, then starts the sidecars. `Err`
/// says which init container failed or could not start, or is stopped by `stop`.
pub(crate) fn start(pod: &Pod<'_>, stop: &dyn Fn() -> Option<String>) -> Result<Sidecars, String> {
    for user in &pod.template.init_containers {
        let launch = launch(pod, user)?;
        let spec = process::Spec { argv: &launch.argv, env: &launch.env, cwd: &launch.cwd, log: &launch.log };
        let ended = process::run(&spec, None, stop);
        if let Some(message) = ended.spawn_error {
            return Err(format!("init container `{}`: {message}", user.name));
        }
        if let Some(reason) = ended.stopped {
            if let Some((program, name)) = &launch.container {
                // The client is gone; its container may not be.
                let _ = std::process::Command::new(program)
                    .args(["rm", "-f", name])
                    .stdin(std::process::Stdio::null())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status();
            }
            let reason = match reason {
                process::Stop::Run(reason) => reason,
                process::Stop::Deadline => "its deadline passed".to_owned(),
            };
            return Err(format!("init container `{}` was stopped: {reason}", user.name));
        }
        if ended.exit_code != Some(0) {
            let code = ended.exit_code.map_or_else(|| "unknown".to_owned(), |code| code.to_string());
            return Err(format!(
                "init container `{}` failed with exit code {code} (log: {})",
                user.name,
                launch.log.display()
            ));
        }
    }
    let flag = Arc::new(AtomicBool::new(false));
    let mut sidecars = Sidecars { stop: Arc::clone(&flag), threads: Vec::new() };
    for user in &pod.template.sidecars {
        let launch = launch(pod, user)?;
        let flag = Arc::clone(&flag);
        let thread = std::thread::spawn(move || {
            let spec = process::Spec { argv: &launch.argv, env: &launch.env, cwd: &launch.cwd, log: &launch.log };
            let main_ended = || flag.load(Ordering::SeqCst).then(|| "the main container ended".to_owned());
            // Kubernetes does not fail the pod for a sidecar; its log says why it is missing.
            if let Some(message) = process::run(&spec, None, &main_ended).spawn_error {
                let _ = std::fs::write(&launch.log, format!("{message}\n"));
            }
        });
        sidecars.threads.push(thread);
    }
    Ok(sidecars)
}

struct Launch {
    argv: Vec<String>,
    env: Vec<(String, String)>,
    cwd: PathBuf,
    log: PathBuf,
    /// The engine's program and the container's name, with `--engine`.
    container: Option<(&'static str, String)>,
}

/// A container's command line, environment, working directory and log, as the main container's are made.
fn launch(pod: &Pod<'_>, user: &UserContainer) -> Result<Launch, String> {
    let text = |text: &str| {
        pod.scope.substitute(&pod.rewriter.rewrite(text)).map_err(|why| format!("container `{}`: {why}", user.name))
    };
    let mut argv = Vec::new();
    for item in user.command.iter().flatten() {
        argv.push(text(item)?);
    }
    let args_from = argv.len();
    for item in user.args.iter().flatten() {
        argv.push(text(item)?);
    }
    let mut env = vec![("TMPDIR".to_owned(), pod.tmp.to_string_lossy().into_owned())];
    for var in user.env.iter().flatten() {
        let value = match (&var.value, &var.value_from) {
            (_, Some(_)) => pod.env_from_host.get(&var.name).cloned().unwrap_or_default(),
            (Some(value), None) => text(value)?,
            (None, None) => String::new(),
        };
        env.push((var.name.clone(), value));
    }
    let cwd = match &user.working_dir {
        Some(dir) => pod.rewriter.local(&text(dir)?),
        None => pod.root.to_path_buf(),
    };
    std::fs::create_dir_all(&cwd)
        .map_err(|error| format!("cannot create the working directory {}: {error}", cwd.display()))?;
    let stem = pod.log.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
    let own: String =
        user.name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') { c } else { '_' }).collect();
    let log = pod.log.with_file_name(format!("{stem}.{own}.log"));
    let mut container = None;
    let argv = match pod.engine.program() {
        Some(program) => {
            let task = container::Task {
                image: user.image.as_deref().unwrap_or_default(),
                argv: &argv,
                args_from,
                env: &env,
                cwd: &cwd,
                root: pod.root,
                mounts: pod.mounts,
            };
            let name = container::container_name(&format!("{}-{}", pod.node_id, user.name));
            let argv = container::argv(program, &name, &task);
            container = Some((program, name));
            argv
        }
        None => argv,
    };
    Ok(Launch { argv, env, cwd, log, container })
}
