//! Everything checked before a task runs: Argo's rules, the parameters, and
//! that every template reached can run on this machine.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::container::{find_program, ContainerEngine};
use super::error::RunError;
use super::globals;
use super::sidecars;
use super::vars;
use super::volumes;
use crate::argo::{rules, Template, TemplateType, Workflow};

/// A Workflow checked and ready to run, with the run's parameter values.
pub(crate) struct Plan<'w> {
    pub(crate) workflow: &'w Workflow,
    pub(crate) templates: HashMap<&'w str, &'w Template>,
    pub(crate) params: BTreeMap<String, String>,
    /// Environment variables that containers take from Secrets, ConfigMaps or
    /// the pod, read from this process's environment.
    pub(crate) env_from_host: BTreeMap<String, String>,
    /// KFP v2's launcher contract instead of Argo's: the folder of every output file exists before
    /// a container starts (Argo leaves it to the command), and an output parameter is the text
    /// written (Argo trims a trailing newline).
    pub(crate) v2_launcher: bool,
    /// DAG tasks, as (template, task), that run once their dependencies end however they end
    /// (KFP v2's exit tasks and `ignore_upstream_failure`); a first Ctrl-C does not stop them.
    pub(crate) after_completion: HashSet<(String, String)>,
    /// Loops' outputs, as (template, output), whose iterations' values a loop lists as text, not
    /// as JSON (KFP v2's STRING outputs).
    pub(crate) text_outputs: HashSet<(String, String)>,
    /// KFP v2's container templates that take kfp's executor input (Python lightweight components).
    pub(crate) executors: super::executor::Executors,
}

/// Checks `workflow` and the `given` parameters; `host_env` looks up the
/// environment of this process.
pub(crate) fn plan<'w>(
    workflow: &'w Workflow,
    given: &[(String, String)],
    engine: ContainerEngine,
    host_env: &dyn Fn(&str) -> Option<String>,
) -> Result<Plan<'w>, RunError> {
    if let Some(program) = engine.program() {
        if find_program(program, host_env("PATH").as_deref()).is_none() {
            let name = if engine == ContainerEngine::Podman { "Podman" } else { "Docker" };
            return Err(RunError::EngineMissing { program, name });
        }
    }
    let violations = rules::check(workflow);
    if !violations.is_empty() {
        return Err(RunError::Invalid(violations.iter().map(ToString::to_string).collect()));
    }
    let params = parameters(workflow, given)?;
    let templates: HashMap<&str, &Template> = workflow.spec.templates.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut plan = Plan {
        workflow,
        templates,
        params,
        env_from_host: BTreeMap::new(),
        v2_launcher: false,
        after_completion: HashSet::new(),
        text_outputs: HashSet::new(),
        executors: Default::default(),
    };
    let mut problems = Vec::new();
    for template in reachable(&plan) {
        check_template(template, engine, host_env, &mut plan.env_from_host, &mut problems);
        volumes::check(template, workflow, &mut problems);
        sidecars::check(template, engine, host_env, &mut plan.env_from_host, &mut problems);
    }
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(RunError::Unsupported(problems))
    }
}

/// The workflow's parameters: declared ones with their given value or default.
fn parameters(workflow: &Workflow, given: &[(String, String)]) -> Result<BTreeMap<String, String>, RunError> {
    let declared = &workflow.spec.arguments.parameters;
    let names: Vec<&str> = declared.iter().map(|p| p.name.as_str()).collect();
    let mut problems = Vec::new();
    let mut values = BTreeMap::new();
    let mut seen = HashSet::new();
    for (name, value) in given {
        if !seen.insert(name.as_str()) {
            problems.push(format!("parameter `{name}` is given twice: give it once"));
        } else if !names.contains(&name.as_str()) {
            let known = match names.as_slice() {
                [] => "the Workflow has no parameters".to_owned(),
                names => format!("its parameters are {}", names.join(", ")),
            };
            problems.push(format!("unknown parameter `{name}`: {known}"));
        } else {
            // As on a cluster, where the KFP API refuses the run.
            if let Some(problem) = rules::parameter_value_too_long(value) {
                problems.push(format!("parameter `{name}` {problem}"));
            }
            values.insert(name.clone(), value.clone());
        }
    }
    for param in declared {
        if values.contains_key(&param.name) {
            continue;
        }
        match param.value.as_ref().or(param.default.as_ref()) {
            Some(value) => {
                values.insert(param.name.clone(), value.clone());
            }
            None => problems.push(format!("missing required parameter `{0}`: pass --param {0}=VALUE", param.name)),
        }
    }
    if problems.is_empty() {
        Ok(values)
    } else {
        Err(RunError::Parameters(problems))
    }
}

