//! kfp's data passing rewrite (`_data_passing_rewriter.fix_big_data_passing`),
//! applied to the finished Workflow: values read as files travel as artifacts,
//! values read as text as parameters, and every parameter nobody reads goes.
//!
//! A port of kfp 1.8.22's pass, step for step, so the output matches kfp's
//! wherever the pass decides something (including where it keeps an output only
//! because a `when` reads it inside the same group).
//!
//! kfp keys everything by (template name, parameter name) pairs. This port
//! numbers each pair once and works on the numbers, and decides every change
//! before making any, so the numbering can borrow its names from the Workflow.

use foldhash::{HashMap, HashSet};
use memchr::memmem;
use std::borrow::Cow;
use std::sync::LazyLock;

use crate::argo::{Artifact, DagTask, IntOrString, RawArtifact, Sequence, Template, Workflow, WorkflowSpec};

/// A template's input or output, (template name, parameter name), by number.
type Port = u32;

/// Rewrites `workflow` in place. `read_as_text` gives, by template name, the
/// input parameters a container reads as text when the compiler knows them;
/// other container and resource templates are searched for placeholders as kfp does.
pub(super) fn fix_big_data_passing(workflow: &mut Workflow, read_as_text: &HashMap<String, Vec<String>>) {
    let templates = &mut workflow.spec.templates;
    let file_inputs = take_file_inputs(templates);
    let text_inputs = text_inputs(templates, read_as_text);
    let plan = plan(&workflow.spec, &file_inputs, &text_inputs);
    apply(plan, workflow);
}

/// Containers' raw input artifacts that are exactly `{{inputs.parameters.X}}`
/// become the artifact input `X`, read as a file. Gives (template, artifact)
/// indexes of those artifacts.
fn take_file_inputs(templates: &mut [Template]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for (index, template) in templates.iter_mut().enumerate().filter(|(_, t)| t.container.is_some()) {
        for (at, artifact) in template.inputs.artifacts.iter_mut().enumerate() {
            let Some(input) = artifact.raw.as_ref().and_then(|raw| input_parameter_name(&raw.data)) else { continue };
            artifact.name = input.to_owned();
            artifact.raw = None;
            found.push((index, at));
        }
    }
    found
}

/// The input parameters each container and resource template reads as text,
/// by template index: as the compiler knows them, or else as kfp finds them
/// (after [`take_file_inputs`], whose placeholders are no text).
fn text_inputs<'r>(
    templates: &mut [Template],
    read_as_text: &'r HashMap<String, Vec<String>>,
) -> Vec<(usize, Cow<'r, [String]>)> {
    let mut found = Vec::new();
    for (index, template) in templates.iter_mut().enumerate() {
        if template.container.is_none() && template.resource.is_none() {
            continue;
        }
        let inputs = match read_as_text.get(&template.name) {
            Some(read) => Cow::Borrowed(&read[..]),
            None => Cow::Owned(searched_text_inputs(template)),
        };
        found.push((index, inputs));
    }
    found
}

/// The `X` of every `{{inputs.parameters.X}}` in a container or resource template.
fn searched_text_inputs(template: &mut Template) -> Vec<String> {
    let mut inputs = Vec::new();
    for placeholder in template_placeholders(template) {
        if let [Some("inputs"), Some("parameters"), Some(name), ..] = parts(&placeholder) {
            inputs.push(name.to_owned());
        }
    }
    inputs
}

/// What [`apply`] changes, decided while the Workflow is only read.
#[derive(Default)]
struct Plan {
    /// Changes of each container and DAG template.
    templates: Vec<TemplatePlan>,
    /// Artifacts the workflow's arguments gain.
    arguments: Vec<Artifact>,
}

/// Changes of one template.
#[derive(Default)]
struct TemplatePlan {
    index: usize,
    /// Whether each input and output parameter stays.
    keep_inputs: Vec<bool>,
    keep_outputs: Vec<bool>,
    /// Artifacts a DAG template's inputs and outputs gain.
    input_artifacts: Vec<Artifact>,
    output_artifacts: Vec<Artifact>,
    /// Changes of each task of a DAG template.
    tasks: Vec<TaskPlan>,
}

