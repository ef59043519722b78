//! Checks of one template: its type, inputs, outputs, retry strategy, deadlines and
//! resource manifest, and the variable references found in it.

use super::*;

impl<'a> Checker<'a> {
    /// `base` is where `t` is: `spec.templates[i]`.
    pub(super) fn check_template(&mut self, base: &str, t: &'a Template) {
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
        if let Some(node_selector) = &t.node_selector {
            self.check_node_selector(&|| format!("{base}.nodeSelector"), node_selector);
        }
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
    pub(super) fn check_found(&mut self, base: &str, t: &'a Template, found: &tag_view::Found, scope: Scope<'_>) {
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

    pub(super) fn check_inputs(&mut self, base: &str, t: &Template, leaf: bool) {
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
    pub(super) fn check_shared_paths<'t>(
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

    pub(super) fn check_outputs(&mut self, base: &str, t: &Template, ttype: Option<TemplateType>) {
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
    pub(super) fn check_names<T>(&mut self, base: &dyn fmt::Display, list: &str, items: &[T], name: fn(&T) -> &String) {
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

    pub(super) fn check_retry(&mut self, path: &str, rs: &crate::argo::RetryStrategy) {
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
