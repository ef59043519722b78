//! One task's template, as kfp's `_op_to_template` writes it before the data
//! passing rewrite: every value the task reads is an input parameter, every
//! output both a parameter and an artifact ([`super::rewrite`] prunes them).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::{Arc, LazyLock};

use foldhash::HashMap;

use k8s_openapi::api::core::v1::EnvVar;
use memchr::memmem;

use super::resolve::{self, Resolved, Resolver};
use super::settings;
use super::share::{SharedForm, SharedInput, SharedParts};
use super::shared;
use super::values::{input_parameter, input_reference, Use, Values};
use crate::argo::{
    Artifact, Container, Inputs, Metadata, Outputs, Parameter, RawArtifact, ResourceTemplate, Template, Text,
    ValueFrom, VolumeMount,
};
use crate::component::Component;
use crate::dsl::{Arg, ContainerOp, Op, RecordedTask, ResourceOp};
use crate::error::{Error, Result};
use crate::names::UniqueNames;
use crate::names::{input_path, k8s_name, output_name, ui_artifact};
use crate::wire::json::to_json;

/// A task's template and the values it reads.
pub(super) struct LoweredOp {
    pub(super) template: Template,
    pub(super) uses: Vec<Use>,
    /// The input parameters the container reads as text, when known without
    /// scanning the template: a component's program is long and never holds a
    /// placeholder, so the rewrite takes this list instead of searching it.
    pub(super) read_as_text: Option<Vec<String>>,
    /// The task's part of a shared template, when it may share one.
    pub(super) shared: Option<SharedForm>,
}

/// What the compiler derives once per component, shared by all its tasks.
pub(super) struct ComponentFacts {
    component: Arc<Component>,
    /// The pod metadata every task of the component has: the component's own
    /// annotations and labels, then the compiler's (spec, reference, SDK labels).
    metadata: Metadata,
    /// The container command when it is all literal text (a function
    /// component's program): every task has the same.
    literal_command: Option<Vec<Text>>,
    /// Command lines resolved for the tasks, by the inputs they pass (a bit per
    /// input), when tasks passing the same inputs resolve alike
    /// ([`Resolved::shareable`]) and the component has at most 64 inputs.
    resolved: Option<RefCell<HashMap<u64, Rc<Resolved>>>>,
    /// The shared template's command line, by the inputs the tasks pass (as `resolved`).
    shared: RefCell<HashMap<u64, Rc<SharedParts>>>,
}

impl ComponentFacts {
    pub(super) fn new(component: &Arc<Component>) -> Result<Self> {
        let name = component.spec.display_name();
        let spec_value = serde_json::to_value(&component.spec).map_err(|e| serialize_error(name, e))?;
        let spec_json = to_json(&spec_value)
            .map_err(|message| Error::Serialize { what: format!("component `{name}`"), message })?;
        let ref_json = to_json(&component.reference)
            .map_err(|message| Error::Serialize { what: format!("component `{name}` reference"), message })?;
        let literal_command = (component.spec.implementation.container.literal_command())
            .map(|command| command.into_iter().map(Text::from).collect());
        let metadata = component_metadata(component, spec_json.into(), ref_json.into());
        let shareable = component.spec.inputs.len() <= 64 && Resolved::shareable(&component.spec);
        let resolved = shareable.then(RefCell::default);
        let shared = RefCell::default();
        Ok(ComponentFacts { component: Arc::clone(component), metadata, literal_command, resolved, shared })
    }

    /// Task `task`'s command line, given its arguments' texts (`None`: absent).
    fn resolve(&self, task: &str, texts: &[Option<String>], problems: &mut Vec<String>) -> Rc<Resolved> {
        let command = self.literal_command.is_none();
        let resolver = Resolver { task, spec: &self.component.spec, values: texts, command };
        let Some(cache) = &self.resolved else { return Rc::new(resolver.resolve(problems)) };
        let present = present_bits(texts);
        if let Some(found) = cache.borrow().get(&present) {
            return Rc::clone(found);
        }
        let before = problems.len();
        let resolved = Rc::new(resolver.resolve(problems));
        // Problems name their task: a later task resolves again, and reports its own.
        if problems.len() == before {
            cache.borrow_mut().insert(present, Rc::clone(&resolved));
        }
        resolved
    }
}