/// Changes of one DAG task's arguments.
struct TaskPlan {
    artifacts: Vec<Artifact>,
    keep: Vec<bool>,
}

/// kfp's steps 1 to 3, and what step 4 makes of them.
fn plan(spec: &WorkflowSpec, file_inputs: &[(usize, usize)], text_inputs: &[(usize, Cow<'_, [String]>)]) -> Plan {
    let templates = &spec.templates;
    let mut graph = Graph::default();
    let mut as_parameters = Vec::new();
    let mut as_artifacts = Vec::new();

    // 1. How DAGs pass data: task inputs fed by DAG inputs or by sibling outputs,
    // and DAG outputs fed by their tasks' outputs. (kfp looks for the latter on
    // DAG *tasks*, which have none, so it never finds them and prunes the
    // output a group hands out; this reads them where they are.)
    // 2. Direct consumers: `when`/`withParam` of DAG tasks, files of
    // containers, and text in container and resource templates.
    for template in templates {
        if let Some(dag) = &template.dag {
            let task_templates: HashMap<&str, &str> =
                dag.tasks.iter().map(|task| (task.name.as_str(), task.template.as_str())).collect();
            graph.add_dag(template, &task_templates);
            graph.find_task_consumers(template, &task_templates, &mut as_parameters);
        }
    }
    for &(index, at) in file_inputs {
        let template = &templates[index];
        as_artifacts.push(Io::Input(graph.port(&template.name, &template.inputs.artifacts[at].name)));
    }
    for (index, inputs) in text_inputs {
        let name = &templates[*index].name;
        as_parameters.extend(inputs.iter().map(|input| Io::Input(graph.port(name, input))));
    }

    // 3. Up the stream: whatever feeds a consumed input is consumed the same way.
    let parameters = graph.mark(&as_parameters);
    let artifacts = graph.mark(&as_artifacts);

    // 4. Rewrite inputs, outputs and arguments by how they are consumed.
    let resource_names: HashSet<&str> =
        templates.iter().filter(|t| t.resource.is_some()).map(|t| t.name.as_str()).collect();
    let consumed = Consumed { graph: &graph, parameters: &parameters, artifacts: &artifacts };
    let mut plan = Plan::default();
    for (index, template) in templates.iter().enumerate() {
        if template.container.is_some() || template.dag.is_some() {
            plan.templates.push(consumed.template_plan(index, template, &resource_names));
        }
    }
    for parameter in &spec.arguments.parameters {
        if consumed.as_artifact(&spec.entrypoint, &parameter.name) {
            plan.arguments.push(Artifact {
                name: parameter.name.clone(),
                raw: Some(RawArtifact { data: format!("{{{{workflow.parameters.{}}}}}", parameter.name) }),
                ..Artifact::default()
            });
        }
    }
    plan
}

/// Makes the changes `plan` decided.
fn apply(plan: Plan, workflow: &mut Workflow) {
    for changes in plan.templates {
        let template = &mut workflow.spec.templates[changes.index];
        template.inputs.artifacts.extend(changes.input_artifacts);
        template.outputs.artifacts.extend(changes.output_artifacts);
        if let Some(dag) = template.dag.as_mut() {
            for (task, changes) in dag.tasks.iter_mut().zip(changes.tasks) {
                task.arguments.artifacts.extend(changes.artifacts);
                retain_kept(&mut task.arguments.parameters, &changes.keep);
            }
        }
        retain_kept(&mut template.inputs.parameters, &changes.keep_inputs);
        retain_kept(&mut template.outputs.parameters, &changes.keep_outputs);
    }
    workflow.spec.arguments.artifacts.extend(plan.arguments);
}

/// Keeps the `items` whose flag in `keep` (one per item, in order) is set.
fn retain_kept<T>(items: &mut Vec<T>, keep: &[bool]) {
    let mut keep = keep.iter();
    items.retain(|_| keep.next() == Some(&true));
}

/// A template input or output, as the marking walks them.
#[derive(Clone, Copy)]
enum Io {
    Input(Port),
    Output(Port),
}

/// Where each template input and DAG output takes its value from.
#[derive(Default)]
struct Graph<'a> {
    ports: HashMap<(&'a str, &'a str), Port>,
    /// By port: the DAG inputs and task outputs feeding that input.
    input_feeds: Vec<Vec<Io>>,
    /// By port: the task outputs feeding that DAG output.
    output_feeds: Vec<Vec<Port>>,
}

/// Ports marked consumed, as inputs and as outputs, by port.
struct Marked {
    inputs: Vec<bool>,
    outputs: Vec<bool>,
}

impl<'a> Graph<'a> {
    /// The number of (template, name), given on first sight.
    fn port(&mut self, template: &'a str, name: &'a str) -> Port {
        let next = self.ports.len() as Port;
        let port = *self.ports.entry((template, name)).or_insert(next);
        if port == next {
            self.input_feeds.push(Vec::new());
            self.output_feeds.push(Vec::new());
        }
        port
    }

    /// The number of (template, name), if it was given one.
    fn find(&self, template: &str, name: &str) -> Option<Port> {
        self.ports.get(&(template, name)).copied()
    }

    /// kfp's step 1 for one DAG template.
    fn add_dag(&mut self, template: &'a Template, task_templates: &HashMap<&'a str, &'a str>) {
        let tasks = template.dag.as_ref().map(|dag| &dag.tasks[..]).unwrap_or_default();
        for output in &template.outputs.parameters {
            let from = output.value_from.as_ref().and_then(|from| from.parameter.as_deref());
            let Some([Some("tasks"), Some(task), _, _, Some(name)]) = from.and_then(single_placeholder) else {
                continue;
            };
            if let Some(upstream) = task_templates.get(task) {
                let feed = self.port(upstream, name);
                let port = self.port(&template.name, &output.name);
                self.output_feeds[port as usize].push(feed);
            }
        }
        for task in tasks {
            for argument in &task.arguments.parameters {
                let Some(parts) = argument.value.as_deref().and_then(single_placeholder) else { continue };
                let feed = match parts {
                    [Some("inputs"), _, Some(name), ..] => Io::Input(self.port(&template.name, name)),
                    [Some("tasks"), Some(task), _, _, Some(name)] => match task_templates.get(task) {
                        Some(upstream) => Io::Output(self.port(upstream, name)),
                        None => continue,
                    },
                    _ => continue,
                };
                let port = self.port(&task.template, &argument.name);
                self.input_feeds[port as usize].push(feed);
            }
        }
    }

    /// kfp's step 2 for the tasks of one DAG template: what their `when`,
    /// `withParam` and other text outside the arguments read.
    fn find_task_consumers(
        &mut self,
        template: &'a Template,
        task_templates: &HashMap<&'a str, &'a str>,
        as_parameters: &mut Vec<Io>,
    ) {
        let tasks = template.dag.as_ref().map(|dag| &dag.tasks[..]).unwrap_or_default();
        let mut texts = Vec::new();
        for task in tasks {
            texts.clear();
            task_texts(task, &mut texts);
            for placeholder in texts.iter().flat_map(|&text| placeholders(text)) {
                match parts(placeholder) {
                    [Some("inputs"), Some("parameters"), Some(name), ..] => {
                        as_parameters.push(Io::Input(self.port(&template.name, name)));
                    }
                    [Some("tasks"), Some(task), _, _, Some(name)] => {
                        if let Some(upstream) = task_templates.get(task) {
                            as_parameters.push(Io::Output(self.port(upstream, name)));
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// Marks `starts` consumed, and everything upstream of them (kfp's
    /// `mark_upstream_ios_of_input`/`_of_output`, with an explicit stack).
    fn mark(&self, starts: &[Io]) -> Marked {
        let mut marked = Marked { inputs: vec![false; self.ports.len()], outputs: vec![false; self.ports.len()] };
        let mut stack = starts.to_vec();
        while let Some(io) = stack.pop() {
            match io {
                Io::Input(input) => {
                    if std::mem::replace(&mut marked.inputs[input as usize], true) {
                        continue;
                    }
                    stack.extend_from_slice(&self.input_feeds[input as usize]);
                }
                Io::Output(output) => {
                    if std::mem::replace(&mut marked.outputs[output as usize], true) {
                        continue;
                    }
                    stack.extend(self.output_feeds[output as usize].iter().map(|&port| Io::Output(port)));
                }
            }
        }
        marked
    }
}

/// How each port is consumed, looked up by name.
struct Consumed<'g> {
    graph: &'g Graph<'g>,
    parameters: &'g Marked,
    artifacts: &'g Marked,
}

impl Consumed<'_> {
    fn input(&self, marked: &Marked, template: &str, name: &str) -> bool {
        self.graph.find(template, name).is_some_and(|port| marked.inputs[port as usize])
    }

    fn output(&self, marked: &Marked, template: &str, name: &str) -> bool {
        self.graph.find(template, name).is_some_and(|port| marked.outputs[port as usize])
    }

    /// Whether the input `name` of `template` is read as a file.
    fn as_artifact(&self, template: &str, name: &str) -> bool {
        self.input(self.artifacts, template, name)
    }

    /// kfp's step 4 for a container or DAG template.
    fn template_plan(&self, index: usize, template: &Template, resource_names: &HashSet<&str>) -> TemplatePlan {
        let name = &template.name;
        let (inputs, outputs) = (&template.inputs.parameters, &template.outputs.parameters);
        let mut plan = TemplatePlan {
            index,
            keep_inputs: inputs.iter().map(|p| self.input(self.parameters, name, &p.name)).collect(),
            keep_outputs: outputs.iter().map(|p| self.output(self.parameters, name, &p.name)).collect(),
            ..TemplatePlan::default()
        };
        let Some(dag) = &template.dag else { return plan };
        for parameter in inputs.iter().filter(|p| self.as_artifact(name, &p.name)) {
            plan.input_artifacts.push(Artifact { name: parameter.name.clone(), ..Artifact::default() });
        }
        for parameter in outputs.iter().filter(|p| self.output(self.artifacts, name, &p.name)) {
            let from = parameter.value_from.as_ref().and_then(|v| v.parameter.as_ref());
            plan.output_artifacts.push(Artifact {
                name: parameter.name.clone(),
                from: from.map(|from| from.replace(".parameters.", ".artifacts.")),
                ..Artifact::default()
            });
        }
        plan.tasks = dag.tasks.iter().map(|task| self.task_plan(task, resource_names)).collect();
        plan
    }

    /// kfp's step 4 for the arguments of a DAG task.
    fn task_plan(&self, task: &DagTask, resource_names: &HashSet<&str>) -> TaskPlan {
        let arguments = &task.arguments.parameters;
        let artifacts = arguments
            .iter()
            .filter(|argument| self.as_artifact(&task.template, &argument.name))
            .map(|argument| {
                let value = argument.value.clone().unwrap_or_default();
                let by_reference = single_placeholder(&value).is_some_and(|parts| match parts {
                    [Some("inputs"), ..] => true,
                    [Some("tasks"), task, ..] => !task.is_some_and(|task| resource_names.contains(task)),
                    _ => false,
                });
                if by_reference {
                    Artifact {
                        name: argument.name.clone(),
                        from: Some(value.replace(".parameters.", ".artifacts.")),
                        ..Artifact::default()
                    }
                } else {
                    Artifact {
                        name: argument.name.clone(),
                        raw: Some(RawArtifact { data: value }),
                        ..Artifact::default()
                    }
                }
            })
            .collect();
        let keep =
            arguments.iter().map(|argument| self.input(self.parameters, &task.template, &argument.name)).collect();
        TaskPlan { artifacts, keep }
    }
}

/// The strings of a DAG task outside its arguments. kfp searches the task's
/// JSON text for placeholders; searching its strings finds the same ones, as
/// none spans two JSON strings and JSON escapes no character of one.
fn task_texts<'a>(task: &'a DagTask, texts: &mut Vec<&'a str>) {
    // Every field by name, so that a field added to `DagTask` is not missed.
    let DagTask {
        name,
        template,
        dependencies,
        depends,
        when,
        with_items,
        with_param,
        with_sequence,
        arguments: _,
        continue_on: _, // flags only
        on_exit,
    } = task;
    texts.extend([name, template].map(String::as_str));
    texts.extend(dependencies.iter().flatten().map(String::as_str));
    texts.extend([depends, when, with_param, on_exit].into_iter().flatten().map(String::as_str));
    for item in with_items {
        json_texts(item, texts);
    }
    if let Some(Sequence { count, start, end, format }) = with_sequence {
        texts.extend([count, start, end].into_iter().flatten().filter_map(|number| match number {
            IntOrString::String(text) => Some(text.as_str()),
            IntOrString::Int(_) => None,
        }));
        texts.extend(format.as_deref());
    }
}

/// The strings of a JSON value, object keys included.
fn json_texts<'a>(value: &'a serde_json::Value, texts: &mut Vec<&'a str>) {
    match value {
        serde_json::Value::String(text) => texts.push(text),
        serde_json::Value::Array(items) => items.iter().for_each(|item| json_texts(item, texts)),
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                texts.push(key);
                json_texts(item, texts);
            }
        }
        _ => {}
    }
}

/// The placeholders in a container or resource template, the component spec
/// annotation aside (it holds the program, never a placeholder kfp resolves).
fn template_placeholders(template: &mut Template) -> Vec<String> {
    let spec = template.metadata.annotations.remove_entry(super::shared::component_spec_key().as_str());
    let text = serde_json::to_string(&*template).unwrap_or_default();
    if let Some((key, spec)) = spec {
        template.metadata.annotations.insert(key, spec);
    }
    placeholders(&text).into_iter().map(str::to_owned).collect()
}

fn is_placeholder_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_')
}

