//! DAG and steps structure: per-template indexes of tasks and steps, dependencies and
//! cycles, and calls of templates with their arguments.

use super::*;

/// What `{{item...}}` may name in a looped task or step.
#[derive(Default)]
pub(super) struct ItemScope {
    /// `withParam` / `withSequence`: any `item` or `item.x`.
    pub(super) any: bool,
    /// Some `withItems` item is a scalar: `{{item}}`.
    pub(super) scalar: bool,
    /// Keys of map items: `{{item.key}}`.
    pub(super) keys: HashSet<String>,
    /// Longest list item: `{{item.[i]}}`.
    pub(super) list_len: usize,
}

impl ItemScope {
    pub(super) fn new(with_items: &[Value], with_param: bool, with_sequence: bool) -> Option<ItemScope> {
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
pub(super) struct NameSet<'a, T> {
    pub(super) items: &'a [T],
    pub(super) name: fn(&T) -> &String,
    /// For long lists: each name's first index.
    pub(super) hashed: Option<HashMap<&'a str, usize>>,
}

impl<'a, T> NameSet<'a, T> {
    /// Lists up to this long are scanned.
    const SCANNED: usize = 16;

    pub(super) fn new(items: &'a [T], name: fn(&T) -> &String) -> Self {
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
    pub(super) fn first(&self, name: &str) -> Option<usize> {
        match &self.hashed {
            Some(first) => first.get(name).copied(),
            None => self.items.iter().position(|item| (self.name)(item) == name),
        }
    }
}

/// Tasks of one DAG template by name, with their resolved dependencies.
pub(super) struct DagIndex<'a> {
    pub(super) tasks: &'a [DagTask],
    pub(super) by_name: HashMap<&'a str, usize>,
    /// Direct dependencies (from `dependencies` or `depends`) as task indexes.
    pub(super) deps: Vec<Vec<usize>>,
    /// Direct dependents (the reverse of `deps`), built on first need.
    pub(super) dependents: RefCell<Option<Vec<Vec<usize>>>>,
    /// Memoized transitive dependents of a referenced task, filled on demand.
    pub(super) descendants: RefCell<HashMap<usize, HashSet<usize>>>,
}

impl<'a> DagIndex<'a> {
    pub(super) fn new(tasks: &'a [DagTask]) -> Self {
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
    pub(super) fn is_ancestor(&self, anc: usize, of: usize) -> bool {
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
pub(super) fn task_dependency_names(task: &DagTask) -> impl Iterator<Item = &str> {
    let depends = task.depends.as_deref().map(depends_names).unwrap_or_default();
    task.dependencies.iter().flatten().map(String::as_str).chain(depends)
}

/// Task names in a `depends` expression such as `a && (b.Failed || !c.Succeeded)`.
pub(super) fn depends_names(expr: &str) -> Vec<&str> {
    expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .filter(|tok| !tok.is_empty())
        .map(|tok| tok.split('.').next().unwrap_or(tok))
        .filter(|name| !name.is_empty())
        .collect()
}

/// Steps of one steps template by name, with their group index.
pub(super) struct StepsIndex<'a> {
    pub(super) by_name: HashMap<&'a str, (usize, &'a WorkflowStep)>,
}

/// Where a `{{...}}` tag is resolved.
pub(super) struct Scope<'s> {
    pub(super) tmpl: &'s Template,
    pub(super) ttype: Option<TemplateType>,
    /// The template may use `workflow.status` / `workflow.failures`.
    pub(super) exit_handler: bool,
    pub(super) dag: Option<&'s DagIndex<'s>>,
    /// Index of the referencing task in `dag` (None: the DAG template itself, e.g. outputs).
    pub(super) task: Option<usize>,
    pub(super) steps: Option<&'s StepsIndex<'s>>,
    /// Index of the referencing step group (None: the steps template itself).
    pub(super) group: Option<usize>,
    pub(super) item: Option<&'s ItemScope>,
}

/// The task `j` of a string at `dag.tasks[j]...`.
pub(super) fn dag_task_of(steps: &[Step]) -> Option<usize> {
    match steps {
        [Step::Key(dag), Step::Key(tasks), Step::Index(j), ..] if dag == "dag" && tasks == "tasks" => Some(*j),
        _ => None,
    }
}

/// The step `(g, s)` of a string at `steps[g][s]...`.
pub(super) fn step_of(steps: &[Step]) -> Option<(usize, usize)> {
    match steps {
        [Step::Key(key), Step::Index(g), Step::Index(s), ..] if key == "steps" => Some((*g, *s)),
        _ => None,
    }
}

/// `strings` (sorted, each with a key) split into runs of one key, in order.
pub(super) fn runs<'t, 'f, K: PartialEq>(
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

impl<'a> Checker<'a> {
    pub(super) fn check_dag(&mut self, base: &str, t: &Template, index: &DagIndex<'_>) {
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
            if uses_depends && task.dependencies.as_ref().is_some_and(|names| !names.is_empty()) {
                self.report(
                    format!("{path}.dependencies"),
                    "cannot be used with `depends` in the same DAG: express it in `depends`",
                );
            }
            for (k, dep) in task.dependencies.iter().flatten().enumerate() {
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
    pub(super) fn check_dependency(
        &mut self,
        path: impl Fn() -> String,
        task: &DagTask,
        dep: &str,
        index: &DagIndex<'_>,
    ) {
        if dep == task.name {
            self.report(path(), format!("task `{dep}` depends on itself: remove it"));
        } else if !index.by_name.contains_key(dep) {
            self.report(path(), format!("task `{}` depends on `{dep}`, which is not a task of this DAG", task.name));
        }
    }

    /// Reports each dependency cycle once, with its task names in order.
    pub(super) fn check_cycles(&mut self, base: &str, index: &DagIndex<'_>) {
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

    pub(super) fn check_steps(&mut self, base: &str, groups: &'a [Vec<WorkflowStep>]) -> StepsIndex<'a> {
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
    pub(super) fn check_call(
        &mut self,
        path: &dyn fmt::Display,
        caller: &str,
        template: &str,
        args: &Arguments,
        with_items: &[Value],
        with_param: Option<&str>,
        with_sequence: Option<&crate::argo::Sequence>,
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
        // Argo parses withParam as a JSON list once its references are resolved:
        // a constant that is not one fails the loop when it runs.
        if let Some(text) = with_param.filter(|text| !text.contains("{{")) {
            if !matches!(serde_json::from_str::<Value>(text), Ok(Value::Array(_))) {
                self.report(
                    format!("{path}.withParam"),
                    "is not a JSON list, and Argo loops over one: write `[...]`, or a `{{...}}` reference to a list",
                );
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
    pub(super) fn check_argument_names(&mut self, base: &dyn fmt::Display, args: &Arguments) {
        self.check_names(base, ".arguments.parameters", &args.parameters, |p| &p.name);
        self.check_names(base, ".arguments.artifacts", &args.artifacts, |a| &a.name);
    }

    pub(super) fn check_arguments_match(
        &mut self,
        path: &dyn fmt::Display,
        caller: &str,
        callee: &Template,
        args: &Arguments,
    ) {
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
}

/// An input parameter without `value`, `default` or `valueFrom` must be passed.
pub(super) fn input_param_required(p: &Parameter) -> bool {
    p.value.is_none() && p.default.is_none() && p.value_from.is_none()
}

/// An input artifact without content, location or `optional: true` must be passed.
pub(super) fn input_artifact_required(a: &Artifact) -> bool {
    !a.has_location() && a.from.is_none() && a.optional != Some(true)
}