/// A bit per input, set for each the task passes (at most 64 inputs): tasks
/// passing the same inputs resolve alike.
fn present_bits(texts: &[Option<String>]) -> u64 {
    texts.iter().enumerate().fold(0u64, |bits, (at, text)| bits | u64::from(text.is_some()) << at)
}

/// The component's own pod annotations and labels, then the compiler's.
fn component_metadata(component: &Component, spec_json: Text, ref_json: Text) -> Metadata {
    let own = component.spec.metadata.clone().unwrap_or_default();
    let text = |(key, value): (String, String)| (Text::from(key), Text::from(value));
    let mut annotations: BTreeMap<Text, Text> = own.annotations.unwrap_or_default().into_iter().map(text).collect();
    let mut labels: BTreeMap<Text, Text> = own.labels.unwrap_or_default().into_iter().map(text).collect();
    if annotations.get("volatile_component").is_some_and(|volatile| volatile == "true") {
        // kfp turns caching off for volatile components.
        annotations.insert("pipelines.kubeflow.org/max_cache_staleness".into(), "P0D".into());
    }
    annotations.insert(shared::component_spec_key(), spec_json);
    annotations.insert(shared::component_ref_key(), ref_json);
    labels.extend(base_labels());
    Metadata { annotations, labels }
}

fn serialize_error(name: &str, error: serde_json::Error) -> Error {
    Error::Serialize { what: format!("component `{name}`"), message: error.to_string() }
}

/// The `X` of each `{{inputs.parameters.X}}` in `text`.
fn collect_input_references(text: &str, found: &mut Vec<String>) {
    const OPEN: &str = "{{inputs.parameters.";
    // Built once: `memmem::find` builds a searcher per call, which costs more than these searches.
    static FINDER: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(OPEN));
    let mut rest = text;
    while let Some(start) = FINDER.find(rest.as_bytes()) {
        let after = &rest[start + OPEN.len()..];
        // A `}` is rare in a value: finding it costs less than setting up a `"}}"` search.
        let closing = memchr::memchr_iter(b'}', after.as_bytes()).find(|&i| after.as_bytes().get(i + 1) == Some(&b'}'));
        let Some(end) = closing else { break };
        found.push(after[..end].to_owned());
        rest = &after[end + 2..];
    }
}

/// Whether `text` holds `{{inputs.parameters.<name>}}` (without writing it out:
/// every value of every task is tested).
fn references_input(text: &str, name: &str) -> bool {
    const OPEN: &str = "{{inputs.parameters.";
    static FINDER: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new(OPEN));
    FINDER.find_iter(text.as_bytes()).any(|start| {
        let after = &text.as_bytes()[start + OPEN.len()..];
        after.starts_with(name.as_bytes()) && after[name.len()..].starts_with(b"}}")
    })
}

