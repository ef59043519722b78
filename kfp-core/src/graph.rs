//! Drawing a Workflow's DAG for people: Graphviz DOT or Mermaid. A KFP v2 pipeline IR file is
//! drawn the same way ([`render_ir`], built in `ir`).
//!
//! The entrypoint's tasks are nodes joined by their dependencies. A task that
//! calls a DAG (or steps) template is drawn as a group holding that template's
//! tasks: kfp compiles `dsl.Condition`, `dsl.ParallelFor`, `dsl.ExitHandler` and
//! graph components into such tasks, and the group's title says which (the
//! condition, the loop items, "exit handler"). `spec.onExit` is a node of its own,
//! joined by a dashed edge to the exit handler group. A template that calls
//! itself (kfp's recursive graph components) is drawn once; the recursive call
//! is a node saying so.

use std::fmt::Write as _;

use crate::argo::{DagTask, Template, Text, Workflow, WorkflowStep};
use crate::ir::PipelineFile;

mod ir;

/// The annotation kfp's `set_display_name` writes on a task's template.
const DISPLAY_NAME_ANNOTATION: &str = "pipelines.kubeflow.org/task_display_name";
/// Longest loop-items text shown in a group title.
const MAX_ITEMS_TEXT: usize = 60;

/// The drawing language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Graphviz DOT (`dot -Tsvg graph.dot > graph.svg`).
    Dot,
    /// Mermaid flowchart (renders in GitHub and GitLab markdown).
    Mermaid,
}

/// Why a Workflow cannot be drawn.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    /// `spec.entrypoint` names no template.
    #[error("spec.entrypoint: no template is named `{0}`; set it to the name of the pipeline's DAG template")]
    MissingEntrypoint(String),
}

crate::error::debug_as_message!(GraphError);

/// Draws `workflow` in `format`.
pub fn render(workflow: &Workflow, format: Format) -> Result<String, GraphError> {
    let graph = build(workflow)?;
    Ok(match format {
        Format::Dot => dot::render(&graph),
        Format::Mermaid => mermaid::render(&graph),
    })
}

/// Draws a KFP v2 pipeline IR file's DAG in `format`.
pub fn render_ir(file: &PipelineFile, format: Format) -> String {
    let graph = ir::build(file);
    match format {
        Format::Dot => dot::render(&graph),
        Format::Mermaid => mermaid::render(&graph),
    }
}

/// What is drawn: a tree of nodes and groups, edges between siblings.
struct Graph {
    title: String,
    /// The entrypoint's elements.
    root: Vec<Element>,
    /// `spec.onExit`: its label and the ids of the exit handler groups it follows.
    on_exit: Option<(String, Vec<usize>)>,
}

struct Element {
    /// Unique in the graph (numbered in document order).
    id: usize,
    label: String,
    /// Indexes into the sibling list of the elements this one runs after.
    after: Vec<usize>,
    kind: Kind,
}

enum Kind {
    Task,
    /// A call back into a template already being drawn.
    Recursion,
    /// A template that does not exist (drawn so the problem is visible).
    Missing,
    Group(Vec<Element>),
}

/// One task or step, as both look to the drawing.
struct Call<'w> {
    name: &'w str,
    template: &'w str,
    when: Option<&'w str>,
    loop_text: Option<String>,
    /// Names of sibling calls this one runs after.
    after: Vec<String>,
}

fn build(workflow: &Workflow) -> Result<Graph, GraphError> {
    let entry = &workflow.spec.entrypoint;
    let template = workflow.template(entry).ok_or_else(|| GraphError::MissingEntrypoint(entry.clone()))?;
    let mut builder = Builder { workflow, next_id: 0, stack: vec![entry.as_str()], exit_groups: Vec::new() };
    let root = builder.children(template);
    let on_exit = workflow.spec.on_exit.as_ref().map(|name| {
        let shown = display_name(workflow.template(name)).unwrap_or(name);
        (format!("on exit: {shown}"), builder.exit_groups.clone())
    });
    let title = workflow.metadata.generate_name.as_deref().or(workflow.metadata.name.as_deref()).unwrap_or(entry);
    Ok(Graph { title: title.trim_end_matches('-').to_owned(), root, on_exit })
}

