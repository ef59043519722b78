//! Lowering a recorded pipeline to the Workflow kfp 1.8 would write for it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use k8s_openapi::api::core::v1::EnvVar;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::names::{sanitize, UniqueNames};
use super::resolve::{input_path, k8s_name, Resolved, Resolver};
use super::settings;
use super::SDK_VERSION;
use crate::argo::{
    Arguments, Artifact, Container, DagTask, DagTemplate, Inputs, Metadata, Outputs, Parameter, RawArtifact, Template,
    ValueFrom, Workflow, WorkflowSpec,
};
use crate::component::Component;
use crate::dsl::{Arg, OutputRef, Recorded, RecordedTask};
use crate::error::{Error, Result};
use crate::wire::json::to_json;

const SDK_VERSION_KEY: &str = "pipelines.kubeflow.org/kfp_sdk_version";

/// What the compiler derives once per component, shared by all its tasks.
struct ComponentFacts {
    /// The `component_spec` annotation.
    spec_json: String,
    /// The `component_ref` annotation.
    ref_json: String,
}

impl ComponentFacts {
    fn new(component: &Component) -> Result<Self> {
        let name = component.spec.display_name();
        let spec_value = serde_json::to_value(&component.spec).map_err(|e| serialize_error(name, e))?;
        let spec_json = to_json(&spec_value)
            .map_err(|message| Error::Serialize { what: format!("component `{name}`"), message })?;
        let ref_json = to_json(&component.reference)
            .map_err(|message| Error::Serialize { what: format!("component `{name}` reference"), message })?;
        Ok(ComponentFacts { spec_json, ref_json })
    }
}

fn serialize_error(name: &str, error: serde_json::Error) -> Error {
    Error::Serialize { what: format!("component `{name}`"), message: error.to_string() }
}

/// The lowering of one pipeline.
struct Lowering<'a> {
    recorded: &'a Recorded,
    task_names: Vec<String>,
    facts: Vec<Arc<ComponentFacts>>,
    /// By task: the argument text of each input (defaults filled in).
    values: Vec<Vec<Option<String>>>,
    /// By task: its resolved command line.
    resolved: Vec<Resolved>,
    /// Task outputs read by value somewhere: they need an output parameter.
    consumed: HashSet<(u32, &'static str)>,
    problems: Vec<String>,
}

pub(super) fn lower(recorded: &Recorded, compilation_time: &str) -> Result<Workflow> {
    let info = &recorded.info;
    let pipeline_name = sanitize(&info.name).unwrap_or_else(|| "pipeline".to_owned());
    let mut unique = UniqueNames::default();
    unique.reserve(&pipeline_name);
    let task_names = recorded
        .tasks
        .iter()
        .map(|task| unique.unique(&sanitize(&task.component.spec.name).unwrap_or_else(|| "task".to_owned())))
        .collect();

    let mut by_component: HashMap<*const Component, Arc<ComponentFacts>> = HashMap::new();
    let mut facts = Vec::with_capacity(recorded.tasks.len());
    for task in &recorded.tasks {
        let key = Arc::as_ptr(&task.component);
        let fact = match by_component.get(&key) {
            Some(fact) => Arc::clone(fact),
            None => {
                let fact = Arc::new(ComponentFacts::new(&task.component)?);
                by_component.insert(key, Arc::clone(&fact));
                fact
            }
        };
        facts.push(fact);
    }

    let mut lowering = Lowering {
        recorded,
        task_names,
        facts,
        values: Vec::new(),
        resolved: Vec::new(),
        consumed: HashSet::new(),
        problems: Vec::new(),
    };
    lowering.check_params();
    lowering.resolve_all();
    lowering.find_consumed();
    let mut templates = Vec::with_capacity(recorded.tasks.len() + 1);
    let mut dag_tasks = Vec::with_capacity(recorded.tasks.len());
    for (index, task) in recorded.tasks.iter().enumerate() {
        let (template, dag_task) = lowering.task(index, task)?;
        templates.push(template);
        dag_tasks.push(dag_task);
    }
    if !lowering.problems.is_empty() {
        return Err(Error::InvalidPipeline { pipeline: info.name.clone(), problems: lowering.problems });
    }
    let dag_tasks = sorted_by_name(dag_tasks, |task| &task.name);
    let mut root_inputs: Vec<Parameter> = info.params.iter().map(|param| Parameter::named(&param.name)).collect();
    root_inputs.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    templates.push(Template {
        name: pipeline_name.clone(),
        inputs: Inputs { parameters: root_inputs, ..Inputs::default() },
        dag: Some(DagTemplate { tasks: dag_tasks, ..DagTemplate::default() }),
        ..Template::default()
    });
    let templates = sorted_by_name(templates, |template| &template.name);

    let arguments = info
        .params
        .iter()
        .map(|param| Parameter { value: param.default.clone(), ..Parameter::named(&param.name) })
        .collect();
    let annotations = BTreeMap::from([
        (SDK_VERSION_KEY.to_owned(), SDK_VERSION.to_owned()),
        ("pipelines.kubeflow.org/pipeline_compilation_time".to_owned(), compilation_time.to_owned()),
        ("pipelines.kubeflow.org/pipeline_spec".to_owned(), pipeline_spec(recorded)?),
    ]);
    Ok(Workflow {
        metadata: ObjectMeta {
            generate_name: Some(format!("{pipeline_name}-")),
            annotations: Some(annotations),
            labels: Some(BTreeMap::from([(SDK_VERSION_KEY.to_owned(), SDK_VERSION.to_owned())])),
            ..ObjectMeta::default()
        },
        spec: WorkflowSpec {
            entrypoint: pipeline_name,
            templates,
            arguments: Arguments { parameters: arguments, ..Arguments::default() },
            service_account_name: Some("pipeline-runner".to_owned()),
            ..WorkflowSpec::default()
        },
        ..Workflow::default()
    })
}

