//! One task's template, as kfp's `_op_to_template` writes it before the data
//! passing rewrite: every value the task reads is an input parameter, every
//! output both a parameter and an artifact ([`super::rewrite`] prunes them).

use std::collections::{BTreeMap, HashSet};

use super::resolve::Resolver;
use super::settings;
use super::values::{input_reference, Use, Values};
use super::SDK_VERSION;
use crate::argo::{Artifact, Container, Inputs, Metadata, Outputs, Parameter, RawArtifact, Template, ValueFrom};
use crate::component::Component;
use crate::dsl::{Arg, ContainerOp, Op, RecordedTask};
use crate::error::{Error, Result};
use crate::spec::Placeholder;
use crate::wire::json::to_json;

pub(super) const SDK_VERSION_KEY: &str = "pipelines.kubeflow.org/kfp_sdk_version";

/// A task's template and the values it reads.
pub(super) struct LoweredOp {
    pub(super) template: Template,
    pub(super) uses: Vec<Use>,
    /// The input parameters the container reads as text, when known without
    /// scanning the template: a component's program is long and never holds a
    /// placeholder, so the rewrite takes this list instead of searching it.
    pub(super) read_as_text: Option<Vec<String>>,
}

/// What the compiler derives once per component, shared by all its tasks.
pub(super) struct ComponentFacts {
    /// The `component_spec` annotation.
    spec_json: String,
    /// The `component_ref` annotation.
    ref_json: String,
    /// Inputs the container reads by value (`inputValue`), by input index.
    by_value: Vec<bool>,
}

impl ComponentFacts {
    pub(super) fn new(component: &Component) -> Result<Self> {
        let spec_value = serde_json::to_value(&component.spec).map_err(|e| serialize_error(&component.spec.name, e))?;
        let spec_json = to_json(&spec_value)
            .map_err(|message| Error::Serialize { what: format!("component `{}`", component.spec.name), message })?;
        let ref_json = to_json(&component.reference).map_err(|message| Error::Serialize {
            what: format!("component `{}` reference", component.spec.name),
            message,
        })?;
        let mut value_inputs = HashSet::new();
        let container = &component.spec.implementation.container;
        for placeholder in container.command.iter().chain(&container.args) {
            collect_value_inputs(placeholder, &mut value_inputs);
        }
        let by_value = component.spec.inputs.iter().map(|input| value_inputs.contains(input.name.as_str())).collect();
        Ok(ComponentFacts { spec_json, ref_json, by_value })
    }
}

fn serialize_error(name: &str, error: serde_json::Error) -> Error {
    Error::Serialize { what: format!("component `{name}`"), message: error.to_string() }
}

fn collect_value_inputs<'a>(placeholder: &'a Placeholder, found: &mut HashSet<&'a str>) {
    match placeholder {
        Placeholder::InputValue { input_value } => {
            found.insert(input_value);
        }
        Placeholder::If { if_ } => {
            for inner in if_.then.iter().chain(&if_.else_) {
                collect_value_inputs(inner, found);
            }
        }
        Placeholder::Literal(_) | Placeholder::InputPath { .. } | Placeholder::OutputPath { .. } => {}
    }
}

/// The `X` of each `{{inputs.parameters.X}}` in `text`.
fn collect_input_references(text: &str, found: &mut Vec<String>) {
    let mut rest = text;
    while let Some(start) = rest.find("{{inputs.parameters.") {
        let after = &rest[start + "{{inputs.parameters.".len()..];
        let Some(end) = after.find("}}") else { break };
        found.push(after[..end].to_owned());
        rest = &after[end + 2..];
    }
}

/// kfp's `_sanitize_file_name`: runs outside `[-_.0-9a-zA-Z]` become one `_`.
pub(super) fn file_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('_');
            in_run = true;
        }
    }
    out
}