struct Builder<'w> {
    workflow: &'w Workflow,
    next_id: usize,
    /// Templates being expanded (to stop at recursion).
    stack: Vec<&'w str>,
    /// Ids of groups kfp made for `dsl.ExitHandler`.
    exit_groups: Vec<usize>,
}

impl<'w> Builder<'w> {
    fn fresh_id(&mut self) -> usize {
        self.next_id += 1;
        self.next_id - 1
    }

    /// The elements of a DAG or steps template (none for a leaf template).
    fn children(&mut self, template: &'w Template) -> Vec<Element> {
        let calls = calls(template);
        let names: Vec<&str> = calls.iter().map(|call| call.name).collect();
        calls
            .iter()
            .map(|call| {
                let after = call.after.iter().filter_map(|dep| names.iter().position(|name| name == dep)).collect();
                self.element(call, after)
            })
            .collect()
    }

    fn element(&mut self, call: &Call<'w>, after: Vec<usize>) -> Element {
        let id = self.fresh_id();
        let mut lines = Vec::new();
        let mut kind = Kind::Task;
        match self.workflow.template(call.template) {
            None => {
                lines.push(call.name.to_owned());
                lines.push(format!("missing template `{}`", call.template));
                kind = Kind::Missing;
            }
            Some(template) if template.template_type().is_some_and(|t| t.is_leaf()) => {
                lines.push(display_name(Some(template)).unwrap_or(call.name).to_owned());
            }
            Some(_) if self.stack.contains(&call.template) => {
                lines.push(call.name.to_owned());
                lines.push(format!("repeats `{}` (recursion)", call.template));
                kind = Kind::Recursion;
            }
            Some(template) => {
                if call.name.starts_with("exit-handler") && call.when.is_none() && call.loop_text.is_none() {
                    lines.push("exit handler".to_owned());
                    self.exit_groups.push(id);
                } else if call.when.is_none() && call.loop_text.is_none() {
                    lines.push(call.name.to_owned());
                }
                self.stack.push(call.template);
                kind = Kind::Group(self.children(template));
                self.stack.pop();
            }
        }
        if let Some(when) = call.when {
            lines.push(format!("if {}", readable(when)));
        }
        if let Some(loop_text) = &call.loop_text {
            lines.push(loop_text.clone());
        }
        Element { id, label: lines.join("\n"), after, kind }
    }
}

/// The display name kfp's `set_display_name` gave a template, if any.
fn display_name(template: Option<&Template>) -> Option<&str> {
    template?.metadata.annotations.get(DISPLAY_NAME_ANNOTATION).map(Text::as_str)
}

/// The tasks of a DAG or the steps of a steps template (each step runs after
/// every step of the group before it).
fn calls(template: &Template) -> Vec<Call<'_>> {
    if let Some(dag) = &template.dag {
        return dag.tasks.iter().map(dag_call).collect();
    }
    let mut out = Vec::new();
    let mut previous: Vec<String> = Vec::new();
    for group in template.steps.iter().flatten() {
        out.extend(group.iter().map(|step| step_call(step, previous.clone())));
        previous = group.iter().map(|step| step.name.clone()).collect();
    }
    out
}

fn dag_call(task: &DagTask) -> Call<'_> {
    let mut after = task.dependencies.clone().unwrap_or_default();
    if let Some(depends) = &task.depends {
        // `a && (b.Failed || c)`: the task names are the words before any `.Result`.
        for word in depends.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')) {
            let name = word.split('.').next().unwrap_or_default();
            if !name.is_empty() && !after.iter().any(|known| known == name) {
                after.push(name.to_owned());
            }
        }
    }
    Call {
        name: &task.name,
        template: &task.template,
        when: task.when.as_deref(),
        loop_text: loop_text(&task.with_items, task.with_param.as_deref(), task.with_sequence.as_ref()),
        after,
    }
}