/// The template of task `name`; problems go to `problems`. With `share`, a
/// component task whose settings and volumes embed no pipeline value also
/// gets its [`SharedForm`].
pub(super) fn lower_op(
    name: &str,
    task: &RecordedTask,
    facts: Option<&ComponentFacts>,
    values: &Values<'_>,
    share: bool,
    problems: &mut Vec<String>,
) -> Result<LoweredOp> {
    let (mut lowered, embeds_values) = match (&task.op, facts) {
        (Op::Component { component, args }, Some(facts)) => {
            // A value in a setting is an input of the task's own template: such a task keeps one.
            let share = share && task.pvolumes.is_empty() && !task.settings.embeds_values();
            (component_op(name, component, args, facts, values, share, problems)?, false)
        }
        (Op::Container(op), _) => (container_op(name, op), true),
        (Op::Resource(op), _) => (resource_op(name, op, values, problems), true),
        (Op::Component { .. }, None) => unreachable!("component tasks come with their facts"),
        (Op::Pipeline { .. }, _) => unreachable!("`compile` refuses pipelines called as tasks before lowering"),
        (Op::Importer(_), _) => unreachable!("`compile` refuses importers before lowering"),
    };
    settings::apply(&task.settings, &mut lowered.template);
    mount_pvolumes(name, task, values, &mut lowered.template, problems);
    if embeds_values || task.settings.embeds_values() || !task.pvolumes.is_empty() {
        resolve_markers(&mut lowered, values, problems);
        lowered.read_as_text = None;
    }
    if task.settings.embeds_values() {
        if let Err(problem) = settings::patch_run_time_values(&mut lowered.template) {
            problems.push(format!("task `{name}`: the pod spec patch: {problem}"));
        }
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

/// The manifest's text; a value YAML cannot hold (none of JSON's can) is a problem, not a panic.
fn yaml_document(manifest: &serde_json::Value, template: &str, problems: &mut Vec<String>) -> String {
    crate::argo::yaml_document(manifest).unwrap_or_else(|error| {
        problems.push(format!("the manifest of `{template}` cannot be written as YAML: {error}"));
        String::new()
    })
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

fn base_labels() -> BTreeMap<Text, Text> {
    BTreeMap::from([(shared::sdk_version_key(), shared::sdk_version()), (shared::sdk_type_key(), shared::sdk_type())])
}

fn input_parameters(uses: &[Use]) -> Vec<Parameter> {
    let mut names: Vec<&String> = uses.iter().map(|found| &found.full_name).collect();
    names.sort_unstable();
    names.dedup();
    names.into_iter().map(Parameter::named).collect()
}

/// Output parameters and artifacts `name-output` read from `path` of each output.
///
/// Outputs named `mlpipeline-ui-metadata` and `mlpipeline-metrics` (any case,
/// any punctuation: `mlpipeline_metrics`) are what KFP's UI reads: kfp keeps them
/// artifacts under exactly that name, without a parameter.
fn outputs(name: &str, outputs: impl Iterator<Item = (String, String)>) -> Outputs {
    // Sized up front: a template per task keeps these lists for the whole compile.
    let most = outputs.size_hint().1.unwrap_or(0);
    let mut parameters = Vec::with_capacity(most);
    let mut artifacts = Vec::with_capacity(most);
    for (output, path) in outputs {
        if let Some(ui) = ui_artifact(&output) {
            artifacts.push(Artifact { name: ui.to_owned(), path: Some(path), ..Artifact::default() });
            continue;
        }
        let full_name = output_name(name, &output);
        parameters.push(Parameter {
            value_from: Some(Box::new(ValueFrom { path: Some(path.clone()), ..ValueFrom::default() })),
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
        container: Some(Box::new(Container {
            image: Some(op.image.clone()),
            command: (!op.command.is_empty()).then(|| op.command.iter().map(|item| item.as_str().into()).collect()),
            args: (!op.arguments.is_empty()).then(|| op.arguments.clone()),
            ..Container::default()
        })),
        inputs: Inputs { artifacts, ..Inputs::default() },
        outputs: outputs(name, op.file_outputs.iter().cloned()),
        metadata: Metadata { annotations: BTreeMap::new(), labels: base_labels() },
        ..Template::default()
    };
    LoweredOp { template, uses: Vec::new(), read_as_text: None, shared: None }
}

/// A resource op's template (kfp's `_op_to_template` for a `ResourceOp`): the
/// manifest, its values resolved, as YAML (Argo parses it; kfp's PyYAML text and
/// ours read as the same document); outputs read by JSON path.
fn resource_op(name: &str, op: &ResourceOp, values: &Values<'_>, problems: &mut Vec<String>) -> LoweredOp {
    let mut uses = Vec::new();
    let mut manifest = op.manifest.clone();
    if op.name_per_run {
        if let Some(serde_json::Value::String(resource)) = manifest.pointer_mut("/metadata/name") {
            // kfp 1.8's `{{workflow.name}}-` before a volume op's claim and a snapshot op's snapshot.
            *resource = format!("{{{{workflow.name}}}}-{resource}");
        }
    }
    substitute_all(&mut manifest, values, &mut uses, problems);
    let mut parameters: Vec<Parameter> = op
        .attribute_outputs
        .iter()
        .map(|(output, json_path)| Parameter {
            value_from: Some(Box::new(ValueFrom { json_path: Some(json_path.clone()), ..ValueFrom::default() })),
            ..Parameter::named(format!("{name}-{output}"))
        })
        .collect();
    parameters.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    let template = Template {
        name: name.to_owned(),
        resource: Some(Box::new(ResourceTemplate {
            action: op.action.clone(),
            manifest: Some(yaml_document(&manifest, name, problems)),
            success_condition: op.success_condition.clone(),
            failure_condition: op.failure_condition.clone(),
            merge_strategy: op.merge_strategy.clone(),
            set_owner_reference: op.set_owner_reference,
            flags: op.flags.clone().unwrap_or_default(),
            ..ResourceTemplate::default()
        })),
        outputs: Outputs { parameters, ..Outputs::default() },
        metadata: Metadata { annotations: BTreeMap::new(), labels: base_labels() },
        ..Template::default()
    };
    LoweredOp { template, uses, read_as_text: None, shared: None }
}

/// Writes the task's `pvolumes` into its template as kfp's `add_pvolumes` does:
/// one volume (sorted by name, as kfp sorts them) and one mount each. Values in
/// them are still markers.
fn mount_pvolumes(
    name: &str,
    task: &RecordedTask,
    values: &Values<'_>,
    template: &mut Template,
    problems: &mut Vec<String>,
) {
    if task.pvolumes.is_empty() {
        return;
    }
    let Some(container) = template.container.as_mut() else {
        problems.push(format!("task `{name}`: only container steps mount volumes"));
        return;
    };
    for mounted in &task.pvolumes {
        let mut volume = mounted.volume.volume.clone();
        if let Some(producer) = mounted.volume.named_by {
            match values.task_names.get(producer as usize) {
                Some(producer) if mounted.volume.recording == values.recording => volume.name = producer.clone(),
                _ => {
                    problems
                        .push(format!("task `{name}` mounts the volume of a task that is not part of this pipeline"));
                    continue;
                }
            }
        }
        if volume.name.is_empty() {
            problems.push(format!("task `{name}`: the volume mounted at `{}` has no name", mounted.mount_path));
            continue;
        }
        container.volume_mounts.get_or_insert_with(Vec::new).push(VolumeMount {
            name: volume.name.clone(),
            mount_path: mounted.mount_path.clone(),
            ..VolumeMount::default()
        });
        // The same volume mounted twice (at two paths) is declared once: Kubernetes
        // refuses duplicate volume names.
        match template.volumes.iter().find(|existing| existing.name == volume.name) {
            Some(existing) if *existing == volume => {}
            Some(_) => problems.push(format!(
                "task `{name}` mounts two different volumes named `{}`: give them different names",
                volume.name
            )),
            None => template.volumes.push(volume),
        }
    }
    template.volumes.sort_by(|a, b| a.name.cmp(&b.name));
}

fn component_op(
    name: &str,
    component: &Component,
    args: &[Arg],
    facts: &ComponentFacts,
    values: &Values<'_>,
    share: bool,
    problems: &mut Vec<String>,
) -> Result<LoweredOp> {
    let spec = &component.spec;
    let mut uses = Vec::new();
    // Per input: the text standing for its value (an input left out takes its default).
    let texts: Vec<Option<String>> = spec
        .inputs
        .iter()
        .zip(args)
        .map(|(input, arg)| match arg {
            Arg::Absent => input.default.as_ref().map(|default| default.to_kfp_string()),
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
        })
        .collect();
    let resolved = facts.resolve(name, &texts, problems);
    // An `if` on a value resolves differently for each value: no placeholder can stand for it.
    let shared = (share && facts.resolved.is_some())
        .then(|| shared_form(name, facts, &texts, &resolved, problems))
        .transpose()?;

    let mut read_as_text = Vec::new();
    let mut artifacts = Vec::new();
    let mut argument_values: Vec<(&str, &str)> = Vec::new();
    for (position, (input, text)) in spec.inputs.iter().zip(&texts).enumerate() {
        let Some(text) = text else { continue };
        let by_value = resolved.by_value[position];
        if by_value {
            collect_input_references(text, &mut read_as_text);
            argument_values.push((&input.name, text));
        } else if resolved.by_path[position] {
            // kfp's rewrite: a file input holding exactly one parameter passes it
            // as an artifact; any other text reads its parameters as text.
            let one_parameter = text.starts_with("{{inputs.parameters.") && text.matches("{{").count() == 1;
            if !one_parameter || !text.ends_with("}}") {
                collect_input_references(text, &mut read_as_text);
            }
            artifacts.push(Artifact {
                name: k8s_name(&input.name),
                path: Some(input_path(&input.name)),
                raw: Some(RawArtifact { data: text.clone() }),
                ..Artifact::default()
            });
        }
    }
    artifacts.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    // Values the command line never reads are not inputs of the container.
    let read: Vec<&str> = (texts.iter().enumerate())
        .filter(|&(position, _)| resolved.by_value[position] || resolved.by_path[position])
        .filter_map(|(_, text)| text.as_deref())
        .collect();
    uses.retain(|found| read.iter().any(|text| references_input(text, &found.full_name)));

    let mut metadata = facts.metadata.clone();
    if !argument_values.is_empty() {
        let json = arguments_json(&mut argument_values)
            .map_err(|message| Error::Serialize { what: format!("arguments of task `{name}`"), message })?;
        metadata.annotations.insert(shared::arguments_key(), json.into());
    }
    let container_spec = &spec.implementation.container;
    // kfp writes no `env` for a component's empty one.
    let env = container_spec.env.as_ref().filter(|env| !env.is_empty()).map(|env| {
        env.iter()
            .map(|(name, value)| EnvVar { name: name.clone(), value: Some(value.clone()), ..EnvVar::default() })
            .collect()
    });
    let written = spec
        .outputs
        .iter()
        .zip(&resolved.outputs)
        .filter_map(|(output, path)| Some((output.name.clone(), path.clone()?)));
    let template = Template {
        name: name.to_owned(),
        container: Some(Box::new(Container {
            image: Some(container_spec.image.clone()),
            // kfp writes both lists, empty ones too (`args: []`).
            command: Some(match &facts.literal_command {
                Some(command) => command.clone(),
                None => resolve::fill(&resolved.command, &texts).into_iter().map(Text::from).collect(),
            }),
            args: Some(resolve::fill(&resolved.args, &texts)),
            env,
            ..Container::default()
        })),
        inputs: Inputs { artifacts, ..Inputs::default() },
        outputs: outputs(name, written),
        metadata,
        ..Template::default()
    };
    Ok(LoweredOp { template, uses, read_as_text: Some(read_as_text), shared })
}

/// Task `name`'s part of a shared template: the inputs it passes, and the
/// command line with an input parameter in place of each.
fn shared_form(
    name: &str,
    facts: &ComponentFacts,
    texts: &[Option<String>],
    resolved: &Resolved,
    problems: &mut Vec<String>,
) -> Result<SharedForm> {
    let present = present_bits(texts);
    let found = facts.shared.borrow().get(&present).cloned();
    let parts = match found {
        Some(parts) => parts,
        None => {
            let parts = Rc::new(shared_parts(name, facts, texts, problems)?);
            facts.shared.borrow_mut().insert(present, Rc::clone(&parts));
            parts
        }
    };
    let inputs = (texts.iter().enumerate())
        .filter_map(|(position, text)| {
            let text = text.as_ref()?;
            let by_path = resolved.by_path[position];
            Some(SharedInput { position, text: text.clone(), by_value: resolved.by_value[position], by_path })
        })
        .collect();
    Ok(SharedForm { component: Arc::as_ptr(&facts.component) as usize, parts, inputs })
}

/// What the tasks passing the inputs `texts` has (`Some`) share: a parameter
/// named after each input, and the command line and arguments annotation reading them.
fn shared_parts(
    name: &str,
    facts: &ComponentFacts,
    texts: &[Option<String>],
    problems: &mut Vec<String>,
) -> Result<SharedParts> {
    let spec = &facts.component.spec;
    let mut unique = UniqueNames::default();
    let names: Vec<Option<String>> = (spec.inputs.iter().zip(texts).enumerate())
        .map(|(position, (input, text))| {
            text.as_ref()?;
            Some(match k8s_name(&input.name) {
                base if base.is_empty() => unique.unique(&format!("input-{position}")),
                base => unique.unique(&base),
            })
        })
        .collect();
    let placeholders: Vec<Option<String>> = names.iter().map(|name| name.as_deref().map(input_parameter)).collect();
    // Tasks passing the same inputs resolve alike: this is the cached resolution.
    let general = facts.resolve(name, &placeholders, problems);
    let mut argument_values: Vec<(&str, &str)> = (spec.inputs.iter().zip(&placeholders).enumerate())
        .filter(|&(position, _)| general.by_value[position])
        .filter_map(|(_, (input, placeholder))| Some((input.name.as_str(), placeholder.as_deref()?)))
        .collect();
    let arguments = match argument_values.is_empty() {
        true => None,
        false => Some(Text::from(
            arguments_json(&mut argument_values)
                .map_err(|message| Error::Serialize { what: format!("arguments of task `{name}`"), message })?,
        )),
    };
    let paths = (spec.inputs.iter().enumerate())
        .map(|(position, input)| general.by_path[position].then(|| input_path(&input.name)))
        .collect();
    Ok(SharedParts {
        command: match &facts.literal_command {
            Some(_) => None,
            None => Some(resolve::fill(&general.command, &placeholders).into_iter().map(Text::from).collect()),
        },
        args: resolve::fill(&general.args, &placeholders),
        arguments,
        names,
        paths,
    })
}

/// The `arguments.parameters` annotation: kfp's `json.dumps(arguments,
/// sort_keys=True)` of the values passed by value. Written here rather than by
/// [`to_json`], which builds a JSON tree first: this runs once per task.
fn arguments_json(values: &mut [(&str, &str)]) -> std::result::Result<String, String> {
    values.sort_unstable_by_key(|(input, _)| *input);
    // Quotes, `": "` and `", "` take 6 bytes an entry; escapes may take more.
    let mut json =
        String::with_capacity(2 + values.iter().map(|(input, value)| input.len() + value.len() + 6).sum::<usize>());
    json.push('{');
    for (i, (input, value)) in values.iter().enumerate() {
        if i > 0 {
            json.push_str(", ");
        }
        push_json_string(&mut json, input)?;
        json.push_str(": ");
        push_json_string(&mut json, value)?;
    }
    json.push('}');
    Ok(json)
}

/// `text` as a JSON string; printable ASCII without `"` or `\` needs no escape.
fn push_json_string(json: &mut String, text: &str) -> std::result::Result<(), String> {
    // One table lookup a byte: every argument of every task passes here.
    static PLAIN: [bool; 256] = {
        let mut plain = [false; 256];
        let mut b = b' ';
        while b <= b'~' {
            plain[b as usize] = b != b'"' && b != b'\\';
            b += 1;
        }
        plain
    };
    if text.bytes().all(|b| PLAIN[b as usize]) {
        json.push('"');
        json.push_str(text);
        json.push('"');
    } else {
        json.push_str(&to_json(text)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
