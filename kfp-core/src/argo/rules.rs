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

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::cell::RefCell;
use std::fmt::{self, Write as _};

use serde_json::Value;

use self::tag_view::{Step, Tagged};
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

// ---------------------------------------------------------------------------------------------
// Name rules

/// `[a-zA-Z0-9][-a-zA-Z0-9]*`, at most 128 characters (template, task and step names).
fn field_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the name is empty".into());
    }
    let mut problems = Vec::new();
    if name.len() > MAX_FIELD_NAME_LEN {
        problems.push(format!("is {} characters long, more than {MAX_FIELD_NAME_LEN}", name.len()));
    }
    let first_ok = name.as_bytes()[0].is_ascii_alphanumeric();
    let rest_ok = name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !first_ok || !rest_ok {
        problems.push("must consist of ASCII letters, digits and '-', and start with a letter or digit".into());
    }
    if problems.is_empty() {
        None
    } else {
        Some(format!("name `{name}` {}", problems.join(", and ")))
    }
}

/// `[-a-zA-Z0-9_]+` (parameter and artifact names).
fn param_name_ok(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// One DNS-1123 label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
fn dns_label_ok(label: &str) -> bool {
    let b = label.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && (b[b.len() - 1].is_ascii_lowercase() || b[b.len() - 1].is_ascii_digit())
        && b.iter().all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// DNS-1123 subdomain: labels separated by '.', at most 253 characters.
fn dns_subdomain_ok(name: &str) -> bool {
    !name.is_empty() && name.len() <= 253 && name.split('.').all(dns_label_ok)
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters (label values may be
/// empty; the name part of a key may not).
fn label_value_ok(value: &str) -> bool {
    if value.is_empty() {
        return true;
    }
    let b = value.as_bytes();
    b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.')
}

/// A Kubernetes qualified name (label and annotation keys): `[prefix/]name`.
fn qualified_name_problem(key: &str) -> Option<String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix {
        if !dns_subdomain_ok(p) {
            return Some(format!(
                "the prefix `{p}` must be a DNS subdomain (lowercase letters, digits, '-' and '.', at most 253 characters)"
            ));
        }
    }
    if name.is_empty() || !label_value_ok(name) {
        return Some(format!(
            "the name part `{name}` must be 1 to 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
        ));
    }
    None
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

/// Kubernetes' quantity grammar: `[+-]?(\d+(\.\d*)?|\.\d+)` then nothing, a binary suffix
/// (`Ki`..`Ei`), a decimal one (`n u m k M G T P E`) or an exponent (`e3`, `E-2`).
fn is_quantity(s: &str) -> bool {
    fn digits(s: &str) -> (usize, &str) {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        (n, &s[n..])
    }
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (whole, rest) = digits(s);
    let (fraction, suffix) = match rest.strip_prefix('.') {
        Some(after) => digits(after),
        None => (0, rest),
    };
    if whole + fraction == 0 {
        return false;
    }
    match suffix {
        "" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => true,
        _ => suffix.strip_prefix(['e', 'E']).is_some_and(|exponent| {
            let (n, rest) = digits(exponent.strip_prefix(['+', '-']).unwrap_or(exponent));
            n > 0 && rest.is_empty()
        }),
    }
}

/// A quantity below zero (`-1`, `-0.5Gi`; not `-0`), which Kubernetes refuses as a resource amount.
fn is_negative(quantity: &str) -> bool {
    quantity.strip_prefix('-').is_some_and(|magnitude| {
        magnitude.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').any(|b| (b'1'..=b'9').contains(&b))
    })
}

// ---------------------------------------------------------------------------------------------
// `{{...}}` tags

/// A tag found in a string: its trimmed text, or an unclosed `{{`.
enum Tag<'s> {
    Closed(&'s str),
    Unclosed,
}

/// The `{{...}}` tags of `s`, as Argo's fasttemplate finds them.
fn tags(s: &str) -> impl Iterator<Item = Tag<'_>> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let text = rest?;
        let start = find_pair(text, b'{')?;
        let after = &text[start + 2..];
        match find_pair(after, b'}') {
            Some(end) => {
                rest = Some(&after[end + 2..]);
                Some(Tag::Closed(after[..end].trim()))
            }
            None => {
                rest = None;
                Some(Tag::Unclosed)
            }
        }
    })
}

/// Where `byte` first appears twice in a row in `s` (`str::find` with a two-byte pattern sets
/// up a substring search, which costs more than these short strings).
fn find_pair(s: &str, byte: u8) -> Option<usize> {
    let bytes = s.as_bytes();
    memchr::memchr_iter(byte, bytes).find(|&i| bytes.get(i + 1) == Some(&byte))
}

/// `s` split at its first `.`: `str::split_once` with a char pattern sets up a searcher,
/// which costs more than these short variable paths (every tag of a workflow is split).
fn split_dot(s: &str) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == b'.')?;
    Some((&s[..at], &s[at + 1..]))
}

/// True when a tag is a variable path (`inputs.parameters.x`, `item.[0]`, `workflow.labels.a/b`)
/// rather than an expression or arbitrary text.
fn is_variable_path(tag: &str) -> bool {
    // Bytes, not chars: every allowed character is ASCII, and no byte of a wider one is.
    // A table: every tag of a workflow is tested, byte by byte.
    static IN_PATH: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            table[b] = c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'/' | b'[' | b']');
            b += 1;
        }
        table
    };
    let Some(&first) = tag.as_bytes().first() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == b'_') && tag.bytes().all(|b| IN_PATH[usize::from(b)])
}

/// Argo's variable namespaces (first segment of a dotted variable).
const NAMESPACES: &[&str] = &[
    "inputs",
    "outputs",
    "tasks",
    "steps",
    "workflow",
    "pod",
    "item",
    "node",
    "retries",
    "lastRetry",
    "resourcesDuration",
];

/// Argo's global `workflow.*` variables without a user-defined part.
const WORKFLOW_GLOBALS: &[&str] = &[
    "name",
    "namespace",
    "uid",
    "serviceAccountName",
    "mainEntrypoint",
    "priority",
    "duration",
    "scheduledTime",
    "creationTimestamp",
    "parameters",
    "annotations",
    "labels",
];

/// Attributes of a task or step usable without looking at its outputs.
const NODE_ATTRIBUTES: &[&str] = &["id", "ip", "status", "exitCode", "startedAt", "finishedAt", "hostNodeName"];

// ---------------------------------------------------------------------------------------------
// Per-DAG and per-steps indexes

/// What `{{item...}}` may name in a looped task or step.
#[derive(Default)]
struct ItemScope {
    /// `withParam` / `withSequence`: any `item` or `item.x`.
    any: bool,
    /// Some `withItems` item is a scalar: `{{item}}`.
    scalar: bool,
    /// Keys of map items: `{{item.key}}`.
    keys: HashSet<String>,
    /// Longest list item: `{{item.[i]}}`.
    list_len: usize,
}

impl ItemScope {
    fn new(with_items: &[Value], with_param: bool, with_sequence: bool) -> Option<ItemScope> {
        if with_param || with_sequence {
            return Some(ItemScope { any: true, ..ItemScope::default() });
        }
        if with_items.is_empty() {
            return None;
        }
        let mut s = ItemScope::default();
        for item in with_items {
            match item {
                Value::Object(map) => s.keys.extend(map.keys().cloned()),
                Value::Array(list) => s.list_len = s.list_len.max(list.len()),
                _ => s.scalar = true,
            }
        }
        Some(s)
    }
}

/// Names of a list of parameters, artifacts or arguments, looked up by name: scanned
/// when the list is short, as a task's are (a few arguments each, and a workflow has
/// thousands of tasks), hashed when it is long (a group's template may take thousands).
struct NameSet<'a, T> {
    items: &'a [T],
    name: fn(&T) -> &String,
    /// For long lists: each name's first index.
    hashed: Option<HashMap<&'a str, usize>>,
}

impl<'a, T> NameSet<'a, T> {
    /// Lists up to this long are scanned.
    const SCANNED: usize = 16;

    fn new(items: &'a [T], name: fn(&T) -> &String) -> Self {
        let hashed = (items.len() > Self::SCANNED).then(|| {
            let mut first = HashMap::with_capacity(items.len());
            for (k, item) in items.iter().enumerate() {
                first.entry(name(item).as_str()).or_insert(k);
            }
            first
        });
        NameSet { items, name, hashed }
    }

    /// The index of the first item named `name`.
    fn first(&self, name: &str) -> Option<usize> {
        match &self.hashed {
            Some(first) => first.get(name).copied(),
            None => self.items.iter().position(|item| (self.name)(item) == name),
        }
    }
}

/// Tasks of one DAG template by name, with their resolved dependencies.
struct DagIndex<'a> {
    tasks: &'a [DagTask],
    by_name: HashMap<&'a str, usize>,
    /// Direct dependencies (from `dependencies` or `depends`) as task indexes.
    deps: Vec<Vec<usize>>,
    /// Direct dependents (the reverse of `deps`), built on first need.
    dependents: RefCell<Option<Vec<Vec<usize>>>>,
    /// Memoized transitive dependents of a referenced task, filled on demand.
    descendants: RefCell<HashMap<usize, HashSet<usize>>>,
}

impl<'a> DagIndex<'a> {
    fn new(tasks: &'a [DagTask]) -> Self {
        let mut by_name = HashMap::with_capacity(tasks.len());
        for (i, t) in tasks.iter().enumerate() {
            by_name.entry(t.name.as_str()).or_insert(i);
        }
        let deps =
            tasks.iter().map(|t| task_dependency_names(t).filter_map(|d| by_name.get(d).copied()).collect()).collect();
        DagIndex { tasks, by_name, deps, dependents: RefCell::new(None), descendants: RefCell::new(HashMap::new()) }
    }

    /// True when task `anc` is a direct or transitive dependency of task `of`.
    ///
    /// Direct dependencies (what kfp always writes) cost a scan of `of`'s dependencies; other
    /// look-ups walk the dependents of `anc` once and remember them, so many tasks referencing
    /// one producer cost one walk.
    fn is_ancestor(&self, anc: usize, of: usize) -> bool {
        if self.deps[of].contains(&anc) {
            return true;
        }
        let mut dependents = self.dependents.borrow_mut();
        let dependents = dependents.get_or_insert_with(|| {
            let mut rev = vec![Vec::new(); self.deps.len()];
            for (t, deps) in self.deps.iter().enumerate() {
                for &d in deps {
                    rev[d].push(t);
                }
            }
            rev
        });
        let mut memo = self.descendants.borrow_mut();
        let set = memo.entry(anc).or_insert_with(|| {
            let mut seen = HashSet::new();
            let mut stack: Vec<usize> = dependents[anc].clone();
            while let Some(t) = stack.pop() {
                if seen.insert(t) {
                    stack.extend(dependents[t].iter().copied());
                }
            }
            seen
        });
        set.contains(&of)
    }
}

