//! One task's template, as kfp's `_op_to_template` writes it before the data
//! passing rewrite: every value the task reads is an input parameter, every
//! output both a parameter and an artifact ([`super::rewrite`] prunes them).

use std::collections::{BTreeMap, HashSet};

use super::resolve::Resolver;
use super::settings;
use super::values::{input_reference, Use, Values};
use super::SDK_VERSION;
use crate::argo::{
    Artifact, Container, Inputs, Metadata, Outputs, Parameter, RawArtifact, ResourceTemplate, Template, ValueFrom,
    VolumeMount,
};
use crate::component::Component;
use crate::dsl::{Arg, ContainerOp, Op, RecordedTask, ResourceOp};
use crate::error::{Error, Result};
use crate::spec::Placeholder;
use crate::wire::json::to_json;

pub(super) const SDK_VERSION_KEY: &str = "pipelines.kubeflow.org/kfp_sdk_version";

/// A task's template and the values it reads.
pub(super) struct LoweredOp {
    pub(super) template: Template,
    pub(super) uses: Vec<Use>,
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
        (Op::Resource(op), _) => (resource_op(name, op, values, problems), true),
        (Op::Component { .. }, None) => unreachable!("component tasks come with their facts"),
    };
    settings::apply(&task.settings, &mut lowered.template);
    mount_pvolumes(name, task, values, &mut lowered.template, problems);
    if embeds_values || task.settings.embeds_values() || !task.pvolumes.is_empty() {
        resolve_markers(&mut lowered, values, problems);
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
    LoweredOp { template, uses: Vec::new() }
}

/// A resource op's template (kfp's `_op_to_template` for a `ResourceOp`): the
/// manifest, its values resolved, written as PyYAML writes it; outputs read by
/// JSON path.
fn resource_op(name: &str, op: &ResourceOp, values: &Values<'_>, problems: &mut Vec<String>) -> LoweredOp {
    let mut uses = Vec::new();
    let mut manifest = op.manifest.clone();
    substitute_all(&mut manifest, values, &mut uses, problems);
    let mut parameters: Vec<Parameter> = op
        .attribute_outputs
        .iter()
        .map(|(output, json_path)| Parameter {
            value_from: Some(ValueFrom { json_path: Some(json_path.clone()), ..ValueFrom::default() }),
            ..Parameter::named(format!("{name}-{output}"))
        })
        .collect();
    parameters.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    let template = Template {
        name: name.to_owned(),
        resource: Some(ResourceTemplate {
            action: op.action.clone(),
            manifest: Some(super::pyyaml::dump(&manifest)),
            success_condition: op.success_condition.clone(),
            failure_condition: op.failure_condition.clone(),
            merge_strategy: op.merge_strategy.clone(),
            set_owner_reference: op.set_owner_reference,
            flags: op.flags.clone().unwrap_or_default(),
            ..ResourceTemplate::default()
        }),
        outputs: Outputs { parameters, ..Outputs::default() },
        metadata: Metadata { annotations: BTreeMap::new(), labels: base_labels() },
        ..Template::default()
    };
    LoweredOp { template, uses }
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
    problems: &mut Vec<String>,
) -> Result<LoweredOp> {
    let spec = &component.spec;
    let mut uses = Vec::new();
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
    Ok(LoweredOp { template, uses })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::argo::Workflow;
    use crate::dsl::{record, ContainerOp, PipelineInfo, ResourceOp, VolumeOp};
    use crate::Compiler;

    fn compile(body: impl FnOnce()) -> Workflow {
        let recorded = record(PipelineInfo::new("p"), body).unwrap();
        Compiler::new().compile_recorded(&recorded).unwrap()
    }

    #[test]
    fn resource_templates_carry_every_setting() {
        let workflow = compile(|| {
            let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "my-job"}});
            let op = ResourceOp::new("apply job", job.clone())
                .action("apply")
                .merge_strategy("merge")
                .success_condition("status.succeeded > 0")
                .failure_condition("status.failed > 3")
                .set_owner_reference(true)
                .attribute_output("phase", "{.status.phase}")
                .add();
            assert_eq!(op.output().to_string(), op.outputs().get("phase").to_string());
            ResourceOp::new("delete job", job).action("delete").add();
        });
        let template = workflow.spec.templates.iter().find(|t| t.name == "apply-job").unwrap();
        let resource = template.resource.as_ref().unwrap();
        assert_eq!(resource.action, "apply");
        assert_eq!(resource.merge_strategy.as_deref(), Some("merge"));
        assert_eq!(resource.success_condition.as_deref(), Some("status.succeeded > 0"));
        assert_eq!(resource.failure_condition.as_deref(), Some("status.failed > 3"));
        assert_eq!(resource.set_owner_reference, Some(true));
        assert_eq!(resource.manifest.as_deref(), Some("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: my-job\n"));
        let outputs: Vec<(&str, &str)> = template
            .outputs
            .parameters
            .iter()
            .map(|p| (p.name.as_str(), p.value_from.as_ref().unwrap().json_path.as_deref().unwrap()))
            .collect();
        assert_eq!(
            outputs,
            [
                ("apply-job-manifest", "{}"),
                ("apply-job-name", "{.metadata.name}"),
                ("apply-job-phase", "{.status.phase}")
            ]
        );
        let delete = workflow.spec.templates.iter().find(|t| t.name == "delete-job").unwrap();
        assert_eq!(delete.resource.as_ref().unwrap().flags, ["--wait=false"]);
        assert!(delete.outputs.parameters.is_empty());
    }

    #[test]
    fn kfp_refusals_are_reported() {
        let error = record(PipelineInfo::new("p"), || {
            ResourceOp::new("a", json!({})).merge_strategy("merge").add();
            ResourceOp::new("b", json!({})).action("delete").success_condition("x").add();
            VolumeOp::new("c", "claim", "ten gigs").add();
        })
        .unwrap_err()
        .to_string();
        assert!(error.contains("merge strategy needs the `apply` action"), "{error}");
        assert!(error.contains("a `delete` has no success"), "{error}");
        assert!(error.contains("not a memory string"), "{error}");
    }

    #[test]
    fn a_volume_mounted_twice_is_declared_once() {
        let workflow = compile(|| {
            let vop = VolumeOp::new("Create PVC", "my pvc", "1Gi").add();
            ContainerOp::new("step", "alpine").pvolume("/a", vop.volume()).pvolume("/b", vop.volume()).add();
        });
        let step = workflow.spec.templates.iter().find(|t| t.name == "step").unwrap();
        assert_eq!(step.volumes.len(), 1);
        assert_eq!(step.volumes[0].name, "create-pvc");
        let claim = step.volumes[0].persistent_volume_claim.as_ref().unwrap();
        assert_eq!(claim.claim_name, "{{inputs.parameters.create-pvc-name}}");
        let mounts = step.container.as_ref().unwrap().volume_mounts.as_ref().unwrap();
        assert_eq!(mounts.iter().map(|m| m.mount_path.as_str()).collect::<Vec<_>>(), ["/a", "/b"]);
        let pvc = workflow.spec.templates.iter().find(|t| t.name == "create-pvc").unwrap();
        assert!(pvc.resource.as_ref().unwrap().manifest.as_deref().unwrap().contains("'{{workflow.name}}-my-pvc'"));
    }
}
