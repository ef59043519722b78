//! Argo's validation rules, plus the Kubernetes and KFP limits that Argo leaves to run time.
//!
//! [`check`] returns every [`Violation`] it finds (it does not stop at the first). It follows
//! Argo's `workflow/validate` package, with these decisions:
//!
//! - **Names.** A workflow `name` must be a DNS-1123 subdomain of at most 63 characters (Argo
//!   puts it in a label value). A `generateName` must be a valid prefix of at most
//!   [`MAX_GENERATE_NAME_LEN`] (58) characters: Kubernetes appends 5 random characters and
//!   silently truncates longer prefixes to keep names within 63, so a longer pipeline name
//!   would be cut. Template, task and step names follow Argo: `[a-zA-Z0-9][-a-zA-Z0-9]*`, at
//!   most 128 characters; a DAG task name may not start with a digit.
//! - **Variables.** Every `{{...}}` tag that looks like a variable reference (a dotted path
//!   such as `inputs.parameters.x`) must resolve in its context, more strictly than Argo:
//!   `tasks.T.outputs...` needs `T` to be an ancestor (direct or transitive dependency) of the
//!   referencing task, where Argo's validator accepts any task of the DAG and the reference
//!   may then race; `outputs.parameters.P` needs `P` declared. A dotted path whose first
//!   segment is not an Argo namespace is a violation (Argo silently leaves it as text). Tags
//!   that are not variable paths (spaces, quotes, a bare word like `{{x}}`, as in source code
//!   inside a command) are ignored, as Argo does; `{{=expression}}` tags are not checked. An
//!   unclosed `{{` is a violation (Argo cannot parse the template).
//! - **Workflow globals.** `workflow.status` and `workflow.failures` are accepted only in
//!   templates not reachable from the entrypoint when an `onExit` is set (exit handlers), as in
//!   Argo. `workflow.annotations.*` and `workflow.labels.*` are accepted for any key, because
//!   the KFP backend adds its own before submitting. `workflow.priority` needs `spec.priority`.
//! - **Workflow arguments** need no `value`: the KFP backend fills run parameters. Their total
//!   size is limited as the backend does: the run parameters as JSON (`[{"name":..,"value":..}]`)
//!   may not exceed [`MAX_RUN_PARAMETERS_BYTES`] (10,000) bytes, and a single value over
//!   10,000 characters is reported where it is.
//! - **Task arguments** must name inputs of the called template (Argo ignores unknown ones;
//!   they are nearly always a typo), and every input without `value`, `default` or `valueFrom`
//!   must be passed. The entrypoint and `onExit` templates get their inputs from
//!   `spec.arguments` by name.
//! - **Also, as Argo:** exactly one template type; entrypoint, `onExit` and task templates
//!   exist; DAG dependencies exist and form no cycle; parameter and artifact names
//!   `[-a-zA-Z0-9_]+` and unique; artifact paths only in container and script templates;
//!   output parameters with exactly one source fitting the template type;
//!   `activeDeadlineSeconds` only on leaf templates, `parallelism` only on DAG and steps;
//!   retry policies, resource actions and `podGC` strategies from Argo's lists; a resource
//!   manifest is valid YAML; volume mounts name declared volumes at distinct paths. And as
//!   Kubernetes: label and annotation keys are qualified names, label values at most 63
//!   characters, annotations at most 256 KiB per object; resource limits and requests of
//!   every container are quantities (`512Mi`, `500m`), not negative, unless they hold a
//!   `{{...}}` tag.
//!
//! The checks are linear in the size of the workflow, except that a task referencing the
//! output of a task that is not a direct dependency costs one walk of that producer's
//! dependents (memoized per producer).
//!
//! The rules are grouped by family, one module each: `names` (names, labels, annotations,
//! workflow metadata), `spec` (entrypoint, arguments, `spec` fields), `templates` (one
//! template's type, inputs and outputs), `resources` (containers, quantities, volume
//! mounts), `dag` (DAG and steps structure, dependencies, cycles, calls) and `tags`
//! (`{{...}}` tags and variable references); `tag_view` finds the tagged strings of a
//! template. This module holds the entry points and the checker they share.

mod dag;
mod names;
mod resources;
mod spec;
mod tag_view;
mod tags;
mod templates;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::cell::RefCell;
use std::fmt::{self, Write as _};

use serde_json::Value;

use self::dag::*;
use self::names::*;
use self::tag_view::{Step, Tagged};
use self::tags::*;
use super::{
    Arguments, Artifact, DagTask, Inputs, IntOrString, Metadata, Parameter, Quantity, ResourceRequirements, Template,
    TemplateType, UserContainer, VolumeMount, Workflow, WorkflowStep, API_VERSION, KIND,
};
/// Maximum length of a workflow `name` (a Kubernetes label value holds it).
pub const MAX_NAME_LEN: usize = 63;
/// Maximum length of a workflow `generateName`: 63 minus the 5 random characters.
pub const MAX_GENERATE_NAME_LEN: usize = 58;
/// Maximum length of a template, task or step name (Argo).
pub const MAX_FIELD_NAME_LEN: usize = 128;
/// Maximum total size of the annotations of one object (Kubernetes): 256 KiB.
pub const MAX_ANNOTATIONS_BYTES: usize = 256 * 1024;
/// Maximum size of the run parameters as JSON (KFP backend), and of one parameter value.
pub const MAX_RUN_PARAMETERS_BYTES: usize = 10_000;