/// Names a task depends on: `dependencies`, or the task names in a `depends` expression.
fn task_dependency_names(task: &DagTask) -> impl Iterator<Item = &str> {
    let depends = task.depends.as_deref().map(depends_names).unwrap_or_default();
    task.dependencies.iter().map(String::as_str).chain(depends)
}

/// Task names in a `depends` expression such as `a && (b.Failed || !c.Succeeded)`.
fn depends_names(expr: &str) -> Vec<&str> {
    expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .filter(|tok| !tok.is_empty())
        .map(|tok| tok.split('.').next().unwrap_or(tok))
        .filter(|name| !name.is_empty())
        .collect()
}

/// Steps of one steps template by name, with their group index.
struct StepsIndex<'a> {
    by_name: HashMap<&'a str, (usize, &'a WorkflowStep)>,
}

/// Where a `{{...}}` tag is resolved.
struct Scope<'s> {
    tmpl: &'s Template,
    ttype: Option<TemplateType>,
    /// The template may use `workflow.status` / `workflow.failures`.
    exit_handler: bool,
    dag: Option<&'s DagIndex<'s>>,
    /// Index of the referencing task in `dag` (None: the DAG template itself, e.g. outputs).
    task: Option<usize>,
    steps: Option<&'s StepsIndex<'s>>,
    /// Index of the referencing step group (None: the steps template itself).
    group: Option<usize>,
    item: Option<&'s ItemScope>,
}

/// The task `j` of a string at `dag.tasks[j]...`.
fn dag_task_of(steps: &[Step]) -> Option<usize> {
    match steps {
        [Step::Key(dag), Step::Key(tasks), Step::Index(j), ..] if dag == "dag" && tasks == "tasks" => Some(*j),
        _ => None,
    }
}

/// The step `(g, s)` of a string at `steps[g][s]...`.
fn step_of(steps: &[Step]) -> Option<(usize, usize)> {
    match steps {
        [Step::Key(key), Step::Index(g), Step::Index(s), ..] if key == "steps" => Some((*g, *s)),
        _ => None,
    }
}