/// The templates the run can reach: from the entrypoint, the exit handler and task exit hooks.
fn reachable<'w>(plan: &Plan<'w>) -> Vec<&'w Template> {
    let spec = &plan.workflow.spec;
    let mut stack: Vec<&str> = std::iter::once(spec.entrypoint.as_str()).chain(spec.on_exit.as_deref()).collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name) {
            continue;
        }
        let Some(template) = plan.templates.get(name).copied() else { continue };
        out.push(template);
        for task in template.dag.iter().flat_map(|dag| &dag.tasks) {
            stack.push(&task.template);
            stack.extend(task.on_exit.as_deref());
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn check_template(
    template: &Template,
    engine: ContainerEngine,
    host_env: &dyn Fn(&str) -> Option<String>,
    env_from_host: &mut BTreeMap<String, String>,
    problems: &mut Vec<String>,
) {
    let name = &template.name;
    let ttype = template.template_type();
    match ttype {
        // volumes::check says which resources run here.
        Some(TemplateType::Container | TemplateType::Script | TemplateType::Dag | TemplateType::Resource) => {}
        Some(other) => problems.push(format!(
            "template `{name}` is a {} template: only container, script and DAG templates run on this machine",
            other.field()
        )),
        None => problems.push(format!("template `{name}` has no single type")),
    }
    let (command, env) = match (&template.container, &template.script) {
        (Some(container), _) => (container.command.as_ref(), container.env.as_ref()),
        (None, Some(script)) => (script.command.as_ref(), script.env.as_ref()),
        (None, None) => (None, None),
    };
    let runs = ttype.is_some_and(|t| matches!(t, TemplateType::Container | TemplateType::Script));
    // An engine runs the image's own entrypoint when there is no command (Argo's
    // rules require the image).
    if engine == ContainerEngine::Local && runs && command.is_none_or(Vec::is_empty) {
        problems.push(format!(
            "template `{name}` has no `command`: it relies on its image's entrypoint, which is unknown without the image; add the command, or run the containers in their images with --engine docker (or podman)"
        ));
    }
    for var in env.into_iter().flatten().filter(|var| var.value_from.is_some()) {
        match host_env(&var.name) {
            Some(value) => {
                env_from_host.insert(var.name.clone(), value);
            }
            None => problems.push(format!(
                "template `{name}` takes environment variable `{0}` from the cluster (a Secret, ConfigMap or the pod): set {0} in the environment of this run",
                var.name
            )),
        }
    }
    for artifact in &template.inputs.artifacts {
        if artifact.s3.is_some() || artifact.gcs.is_some() || artifact.http.is_some() {
            problems.push(format!(
                "template `{name}` reads input artifact `{}` from remote storage (S3, GCS or HTTP), which a local run does not fetch: pass it from a task or as `raw` data",
                artifact.name
            ));
        }
    }
    if template.retry_strategy.as_ref().is_some_and(|retry| retry.expression.is_some()) {
        problems.push(format!(
            "template `{name}`: a retryStrategy `expression` is not evaluated by local runs; remove it or use `retryPolicy`"
        ));
    }
    if let Some(dag) = &template.dag {
        if dag.target.is_some() {
            problems.push(format!("template `{name}`: a DAG `target` is not supported by local runs; remove it"));
        }
        for task in &dag.tasks {
            if task.depends.is_some() {
                problems.push(format!(
                    "task `{}` of template `{name}` uses `depends`, which local runs do not evaluate: use `dependencies`",
                    task.name
                ));
            }
            if task.with_sequence.as_ref().is_some_and(|sequence| sequence.format.is_some()) {
                problems.push(format!(
                    "task `{}` of template `{name}`: withSequence `format` is not supported by local runs; remove it",
                    task.name
                ));
            }
            for artifact in &task.arguments.artifacts {
                if artifact.s3.is_some() || artifact.gcs.is_some() || artifact.http.is_some() {
                    problems.push(format!(
                        "task `{}` of template `{name}` passes artifact `{}` from remote storage, which a local run does not fetch",
                        task.name, artifact.name
                    ));
                }
            }
        }
    }
    check_tags(template, problems);
}

/// Every `{{...}}` of the template must be one this runner gives a value.
fn check_tags(template: &Template, problems: &mut Vec<String>) {
    let Ok(value) = serde_json::to_value(template) else { return };
    let mut strings = Vec::new();
    collect_strings(&value, &mut strings);
    let mut reported = HashSet::new();
    for text in strings {
        for tag in vars::tags(text) {
            if let Err(why) = supported(tag) {
                if reported.insert(tag.to_owned()) {
                    problems.push(format!("template `{}`: `{{{{{tag}}}}}` {why}", template.name));
                }
            }
        }
    }
}

fn collect_strings<'v>(value: &'v serde_json::Value, out: &mut Vec<&'v str>) {
    match value {
        serde_json::Value::String(text) if text.contains("{{") => out.push(text),
        serde_json::Value::Array(items) => items.iter().for_each(|item| collect_strings(item, out)),
        serde_json::Value::Object(map) => map.values().for_each(|item| collect_strings(item, out)),
        _ => {}
    }
}