fn step_call(step: &WorkflowStep, after: Vec<String>) -> Call<'_> {
    Call {
        name: &step.name,
        template: &step.template,
        when: step.when.as_deref(),
        loop_text: loop_text(&step.with_items, step.with_param.as_deref(), step.with_sequence.as_ref()),
        after,
    }
}

fn loop_text(
    items: &[serde_json::Value],
    param: Option<&str>,
    sequence: Option<&crate::argo::Sequence>,
) -> Option<String> {
    // A static list may be long, as `withItems` or as a constant `withParam` JSON text.
    let cut = |text: String| {
        if text.chars().count() > MAX_ITEMS_TEXT {
            format!("{}...", text.chars().take(MAX_ITEMS_TEXT).collect::<String>())
        } else {
            text
        }
    };
    if !items.is_empty() {
        return Some(format!("for each item in {}", cut(serde_json::to_string(items).unwrap_or_default())));
    }
    if let Some(param) = param {
        let text = if param.contains("{{") { readable(param) } else { cut(param.to_owned()) };
        return Some(format!("for each item in {text}"));
    }
    sequence.map(|seq| {
        let show = |value: &Option<crate::argo::IntOrString>| match value {
            Some(crate::argo::IntOrString::Int(n)) => readable(&n.to_string()),
            Some(crate::argo::IntOrString::String(s)) => readable(s),
            None => String::new(),
        };
        match &seq.count {
            Some(_) => format!("for each of {} numbers", show(&seq.count)),
            None => format!("for each number {}..={}", show(&seq.start), show(&seq.end)),
        }
    })
}

/// An Argo expression with its `{{...}}` references shortened to the name
/// they end in (`{{tasks.flip.outputs.parameters.flip-output}}` -> `flip-output`).
fn readable(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let tag = after[..end].trim();
        let short = if tag == "item" || tag.starts_with("item.") {
            tag
        } else {
            tag.rsplit_once(".parameters.").or_else(|| tag.rsplit_once(".artifacts.")).map_or(tag, |(_, name)| name)
        };
        out.push_str(short);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Graphviz DOT output.
mod dot {
    use super::*;

    pub(super) fn render(graph: &Graph) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "digraph {} {{", quote(&graph.title));
        out.push_str("  compound=true;\n  rankdir=TB;\n");
        out.push_str("  node [shape=box, style=\"rounded\", fontname=\"Helvetica\"];\n");
        out.push_str("  edge [fontname=\"Helvetica\"];\n");
        let _ = writeln!(out, "  label={};\n  labelloc=t;", quote(&graph.title));
        elements(&mut out, &graph.root, 1);
        if let Some((label, groups)) = &graph.on_exit {
            let _ = writeln!(out, "  exit [label={}, style=\"rounded,dashed\"];", quote(label));
            for group in groups {
                let _ = writeln!(out, "  g{group} -> exit [ltail=cluster_{group}, style=dashed];");
            }
        }
        out.push_str("}\n");
        out
    }

    fn elements(out: &mut String, elements: &[Element], depth: usize) {
        let pad = "  ".repeat(depth);
        for element in elements {
            let id = element.id;
            match &element.kind {
                Kind::Group(children) => {
                    let _ = writeln!(out, "{pad}subgraph cluster_{id} {{");
                    let _ = writeln!(out, "{pad}  label={};\n{pad}  style=\"rounded,dashed\";", quote(&element.label));
                    // Edges to and from a group end at this anchor, clipped to the cluster.
                    let _ = writeln!(out, "{pad}  g{id} [shape=point, style=invis];");
                    self::elements(out, children, depth + 1);
                    let _ = writeln!(out, "{pad}}}");
                }
                Kind::Task => {
                    let _ = writeln!(out, "{pad}n{id} [label={}];", quote(&element.label));
                }
                Kind::Recursion => {
                    let _ = writeln!(out, "{pad}n{id} [label={}, style=\"rounded,dotted\"];", quote(&element.label));
                }
                Kind::Missing => {
                    let _ = writeln!(out, "{pad}n{id} [label={}, color=red];", quote(&element.label));
                }
            }
        }
        for element in elements {
            for &before in &element.after {
                let from = &elements[before];
                let (from_id, ltail) = endpoint(from, "ltail");
                let (to_id, lhead) = endpoint(element, "lhead");
                let attrs: Vec<String> = ltail.into_iter().chain(lhead).collect();
                if attrs.is_empty() {
                    let _ = writeln!(out, "{pad}{from_id} -> {to_id};");
                } else {
                    let _ = writeln!(out, "{pad}{from_id} -> {to_id} [{}];", attrs.join(", "));
                }
            }
        }
    }

    /// The node an edge attaches to, and the clipping attribute for a group.
    fn endpoint(element: &Element, attribute: &str) -> (String, Option<String>) {
        match element.kind {
            Kind::Group(_) => (format!("g{}", element.id), Some(format!("{attribute}=cluster_{}", element.id))),
            _ => (format!("n{}", element.id), None),
        }
    }

    /// A DOT string literal.
    fn quote(text: &str) -> String {
        let escaped = text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
        format!("\"{escaped}\"")
    }
}

