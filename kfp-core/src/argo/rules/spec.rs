//! Checks of `spec`: entrypoint, `onExit`, workflow arguments and run-parameter size, pod
//! GC, node selectors, and which templates the entrypoint reaches.

use super::*;

impl<'a> Checker<'a> {
    pub(super) fn check_spec(&mut self) {
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
    pub(super) fn check_root_inputs(&mut self, path: &str, t: &Template) {
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

    pub(super) fn check_node_selector(
        &mut self,
        base: &dyn Fn() -> String,
        sel: &std::collections::BTreeMap<String, String>,
    ) {
        self.check_labels(base, sel.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    }

    /// Names of the templates reachable from `root` through DAG tasks, steps and their exit hooks.
    pub(super) fn reachable(&self, root: &'a str) -> HashSet<&'a str> {
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
}

/// Length of `{"name":...,"value":...}` as Go's `json.Marshal` writes it (the KFP backend's
/// measure of run parameters).
fn json_param_len(p: &Parameter) -> usize {
    pub(super) fn go_json_len(s: &str) -> usize {
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