/// Every `{{name}}` with `name` in `[-._a-zA-Z0-9]+` (kfp's regular expression).
fn placeholders(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    // Built once: `str::find` sets up a substring search per call.
    static OPEN: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("{{"));
    while let Some(offset) = OPEN.find(&bytes[at..]) {
        let start = at + offset + 2;
        let mut end = start;
        while end < bytes.len() && is_placeholder_char(bytes[end]) {
            end += 1;
        }
        if end > start && text[end..].starts_with("}}") {
            found.push(&text[start..end]);
            at = end + 2;
        } else {
            at = at + offset + 1;
        }
    }
    found
}

/// The first five `.`-separated parts of a placeholder, as far as it has them
/// (kfp splits it and reads no further than the fifth).
fn parts(placeholder: &str) -> [Option<&str>; 5] {
    // By bytes: `str::split` with a char pattern sets up a searcher per part, which
    // costs more than these short names (every argument of every DAG task is split).
    let mut rest = Some(placeholder);
    std::array::from_fn(|_| {
        let text = rest?;
        let end = text.bytes().position(|b| b == b'.');
        rest = end.map(|at| &text[at + 1..]);
        Some(&text[..end.unwrap_or(text.len())])
    })
}

/// The [`parts`] of `value` when it is exactly one placeholder (`{{a.b.c}}`).
fn single_placeholder(value: &str) -> Option<[Option<&str>; 5]> {
    let inner = value.strip_prefix("{{")?.strip_suffix("}}")?;
    (!inner.is_empty() && inner.bytes().all(is_placeholder_char)).then(|| parts(inner))
}