/// The name of output `output` of task `task` as an Argo parameter or artifact:
/// `add-Output`, `produce-out-data` (kfp's `sanitize_k8s_name(.., True)` of the output).
fn output_param_name(task: &str, output: &str) -> String {
    format!("{task}-{}", k8s_name(output))
}

/// `items` ordered by name (names are unique). Sorts indexes, not the items: a
/// template is large, and sorting in place moved each one log(n) times.
fn sorted_by_name<T>(items: Vec<T>, name: impl Fn(&T) -> &String) -> Vec<T> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_unstable_by(|&a, &b| name(&items[a]).cmp(name(&items[b])));
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    let mut sorted = Vec::with_capacity(slots.len());
    sorted.extend(order.into_iter().filter_map(|index| slots[index].take()));
    sorted
}

/// The `pipeline_spec` annotation: name, description and typed inputs.
fn pipeline_spec(recorded: &Recorded) -> Result<String> {
    let info = &recorded.info;
    let inputs: Vec<serde_json::Value> = info
        .params
        .iter()
        .map(|param| {
            let mut input = serde_json::Map::new();
            input.insert("name".to_owned(), param.name.clone().into());
            input.insert("type".to_owned(), param.ty.type_name.into());
            if let Some(default) = &param.default {
                input.insert("default".to_owned(), default.clone().into());
                input.insert("optional".to_owned(), true.into());
            }
            serde_json::Value::Object(input)
        })
        .collect();
    let mut spec = serde_json::Map::new();
    spec.insert("name".to_owned(), info.name.clone().into());
    if let Some(description) = &info.description {
        spec.insert("description".to_owned(), description.clone().into());
    }
    if !inputs.is_empty() {
        spec.insert("inputs".to_owned(), inputs.into());
    }
    to_json(&spec).map_err(|message| Error::Serialize { what: "the pipeline spec".to_owned(), message })
}