/// Whether a tag (already resolvable by Argo's rules) is one local runs know.
fn supported(tag: &str) -> Result<(), &'static str> {
    if tag.starts_with('=') {
        // A field of an input (`jsonpath`), as KFP v2 IR's loop item fields are lowered.
        return match vars::json_field(tag) {
            Some(_) => Ok(()),
            None => Err("is an Argo expression, which local runs do not evaluate (but for `jsonpath(inputs.parameters['x'], '$.field')`)"),
        };
    }
    let parts: Vec<&str> = tag.split('.').collect();
    if let ["workflow", "creationTimestamp", form] = parts.as_slice() {
        let known = *form == "s" || *form == "RFC3339" || (form.len() == 1 && globals::TIMESTAMP_CHARS.contains(form));
        return if known {
            Ok(())
        } else {
            Err("is not a form of the creation time: use one of the strftime characters B b m A a d H I M S Y y p Z z L, s (Unix seconds) or RFC3339")
        };
    }
    let ok = matches!(
        parts.as_slice(),
        ["item", ..]
            | ["retries"]
            | ["pod", "name"]
            | ["node", "name"]
            | ["inputs", "parameters", _]
            | ["inputs", "artifacts", _, "path"]
            // A DAG handing its input artifact on to a task (kfp's artifacts into groups).
            | ["inputs", "artifacts", _]
            | ["outputs", "parameters" | "artifacts", _, "path"]
            | ["workflow", "parameters", _]
            | ["workflow", "annotations" | "labels", ..]
            | [
                "workflow",
                "name"
                    | "namespace"
                    | "uid"
                    | "serviceAccountName"
                    | "mainEntrypoint"
                    | "priority"
                    | "parameters"
                    | "creationTimestamp"
                    | "status"
                    | "failures"
                    | "duration"
            ]
            | ["tasks", "name"]
            | ["tasks", _, "status" | "exitCode" | "id"]
            | ["tasks", _, "outputs", "result" | "parameters"]
            | ["tasks", _, "outputs", "parameters" | "artifacts", _]
    );
    if ok {
        Ok(())
    } else {
        Err("is not a variable local runs provide")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_IMAGE: &str = "apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: t-
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine:3
      args: [hello]
";

    #[test]
    fn engines_need_their_program_but_not_commands() {
        let workflow = Workflow::from_yaml(NO_IMAGE).unwrap();
        let dir = std::env::temp_dir().join(format!("kfp-plan-engine-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.to_string_lossy().into_owned();
        let env = |name: &str| (name == "PATH").then(|| path.clone());

        let missing = plan(&workflow, &[], ContainerEngine::Docker, &env).err().unwrap();
        assert!(matches!(missing, RunError::EngineMissing { program: "docker", .. }), "{missing}");

        let docker = dir.join("docker");
        std::fs::write(&docker, "#!/bin/sh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&docker, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        assert!(plan(&workflow, &[], ContainerEngine::Docker, &env).is_ok());

        let problems = plan(&workflow, &[], ContainerEngine::Local, &env).err().unwrap().problems();
        assert!(problems[0].contains("has no `command`") && problems[0].contains("--engine docker"), "{problems:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
