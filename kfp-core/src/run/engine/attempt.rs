//! One attempt of a container, script or resource template: its directory and inputs, its command line,
//! then a local process, a container or an in-process call, beside its sidecars; and its outputs.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{ArtifactIn, Engine, Inputs, Node};
use crate::argo::Template;
use crate::fsutil::copy_tree;
use crate::run::container;
use crate::run::inprocess;
use crate::run::metadata;
use crate::run::outcome::Outcome;
use crate::run::paths::Rewriter;
use crate::run::process::{self, Stop};
use crate::run::programs::{self, Failure, Prepared};
use crate::run::report::Phase;
use crate::run::sidecars;
use crate::run::vars::Scope;
use crate::run::volumes;

/// How one attempt's process is started.
struct Launch {
    argv: Vec<String>,
    /// Where the container's `args` start in `argv` (what an in-process program gets).
    args_from: usize,
    env: Vec<(String, String)>,
    cwd: PathBuf,
}

impl Engine<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn attempt(
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
        let mut launch = match self.launch(template, root, &rewriter, &scope, &tmp) {
            Ok(launch) => launch,
            Err(message) => return Outcome::ended(Phase::Error, message),
        };
        if self.plan.v2_launcher {
            if let Err(message) = metadata::fill(&mut launch.argv, &scope, &self.metadata) {
                return Outcome::ended(Phase::Error, message);
            }
        }
        // A KFP v2 component that takes kfp's executor input (a Python lightweight component).
        let executor = self.plan.executors.templates.get(&template.name);
        if let Some(executor) = executor {
            let python = self.plan.executors.python.as_deref();
            if let Err(message) = executor.fill(&mut launch.argv, &scope, root, python, &self.metadata) {
                return Outcome::ended(Phase::Error, message);
            }
        }
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
                inprocess::call(main.clone(), component, args, log, deadline, &|| self.stop_reason(node))
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
        if let Some(executor) = executor {
            match executor.finish(&scope, root) {
                Ok(metadata) => outcome.metadata = metadata,
                Err(message) => return Outcome { phase: Phase::Error, message: Some(message), ..outcome },
            }
        }
        match collect_outputs(template, &rewriter, &scope, self.plan.v2_launcher, &mut outcome) {
            Ok(()) => {
                // The metadata goes with the file: a task taking the artifact, through DAGs, names it by its path.
                for (name, recorded) in &outcome.metadata {
                    if let Some(path) = outcome.artifacts.get(name) {
                        self.metadata.record(path, recorded.clone());
                    }
                }
                outcome
            }
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
            if self.plan.v2_launcher {
                let recorded = match content {
                    ArtifactIn::File(from) => self.metadata.of(from),
                    ArtifactIn::Raw(_) => serde_json::json!({}),
                };
                scope.set(metadata::variable(&artifact.name), recorded.to_string());
            }
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
        let mut outputs = Vec::new();
        for param in &template.outputs.parameters {
            if let Some(path) = param.value_from.as_ref().and_then(|from| from.path.as_deref()) {
                let local = rewriter.local(path);
                scope.set(format!("outputs.parameters.{}.path", param.name), local.to_string_lossy());
                outputs.push(local);
            }
        }
        for artifact in &template.outputs.artifacts {
            if let Some(path) = artifact.path.as_deref() {
                let local = rewriter.local(path);
                scope.set(format!("outputs.artifacts.{}.path", artifact.name), local.to_string_lossy());
                outputs.push(local);
            }
        }
        if self.plan.v2_launcher {
            for parent in outputs.iter().filter_map(|path| path.parent()) {
                std::fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
            }
        }
        Ok((scope, tmp))
    }
}

/// Reads a finished container's output parameters and finds its output artifacts.
fn collect_outputs(
    template: &Template,
    rewriter: &Rewriter,
    scope: &Scope,
    v2_launcher: bool,
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
                match text.strip_suffix('\n') {
                    // Argo trims one trailing newline "for user convenience"; v2's launcher keeps a
                    // string as written (and trims numbers as it parses them).
                    Some(trimmed) if !v2_launcher => trimmed.to_owned(),
                    _ => text,
                }
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
