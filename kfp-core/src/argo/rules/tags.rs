//! `{{...}}` tags: finding them in strings, and resolving variable references in their
//! scope (inputs, outputs, tasks, steps, items, workflow globals).

use super::*;

/// A tag found in a string: its trimmed text, or an unclosed `{{`.
pub(super) enum Tag<'s> {
    Closed(&'s str),
    Unclosed,
}

/// The `{{...}}` tags of `s`, as Argo's fasttemplate finds them.
pub(super) fn tags(s: &str) -> impl Iterator<Item = Tag<'_>> {
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
pub(super) fn find_pair(s: &str, byte: u8) -> Option<usize> {
    let bytes = s.as_bytes();
    memchr::memchr_iter(byte, bytes).find(|&i| bytes.get(i + 1) == Some(&byte))
}

/// `s` split at its first `.`: `str::split_once` with a char pattern sets up a searcher,
/// which costs more than these short variable paths (every tag of a workflow is split).
pub(super) fn split_dot(s: &str) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == b'.')?;
    Some((&s[..at], &s[at + 1..]))
}

/// True when a tag is a variable path (`inputs.parameters.x`, `item.[0]`, `workflow.labels.a/b`)
/// rather than an expression or arbitrary text.
pub(super) fn is_variable_path(tag: &str) -> bool {
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
pub(super) const NAMESPACES: &[&str] = &[
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
pub(super) const WORKFLOW_GLOBALS: &[&str] = &[
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
pub(super) const NODE_ATTRIBUTES: &[&str] =
    &["id", "ip", "status", "exitCode", "startedAt", "finishedAt", "hostNodeName"];

impl<'a> Checker<'a> {
    pub(super) fn check_strings<'f>(
        &mut self,
        base: &str,
        strings: impl IntoIterator<Item = Tagged<'f>>,
        scope: &Scope<'_>,
    ) {
        for tagged in strings {
            self.check_string(tagged.text, || tag_view::path(base, tagged.steps), scope);
        }
    }

    /// Checks the tags of `s`; `path` writes where `s` is, for a violation.
    pub(super) fn check_string(&mut self, s: &str, path: impl Fn() -> String, scope: &Scope<'_>) {
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
    pub(super) fn resolve(&self, tag: &str, scope: &Scope<'_>) -> Result<(), String> {
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

    pub(super) fn resolve_workflow(&self, rest: &str, scope: &Scope<'_>) -> Result<(), String> {
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

    pub(super) fn resolve_task(&self, rest: &str, scope: &Scope<'_>) -> Result<(), String> {
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

    pub(super) fn resolve_step(&self, rest: &str, scope: &Scope<'_>) -> Result<(), String> {
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
    pub(super) fn resolve_node_attr(
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

pub(super) fn resolve_inputs(t: &Template, rest: &str, ttype: Option<TemplateType>) -> Result<(), String> {
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

pub(super) fn resolve_own_outputs(t: &Template, rest: &str) -> Result<(), String> {
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

pub(super) fn resolve_item(rest: Option<&str>, item: Option<&ItemScope>) -> Result<(), String> {
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

#[cfg(test)]
mod tests {
    use super::{is_variable_path, split_dot, tags, Tag};

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
