//! kfp's data passing rewrite (`_data_passing_rewriter.fix_big_data_passing`),
//! applied to the finished Workflow: values read as files travel as artifacts,
//! values read as text as parameters, and every parameter nobody reads goes.
//!
//! A port of kfp 1.8.22's pass, step for step, so the output matches kfp's
//! wherever the pass decides something (including where it keeps an output only
//! because a `when` reads it inside the same group).

use std::collections::{HashMap, HashSet};

use crate::argo::{Artifact, RawArtifact, Template, Workflow};

/// A template's input or output: (template name, parameter name).
type Port = (String, String);

/// Which template inputs or outputs feed each template input.
type Feeds = HashMap<Port, HashSet<Port>>;

const COMPONENT_SPEC: &str = "pipelines.kubeflow.org/component_spec";

/// Rewrites `workflow` in place. `read_as_text` gives, by template name, the
/// input parameters a container reads as text when the compiler knows them;
/// other container and resource templates are searched for placeholders as kfp does.
pub(super) fn fix_big_data_passing(workflow: &mut Workflow, read_as_text: &HashMap<String, Vec<String>>) {
    let templates = &mut workflow.spec.templates;
    let resource_names: HashSet<String> =
        templates.iter().filter(|t| t.resource.is_some()).map(|t| t.name.clone()).collect();

    // 1. How DAGs pass data: task inputs fed by DAG inputs or by sibling outputs,
    // and DAG outputs fed by their tasks' outputs. (kfp looks for the latter on
    // DAG *tasks*, which have none, so it never finds them and prunes the
    // output a group hands out; this reads them where they are.)
    let mut input_from_dag_inputs: Feeds = HashMap::new();
    let mut input_from_task_outputs: Feeds = HashMap::new();
    let mut output_from_task_outputs: Feeds = HashMap::new();
    for template in templates.iter().filter(|t| t.dag.is_some()) {
        let tasks = &template.dag.as_ref().map(|dag| &dag.tasks[..]).unwrap_or_default();
        let task_templates: HashMap<&str, &str> =
            tasks.iter().map(|task| (task.name.as_str(), task.template.as_str())).collect();
        for output in &template.outputs.parameters {
            let from = output.value_from.as_ref().and_then(|from| from.parameter.as_deref());
            let Some(parts) = from.and_then(single_placeholder) else { continue };
            if parts[0] == "tasks" && parts.len() > 4 {
                if let Some(upstream) = task_templates.get(parts[1]) {
                    output_from_task_outputs
                        .entry((template.name.clone(), output.name.clone()))
                        .or_default()
                        .insert(((*upstream).to_owned(), parts[4].to_owned()));
                }
            }
        }
        for task in tasks.iter() {
            for argument in &task.arguments.parameters {
                let key = (task.template.clone(), argument.name.clone());
                let Some(value) = &argument.value else { continue };
                let Some(parts) = single_placeholder(value) else { continue };
                match parts[0] {
                    "inputs" if parts.len() > 2 => {
                        input_from_dag_inputs
                            .entry(key)
                            .or_default()
                            .insert((template.name.clone(), parts[2].to_owned()));
                    }
                    "tasks" if parts.len() > 4 => {
                        if let Some(upstream) = task_templates.get(parts[1]) {
                            input_from_task_outputs
                                .entry(key)
                                .or_default()
                                .insert(((*upstream).to_owned(), parts[4].to_owned()));
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    // 2. Direct consumers: files of containers, `when`/`withParam` of DAG tasks,
    // and text in container and resource templates.
    let mut inputs_as_parameters: HashSet<Port> = HashSet::new();
    let mut inputs_as_artifacts: HashSet<Port> = HashSet::new();
    let mut outputs_as_parameters: HashSet<Port> = HashSet::new();
    for template in templates.iter_mut().filter(|t| t.container.is_some()) {
        for artifact in &mut template.inputs.artifacts {
            let Some(input) = artifact.raw.as_ref().and_then(|raw| input_parameter_name(&raw.data)) else { continue };
            let input = input.to_owned();
            inputs_as_artifacts.insert((template.name.clone(), input.clone()));
            artifact.raw = None;
            artifact.name = input;
        }
    }
    for template in templates.iter().filter(|t| t.dag.is_some()) {
        let tasks = &template.dag.as_ref().map(|dag| &dag.tasks[..]).unwrap_or_default();
        let task_templates: HashMap<&str, &str> =
            tasks.iter().map(|task| (task.name.as_str(), task.template.as_str())).collect();
        for task in tasks.iter() {
            let mut without_arguments = task.clone();
            without_arguments.arguments = Default::default();
            let text = serde_json::to_string(&without_arguments).unwrap_or_default();
            for placeholder in placeholders(&text) {
                let parts: Vec<&str> = placeholder.split('.').collect();
                match parts[0] {
                    "inputs" if parts.get(1) == Some(&"parameters") && parts.len() > 2 => {
                        inputs_as_parameters.insert((template.name.clone(), parts[2].to_owned()));
                    }
                    "tasks" if parts.len() > 4 => {
                        if let Some(upstream) = task_templates.get(parts[1]) {
                            outputs_as_parameters.insert(((*upstream).to_owned(), parts[4].to_owned()));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    for template in templates.iter_mut().filter(|t| t.container.is_some() || t.resource.is_some()) {
        if let Some(read) = read_as_text.get(&template.name) {
            inputs_as_parameters.extend(read.iter().map(|input| (template.name.clone(), input.clone())));
            continue;
        }
        for placeholder in template_placeholders(template) {
            let parts: Vec<&str> = placeholder.split('.').collect();
            if parts[0] == "inputs" && parts.get(1) == Some(&"parameters") && parts.len() > 2 {
                inputs_as_parameters.insert((template.name.clone(), parts[2].to_owned()));
            }
        }
    }

    // 3. Up the stream: whatever feeds a consumed input is consumed the same way.
    let mut consumed_parameters = (HashSet::new(), HashSet::new());
    let mut consumed_artifacts = (HashSet::new(), HashSet::new());
    let graph = Graph {
        input_from_dag_inputs: &input_from_dag_inputs,
        input_from_task_outputs: &input_from_task_outputs,
        output_from_task_outputs: &output_from_task_outputs,
    };
    for input in inputs_as_parameters {
        graph.mark(Io::Input(input), &mut consumed_parameters);
    }
    for input in inputs_as_artifacts {
        graph.mark(Io::Input(input), &mut consumed_artifacts);
    }
    for output in outputs_as_parameters {
        graph.mark(Io::Output(output), &mut consumed_parameters);
    }
    let (inputs_parameters, outputs_parameters) = consumed_parameters;
    let (inputs_artifacts, outputs_artifacts) = consumed_artifacts;

    // 4. Rewrite inputs, outputs and arguments by how they are consumed.
    for template in templates.iter_mut().filter(|t| t.dag.is_some()) {
        let name = template.name.clone();
        for parameter in &template.inputs.parameters {
            if inputs_artifacts.contains(&(name.clone(), parameter.name.clone())) {
                template.inputs.artifacts.push(Artifact { name: parameter.name.clone(), ..Artifact::default() });
            }
        }
        for parameter in &template.outputs.parameters {
            if outputs_artifacts.contains(&(name.clone(), parameter.name.clone())) {
                let from = parameter.value_from.as_ref().and_then(|v| v.parameter.as_ref());
                template.outputs.artifacts.push(Artifact {
                    name: parameter.name.clone(),
                    from: from.map(|from| from.replace(".parameters.", ".artifacts.")),
                    ..Artifact::default()
                });
            }
        }
        if let Some(dag) = template.dag.as_mut() {
            for task in &mut dag.tasks {
                for argument in &task.arguments.parameters {
                    if !inputs_artifacts.contains(&(task.template.clone(), argument.name.clone())) {
                        continue;
                    }
                    let value = argument.value.clone().unwrap_or_default();
                    let by_reference = single_placeholder(&value).is_some_and(|parts| {
                        matches!(parts[0], "inputs" | "tasks")
                            && !(parts[0] == "tasks" && parts.get(1).is_some_and(|t| resource_names.contains(*t)))
                    });
                    let artifact = if by_reference {
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
                    };
                    task.arguments.artifacts.push(artifact);
                }
                let template_name = task.template.clone();
                task.arguments
                    .parameters
                    .retain(|argument| inputs_parameters.contains(&(template_name.clone(), argument.name.clone())));
            }
        }
    }
    for template in templates.iter_mut().filter(|t| t.container.is_some() || t.dag.is_some()) {
        let name = template.name.clone();
        template.inputs.parameters.retain(|p| inputs_parameters.contains(&(name.clone(), p.name.clone())));
        template.outputs.parameters.retain(|p| outputs_parameters.contains(&(name.clone(), p.name.clone())));
    }

    let entrypoint = workflow.spec.entrypoint.clone();
    let mut artifacts = Vec::new();
    for parameter in &workflow.spec.arguments.parameters {
        if inputs_artifacts.contains(&(entrypoint.clone(), parameter.name.clone())) {
            artifacts.push(Artifact {
                name: parameter.name.clone(),
                raw: Some(RawArtifact { data: format!("{{{{workflow.parameters.{}}}}}", parameter.name) }),
                ..Artifact::default()
            });
        }
    }
    workflow.spec.arguments.artifacts.extend(artifacts);
}

type Marked = (HashSet<Port>, HashSet<Port>);

/// A template input or output, as the marking walks them.
enum Io {
    Input(Port),
    Output(Port),
}

/// Where each template input and DAG output takes its value from.
struct Graph<'a> {
    input_from_dag_inputs: &'a Feeds,
    input_from_task_outputs: &'a Feeds,
    output_from_task_outputs: &'a Feeds,
}

impl Graph<'_> {
    /// Marks `start` consumed, and everything upstream of it (kfp's
    /// `mark_upstream_ios_of_input`/`_of_output`, with an explicit stack).
    fn mark(&self, start: Io, marked: &mut Marked) {
        let mut stack = vec![start];
        while let Some(io) = stack.pop() {
            match io {
                Io::Input(input) => {
                    if !marked.0.insert(input.clone()) {
                        continue;
                    }
                    for upstream in self.input_from_dag_inputs.get(&input).into_iter().flatten() {
                        stack.push(Io::Input(upstream.clone()));
                    }
                    for upstream in self.input_from_task_outputs.get(&input).into_iter().flatten() {
                        stack.push(Io::Output(upstream.clone()));
                    }
                }
                Io::Output(output) => {
                    if !marked.1.insert(output.clone()) {
                        continue;
                    }
                    for upstream in self.output_from_task_outputs.get(&output).into_iter().flatten() {
                        stack.push(Io::Output(upstream.clone()));
                    }
                }
            }
        }
    }
}

/// The placeholders in a container or resource template, the component spec
/// annotation aside (it holds the program, never a placeholder kfp resolves).
fn template_placeholders(template: &mut Template) -> Vec<String> {
    let spec = template.metadata.annotations.remove(COMPONENT_SPEC);
    let text = serde_json::to_string(&*template).unwrap_or_default();
    if let Some(spec) = spec {
        template.metadata.annotations.insert(COMPONENT_SPEC.to_owned(), spec);
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
    while let Some(offset) = text[at..].find("{{") {
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

/// The parts of `value` when it is exactly one placeholder (`{{a.b.c}}`).
fn single_placeholder(value: &str) -> Option<Vec<&str>> {
    let inner = value.strip_prefix("{{")?.strip_suffix("}}")?;
    (!inner.is_empty() && inner.bytes().all(is_placeholder_char)).then(|| inner.split('.').collect())
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
        assert_eq!(single_placeholder("{{tasks.a.outputs.parameters.b}}").unwrap().len(), 5);
        assert!(single_placeholder("x{{item}}").is_none());
        assert_eq!(input_parameter_name("{{inputs.parameters.a-b_c}}"), Some("a-b_c"));
        assert_eq!(input_parameter_name("{{inputs.parameters.a.b}}"), None);
    }
}