/// Mermaid flowchart output.
mod mermaid {
    use super::*;

    pub(super) fn render(graph: &Graph) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "---\ntitle: {}\n---", escape(&graph.title));
        out.push_str("flowchart TD\n");
        elements(&mut out, &graph.root, 1);
        if let Some((label, groups)) = &graph.on_exit {
            let _ = writeln!(out, "  exit([\"{}\"])", escape(label));
            for group in groups {
                let _ = writeln!(out, "  g{group} -.-> exit");
            }
        }
        out
    }

    fn elements(out: &mut String, elements: &[Element], depth: usize) {
        let pad = "  ".repeat(depth);
        for element in elements {
            let id = element.id;
            let label = escape(&element.label);
            match &element.kind {
                Kind::Group(children) => {
                    let _ = writeln!(out, "{pad}subgraph g{id} [\"{label}\"]");
                    // Mermaid lays a subgraph out top-down only with its own direction.
                    let _ = writeln!(out, "{pad}  direction TB");
                    self::elements(out, children, depth + 1);
                    let _ = writeln!(out, "{pad}end");
                }
                Kind::Task => {
                    let _ = writeln!(out, "{pad}n{id}[\"{label}\"]");
                }
                Kind::Recursion => {
                    let _ = writeln!(out, "{pad}n{id}[[\"{label}\"]]");
                }
                Kind::Missing => {
                    let _ = writeln!(out, "{pad}n{id}{{{{\"{label}\"}}}}");
                }
            }
        }
        for element in elements {
            for &before in &element.after {
                let _ = writeln!(out, "{pad}{} --> {}", node_id(&elements[before]), node_id(element));
            }
        }
    }

    fn node_id(element: &Element) -> String {
        match element.kind {
            Kind::Group(_) => format!("g{}", element.id),
            _ => format!("n{}", element.id),
        }
    }

    /// Mermaid label text: quotes, angle brackets and `#` as entities, lines as `<br>`.
    fn escape(text: &str) -> String {
        text.replace('#', "#35;").replace('"', "#quot;").replace('<', "#lt;").replace('>', "#gt;").replace('\n', "<br>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workflow(yaml: &str) -> Workflow {
        Workflow::from_yaml(yaml).expect("test workflow parses")
    }

    const CONDITION_AND_EXIT: &str = r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: flip-}