/// `strings` (sorted, each with a key) split into runs of one key, in order.
fn runs<'t, 'f, K: PartialEq>(
    strings: &'t [Tagged<'f>],
    key: impl Fn(&Tagged<'f>) -> Option<K>,
) -> Vec<(K, &'t [Tagged<'f>])> {
    let mut out: Vec<(K, &[Tagged])> = Vec::new();
    let mut start = 0;
    for end in 1..=strings.len() {
        let this = key(&strings[start]);
        if end == strings.len() || key(&strings[end]) != this {
            out.extend(this.map(|k| (k, &strings[start..end])));
            start = end;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The checker

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

    // ----- workflow metadata ------------------------------------------------------------------

    fn check_object_meta(&mut self) {
        let meta = &self.wf.metadata;
        match (&meta.name, &meta.generate_name) {
            (None, None) => {
                self.report("metadata", "has neither `name` nor `generateName`: set `generateName: <pipeline-name>-`")
            }
            (Some(name), _) => {
                if name.len() > MAX_NAME_LEN || !dns_subdomain_ok(name) {
                    self.report(
                        "metadata.name",
                        format!(
                            "`{name}` is not a valid workflow name: use at most {MAX_NAME_LEN} lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
                        ),
                    );
                }
            }
            (None, Some(prefix)) => {
                let masked = match prefix.strip_suffix('-') {
                    Some(p) => format!("{p}-a"),
                    None => prefix.clone(),
                };
                if !dns_subdomain_ok(&masked) {
                    self.report(
                        "metadata.generateName",
                        format!(
                            "`{prefix}` is not a valid name prefix: use lowercase letters, digits, '-' and '.', starting with a letter or digit"
                        ),
                    );
                } else if prefix.len() > MAX_GENERATE_NAME_LEN {
                    self.report(
                        "metadata.generateName",
                        format!(
                            "`{prefix}` is {} characters long; Kubernetes appends 5 characters to it and names are limited to {MAX_NAME_LEN}, so use at most {MAX_GENERATE_NAME_LEN} (shorten the pipeline name)",
                            prefix.len()
                        ),
                    );
                }
            }
        }
        if let Some(labels) = &meta.labels {
            self.check_labels(&|| "metadata.labels".to_owned(), labels.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        if let Some(annotations) = &meta.annotations {
            let annotations = annotations.iter().map(|(k, v)| (k.as_str(), v.as_str()));
            self.check_annotations(&|| "metadata.annotations".to_owned(), annotations);
        }
    }

    /// `base` writes where the labels are, for a violation.
    fn check_labels<'m>(&mut self, base: &dyn Fn() -> String, labels: impl Iterator<Item = (&'m str, &'m str)>) {
        for (k, v) in labels {
            if let Some(problem) = self.key_problem(k) {
                self.report(keyed(&base(), k), format!("invalid label key `{k}`: {problem}"));
            }
            if find_pair(v, b'{').is_none() && !label_value_ok(v) {
                self.report(
                    keyed(&base(), k),
                    format!(
                        "invalid label value `{v}`: use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or an empty value)"
                    ),
                );
            }
        }
    }

    /// `base` writes where the annotations are, for a violation.
    fn check_annotations<'m>(
        &mut self,
        base: &dyn Fn() -> String,
        annotations: impl Iterator<Item = (&'m str, &'m str)>,
    ) {
        let mut total = 0usize;
        for (k, v) in annotations {
            total += k.len() + v.len();
            if let Some(problem) = self.key_problem(k) {
                self.report(keyed(&base(), k), format!("invalid annotation key `{k}`: {problem}"));
            }
        }
        if total > MAX_ANNOTATIONS_BYTES {
            self.report(
                base(),
                format!(
                    "annotations total {total} bytes, more than Kubernetes' limit of {MAX_ANNOTATIONS_BYTES} (256 KiB) per object: make them smaller (e.g. shorter component specs)"
                ),
            );
        }
    }

    fn check_pod_metadata(&mut self, base: &dyn Fn() -> String, meta: &Metadata) {
        self.check_labels(&|| format!("{}.labels", base()), meta.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let annotations = meta.annotations.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        self.check_annotations(&|| format!("{}.annotations", base()), annotations);
    }

    // ----- spec ---------------------------------------------------------------------------------

    fn check_spec(&mut self) {
        let spec = &self.wf.spec;
        // Template names.
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(spec.templates.len());
        for (i, t) in spec.templates.iter().enumerate() {
            let path = format!("spec.templates[{i}].name");
            if let Some(problem) = field_name_problem(&t.name) {
                self.report(path.clone(), format!("invalid template name: {problem}"));
            }
            if let Some(first) = seen.insert(t.name.as_str(), i) {
                seen.insert(t.name.as_str(), first);
                self.report(
                    path,
                    format!(
                        "template name `{}` is already used by spec.templates[{first}]: template names must be unique",
                        t.name
                    ),
                );
            }
        }
        // Entrypoint and exit handler.
        if spec.entrypoint.is_empty() {
            self.report("spec.entrypoint", "is missing: name the template that starts the workflow");
        } else if let Some(t) = self.templates.get(spec.entrypoint.as_str()).copied() {
            self.check_root_inputs("spec.entrypoint", t);
        } else {
            self.report("spec.entrypoint", format!("names template `{}`, which does not exist", spec.entrypoint));
        }
        if let Some(on_exit) = &spec.on_exit {
            if let Some(t) = self.templates.get(on_exit.as_str()).copied() {
                self.check_root_inputs("spec.onExit", t);
            } else {
                self.report("spec.onExit", format!("names template `{on_exit}`, which does not exist"));
            }
        }
        // Workflow arguments.
        self.check_argument_names(&"spec", &spec.arguments);
        let mut json_len = 2usize; // []
        for (i, p) in spec.arguments.parameters.iter().enumerate() {
            json_len += json_param_len(p) + usize::from(i > 0);
            if let Some(problem) = p.value.as_deref().and_then(parameter_value_too_long) {
                self.report(format!("spec.arguments.parameters[{i}].value"), problem);
            }
        }
        if json_len > MAX_RUN_PARAMETERS_BYTES {
            self.report(
                "spec.arguments.parameters",
                format!(
                    "the run parameters take {json_len} bytes as JSON; the KFP backend refuses more than {MAX_RUN_PARAMETERS_BYTES}: shorten the default values or pass large data as artifacts"
                ),
            );
        }
        for (i, a) in spec.arguments.artifacts.iter().enumerate() {
            if a.from.is_none() && a.from_expression.is_none() && !a.has_location() {
                self.report(
                    format!("spec.arguments.artifacts[{i}]"),
                    format!("artifact `{}` has no `from`, `raw` or location: give it one", a.name),
                );
            }
        }
        if let Some(gc) = &spec.pod_gc {
            if let Some(s) = &gc.strategy {
                const STRATEGIES: &[&str] =
                    &["OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess"];
                if !STRATEGIES.contains(&s.as_str()) {
                    self.report(
                        "spec.podGC.strategy",
                        format!("unknown strategy `{s}`: use one of {}", STRATEGIES.join(", ")),
                    );
                }
            }
        }
        if let Some(n) = spec.parallelism {
            if n < 0 {
                self.report("spec.parallelism", format!("is {n}: use a positive number"));
            }
        }
        if let Some(rs) = &spec.retry_strategy {
            self.check_retry("spec.retryStrategy", rs);
        }
        if let Some(pm) = &spec.pod_metadata {
            self.check_pod_metadata(&|| "spec.podMetadata".to_owned(), pm);
        }
        self.check_node_selector(&|| "spec.nodeSelector".to_owned(), &spec.node_selector);
    }

    /// The entrypoint and exit handler get their inputs from `spec.arguments` by name.
    fn check_root_inputs(&mut self, path: &str, t: &Template) {
        let args = &self.wf.spec.arguments;
        for p in &t.inputs.parameters {
            if input_param_required(p) && !self.wf_params.contains(p.name.as_str()) {
                self.report(
                    path,
                    format!(
                        "template `{}` requires input parameter `{}`, which spec.arguments.parameters does not declare: add it there",
                        t.name, p.name
                    ),
                );
            }
        }
        for a in &t.inputs.artifacts {
            if input_artifact_required(a) && !args.artifacts.iter().any(|x| x.name == a.name) {
                self.report(
                    path,
                    format!(
                        "template `{}` requires input artifact `{}`, which spec.arguments.artifacts does not declare: add it there",
                        t.name, a.name
                    ),
                );
            }
        }
    }

    fn check_node_selector(&mut self, base: &dyn Fn() -> String, sel: &std::collections::BTreeMap<String, String>) {
        self.check_labels(base, sel.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    }

    /// Names of the templates reachable from `root` through DAG tasks, steps and their exit hooks.
    fn reachable(&self, root: &'a str) -> HashSet<&'a str> {
        let mut seen = HashSet::new();
        let mut stack = vec![root];
        while let Some(name) = stack.pop() {
            let Some(t) = self.templates.get(name).copied() else {
                continue;
            };
            if !seen.insert(t.name.as_str()) {
                continue;
            }
            if let Some(dag) = &t.dag {
                for task in &dag.tasks {
                    stack.push(task.template.as_str());
                    stack.extend(task.on_exit.as_deref());
                }
            }
            for group in t.steps.iter().flatten() {
                for step in group {
                    stack.push(step.template.as_str());
                    stack.extend(step.on_exit.as_deref());
                }
            }
        }
        seen
    }

    // ----- templates ----------------------------------------------------------------------------

    /// `base` is where `t` is: `spec.templates[i]`.
    fn check_template(&mut self, base: &str, t: &'a Template) {
        let mut types = t.declared_types();
        let ttype = match (types.next(), types.next()) {
            (None, _) => {
                self.report(
                    base.to_owned(),
                    format!(
                        "template `{}` has no type: set exactly one of container, script, resource, dag, steps, suspend",
                        t.name
                    ),
                );
                None
            }
            (Some(one), None) => Some(one),
            (Some(_), Some(_)) => {
                let names: Vec<&str> = t.declared_types().map(TemplateType::field).collect();
                self.report(
                    base.to_owned(),
                    format!("template `{}` has several types ({}): keep exactly one", t.name, names.join(", ")),
                );
                None
            }
        };
        let leaf = ttype.is_none_or(TemplateType::is_leaf);

        self.check_inputs(base, t, leaf);
        self.check_outputs(base, t, ttype);

        if t.active_deadline_seconds.is_some() && !leaf {
            self.report(
                format!("{base}.activeDeadlineSeconds"),
                "is only valid for container, script and resource templates: set it on the tasks' templates",
            );
        }
        if let Some(ads) = &t.active_deadline_seconds {
            if !int_or_var_ok(ads, false) {
                self.report(
                    format!("{base}.activeDeadlineSeconds"),
                    "must be a positive integer or a `{{...}}` variable",
                );
            }
        }
        if let Some(p) = t.parallelism {
            if leaf {
                self.report(format!("{base}.parallelism"), "is only valid for DAG and steps templates");
            } else if p < 0 {
                self.report(format!("{base}.parallelism"), format!("is {p}: use a positive number (0 means no limit)"));
            }
        }
        if let Some(rs) = &t.retry_strategy {
            self.check_retry(&format!("{base}.retryStrategy"), rs);
        }
        self.check_pod_metadata(&|| format!("{base}.metadata"), &t.metadata);
        self.check_node_selector(&|| format!("{base}.nodeSelector"), &t.node_selector);
        self.check_pod(base, t);

        if let Some(r) = &t.resource {
            const ACTIONS: &[&str] = &["get", "create", "apply", "delete", "replace", "patch"];
            if !ACTIONS.contains(&r.action.as_str()) && !r.action.contains("{{") {
                self.report(
                    format!("{base}.resource.action"),
                    format!("is `{}`: use one of {}", r.action, ACTIONS.join(", ")),
                );
            }
            match (&r.manifest, &r.manifest_from) {
                (None, None) => self.report(
                    format!("{base}.resource"),
                    "has no `manifest` (nor `manifestFrom`): give the resource to act on",
                ),
                (Some(_), Some(_)) => {
                    self.report(format!("{base}.resource"), "has both `manifest` and `manifestFrom`: keep one")
                }
                (Some(m), None) => {
                    if let Err(e) = crate::input::from_yaml::<serde_yaml::Value>(&mask_tags(m)) {
                        self.report(format!("{base}.resource.manifest"), format!("is not valid YAML: {e}"));
                    }
                }
                (None, Some(_)) => {}
            }
        }
        if let Some(s) = &t.script {
            if s.source.is_empty() {
                self.report(format!("{base}.script.source"), "is empty: give the script");
            }
        }

        // Structure of DAG and steps, then variable references: the template's own, then each
        // task's or step's in its scope.
        let exit_handler = self.wf.spec.on_exit.is_some() && !self.from_entry.contains(t.name.as_str());
        // Lent out for the walk, since checking the strings it found needs `self`.
        let mut walker = std::mem::take(&mut self.walker);
        if let Ok(found) = walker.walk(t) {
            let scope =
                Scope { tmpl: t, ttype, exit_handler, dag: None, task: None, steps: None, group: None, item: None };
            self.check_found(base, t, found, scope);
        }
        self.walker = walker;
    }

    /// Checks the tagged strings of template `t`: the template's own, then each task's
    /// or step's in its scope.
    fn check_found(&mut self, base: &str, t: &'a Template, found: &tag_view::Found, scope: Scope<'_>) {
        if let Some(dag) = &t.dag {
            let index = DagIndex::new(&dag.tasks);
            self.check_dag(base, t, &index);
            let scope = Scope { dag: Some(&index), ..scope };
            let (own, in_tasks): (Vec<Tagged>, Vec<Tagged>) =
                found.iter().partition(|tagged| dag_task_of(tagged.steps).is_none());
            self.check_strings(base, own, &scope);
            for (j, strings) in runs(&in_tasks, |tagged| dag_task_of(tagged.steps)) {
                let Some(task) = dag.tasks.get(j) else { continue };
                let items = ItemScope::new(&task.with_items, task.with_param.is_some(), task.with_sequence.is_some());
                self.check_strings(
                    base,
                    strings.iter().copied(),
                    &Scope { task: Some(j), item: items.as_ref(), ..scope },
                );
            }
        } else if let Some(groups) = &t.steps {
            let index = self.check_steps(base, groups);
            let scope = Scope { steps: Some(&index), ..scope };
            let (own, in_steps): (Vec<Tagged>, Vec<Tagged>) =
                found.iter().partition(|tagged| step_of(tagged.steps).is_none());
            self.check_strings(base, own, &scope);
            for ((g, s), strings) in runs(&in_steps, |tagged| step_of(tagged.steps)) {
                let Some(step) = groups.get(g).and_then(|group| group.get(s)) else { continue };
                let items = ItemScope::new(&step.with_items, step.with_param.is_some(), step.with_sequence.is_some());
                self.check_strings(
                    base,
                    strings.iter().copied(),
                    &Scope { group: Some(g), item: items.as_ref(), ..scope },
                );
            }
        } else {
            self.check_strings(base, found.iter(), &scope);
        }
    }

    fn check_inputs(&mut self, base: &str, t: &Template, leaf: bool) {
        self.check_names(&base, ".inputs.parameters", &t.inputs.parameters, |p| &p.name);
        self.check_names(&base, ".inputs.artifacts", &t.inputs.artifacts, |a| &a.name);
        for (k, a) in t.inputs.artifacts.iter().enumerate() {
            let path = || format!("{base}.inputs.artifacts[{k}]");
            if leaf && a.path.is_none() {
                self.report(
                    path(),
                    format!("input artifact `{}` has no `path`: say where to place it in the container", a.name),
                );
            }
            if !leaf && a.path.is_some() {
                self.report(format!("{}.path", path()), "is only valid in container and script templates: remove it");
            }
            if a.from.is_some() || a.from_expression.is_some() {
                self.report(
                    format!("{}.from", path()),
                    "is not valid in inputs: pass the artifact as a task argument instead",
                );
            }
        }
        let paths = t.inputs.artifacts.iter().map(|a| (a.name.as_str(), a.path.as_deref()));
        self.check_shared_paths(base, ".inputs.artifacts", ".path", "input artifact", paths);
    }

    /// Two inputs placed at one path, or two outputs read from one file: one
    /// value is lost. kfp gives names that sanitize alike one path (`o p` and
    /// `o_p`: `/tmp/outputs/o_p/data`). `items` are (name, path) in list order;
    /// each repeat is reported at `{base}{list}[k]{field}`.
    fn check_shared_paths<'t>(
        &mut self,
        base: &str,
        list: &str,
        field: &str,
        what: &str,
        items: impl Iterator<Item = (&'t str, Option<&'t str>)>,
    ) {
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for (k, (name, path)) in items.enumerate() {
            let Some(path) = path else { continue };
            match seen.get(path) {
                Some(first) => self.report(
                    format!("{base}{list}[{k}]{field}"),
                    format!(
                        "{what} `{name}` has the path `{path}` of {what} `{first}`, so one of their values is lost: give each its own path (kfp gives names that differ only in punctuation, such as `o p` and `o_p`, one path: rename one in the component)"
                    ),
                ),
                None => {
                    seen.insert(path, name);
                }
            }
        }
    }

    fn check_outputs(&mut self, base: &str, t: &Template, ttype: Option<TemplateType>) {
        self.check_names(&base, ".outputs.parameters", &t.outputs.parameters, |p| &p.name);
        self.check_names(&base, ".outputs.artifacts", &t.outputs.artifacts, |a| &a.name);
        for (k, p) in t.outputs.parameters.iter().enumerate() {
            let path = || format!("{base}.outputs.parameters[{k}]");
            match (&p.value, &p.value_from) {
                (Some(_), Some(_)) => self.report(
                    path(),
                    format!("output parameter `{}` has both `value` and `valueFrom`: keep one", p.name),
                ),
                (None, None) => self.report(
                    path(),
                    format!(
                        "output parameter `{}` has neither `value` nor `valueFrom`: say where its value comes from",
                        p.name
                    ),
                ),
                (Some(_), None) => {}
                (None, Some(vf)) => {
                    let sources = [
                        vf.path.is_some(),
                        vf.json_path.is_some(),
                        vf.jq_filter.is_some(),
                        vf.parameter.is_some(),
                        vf.expression.is_some(),
                        vf.supplied.is_some(),
                        vf.config_map_key_ref.is_some(),
                    ]
                    .iter()
                    .filter(|b| **b)
                    .count();
                    if sources != 1 {
                        self.report(
                            format!("{}.valueFrom", path()),
                            format!(
                                "has {sources} sources: give exactly one of path, jsonPath, jqFilter, parameter, expression, supplied"
                            ),
                        );
                        continue;
                    }
                    let needed = match ttype {
                        Some(TemplateType::Container | TemplateType::Script) if vf.path.is_none() => {
                            Some("`path` (container and script templates)")
                        }
                        Some(TemplateType::Resource) if vf.json_path.is_none() && vf.jq_filter.is_none() => {
                            Some("`jsonPath` or `jqFilter` (resource templates)")
                        }
                        Some(TemplateType::Dag | TemplateType::Steps)
                            if vf.parameter.is_none() && vf.expression.is_none() =>
                        {
                            Some("`parameter` or `expression` (DAG and steps templates)")
                        }
                        _ => None,
                    };
                    if let Some(needed) = needed {
                        self.report(
                            format!("{}.valueFrom", path()),
                            format!("output parameter `{}` must take its value from {needed}", p.name),
                        );
                    }
                }
            }
        }
        let leaf = ttype.is_none_or(TemplateType::is_leaf);
        let read_from = t.outputs.parameters.iter().map(|p| {
            let path = p.value_from.as_ref().and_then(|vf| vf.path.as_deref());
            (p.name.as_str(), path)
        });
        self.check_shared_paths(base, ".outputs.parameters", ".valueFrom.path", "output parameter", read_from);
        let paths = t.outputs.artifacts.iter().map(|a| (a.name.as_str(), a.path.as_deref()));
        self.check_shared_paths(base, ".outputs.artifacts", ".path", "output artifact", paths);
        for (k, a) in t.outputs.artifacts.iter().enumerate() {
            let path = || format!("{base}.outputs.artifacts[{k}]");
            if leaf && a.path.is_none() {
                self.report(
                    path(),
                    format!("output artifact `{}` has no `path`: say which file in the container to save", a.name),
                );
            } else if !leaf && a.path.is_some() {
                self.report(
                    format!("{}.path", path()),
                    "is only valid in container and script templates: use `from` in a DAG or steps template",
                );
            } else if !leaf && a.from.is_none() && a.from_expression.is_none() {
                self.report(path(), format!("output artifact `{}` of a DAG or steps template needs `from`", a.name));
            }
        }
    }

    /// Parameter and artifact names: `[-a-zA-Z0-9_]+`, unique in their list.
    /// The list is at `{base}{list}`, written only for a violation.
    fn check_names<T>(&mut self, base: &dyn fmt::Display, list: &str, items: &[T], name: fn(&T) -> &String) {
        let seen = NameSet::new(items, name);
        for (k, item) in items.iter().enumerate() {
            let name = name(item);
            let path = || format!("{base}{list}[{k}].name");
            if !param_name_ok(name) {
                self.report(path(), format!("invalid name `{name}`: use ASCII letters, digits, '-' and '_'"));
            }
            if seen.first(name) != Some(k) {
                self.report(path(), format!("name `{name}` is used twice in this list"));
            }
        }
    }

    fn check_retry(&mut self, path: &str, rs: &super::RetryStrategy) {
        if let Some(policy) = &rs.retry_policy {
            const POLICIES: &[&str] = &["Always", "OnFailure", "OnError", "OnTransientError"];
            if !POLICIES.contains(&policy.as_str()) && !policy.is_empty() {
                self.report(
                    format!("{path}.retryPolicy"),
                    format!("is `{policy}`: use one of {}", POLICIES.join(", ")),
                );
            }
        }
        if let Some(limit) = &rs.limit {
            if !int_or_var_ok(limit, true) {
                self.report(
                    format!("{path}.limit"),
                    "must be a non-negative integer (or a string holding one, or a `{{...}}` variable)",
                );
            }
        }
    }

    /// Containers, sidecars and init containers: images, names, volume mounts.
    fn check_pod(&mut self, base: &str, t: &Template) {
        let mut volumes: HashSet<&str> = HashSet::new();
        for (k, v) in t.volumes.iter().enumerate() {
            if !volumes.insert(v.name.as_str()) {
                self.report(
                    format!("{base}.volumes[{k}].name"),
                    format!("volume `{}` is declared twice in this template", v.name),
                );
            }
        }
        if let Some(c) = &t.container {
            if c.image.as_deref().unwrap_or("").is_empty() {
                self.report(format!("{base}.container.image"), "is missing: give the container image");
            }
            self.check_resources(&format!("{base}.container"), c.resources.as_ref());
            self.check_mounts(
                base,
                ".container",
                c.volume_mounts.as_deref().unwrap_or(&[]),
                &volumes,
                Some(&t.inputs.artifacts),
            );
        }
        if let Some(s) = &t.script {
            if s.image.as_deref().unwrap_or("").is_empty() {
                self.report(format!("{base}.script.image"), "is missing: give the container image");
            }
            self.check_resources(&format!("{base}.script"), s.resources.as_ref());
            self.check_mounts(
                base,
                ".script",
                s.volume_mounts.as_deref().unwrap_or(&[]),
                &volumes,
                Some(&t.inputs.artifacts),
            );
        }
        if t.init_containers.is_empty() && t.sidecars.is_empty() {
            return;
        }
        let mut names: HashSet<&str> = ["main", "wait", "init"].into_iter().collect();
        for (field, list) in [("initContainers", &t.init_containers), ("sidecars", &t.sidecars)] {
            for (k, c) in list.iter().enumerate() {
                self.check_user_container(&format!("{base}.{field}[{k}]"), c, &mut names, &volumes);
            }
        }
    }

    fn check_user_container<'c>(
        &mut self,
        path: &str,
        c: &'c UserContainer,
        names: &mut HashSet<&'c str>,
        volumes: &HashSet<&str>,
    ) {
        if c.name.is_empty() {
            self.report(format!("{path}.name"), "is missing: name the container");
        } else if !dns_label_ok(&c.name) {
            self.report(
                format!("{path}.name"),
                format!("`{}` is not a valid container name: use at most 63 lowercase letters, digits and '-'", c.name),
            );
        } else if !names.insert(c.name.as_str()) {
            self.report(
                format!("{path}.name"),
                format!(
                    "container name `{}` is already used in this pod (`main`, `wait` and `init` are Argo's)",
                    c.name
                ),
            );
        }
        if c.image.as_deref().unwrap_or("").is_empty() {
            self.report(format!("{path}.image"), "is missing: give the container image");
        }
        self.check_resources(path, c.resources.as_ref());
        self.check_mounts(path, "", c.volume_mounts.as_deref().unwrap_or(&[]), volumes, None);
    }

    /// Every limit and request of the container at `path` is a Kubernetes quantity, or holds
    /// a `{{...}}` tag that Argo resolves at run time; Kubernetes would otherwise refuse the pod.
    fn check_resources(&mut self, path: &str, resources: Option<&ResourceRequirements>) {
        let Some(resources) = resources else { return };
        for (field, amounts) in [("limits", &resources.limits), ("requests", &resources.requests)] {
            for (key, Quantity(value)) in amounts.iter().flatten() {
                if tags(value).next().is_some() {
                    continue;
                }
                let path = || keyed(&format!("{path}.resources.{field}"), key);
                if !is_quantity(value) {
                    self.report(
                        path(),
                        format!(
                            "{value:?} ({key}) is not a Kubernetes quantity: write a number with an optional suffix, such as 512Mi, 2G, 500m or 1.5"
                        ),
                    );
                } else if is_negative(value) {
                    self.report(
                        path(),
                        format!("{value:?} ({key}) is negative: Kubernetes refuses it; write 0 or more"),
                    );
                }
            }
        }
    }

    /// The mounts are at `{base}{field}`, written only for a violation.
    fn check_mounts(
        &mut self,
        base: &str,
        field: &str,
        mounts: &[VolumeMount],
        volumes: &HashSet<&str>,
        artifacts: Option<&[Artifact]>,
    ) {
        let mut paths: HashMap<&str, usize> = HashMap::new();
        for (k, m) in mounts.iter().enumerate() {
            if !volumes.contains(m.name.as_str()) && !self.spec_volumes.contains(m.name.as_str()) {
                self.report(
                    format!("{base}{field}.volumeMounts[{k}].name"),
                    format!(
                        "mounts volume `{}`, which neither the template's nor the workflow's volumes declare",
                        m.name
                    ),
                );
            }
            if let Some(prev) = paths.insert(m.mount_path.as_str(), k) {
                self.report(
                    format!("{base}{field}.volumeMounts[{k}].mountPath"),
                    format!("`{}` is already mounted by volumeMounts[{prev}]", m.mount_path),
                );
            }
        }
        for (k, a) in artifacts.unwrap_or(&[]).iter().enumerate() {
            if let Some(p) = &a.path {
                if let Some(prev) = paths.get(p.as_str()) {
                    self.report(
                        format!("{base}{field}.volumeMounts[{prev}].mountPath"),
                        format!("`{p}` is also the path of input artifact `{}` (inputs.artifacts[{k}]): use different paths", a.name),
                    );
                }
            }
        }
    }

    // ----- DAG and steps structure ----------------------------------------------------------

    fn check_dag(&mut self, base: &str, t: &Template, index: &DagIndex<'_>) {
        let dag = t.dag.as_ref().expect("DAG template");
        if dag.tasks.is_empty() {
            self.report(format!("{base}.dag.tasks"), "is empty: a DAG needs at least one task");
            return;
        }
        let uses_depends = dag.tasks.iter().any(|task| task.depends.is_some());
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(dag.tasks.len());
        for (j, task) in dag.tasks.iter().enumerate() {
            let path = TaskPath { base, task: j };
            if let Some(problem) = field_name_problem(&task.name) {
                self.report(format!("{path}.name"), format!("invalid task name: {problem}"));
            } else if task.name.as_bytes()[0].is_ascii_digit() {
                self.report(
                    format!("{path}.name"),
                    format!(
                        "task name `{}` starts with a digit, which Argo refuses in a DAG: prefix it with a letter",
                        task.name
                    ),
                );
            }
            if let Some(first) = seen.insert(task.name.as_str(), j) {
                seen.insert(task.name.as_str(), first);
                self.report(
                    format!("{path}.name"),
                    format!("task name `{}` is already used by tasks[{first}] of this DAG", task.name),
                );
            }
            if uses_depends && !task.dependencies.is_empty() {
                self.report(
                    format!("{path}.dependencies"),
                    "cannot be used with `depends` in the same DAG: express it in `depends`",
                );
            }
            for (k, dep) in task.dependencies.iter().enumerate() {
                self.check_dependency(|| format!("{path}.dependencies[{k}]"), task, dep, index);
            }
            if let Some(expr) = &task.depends {
                for dep in depends_names(expr) {
                    self.check_dependency(|| format!("{path}.depends"), task, dep, index);
                }
            }
            self.check_call(
                &path,
                &task.name,
                &task.template,
                &task.arguments,
                &task.with_items,
                task.with_param.as_deref(),
                task.with_sequence.as_ref(),
            );
            if let Some(on_exit) = &task.on_exit {
                if !self.templates.contains_key(on_exit.as_str()) {
                    self.report(format!("{path}.onExit"), format!("names template `{on_exit}`, which does not exist"));
                }
            }
        }
        if let Some(target) = &dag.target {
            for name in target.split_whitespace() {
                if !name.contains("{{") && !index.by_name.contains_key(name) {
                    self.report(format!("{base}.dag.target"), format!("names task `{name}`, which is not in this DAG"));
                }
            }
        }
        self.check_cycles(base, index);
    }

    /// `path` writes where the dependency is, for a violation: a DAG has many.
    fn check_dependency(&mut self, path: impl Fn() -> String, task: &DagTask, dep: &str, index: &DagIndex<'_>) {
        if dep == task.name {
            self.report(path(), format!("task `{dep}` depends on itself: remove it"));
        } else if !index.by_name.contains_key(dep) {
            self.report(path(), format!("task `{}` depends on `{dep}`, which is not a task of this DAG", task.name));
        }
    }

    /// Reports each dependency cycle once, with its task names in order.
    fn check_cycles(&mut self, base: &str, index: &DagIndex<'_>) {
        const WHITE: u8 = 0;
        const GREY: u8 = 1;
        const BLACK: u8 = 2;
        let n = index.tasks.len();
        let mut color = vec![WHITE; n];
        let mut pos_on_stack = vec![usize::MAX; n];
        for root in 0..n {
            if color[root] != WHITE {
                continue;
            }
            // Iterative DFS: (task, next dependency to visit).
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            color[root] = GREY;
            pos_on_stack[root] = 0;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                if let Some(&dep) = index.deps[node].get(*next) {
                    *next += 1;
                    match color[dep] {
                        WHITE => {
                            color[dep] = GREY;
                            pos_on_stack[dep] = stack.len();
                            stack.push((dep, 0));
                        }
                        GREY if dep != node => {
                            let start = pos_on_stack[dep];
                            // Each task on the stack depends on the next one.
                            let mut names: Vec<&str> =
                                stack[start..].iter().map(|&(t, _)| index.tasks[t].name.as_str()).collect();
                            names.push(index.tasks[dep].name.as_str());
                            let first = dep;
                            self.report(
                                format!("{base}.dag.tasks[{first}].dependencies"),
                                format!(
                                    "dependency cycle: {} (each task depends on the next): remove one of these dependencies",
                                    names.join(" -> ")
                                ),
                            );
                        }
                        _ => {}
                    }
                } else {
                    color[node] = BLACK;
                    pos_on_stack[node] = usize::MAX;
                    stack.pop();
                }
            }
        }
    }

    fn check_steps(&mut self, base: &str, groups: &'a [Vec<WorkflowStep>]) -> StepsIndex<'a> {
        let mut by_name: HashMap<&'a str, (usize, &'a WorkflowStep)> = HashMap::new();
        if groups.is_empty() {
            self.report(format!("{base}.steps"), "is empty: a steps template needs at least one step");
        }
        for (g, group) in groups.iter().enumerate() {
            for (s, step) in group.iter().enumerate() {
                let path = format!("{base}.steps[{g}][{s}]");
                if let Some(problem) = field_name_problem(&step.name) {
                    self.report(format!("{path}.name"), format!("invalid step name: {problem}"));
                }
                if by_name.insert(step.name.as_str(), (g, step)).is_some() {
                    self.report(
                        format!("{path}.name"),
                        format!("step name `{}` is used twice in this template", step.name),
                    );
                }
                self.check_call(
                    &path,
                    &step.name,
                    &step.template,
                    &step.arguments,
                    &step.with_items,
                    step.with_param.as_deref(),
                    step.with_sequence.as_ref(),
                );
                if let Some(on_exit) = &step.on_exit {
                    if !self.templates.contains_key(on_exit.as_str()) {
                        self.report(
                            format!("{path}.onExit"),
                            format!("names template `{on_exit}`, which does not exist"),
                        );
                    }
                }
            }
        }
        StepsIndex { by_name }
    }

    /// A task or step: its template exists, its loop is well-formed, its arguments match the
    /// template's inputs.
    #[allow(clippy::too_many_arguments)]
    fn check_call(
        &mut self,
        path: &dyn fmt::Display,
        caller: &str,
        template: &str,
        args: &Arguments,
        with_items: &[Value],
        with_param: Option<&str>,
        with_sequence: Option<&super::Sequence>,
    ) {
        let loops = usize::from(!with_items.is_empty())
            + usize::from(with_param.is_some())
            + usize::from(with_sequence.is_some());
        if loops > 1 {
            self.report(path.to_string(), "has more than one of withItems, withParam, withSequence: keep one");
        }
        if let Some(seq) = with_sequence {
            if seq.count.is_some() && seq.end.is_some() {
                self.report(format!("{path}.withSequence"), "has both `count` and `end`: keep one");
            }
        }
        self.check_argument_names(path, args);
        for (k, p) in args.parameters.iter().enumerate() {
            if p.value.is_none() && p.value_from.is_none() {
                self.report(
                    format!("{path}.arguments.parameters[{k}]"),
                    format!("argument `{}` has no `value`: give it one", p.name),
                );
            }
        }
        for (k, a) in args.artifacts.iter().enumerate() {
            if a.from.is_none() && a.from_expression.is_none() && !a.has_location() {
                self.report(
                    format!("{path}.arguments.artifacts[{k}]"),
                    format!("argument `{}` has no `from`, `raw` or location: give it one", a.name),
                );
            }
        }
        if template.is_empty() {
            self.report(format!("{path}.template"), "is missing: name the template to run");
            return;
        }
        let Some(callee) = self.templates.get(template).copied() else {
            self.report(format!("{path}.template"), format!("names template `{template}`, which does not exist"));
            return;
        };
        self.check_arguments_match(path, caller, callee, args);
    }

    /// Names of the `arguments` of `base`.
    fn check_argument_names(&mut self, base: &dyn fmt::Display, args: &Arguments) {
        self.check_names(base, ".arguments.parameters", &args.parameters, |p| &p.name);
        self.check_names(base, ".arguments.artifacts", &args.artifacts, |a| &a.name);
    }

    fn check_arguments_match(&mut self, path: &dyn fmt::Display, caller: &str, callee: &Template, args: &Arguments) {
        let inputs: &Inputs = &callee.inputs;
        let declared = NameSet::new(&inputs.parameters, |p| &p.name);
        for (k, p) in args.parameters.iter().enumerate() {
            if declared.first(&p.name).is_none() {
                self.report(
                    format!("{path}.arguments.parameters[{k}].name"),
                    format!(
                        "template `{}` has no input parameter `{}`: declare it in its inputs or remove the argument",
                        callee.name, p.name
                    ),
                );
            }
        }
        let passed = NameSet::new(&args.parameters, |p| &p.name);
        for p in &inputs.parameters {
            if input_param_required(p) && passed.first(&p.name).is_none() {
                self.report(
                    format!("{path}.arguments"),
                    format!(
                        "`{caller}` does not pass input parameter `{}` that template `{}` requires: add an argument (or give the input a default)",
                        p.name, callee.name
                    ),
                );
            }
        }
        let declared = NameSet::new(&inputs.artifacts, |a| &a.name);
        for (k, a) in args.artifacts.iter().enumerate() {
            if declared.first(&a.name).is_none() {
                self.report(
                    format!("{path}.arguments.artifacts[{k}].name"),
                    format!(
                        "template `{}` has no input artifact `{}`: declare it in its inputs or remove the argument",
                        callee.name, a.name
                    ),
                );
            }
        }
        let passed = NameSet::new(&args.artifacts, |a| &a.name);
        for a in &inputs.artifacts {
            if input_artifact_required(a) && passed.first(&a.name).is_none() {
                self.report(
                    format!("{path}.arguments"),
                    format!(
                        "`{caller}` does not pass input artifact `{}` that template `{}` requires: add an argument",
                        a.name, callee.name
                    ),
                );
            }
        }
    }

    // ----- variable references --------------------------------------------------------------

    fn check_strings<'f>(&mut self, base: &str, strings: impl IntoIterator<Item = Tagged<'f>>, scope: &Scope<'_>) {
        for tagged in strings {
            self.check_string(tagged.text, || tag_view::path(base, tagged.steps), scope);
        }
    }

    /// Checks the tags of `s`; `path` writes where `s` is, for a violation.
    fn check_string(&mut self, s: &str, path: impl Fn() -> String, scope: &Scope<'_>) {
        for tag in tags(s) {
            match tag {
                Tag::Unclosed => self.report(
                    path(),
                    "has a `{{` without a closing `}}`, which Argo cannot parse: close it or avoid `{{` in the text",
                ),
                Tag::Closed(tag) => {
                    if tag.starts_with('=') || !is_variable_path(tag) {
                        continue;
                    }
                    if let Err(why) = self.resolve(tag, scope) {
                        self.report(path(), format!("`{{{{{tag}}}}}` does not resolve: {why}"));
                    }
                }
            }
        }
    }

    /// Resolves one variable path in `scope`; `Err` says why it does not resolve.
    fn resolve(&self, tag: &str, scope: &Scope<'_>) -> Result<(), String> {
        let (root, rest) = match split_dot(tag) {
            Some((root, rest)) => (root, Some(rest)),
            None => (tag, None),
        };
        let t = scope.tmpl;
        match (root, rest) {
            ("inputs", Some(rest)) => resolve_inputs(t, rest, scope.ttype),
            ("outputs", Some(rest)) => resolve_own_outputs(t, rest),
            ("workflow", Some(rest)) => self.resolve_workflow(rest, scope),
            ("pod", Some("name")) => {
                if scope.ttype.is_some_and(TemplateType::is_pod) {
                    Ok(())
                } else {
                    Err("`pod.name` is only available in container, script and resource templates".into())
                }
            }
            ("node", Some("name")) => Ok(()),
            ("retries", None) => {
                if t.retry_strategy.is_some() || self.wf.spec.retry_strategy.is_some() {
                    Ok(())
                } else {
                    Err("`retries` is only available in a template with a retryStrategy".into())
                }
            }
            ("lastRetry", Some(_)) | ("resourcesDuration", Some(_)) => Ok(()),
            ("item", _) => resolve_item(rest, scope.item),
            ("tasks", Some(rest)) => self.resolve_task(rest, scope),
            ("steps", Some(rest)) => self.resolve_step(rest, scope),
            (_, None) => Ok(()), // a bare word: not a variable namespace, left as text (as Argo does)
            (root, Some(_)) if NAMESPACES.contains(&root) => {
                Err(format!("`{tag}` is not a variable of namespace `{root}`"))
            }
            (root, Some(_)) => {
                Err(format!("`{root}` is not an Argo variable namespace (use one of {})", NAMESPACES.join(", ")))
            }
        }
    }

    fn resolve_workflow(&self, rest: &str, scope: &Scope<'_>) -> Result<(), String> {
        let (head, tail) = match split_dot(rest) {
            Some((h, t)) => (h, Some(t)),
            None => (rest, None),
        };
        match (head, tail) {
            ("parameters", None) => Ok(()),
            ("parameters", Some("json")) => Ok(()),
            ("parameters", Some(name)) => {
                if self.wf_params.contains(name) {
                    Ok(())
                } else {
                    Err(format!(
                        "the workflow has no parameter `{name}`: declare it in spec.arguments.parameters"
                    ))
                }
            }
            ("outputs", Some(tail)) => {
                let (kind, name) = split_dot(tail).unwrap_or((tail, ""));
                let known = match kind {
                    "parameters" => self.global_out_params.contains(name),
                    "artifacts" => self.global_out_artifacts.contains(name),
                    _ => return Err(format!("`workflow.outputs.{kind}` is not a workflow variable")),
                };
                if known || self.dynamic_global_outputs {
                    Ok(())
                } else {
                    Err(format!(
                        "no output {kind} has `globalName: {name}`: set it on the output that produces it"
                    ))
                }
            }
            ("status" | "failures", None) => {
                if scope.exit_handler {
                    Ok(())
                } else {
                    Err(format!(
                        "`workflow.{head}` is only available in the exit handler (spec.onExit) and templates only it calls"
                    ))
                }
            }
            ("creationTimestamp" | "annotations" | "labels", _) => Ok(()),
            ("priority", None) if self.wf.spec.priority.is_none() => {
                Err("`workflow.priority` has no value: the Workflow sets no `spec.priority`".into())
            }
            (g, None) if WORKFLOW_GLOBALS.contains(&g) => Ok(()),
            _ => Err(format!(
                "`workflow.{rest}` is not a workflow variable (known: {}, parameters.<name>, outputs.parameters.<name>, status, failures)",
                WORKFLOW_GLOBALS.join(", ")
            )),
        }
    }

    fn resolve_task(&self, rest: &str, scope: &Scope<'_>) -> Result<(), String> {
        let Some(dag) = scope.dag else {
            return Err("`tasks.*` is only available in a DAG template".into());
        };
        let (name, attr) = match split_dot(rest) {
            Some((n, a)) => (n, a),
            None if rest == "name" && scope.task.is_some() => return Ok(()),
            None => return Err(format!("`tasks.{rest}` names no attribute of a task")),
        };
        let Some(&target) = dag.by_name.get(name) else {
            return Err(format!("this DAG has no task `{name}`"));
        };
        if let Some(current) = scope.task {
            if current == target {
                return Err(format!("task `{name}` cannot reference itself"));
            }
            if !dag.is_ancestor(target, current) {
                return Err(format!(
                    "task `{name}` is not a dependency of task `{}`: add `{name}` to its dependencies",
                    dag.tasks[current].name
                ));
            }
        }
        let task = &dag.tasks[target];
        let looped = !task.with_items.is_empty() || task.with_param.is_some() || task.with_sequence.is_some();
        self.resolve_node_attr("task", name, &task.template, attr, looped)
    }

    fn resolve_step(&self, rest: &str, scope: &Scope<'_>) -> Result<(), String> {
        let Some(steps) = scope.steps else {
            return Err("`steps.*` is only available in a steps template".into());
        };
        let (name, attr) = match split_dot(rest) {
            Some((n, a)) => (n, a),
            None if rest == "name" && scope.group.is_some() => return Ok(()),
            None => return Err(format!("`steps.{rest}` names no attribute of a step")),
        };
        let Some(&(group, step)) = steps.by_name.get(name) else {
            return Err(format!("this template has no step `{name}`"));
        };
        if let Some(current) = scope.group {
            let earlier = group < current || (group == current && attr == "status");
            if !earlier {
                return Err(format!(
                    "step `{name}` runs in group {group}, not before group {current}: move it to an earlier group"
                ));
            }
        }
        let looped = !step.with_items.is_empty() || step.with_param.is_some() || step.with_sequence.is_some();
        self.resolve_node_attr("step", name, &step.template, attr, looped)
    }

    /// `outputs.parameters.P`, `outputs.artifacts.A`, `outputs.result`, `status`, ... of a task
    /// or step running template `template`.
    fn resolve_node_attr(
        &self,
        what: &str,
        name: &str,
        template: &str,
        attr: &str,
        looped: bool,
    ) -> Result<(), String> {
        if NODE_ATTRIBUTES.contains(&attr) {
            return Ok(());
        }
        let Some(callee) = self.templates.get(template).copied() else {
            return Ok(()); // the missing template is reported where the task names it
        };
        match split_dot(attr) {
            Some(("outputs", "result")) => match callee.template_type() {
                Some(TemplateType::Container | TemplateType::Script) => Ok(()),
                _ => Err(format!(
                    "{what} `{name}` runs template `{template}`, which is not a container or script and has no `outputs.result`"
                )),
            },
            Some(("outputs", "parameters")) if looped => Ok(()),
            Some(("outputs", tail)) => {
                let (kind, out) = split_dot(tail).unwrap_or((tail, ""));
                let found = match kind {
                    "parameters" => callee.outputs.parameters.iter().any(|p| p.name == out),
                    "artifacts" => callee.outputs.artifacts.iter().any(|a| a.name == out),
                    _ => return Err(format!("`outputs.{kind}` is not an output of a {what}")),
                };
                if found {
                    Ok(())
                } else {
                    let singular = if kind == "parameters" { "parameter" } else { "artifact" };
                    Err(format!(
                        "template `{template}` (run by {what} `{name}`) has no output {singular} `{out}`: declare it in its outputs"
                    ))
                }
            }
            _ => Err(format!("`{attr}` is not an attribute of a {what}")),
        }
    }
}

fn resolve_inputs(t: &Template, rest: &str, ttype: Option<TemplateType>) -> Result<(), String> {
    let (kind, tail) = split_dot(rest).unwrap_or((rest, ""));
    match kind {
        "parameters" if tail.is_empty() => {
            if t.inputs.parameters.is_empty() {
                Err(format!("template `{}` has no input parameters", t.name))
            } else {
                Ok(())
            }
        }
        "parameters" => {
            if t.inputs.parameters.iter().any(|p| p.name == tail) {
                Ok(())
            } else {
                Err(format!("template `{}` has no input parameter `{tail}`: declare it in inputs.parameters", t.name))
            }
        }
        "artifacts" => {
            let (name, attr) = split_dot(tail).unwrap_or((tail, ""));
            if !t.inputs.artifacts.iter().any(|a| a.name == name) {
                return Err(format!(
                    "template `{}` has no input artifact `{name}`: declare it in inputs.artifacts",
                    t.name
                ));
            }
            match attr {
                "" => Ok(()),
                "path" if ttype.is_none_or(TemplateType::is_leaf) => Ok(()),
                _ => Err(format!("`inputs.artifacts.{name}.{attr}` is not available here")),
            }
        }
        _ => Err(format!("`inputs.{kind}` is not an input variable (use inputs.parameters or inputs.artifacts)")),
    }
}

fn resolve_own_outputs(t: &Template, rest: &str) -> Result<(), String> {
    let (kind, tail) = split_dot(rest).unwrap_or((rest, ""));
    let name = tail.strip_suffix(".path").unwrap_or(tail);
    match kind {
        "result" | "exitCode" if tail.is_empty() => Ok(()),
        "parameters" if t.outputs.parameters.iter().any(|p| p.name == name) => Ok(()),
        "artifacts" if t.outputs.artifacts.iter().any(|a| a.name == name) => Ok(()),
        "parameters" | "artifacts" => {
            Err(format!("template `{}` has no output {} `{name}`", t.name, &kind[..kind.len() - 1]))
        }
        _ => Err(format!("`outputs.{kind}` is not an output variable")),
    }
}

fn resolve_item(rest: Option<&str>, item: Option<&ItemScope>) -> Result<(), String> {
    let Some(item) = item else {
        return Err("`item` is only available in a task or step with withItems, withParam or withSequence".into());
    };
    if item.any {
        return Ok(());
    }
    match rest {
        None if item.scalar => Ok(()),
        None => Err("the withItems items are maps or lists: use `item.<key>`".into()),
        Some(key) => {
            let top = key.split('.').next().unwrap_or(key);
            if item.keys.contains(top) {
                return Ok(());
            }
            if let Some(i) = top.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                if i.parse::<usize>().is_ok_and(|i| i < item.list_len) {
                    return Ok(());
                }
            }
            Err(format!("no withItems item has the key `{top}`"))
        }
    }
}