/// The template of task `name`; problems go to `problems`.
pub(super) fn lower_op(
    name: &str,
    task: &RecordedTask,
    facts: Option<&ComponentFacts>,
    values: &Values<'_>,
    problems: &mut Vec<String>,
) -> Result<LoweredOp> {
    let (mut lowered, embeds_values) = match (&task.op, facts) {
        (Op::Component { component, args }, Some(facts)) => {
            (component_op(name, component, args, facts, values, problems)?, false)
        }
        (Op::Container(op), _) => (container_op(name, op), true),
        (Op::Component { .. }, None) => unreachable!("component tasks come with their facts"),
    };
    settings::apply(&task.settings, &mut lowered.template);
    if embeds_values || task.settings.embeds_values() {
        resolve_markers(&mut lowered, values, problems);
        lowered.read_as_text = None;
    }
    lowered.template.inputs.parameters = input_parameters(&lowered.uses);
    Ok(lowered)
}

/// Turns every value embedded anywhere in the template (image, arguments, env,
/// sidecars, labels, ...) into an input parameter reference, as kfp's
/// `_process_base_ops` does for every attribute of an op.
fn resolve_markers(lowered: &mut LoweredOp, values: &Values<'_>, problems: &mut Vec<String>) {
    let Ok(mut tree) = serde_json::to_value(&lowered.template) else { return };
    substitute_all(&mut tree, values, &mut lowered.uses, problems);
    match serde_json::from_value(tree) {
        Ok(template) => lowered.template = template,
        Err(error) => problems.push(format!("task `{}`: {error}", lowered.template.name)),
    }
}

fn substitute_all(tree: &mut serde_json::Value, values: &Values<'_>, uses: &mut Vec<Use>, problems: &mut Vec<String>) {
    match tree {
        serde_json::Value::String(text) => *text = values.substitute(text, uses, problems, input_reference),
        serde_json::Value::Array(items) => {
            items.iter_mut().for_each(|item| substitute_all(item, values, uses, problems))
        }
        serde_json::Value::Object(map) => {
            let keys: Vec<String> = map.keys().filter(|key| crate::dsl::marker::has_marker(key)).cloned().collect();
            for key in keys {
                if let Some(value) = map.remove(&key) {
                    map.insert(values.substitute(&key, uses, problems, input_reference), value);
                }
            }
            map.values_mut().for_each(|value| substitute_all(value, values, uses, problems));
        }
        _ => {}
    }
}

fn base_labels() -> BTreeMap<String, String> {
    BTreeMap::from([
        (SDK_VERSION_KEY.to_owned(), SDK_VERSION.to_owned()),
        ("pipelines.kubeflow.org/pipeline-sdk-type".to_owned(), "kfp".to_owned()),
    ])
}

fn input_parameters(uses: &[Use]) -> Vec<Parameter> {
    let mut names: Vec<&String> = uses.iter().map(|found| &found.full_name).collect();
    names.sort_unstable();
    names.dedup();
    names.into_iter().map(Parameter::named).collect()
}

/// Output parameters and artifacts `name-output` read from `path` of each output.
fn outputs(name: &str, outputs: impl Iterator<Item = (String, String)>) -> Outputs {
    let mut parameters = Vec::new();
    let mut artifacts = Vec::new();
    for (output, path) in outputs {
        let full_name = format!("{name}-{output}");
        parameters.push(Parameter {
            value_from: Some(ValueFrom { path: Some(path.clone()), ..ValueFrom::default() }),
            ..Parameter::named(&full_name)
        });
        artifacts.push(Artifact { name: full_name, path: Some(path), ..Artifact::default() });
    }
    parameters.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    artifacts.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Outputs { parameters, artifacts, ..Outputs::default() }
}

/// A container op's template, its embedded values still markers.
fn container_op(name: &str, op: &ContainerOp) -> LoweredOp {
    let mut artifacts: Vec<Artifact> = op
        .artifact_arguments
        .iter()
        .map(|argument| Artifact {
            name: argument.name.clone(),
            path: Some(argument.path.clone()),
            raw: Some(RawArtifact { data: argument.value.clone() }),
            ..Artifact::default()
        })
        .collect();
    artifacts.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    let template = Template {
        name: name.to_owned(),
        container: Some(Container {
            image: Some(op.image.clone()),
            command: (!op.command.is_empty()).then(|| op.command.clone()),
            args: (!op.arguments.is_empty()).then(|| op.arguments.clone()),
            ..Container::default()
        }),
        inputs: Inputs { artifacts, ..Inputs::default() },
        outputs: outputs(name, op.file_outputs.iter().cloned()),
        metadata: Metadata { annotations: BTreeMap::new(), labels: base_labels() },
        ..Template::default()
    };
    LoweredOp { template, uses: Vec::new(), read_as_text: None }
}