spec:
  entrypoint: flip
  onExit: bye
  arguments: {parameters: []}
  templates:
  - name: flip
    dag:
      tasks:
      - {name: exit-handler-1, template: exit-handler-1}
  - name: exit-handler-1
    dag:
      tasks:
      - {name: toss, template: toss}
      - {name: condition-1, template: condition-1, dependencies: [toss], when: '"{{tasks.toss.outputs.parameters.toss-output}}" == "heads"'}
      - {name: for-loop-2, template: toss, withItems: [1, 2]}
  - name: condition-1
    dag:
      tasks:
      - {name: again, template: condition-1}
      - {name: gone, template: nowhere}
  - name: toss
    container: {image: alpine}
    metadata:
      annotations: {pipelines.kubeflow.org/task_display_name: "Toss \"a\" coin"}
  - name: bye
    container: {image: alpine}
"#;

    #[test]
    fn dot_draws_groups_conditions_loops_recursion_and_exit() {
        let dot = render(&workflow(CONDITION_AND_EXIT), Format::Dot).unwrap();
        assert!(dot.starts_with("digraph \"flip\" {"), "{dot}");
        assert!(dot.contains("label=\"exit handler\""), "{dot}");
        assert!(dot.contains("label=\"if \\\"toss-output\\\" == \\\"heads\\\"\""), "{dot}");
        assert!(dot.contains("[label=\"Toss \\\"a\\\" coin\"]"), "{dot}");
        assert!(dot.contains("for each item in [1,2]"), "{dot}");
        assert!(dot.contains("repeats `condition-1` (recursion)"), "{dot}");
        assert!(dot.contains("missing template `nowhere`"), "{dot}");
        assert!(dot.contains("-> exit [ltail=cluster_0, style=dashed]"), "{dot}");
        // toss -> condition group, clipped at the cluster.
        assert!(dot.contains("n1 -> g2 [lhead=cluster_2];"), "{dot}");
        assert_eq!(dot.matches('{').count(), dot.matches('}').count(), "{dot}");
    }

    #[test]
    fn a_long_static_list_is_cut_in_withparam_as_in_withitems() {
        let list = format!("[{}]", vec![r#"{"name": "item"}"#; 20].join(", "));
        let text = loop_text(&[], Some(&list), None).unwrap();
        assert_eq!(text, format!("for each item in {}...", &list[..MAX_ITEMS_TEXT]));
        // A reference is shortened, never cut.
        let name = "a-list-output-with-a-name-long-enough-to-pass-the-cut-of-sixty-characters";
        let text = loop_text(&[], Some(&format!("{{{{tasks.t.outputs.parameters.{name}}}}}")), None).unwrap();
        assert_eq!(text, format!("for each item in {name}"));
    }

    #[test]
    fn mermaid_escapes_labels_and_nests_subgraphs() {
        let mermaid = render(&workflow(CONDITION_AND_EXIT), Format::Mermaid).unwrap();
        assert!(mermaid.contains("flowchart TD\n"), "{mermaid}");
        assert!(mermaid.contains("subgraph g0 [\"exit handler\"]"), "{mermaid}");
        assert!(mermaid.contains("n1[\"Toss #quot;a#quot; coin\"]"), "{mermaid}");
        assert!(mermaid.contains("n1 --> g2"), "{mermaid}");
        assert!(mermaid.contains("g0 -.-> exit"), "{mermaid}");
        assert_eq!(mermaid.matches("subgraph").count(), mermaid.lines().filter(|l| l.trim() == "end").count());
    }

    #[test]
    fn missing_entrypoint_is_an_error() {
        let mut wf = workflow(CONDITION_AND_EXIT);
        wf.spec.entrypoint = "absent".into();
        let error = render(&wf, Format::Dot).unwrap_err();
        assert!(error.to_string().contains("`absent`"), "{error}");
    }

    #[test]
    fn readable_shortens_references() {
        assert_eq!(readable("{{inputs.parameters.a}} > {{item.b}} {{workflow.status}}"), "a > item.b workflow.status");
        assert_eq!(readable("unclosed {{x"), "unclosed {{x");
    }
}