/// An input parameter without `value`, `default` or `valueFrom` must be passed.
fn input_param_required(p: &Parameter) -> bool {
    p.value.is_none() && p.default.is_none() && p.value_from.is_none()
}

/// An input artifact without content, location or `optional: true` must be passed.
fn input_artifact_required(a: &Artifact) -> bool {
    !a.has_location() && a.from.is_none() && a.optional != Some(true)
}

/// An IntOrString that is a non-negative (or positive) integer, a string holding one, or a
/// `{{...}}` variable.
fn int_or_var_ok(v: &IntOrString, zero_ok: bool) -> bool {
    let min = i64::from(!zero_ok);
    match v {
        IntOrString::Int(i) => i64::from(*i) >= min,
        IntOrString::String(s) => s.contains("{{") || s.trim().parse::<i64>().is_ok_and(|i| i >= min),
    }
}

/// Replaces every `{{...}}` tag with a plain word, as Argo does before parsing a manifest.
fn mask_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        match rest[start + 2..].find("}}") {
            Some(end) => {
                out.push_str("placeholder");
                rest = &rest[start + 2 + end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Length of `{"name":...,"value":...}` as Go's `json.Marshal` writes it (the KFP backend's
/// measure of run parameters).
fn json_param_len(p: &Parameter) -> usize {
    fn go_json_len(s: &str) -> usize {
        let base = serde_json::to_string(s).map(|j| j.len()).unwrap_or(s.len() + 2);
        // Go also escapes <, > and & as \u00XX.
        base + 5 * s.bytes().filter(|b| matches!(b, b'<' | b'>' | b'&')).count()
    }
    let mut len = 2 + "\"name\":".len() + go_json_len(&p.name);
    if let Some(v) = p.value.as_deref().filter(|v| !v.is_empty()) {
        len += ",\"value\":".len() + go_json_len(v);
    }
    len
}

// ---------------------------------------------------------------------------------------------
// The strings the reference walk reads

/// The strings holding `{{` in `serde_json::to_value`'s tree of a template (same keys, same
/// failures), each with its place, in the order a walk of that tree meets them (keys sorted,
/// as serde_json's map keeps them). Only these strings are copied, and no tree is built:
/// copying a component's program and building a JSON node per field was most of the check's
/// time, and a path is written only for a violation.
mod tag_view {
    use std::borrow::Cow;
    use std::fmt::Write as _;
    use std::ops::Range;
    use std::sync::LazyLock;

    use foldhash::HashSet;

    use memchr::memmem;
    use serde::ser::{self, Impossible, Serialize};
    use serde_json::Error;

    /// One step down the JSON tree: a map key or a list index.
    #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
    pub(super) enum Step {
        Key(Cow<'static, str>),
        Index(usize),
    }

    /// A string holding `{{`, and the steps from the template to it.
    #[derive(Clone, Copy, Debug, PartialEq)]
    pub(super) struct Tagged<'f> {
        pub(super) steps: &'f [Step],
        pub(super) text: &'f str,
    }

    /// The strings holding `{{` met by one walk: their steps and texts each in one
    /// buffer, since a template has a few of them and is walked once.
    #[derive(Default)]
    pub(super) struct Found {
        steps: Vec<Step>,
        text: String,
        /// Per string: its steps in `steps`, its text in `text`.
        items: Vec<(Range<usize>, Range<usize>)>,
    }

    impl Found {
        /// The strings, ordered by their steps.
        pub(super) fn iter(&self) -> impl Iterator<Item = Tagged<'_>> {
            self.items
                .iter()
                .map(|(steps, text)| Tagged { steps: &self.steps[steps.clone()], text: &self.text[text.clone()] })
        }
    }

    /// Long strings known to hold no `{{`, by address and length. Templates share
    /// their component's program and spec (`argo::Text`): each is searched once.
    /// Sound while the walked values are borrowed, so nothing is freed or changed.
    #[derive(Default)]
    struct Untagged(HashSet<(usize, usize)>);

    /// Strings at least this long are remembered in [`Untagged`]; shorter ones
    /// cost less to search than to look up.
    const LONG: usize = 256;

    /// Finds the strings holding `{{` in the values it walks, as [`tag_view`](self)
    /// describes. One walker serves a whole check: its buffers are reused from one
    /// template to the next, and long strings found untagged are not searched again.
    #[derive(Default)]
    pub(super) struct Walker(Collector);

    impl Walker {
        /// The strings holding `{{` in `value`, ordered by their steps.
        pub(super) fn walk<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<&Found, Error> {
            let collector = &mut self.0;
            collector.frames.clear();
            collector.keys.clear();
            collector.found.steps.clear();
            collector.found.text.clear();
            collector.found.items.clear();
            value.serialize(&mut *collector)?;
            // Structs walk their fields in declaration order; the JSON tree sorts its keys.
            let Found { steps, items, .. } = &mut collector.found;
            items.sort_by(|a, b| steps[a.0.clone()].cmp(&steps[b.0.clone()]));
            Ok(&collector.found)
        }
    }

    /// `base` followed by `steps`, as a violation path writes them.
    pub(super) fn path(base: &str, steps: &[Step]) -> String {
        let mut path = base.to_owned();
        for step in steps {
            match step {
                Step::Key(key) => super::push_key(&mut path, key),
                Step::Index(i) => {
                    let _ = write!(path, "[{i}]");
                }
            }
        }
        path
    }

    /// One step of the walk: a [`Step`] whose map key lies in [`Collector::keys`].
    enum Frame {
        Field(&'static str),
        Key(Range<usize>),
        Index(usize),
    }

    #[derive(Default)]
    struct Collector {
        /// Steps to the value being serialized.
        frames: Vec<Frame>,
        /// The map keys of `frames`, end to end: a key costs no allocation of its own.
        keys: String,
        found: Found,
        untagged: Untagged,
    }

    impl Collector {
        fn text(&mut self, text: &str) {
            // Programs and specs are long and hold many `{`: SIMD search, not `str::contains`,
            // with a searcher built once (`memmem::find` builds one per call). A short
            // string costs less to scan for a `{` than to set that search up.
            static OPEN: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("{{"));
            let key = (text.as_ptr() as usize, text.len());
            if text.len() >= LONG && self.untagged.0.contains(&key) {
                return;
            }
            let tagged = if text.len() >= LONG {
                OPEN.find(text.as_bytes()).is_some()
            } else {
                super::find_pair(text, b'{').is_some()
            };
            if tagged {
                let found = &mut self.found;
                let (steps, start) = (found.steps.len(), found.text.len());
                found.steps.extend(self.frames.iter().map(|frame| match frame {
                    Frame::Field(name) => Step::Key(Cow::Borrowed(name)),
                    Frame::Key(key) => Step::Key(Cow::Owned(self.keys[key.clone()].to_owned())),
                    Frame::Index(i) => Step::Index(*i),
                }));
                found.text.push_str(text);
                found.items.push((steps..found.steps.len(), start..found.text.len()));
            } else if text.len() >= LONG {
                self.untagged.0.insert(key);
            }
        }

        /// Serializes `value` one step further down.
        fn below<T: Serialize + ?Sized>(&mut self, frame: Frame, value: &T) -> Result<(), Error> {
            self.frames.push(frame);
            value.serialize(&mut *self)?;
            self.frames.pop();
            Ok(())
        }
    }

    impl<'c> ser::Serializer for &'c mut Collector {
        type Ok = ();
        type Error = Error;
        type SerializeSeq = Seq<'c>;
        type SerializeTuple = Seq<'c>;
        type SerializeTupleStruct = Seq<'c>;
        type SerializeTupleVariant = Seq<'c>;
        type SerializeMap = Object<'c>;
        type SerializeStruct = Object<'c>;
        type SerializeStructVariant = Object<'c>;

        fn serialize_bool(self, _: bool) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_i8(self, _: i8) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_i16(self, _: i16) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_i32(self, _: i32) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_i64(self, _: i64) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_i128(self, _: i128) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_u8(self, _: u8) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_u16(self, _: u16) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_u32(self, _: u32) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_u64(self, _: u64) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_u128(self, _: u128) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_f32(self, _: f32) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_f64(self, _: f64) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_char(self, _: char) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_str(self, value: &str) -> Result<(), Error> {
            self.text(value);
            Ok(())
        }
        fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
            // serde_json makes an array of numbers: nothing the walk reads.
            Ok(())
        }
        fn serialize_none(self) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
            value.serialize(self)
        }
        fn serialize_unit(self) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
            Ok(())
        }
        fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
            self.text(variant);
            Ok(())
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Error> {
            value.serialize(self)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
            value: &T,
        ) -> Result<(), Error> {
            self.below(Frame::Field(variant), value)
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'c>, Error> {
            Ok(Seq { collector: self, next: 0, variant: false })
        }
        fn serialize_tuple(self, len: usize) -> Result<Seq<'c>, Error> {
            self.serialize_seq(Some(len))
        }
        fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'c>, Error> {
            self.serialize_seq(Some(len))
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
            _: usize,
        ) -> Result<Seq<'c>, Error> {
            self.frames.push(Frame::Field(variant));
            Ok(Seq { collector: self, next: 0, variant: true })
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Object<'c>, Error> {
            Ok(Object { collector: self, key: None, variant: false })
        }
        fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'c>, Error> {
            self.serialize_map(None)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
            _: usize,
        ) -> Result<Object<'c>, Error> {
            self.frames.push(Frame::Field(variant));
            Ok(Object { collector: self, key: None, variant: true })
        }
    }

    /// A list (or a tuple variant's list, one step below the variant's key).
    struct Seq<'c> {
        collector: &'c mut Collector,
        next: usize,
        variant: bool,
    }

    impl Seq<'_> {
        fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
            self.collector.below(Frame::Index(self.next), value)?;
            self.next += 1;
            Ok(())
        }

        fn end(self) -> Result<(), Error> {
            if self.variant {
                self.collector.frames.pop();
            }
            Ok(())
        }
    }

    impl ser::SerializeSeq for Seq<'_> {
        type Ok = ();
        type Error = Error;
        fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
            self.element(value)
        }
        fn end(self) -> Result<(), Error> {
            Seq::end(self)
        }
    }

    impl ser::SerializeTuple for Seq<'_> {
        type Ok = ();
        type Error = Error;
        fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
            self.element(value)
        }
        fn end(self) -> Result<(), Error> {
            Seq::end(self)
        }
    }

    impl ser::SerializeTupleStruct for Seq<'_> {
        type Ok = ();
        type Error = Error;
        fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
            self.element(value)
        }
        fn end(self) -> Result<(), Error> {
            Seq::end(self)
        }
    }

    impl ser::SerializeTupleVariant for Seq<'_> {
        type Ok = ();
        type Error = Error;
        fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
            self.element(value)
        }
        fn end(self) -> Result<(), Error> {
            Seq::end(self)
        }
    }

    /// A map or struct (or a struct variant's fields, one step below the variant's key).
    struct Object<'c> {
        collector: &'c mut Collector,
        /// The key being written, in the collector's `keys`.
        key: Option<Range<usize>>,
        variant: bool,
    }

    impl Object<'_> {
        fn end(self) -> Result<(), Error> {
            if self.variant {
                self.collector.frames.pop();
            }
            Ok(())
        }
    }

    impl ser::SerializeMap for Object<'_> {
        type Ok = ();
        type Error = Error;
        fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
            let keys = &mut self.collector.keys;
            let start = keys.len();
            key.serialize(MapKey(keys))?;
            self.key = Some(start..keys.len());
            Ok(())
        }
        fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
            let key = self.key.take().expect("serialize_value follows serialize_key");
            let start = key.start;
            self.collector.below(Frame::Key(key), value)?;
            self.collector.keys.truncate(start);
            Ok(())
        }
        fn end(self) -> Result<(), Error> {
            Object::end(self)
        }
    }

    impl ser::SerializeStruct for Object<'_> {
        type Ok = ();
        type Error = Error;
        fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
            self.collector.below(Frame::Field(key), value)
        }
        fn end(self) -> Result<(), Error> {
            Object::end(self)
        }
    }

    impl ser::SerializeStructVariant for Object<'_> {
        type Ok = ();
        type Error = Error;
        fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
            self.collector.below(Frame::Field(key), value)
        }
        fn end(self) -> Result<(), Error> {
            Object::end(self)
        }
    }

    /// Map keys as serde_json writes them (strings, and scalars as their text),
    /// appended to a buffer.
    struct MapKey<'k>(&'k mut String);

    fn key_error() -> Error {
        ser::Error::custom("key must be a string")
    }

    impl MapKey<'_> {
        fn write(self, key: impl std::fmt::Display) -> Result<(), Error> {
            let _ = write!(self.0, "{key}");
            Ok(())
        }
    }

    impl ser::Serializer for MapKey<'_> {
        type Ok = ();
        type Error = Error;
        type SerializeSeq = Impossible<(), Error>;
        type SerializeTuple = Impossible<(), Error>;
        type SerializeTupleStruct = Impossible<(), Error>;
        type SerializeTupleVariant = Impossible<(), Error>;
        type SerializeMap = Impossible<(), Error>;
        type SerializeStruct = Impossible<(), Error>;
        type SerializeStructVariant = Impossible<(), Error>;

        fn serialize_bool(self, value: bool) -> Result<(), Error> {
            self.write(value)
        }
        fn serialize_i8(self, value: i8) -> Result<(), Error> {
            self.write(value)
        }
        fn serialize_i16(self, value: i16) -> Result<(), Error> {
            self.write(value)
        }
        fn serialize_i32(self, value: i32) -> Result<(), Error> {
            self.write(value)
        }
        fn serialize_i64(self, value: i64) -> Result<(), Error> {
            self.write(value)
        }
        fn serialize_i128(self, value: i128) -> Result<(), Error> {
            self.write(value)
        }
        fn serialize_u8(self, value: u8) -> Result<(), Error> {
            self.write(value)
        }
        fn serialize_u16(self, value: u16) -> Result<(), Error> {
            self.write(value)
        }
        fn serialize_u32(self, value: u32) -> Result<(), Error> {
            self.write(value)
        }
        fn serialize_u64(self, value: u64) -> Result<(), Error> {
            self.write(value)
        }
        fn serialize_u128(self, value: u128) -> Result<(), Error> {
            self.write(value)
        }
        fn serialize_f32(self, value: f32) -> Result<(), Error> {
            self.serialize_f64(f64::from(value))
        }
        fn serialize_f64(self, value: f64) -> Result<(), Error> {
            // serde_json's own text for the number (and its refusal of NaN and infinities).
            match serde_json::Number::from_f64(value) {
                Some(number) => self.write(number),
                None => Err(key_error()),
            }
        }
        fn serialize_char(self, value: char) -> Result<(), Error> {
            self.write(value)
        }
        fn serialize_str(self, value: &str) -> Result<(), Error> {
            self.0.push_str(value);
            Ok(())
        }
        fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
            Err(key_error())
        }
        fn serialize_none(self) -> Result<(), Error> {
            Err(key_error())
        }
        fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
            Err(key_error())
        }
        fn serialize_unit(self) -> Result<(), Error> {
            Err(key_error())
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
            Err(key_error())
        }
        fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
            self.write(variant)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Error> {
            value.serialize(self)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), Error> {
            Err(key_error())
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
            Err(key_error())
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
            Err(key_error())
        }
        fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
            Err(key_error())
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Error> {
            Err(key_error())
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
            Err(key_error())
        }
        fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
            Err(key_error())
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Error> {
            Err(key_error())
        }
    }

    #[cfg(test)]
    mod tests {
        use serde_json::Value;

        use super::*;
        use crate::argo::Workflow;

        /// A tagged string's steps and text.
        type Owned = (Vec<Step>, String);

        /// The strings holding `{{` met by a walk of the full JSON tree, in its order.
        fn walked(value: &Value, steps: &mut Vec<Step>, found: &mut Vec<Owned>) {
            match value {
                Value::String(text) if text.contains("{{") => found.push((steps.clone(), text.clone())),
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        steps.push(Step::Index(i));
                        walked(item, steps, found);
                        steps.pop();
                    }
                }
                Value::Object(map) => {
                    for (key, item) in map {
                        steps.push(Step::Key(Cow::Owned(key.clone())));
                        walked(item, steps, found);
                        steps.pop();
                    }
                }
                _ => {}
            }
        }

        fn walk(value: &Value) -> Vec<Owned> {
            let mut found = Vec::new();
            walked(value, &mut Vec::new(), &mut found);
            found
        }

        const WORKFLOW: &str = r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: tags-, annotations: {a: "{{workflow.name}}"}, labels: {b: c}}