/// `X` when `value` is exactly `{{inputs.parameters.X}}`.
fn input_parameter_name(value: &str) -> Option<&str> {
    let name = value.strip_prefix("{{inputs.parameters.")?.strip_suffix("}}")?;
    (!name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders_like_kfp() {
        assert_eq!(
            placeholders("a {{inputs.parameters.x}} {{ no }} {{{{item.a}}}}"),
            ["inputs.parameters.x", "item.a"]
        );
        assert_eq!(
            single_placeholder("{{tasks.a.outputs.parameters.b.c}}"),
            Some([Some("tasks"), Some("a"), Some("outputs"), Some("parameters"), Some("b")])
        );
        assert_eq!(parts("inputs.x"), [Some("inputs"), Some("x"), None, None, None]);
        // As `str::split('.')`: empty parts kept, at most five.
        for placeholder in ["", "a.", ".a", "a..b", "a.b.c.d.e.f.g", "이름.값"] {
            let mut split = placeholder.split('.');
            let expected: [Option<&str>; 5] = std::array::from_fn(|_| split.next());
            assert_eq!(parts(placeholder), expected, "{placeholder:?}");
        }
        assert!(single_placeholder("x{{item}}").is_none());
        assert_eq!(input_parameter_name("{{inputs.parameters.a-b_c}}"), Some("a-b_c"));
        assert_eq!(input_parameter_name("{{inputs.parameters.a.b}}"), None);
    }
}
