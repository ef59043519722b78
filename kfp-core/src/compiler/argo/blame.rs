//! Argo's rules report Workflow paths (`spec.templates[1].metadata.labels`);
//! the pipeline's author wrote tasks and setters. This names the task (as the
//! Workflow's DAG names it, as the KFP UI and `run-local` show it) and, where a
//! setting is at fault, the setter that made it.

use crate::argo::rules::Violation;
use crate::argo::Workflow;

/// `task `add` (set_memory_limit): <message> (at <path>)`, or the violation as
/// it is when its path is not in a task's template or DAG entry.
pub(crate) fn describe(workflow: &Workflow, violation: &Violation) -> String {
    let Some((index, rest)) = indexed(&violation.path, "spec.templates[") else { return violation.to_string() };
    let Some(template) = workflow.spec.templates.get(index) else { return violation.to_string() };
    let (tasks, setter) = match indexed(rest, ".dag.tasks[") {
        Some((task, rest)) => match template.dag.as_ref().and_then(|dag| dag.tasks.get(task)) {
            Some(task) => (vec![task.name.as_str()], dag_task_setter(rest)),
            None => return violation.to_string(),
        },
        None if template.dag.is_some() => return violation.to_string(),
        None => (callers(workflow, &template.name), template_setter(rest)),
    };
    let who = match tasks.as_slice() {
        [] => return violation.to_string(),
        [task] => format!("task `{task}`"),
        several => format!("tasks {}", several.iter().map(|task| format!("`{task}`")).collect::<Vec<_>>().join(", ")),
    };
    let setter = setter.map(|setter| format!(" ({setter})")).unwrap_or_default();
    format!("{who}{setter}: {} (at {})", violation.message, violation.path)
}

/// `("spec.templates[3].dag", "spec.templates[")` -> `(3, ".dag")`.
fn indexed<'p>(path: &'p str, prefix: &str) -> Option<(usize, &'p str)> {
    let (index, rest) = path.strip_prefix(prefix)?.split_once(']')?;
    Some((index.parse().ok()?, rest))
}

/// The DAG tasks, in every DAG, that run the template named `template`.
fn callers<'w>(workflow: &'w Workflow, template: &str) -> Vec<&'w str> {
    let dags = workflow.spec.templates.iter().filter_map(|template| template.dag.as_ref());
    dags.flat_map(|dag| &dag.tasks).filter(|task| task.template == template).map(|task| task.name.as_str()).collect()
}

/// The setter that writes the field at `rest` of a task's own template.
fn template_setter(rest: &str) -> Option<&'static str> {
    const SETTERS: &[(&str, &str)] = &[
        (".metadata.labels", "add_pod_label"),
        (".metadata.annotations", "add_pod_annotation"),
        (".retryStrategy", "set_retry_strategy"),
        (".activeDeadlineSeconds", "set_timeout"),
        (".sidecars", "add_sidecar"),
        (".initContainers", "add_init_container"),
        (".volumes", "add_volume"),
        (".container.volumeMounts", "add_volume_mount"),
        (".nodeSelector", "add_node_selector_constraint"),
        (".tolerations", "add_toleration"),
        (".affinity", "add_affinity"),
        (".container.envFrom", "add_env_from"),
        (".container.env", "set_env_variable"),
        (".container.imagePullPolicy", "set_image_pull_policy"),
        (".container.securityContext", "set_security_context"),
        (".container.resources.limits.cpu", "set_cpu_limit"),
        (".container.resources.limits.memory", "set_memory_limit"),
        (".container.resources.limits.ephemeral-storage", "set_ephemeral_storage_limit"),
        (".container.resources.limits[\"nvidia.com/gpu\"]", "set_gpu_limit"),
        (".container.resources.limits", "add_resource_limit"),
        (".container.resources.requests.cpu", "set_cpu_request"),
        (".container.resources.requests.memory", "set_memory_request"),
        (".container.resources.requests.ephemeral-storage", "set_ephemeral_storage_request"),
        (".container.resources.requests", "add_resource_request"),
    ];
    SETTERS.iter().find(|(field, _)| starts_with_field(rest, field)).map(|(_, setter)| *setter)
}

/// The setter behind the field at `rest` of a task's DAG entry.
fn dag_task_setter(rest: &str) -> Option<&'static str> {
    const SETTERS: &[(&str, &str)] = &[(".dependencies", "after"), (".depends", "after")];
    SETTERS.iter().find(|(field, _)| starts_with_field(rest, field)).map(|(_, setter)| *setter)
}

/// `rest` is `field` or a part of it (`.container.env[2]`, not `.container.envFrom` for `.container.env`).
fn starts_with_field(rest: &str, field: &str) -> bool {
    rest.strip_prefix(field).is_some_and(|after| after.is_empty() || after.starts_with(['.', '[']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_map_to_their_setters() {
        assert_eq!(template_setter(".metadata.labels[\"not a key!\"]"), Some("add_pod_label"));
        assert_eq!(template_setter(".container.env[1].name"), Some("set_env_variable"));
        assert_eq!(template_setter(".container.envFrom[0]"), Some("add_env_from"));
        assert_eq!(template_setter(".container.resources.limits.memory"), Some("set_memory_limit"));
        assert_eq!(template_setter(".container.resources.limits[\"nvidia.com/gpu\"]"), Some("set_gpu_limit"));
        assert_eq!(template_setter(".container.resources.limits[\"example.com/foo\"]"), Some("add_resource_limit"));
        assert_eq!(template_setter(".container.resources.requests.cpu"), Some("set_cpu_request"));
        assert_eq!(template_setter(".container.image"), None);
        assert_eq!(dag_task_setter(".dependencies[0]"), Some("after"));
        assert_eq!(indexed("spec.templates[12].dag", "spec.templates["), Some((12, ".dag")));
        assert_eq!(indexed("spec.templates[x].dag", "spec.templates["), None);
    }
}