spec:
  entrypoint: main
  arguments: {parameters: [{name: p, value: "1"}]}
  templates:
  - name: main
    inputs: {parameters: [{name: p}]}
    dag:
      tasks:
      - name: t
        template: leaf
        arguments: {parameters: [{name: x, value: "{{item.k}}"}]}
        withItems: [{k: "{{inputs.parameters.p}}"}, 3, [true, "{{x}}"]]
  - name: leaf
    inputs: {parameters: [{name: x}]}
    retryStrategy: {limit: 2}
    activeDeadlineSeconds: 60
    container:
      image: alpine
      command: [sh, -c, "echo {{inputs.parameters.x}}"]
      resources: {limits: {cpu: "1"}}
    metadata: {annotations: {n: "{{pod.name}}"}}
"#;

        fn owned(found: &Found) -> Vec<Owned> {
            found.iter().map(|tagged| (tagged.steps.to_vec(), tagged.text.to_owned())).collect()
        }

        fn assert_view_matches(yaml: &str, what: &str) {
            let workflow = Workflow::from_yaml(yaml).expect("the workflow parses");
            // One walker across templates, as the checker keeps it: shared strings are skipped.
            let mut walker = Walker::default();
            for template in &workflow.spec.templates {
                let full = serde_json::to_value(template).unwrap();
                assert_eq!(owned(walker.walk(template).unwrap()), walk(&full), "{what}: template {}", template.name);
            }
            let full = serde_json::to_value(&workflow).unwrap();
            assert_eq!(owned(Walker::default().walk(&workflow).unwrap()), walk(&full), "{what}");
        }

        #[test]
        fn matches_a_walk_of_the_json_tree() {
            assert_view_matches(WORKFLOW, "inline workflow");
            // And every kfp 1.8.22 golden.
            let dir = crate::argo::tests::golden_dir();
            let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
            let goldens: Vec<_> = entries
                .flatten()
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
                .collect();
            assert!(goldens.len() >= 34, "expected the kfp 1.8.22 goldens in {}", dir.display());
            for path in goldens {
                assert_view_matches(&std::fs::read_to_string(&path).unwrap(), &path.display().to_string());
            }
        }

        #[test]
        fn keys_and_variants_as_serde_json() {
            use std::collections::BTreeMap;
            let keys: BTreeMap<i64, &str> = BTreeMap::from([(1, "{{a}}"), (2, "b")]);
            assert_eq!(owned(Walker::default().walk(&keys).unwrap()), walk(&serde_json::to_value(&keys).unwrap()));
            let bad: BTreeMap<Vec<u8>, u8> = BTreeMap::from([(vec![1], 1)]);
            assert!(Walker::default().walk(&bad).is_err() && serde_json::to_value(&bad).is_err());
            let values = vec![serde_json::json!({"x": ["{{item}}", 1, true, null, {"y": "z"}]})];
            assert_eq!(owned(Walker::default().walk(&values).unwrap()), walk(&serde_json::to_value(&values).unwrap()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_negative, is_quantity, is_variable_path, split_dot, tags, Tag};

    #[test]
    fn quantities_follow_the_kubernetes_grammar() {
        for ok in ["1", "1.5", "1.", ".5", "+2", "-2", "500m", "512Mi", "2G", "1E", "1e3", "1E-2", "0.5Ki", "100n"] {
            assert!(is_quantity(ok), "{ok}");
        }
        for bad in
            ["", "lots", "fast", "1 G", "1g", "1Gb", "1KI", "1e", "1e+", ".", "+", "1.5.5", "Mi", " 1", "1²", "1Mi "]
        {
            assert!(!is_quantity(bad), "{bad}");
        }
        for (quantity, negative) in
            [("-1", true), ("-0.5Gi", true), ("-.1", true), ("-0", false), ("-0.0e3", false), ("1", false)]
        {
            assert_eq!(is_negative(quantity), negative, "{quantity}");
        }
    }

    fn closed(s: &str) -> Vec<Option<&str>> {
        tags(s)
            .map(|tag| match tag {
                Tag::Closed(tag) => Some(tag),
                Tag::Unclosed => None,
            })
            .collect()
    }

    #[test]
    fn tags_are_found_between_brace_pairs() {
        assert_eq!(closed("a {{ x }} b {{y}}{{z}}"), [Some("x"), Some("y"), Some("z")]);
        assert_eq!(closed("{{{a}}}"), [Some("{a")]);
        assert_eq!(closed("{ {a} } {x}}"), Vec::<Option<&str>>::new());
        assert_eq!(closed("{{a}} {{b} c"), [Some("a"), None]);
        assert_eq!(closed("안녕 {{inputs.parameters.이름}} {"), [Some("inputs.parameters.이름")]);
        assert_eq!(closed("trailing {"), Vec::<Option<&str>>::new());
    }

    #[test]
    fn paths_split_at_their_first_dot_as_split_once_does() {
        for path in ["inputs.parameters.x", "a.", ".a", "a..b", "", "no-dot", "이름.값"] {
            assert_eq!(split_dot(path), path.split_once('.'), "{path:?}");
        }
    }

    #[test]
    fn variable_paths_are_ascii_dotted_names() {
        for path in ["inputs.parameters.x", "item.[0]", "workflow.labels.a/b", "_x-1"] {
            assert!(is_variable_path(path), "{path}");
        }
        for text in ["", "=a + b", "1st", "a b", "inputs.parameters.이름", "x\"y", "-a"] {
            assert!(!is_variable_path(text), "{text:?}");
        }
    }
}