impl Lowering<'_> {
    /// Pipeline parameter names become Argo parameter names as they are.
    fn check_params(&mut self) {
        for param in &self.recorded.info.params {
            let valid =
                !param.name.is_empty() && param.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !valid {
                self.problems.push(format!(
                    "pipeline parameter `{}`: Argo parameter names use only ASCII letters, digits, `_` and `-`; rename it",
                    param.name
                ));
            }
        }
    }

    /// The text each input of task `index` gets: a constant, the input's default,
    /// or the Argo reference to a parameter or an output; `None` when absent.
    fn argument_values(&self, index: usize) -> Vec<Option<String>> {
        let task = &self.recorded.tasks[index];
        let spec = &task.component.spec;
        spec.inputs
            .iter()
            .zip(&task.args)
            .map(|(input, arg)| match arg {
                Arg::Absent => input.default.as_ref().map(|default| default.to_kfp_string()),
                Arg::Constant(text) => Some(text.clone()),
                Arg::Param { index: param, .. } => self
                    .recorded
                    .info
                    .params
                    .get(*param as usize)
                    .map(|param| format!("{{{{inputs.parameters.{}}}}}", param.name)),
                Arg::Output(source) => self.task_names.get(source.task as usize).map(|source_task| {
                    format!("{{{{inputs.parameters.{}}}}}", output_param_name(source_task, source.name))
                }),
            })
            .collect()
    }

    /// Resolves every task's command line: what it reads by value decides the rest.
    fn resolve_all(&mut self) {
        for index in 0..self.recorded.tasks.len() {
            let values = self.argument_values(index);
            let resolver = Resolver {
                task: &self.task_names[index],
                spec: &self.recorded.tasks[index].component.spec,
                values: &values,
            };
            let resolved = resolver.resolve(&mut self.problems);
            self.values.push(values);
            self.resolved.push(resolved);
        }
    }

    fn find_consumed(&mut self) {
        for (index, task) in self.recorded.tasks.iter().enumerate() {
            for arg in &task.args {
                if let Arg::Output(source) = arg {
                    self.check_written(source, index);
                }
            }
        }
        for (task, resolved) in self.recorded.tasks.iter().zip(&self.resolved) {
            for (arg, by_value) in task.args.iter().zip(&resolved.by_value) {
                if let (Arg::Output(source), true) = (arg, by_value) {
                    self.consumed.insert((source.task, source.name));
                }
            }
        }
    }

    /// Whether task `source.task` writes output `source.name`; a problem if it does not.
    fn check_written(&mut self, source: &OutputRef, reader: usize) {
        let (Some(task), Some(resolved)) =
            (self.recorded.tasks.get(source.task as usize), self.resolved.get(source.task as usize))
        else {
            return;
        };
        let spec = &task.component.spec;
        let written = spec
            .outputs
            .iter()
            .position(|output| output.name == source.name)
            .is_some_and(|position| resolved.outputs[position].is_some());
        if !written {
            let available: Vec<String> = spec
                .outputs
                .iter()
                .zip(&resolved.outputs)
                .filter(|(_, path)| path.is_some())
                .map(|(output, _)| format!("`{}`", output.name))
                .collect();
            self.problems.push(format!(
                "task `{}` reads output `{}` of task `{}`, which its command line does not write (it writes: {})",
                self.task_names[reader],
                source.name,
                self.task_names[source.task as usize],
                if available.is_empty() { "nothing".to_owned() } else { available.join(", ") }
            ));
        }
    }

    /// The task's name in the DAG, or a problem if the reference is foreign.
    fn source_task(&mut self, source: &OutputRef, reader: usize) -> Option<&str> {
        match self.task_names.get(source.task as usize) {
            Some(name) => Some(name),
            None => {
                self.problems.push(format!(
                    "task `{}` reads an output of a task that is not part of this pipeline",
                    self.task_names[reader]
                ));
                None
            }
        }
    }

    fn task(&mut self, index: usize, task: &RecordedTask) -> Result<(Template, DagTask)> {
        let name = self.task_names[index].clone();
        let facts = Arc::clone(&self.facts[index]);
        let spec = &task.component.spec;
        let resolved = std::mem::take(&mut self.resolved[index]);
        let values = std::mem::take(&mut self.values[index]);
        // Template input parameter name -> the DAG argument feeding it.
        let mut params: BTreeMap<String, String> = BTreeMap::new();
        let mut input_artifacts: BTreeMap<String, Artifact> = BTreeMap::new();
        let mut dag_artifacts: BTreeMap<String, Artifact> = BTreeMap::new();
        let mut dependencies: BTreeSet<String> = BTreeSet::new();

        for (position, (input, arg)) in spec.inputs.iter().zip(&task.args).enumerate() {
            let by_value = resolved.by_value[position];
            let by_path = resolved.by_path[position] && !by_value;
            let path = input_path(&input.name);
            match arg {
                Arg::Absent | Arg::Constant(_) => {
                    if let (true, Some(text)) = (by_path, &values[position]) {
                        let artifact_name = k8s_name(&input.name);
                        input_artifacts.insert(
                            artifact_name.clone(),
                            Artifact {
                                name: artifact_name,
                                path: Some(path),
                                raw: Some(RawArtifact { data: text.clone() }),
                                ..Artifact::default()
                            },
                        );
                    }
                }
                Arg::Param { index: param, .. } => {
                    let Some(param) = self.recorded.info.params.get(*param as usize) else {
                        self.problems.push(format!("task `{name}` reads a parameter of another pipeline"));
                        continue;
                    };
                    let param_name = param.name.clone();
                    let reference = format!("{{{{inputs.parameters.{param_name}}}}}");
                    if by_value || by_path {
                        params.insert(param_name.clone(), reference.clone());
                    }
                    if by_path {
                        let artifact_name = k8s_name(&input.name);
                        input_artifacts.insert(
                            artifact_name.clone(),
                            Artifact {
                                name: artifact_name,
                                path: Some(path),
                                raw: Some(RawArtifact { data: reference }),
                                ..Artifact::default()
                            },
                        );
                    }
                }
                Arg::Output(source) => {
                    let Some(source_task) = self.source_task(source, index).map(str::to_owned) else { continue };
                    dependencies.insert(source_task.clone());
                    let output_name = output_param_name(&source_task, source.name);
                    if by_value {
                        params.insert(
                            output_name.clone(),
                            format!("{{{{tasks.{source_task}.outputs.parameters.{output_name}}}}}"),
                        );
                    } else if by_path {
                        input_artifacts.insert(
                            output_name.clone(),
                            Artifact { name: output_name.clone(), path: Some(path), ..Artifact::default() },
                        );
                        dag_artifacts.insert(
                            output_name.clone(),
                            Artifact {
                                name: output_name.clone(),
                                from: Some(format!("{{{{tasks.{source_task}.outputs.artifacts.{output_name}}}}}")),
                                ..Artifact::default()
                            },
                        );
                    }
                }
            }
        }
        for after in &task.after {
            match self.task_names.get(*after as usize) {
                Some(other) => {
                    dependencies.insert(other.clone());
                }
                None => {
                    self.problems.push(format!("task `{name}` runs after a task that is not part of this pipeline"))
                }
            }
        }

        let container_spec = &spec.implementation.container;
        let Resolved { command, args, by_value, outputs: written, .. } = resolved;

        let mut argument_values = serde_json::Map::new();
        for ((input, value), by_value) in spec.inputs.iter().zip(&values).zip(&by_value) {
            if let (Some(value), true) = (value, by_value) {
                argument_values.insert(input.name.clone(), value.clone().into());
            }
        }

        let mut output_artifacts = Vec::with_capacity(spec.outputs.len());
        let mut output_params = Vec::new();
        for (output, path) in spec.outputs.iter().zip(written) {
            let Some(path) = path else { continue };
            let output_name = output_param_name(&name, &output.name);
            if self.consumed.contains(&(index as u32, output.name.as_str())) {
                output_params.push(Parameter {
                    value_from: Some(ValueFrom { path: Some(path.clone()), ..ValueFrom::default() }),
                    ..Parameter::named(&output_name)
                });
            }
            output_artifacts.push(Artifact { name: output_name, path: Some(path), ..Artifact::default() });
        }
        output_artifacts.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        output_params.sort_unstable_by(|a, b| a.name.cmp(&b.name));

        // The component's own pod annotations and labels (kfp's `add_pod_annotation`),
        // then the compiler's.
        let metadata = spec.metadata.clone().unwrap_or_default();
        let mut annotations = metadata.annotations.unwrap_or_default();
        let mut labels = metadata.labels.unwrap_or_default();
        if annotations.get("volatile_component").is_some_and(|volatile| volatile == "true") {
            // kfp turns caching off for volatile components.
            annotations.insert("pipelines.kubeflow.org/max_cache_staleness".to_owned(), "P0D".to_owned());
        }
        annotations.insert("pipelines.kubeflow.org/component_spec".to_owned(), facts.spec_json.clone());
        annotations.insert("pipelines.kubeflow.org/component_ref".to_owned(), facts.ref_json.clone());
        if !argument_values.is_empty() {
            let json = to_json(&argument_values)
                .map_err(|message| Error::Serialize { what: format!("arguments of task `{name}`"), message })?;
            annotations.insert("pipelines.kubeflow.org/arguments.parameters".to_owned(), json);
        }
        labels.insert(SDK_VERSION_KEY.to_owned(), SDK_VERSION.to_owned());
        labels.insert("pipelines.kubeflow.org/pipeline-sdk-type".to_owned(), "kfp".to_owned());
        let env = container_spec.env.as_ref().map(|env| {
            env.iter()
                .map(|(name, value)| EnvVar { name: name.clone(), value: Some(value.clone()), ..EnvVar::default() })
                .collect()
        });

        let mut template = Template {
            name: name.clone(),
            container: Some(Container {
                image: Some(container_spec.image.clone()),
                // kfp writes both lists, empty ones too (`args: []`).
                command: Some(command),
                args: Some(args),
                env,
                ..Container::default()
            }),
            inputs: Inputs {
                parameters: params.keys().map(Parameter::named).collect(),
                artifacts: input_artifacts.into_values().collect(),
            },
            outputs: Outputs { parameters: output_params, artifacts: output_artifacts, ..Outputs::default() },
            metadata: Metadata { annotations, labels },
            ..Template::default()
        };
        settings::apply(&task.settings, &mut template);
        let dag_task = DagTask {
            name: name.clone(),
            template: name,
            dependencies: dependencies.into_iter().collect(),
            arguments: Arguments {
                parameters: params.into_iter().map(|(name, value)| Parameter::with_value(name, value)).collect(),
                artifacts: dag_artifacts.into_values().collect(),
            },
            ..DagTask::default()
        };
        Ok((template, dag_task))
    }
}