fn component_op(
    name: &str,
    component: &Component,
    args: &[Arg],
    facts: &ComponentFacts,
    values: &Values<'_>,
    problems: &mut Vec<String>,
) -> Result<LoweredOp> {
    let spec = &component.spec;
    let mut uses = Vec::new();
    let mut read_as_text = Vec::new();
    let mut artifacts = Vec::new();
    // Per input: the text standing for its value, and the file holding it.
    let mut texts: Vec<Option<String>> = Vec::with_capacity(spec.inputs.len());
    let mut paths: Vec<Option<String>> = Vec::with_capacity(spec.inputs.len());
    for ((input, arg), by_value) in spec.inputs.iter().zip(args).zip(&facts.by_value) {
        let text = match arg {
            Arg::Absent => None,
            Arg::Constant(text) => Some(values.substitute(text, &mut uses, problems, input_reference)),
            Arg::Value(value) => match values.use_of(value) {
                Ok(found) => {
                    let reference = input_reference(&found);
                    if !uses.contains(&found) {
                        uses.push(found);
                    }
                    Some(reference)
                }
                Err(problem) => {
                    problems.push(format!("task `{name}`, input `{}`: {problem}", input.name));
                    None
                }
            },
        };
        if let Some(text) = &text {
            // kfp's rewrite: a file input holding exactly one parameter passes
            // it as an artifact; any other text reads its parameters as text.
            let one_parameter = !by_value
                && text.starts_with("{{inputs.parameters.")
                && text.ends_with("}}")
                && text.matches("{{").count() == 1;
            if !one_parameter {
                collect_input_references(text, &mut read_as_text);
            }
        }
        let path = text.as_ref().map(|_| format!("/tmp/inputs/{}/data", file_name(&input.name)));
        if let (Some(text), Some(path), false) = (&text, &path, by_value) {
            artifacts.push(Artifact {
                name: input.name.clone(),
                path: Some(path.clone()),
                raw: Some(RawArtifact { data: text.clone() }),
                ..Artifact::default()
            });
        }
        texts.push(text);
        paths.push(path);
    }
    artifacts.sort_unstable_by(|a, b| a.name.cmp(&b.name));

    let resolve = Resolver { task: name, spec, values: &texts, paths: &paths };
    let container_spec = &spec.implementation.container;
    let command = resolve.all(&container_spec.command, problems);
    let command_args = resolve.all(&container_spec.args, problems);

    let mut argument_values = serde_json::Map::new();
    for ((input, text), by_value) in spec.inputs.iter().zip(&texts).zip(&facts.by_value) {
        if let (Some(text), true) = (text, by_value) {
            argument_values.insert(input.name.clone(), text.clone().into());
        }
    }
    let mut annotations = BTreeMap::from([
        ("pipelines.kubeflow.org/component_spec".to_owned(), facts.spec_json.clone()),
        ("pipelines.kubeflow.org/component_ref".to_owned(), facts.ref_json.clone()),
    ]);
    if !argument_values.is_empty() {
        let json = to_json(&argument_values)
            .map_err(|message| Error::Serialize { what: format!("arguments of task `{name}`"), message })?;
        annotations.insert("pipelines.kubeflow.org/arguments.parameters".to_owned(), json);
    }
    let template = Template {
        name: name.to_owned(),
        container: Some(Container {
            image: Some(container_spec.image.clone()),
            command: (!command.is_empty()).then_some(command),
            args: (!command_args.is_empty()).then_some(command_args),
            ..Container::default()
        }),
        inputs: Inputs { artifacts, ..Inputs::default() },
        outputs: outputs(
            name,
            spec.outputs
                .iter()
                .map(|output| (output.name.clone(), format!("/tmp/outputs/{}/data", file_name(&output.name)))),
        ),
        metadata: Metadata { annotations, labels: base_labels() },
        ..Template::default()
    };
    Ok(LoweredOp { template, uses, read_as_text: Some(read_as_text) })
}