/// Why the KFP backend refuses `value` as a run parameter (it is over
/// [`MAX_RUN_PARAMETERS_BYTES`] characters), said after the parameter's name or path.
pub fn parameter_value_too_long(value: &str) -> Option<String> {
    let chars = value.chars().count();
    (chars > MAX_RUN_PARAMETERS_BYTES).then(|| {
        format!(
            "is {chars} characters long; the KFP backend refuses run parameters over {MAX_RUN_PARAMETERS_BYTES}: pass large data as an artifact (a file input) instead"
        )
    })
}

/// One broken rule: where (a YAML path such as `spec.templates[3].dag.tasks[1].dependencies`)
/// and what is wrong, with how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// YAML path of the offending field.
    pub path: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for Violation {}

/// Checks `workflow` against Argo's rules and the Kubernetes and KFP limits; returns every
/// violation found, in document order (empty when the workflow is valid).
pub fn check(workflow: &Workflow) -> Vec<Violation> {
    let mut checker = Checker::new(workflow);
    checker.run();
    checker.out
}

/// `<base>.dag.tasks[<task>]`, written only for a violation: a DAG has a task per step of
/// the pipeline, and most have nothing to report.
struct TaskPath<'b> {
    base: &'b str,
    task: usize,
}

impl fmt::Display for TaskPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.dag.tasks[{}]", self.base, self.task)
    }
}

/// How a map key is written in a violation path.
fn push_key(path: &mut String, key: &str) {
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        path.push('.');
        path.push_str(key);
    } else {
        let _ = write!(path, "[{key:?}]");
    }
}

fn keyed(base: &str, key: &str) -> String {
    let mut p = base.to_owned();
    push_key(&mut p, key);
    p
}

struct Checker<'a> {
    wf: &'a Workflow,
    out: Vec<Violation>,
    templates: HashMap<&'a str, &'a Template>,
    wf_params: HashSet<&'a str>,
    global_out_params: HashSet<&'a str>,
    global_out_artifacts: HashSet<&'a str>,
    /// Some `globalName` is itself a `{{...}}` reference: any global output name is accepted.
    dynamic_global_outputs: bool,
    spec_volumes: HashSet<&'a str>,
    /// Templates reachable from the entrypoint, by name.
    from_entry: HashSet<&'a str>,
    /// Label and annotation keys found valid: every task's template repeats the same few.
    valid_keys: HashSet<String>,
    /// Finds the strings holding `{{`, reusing its buffers across templates.
    walker: tag_view::Walker,
}

impl<'a> Checker<'a> {
    fn new(wf: &'a Workflow) -> Self {
        let mut templates = HashMap::with_capacity(wf.spec.templates.len());
        let mut global_out_params = HashSet::new();
        let mut global_out_artifacts = HashSet::new();
        let mut dynamic_global_outputs = false;
        for t in &wf.spec.templates {
            templates.entry(t.name.as_str()).or_insert(t);
            for p in &t.outputs.parameters {
                if let Some(g) = &p.global_name {
                    dynamic_global_outputs |= g.contains("{{");
                    global_out_params.insert(g.as_str());
                }
            }
            for a in &t.outputs.artifacts {
                if let Some(g) = &a.global_name {
                    dynamic_global_outputs |= g.contains("{{");
                    global_out_artifacts.insert(g.as_str());
                }
            }
        }
        let spec_volumes = wf
            .spec
            .volumes
            .iter()
            .map(|v| v.name.as_str())
            .chain(wf.spec.volume_claim_templates.iter().filter_map(|c| c.metadata.name.as_deref()))
            .collect();
        Checker {
            wf,
            out: Vec::new(),
            templates,
            wf_params: wf.spec.arguments.parameters.iter().map(|p| p.name.as_str()).collect(),
            global_out_params,
            global_out_artifacts,
            dynamic_global_outputs,
            spec_volumes,
            from_entry: HashSet::new(),
            valid_keys: HashSet::new(),
            walker: tag_view::Walker::default(),
        }
    }

    /// [`qualified_name_problem`], once per distinct valid key.
    fn key_problem(&mut self, key: &str) -> Option<String> {
        if self.valid_keys.contains(key) {
            return None;
        }
        let problem = qualified_name_problem(key);
        if problem.is_none() {
            self.valid_keys.insert(key.to_owned());
        }
        problem
    }

    fn report(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.out.push(Violation { path: path.into(), message: message.into() });
    }

    fn run(&mut self) {
        let wf = self.wf;
        if wf.api_version != API_VERSION {
            self.report("apiVersion", format!("is `{}`; an Argo Workflow has `{API_VERSION}`", wf.api_version));
        }
        if wf.kind != KIND {
            self.report("kind", format!("is `{}`; must be `{KIND}`", wf.kind));
        }
        self.check_object_meta();
        self.check_spec();
        self.from_entry = self.reachable(&wf.spec.entrypoint);
        // One buffer for every template's path: a check is made of many templates.
        let mut base = String::new();
        for (i, t) in wf.spec.templates.iter().enumerate() {
            base.clear();
            let _ = write!(base, "spec.templates[{i}]");
            self.check_template(&base, t);
        }
    }
}
