//! Lowering a recorded pipeline to the Workflow kfp 1.8 would write for it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::names::{sanitize, UniqueNames};
use super::resolve::Resolver;
use super::settings;
use super::SDK_VERSION;
use crate::argo::{
    Arguments, Artifact, Container, DagTask, DagTemplate, Inputs, Metadata, Outputs, Parameter, RawArtifact, Template,
    ValueFrom, Workflow, WorkflowSpec,
};
use crate::component::Component;
use crate::dsl::{Arg, OutputRef, Recorded, RecordedTask};
use crate::error::{Error, Result};
use crate::spec::Placeholder;
use crate::wire::json::to_json;

const SDK_VERSION_KEY: &str = "pipelines.kubeflow.org/kfp_sdk_version";

/// What the compiler derives once per component, shared by all its tasks.
struct ComponentFacts {
    /// The `component_spec` annotation.
    spec_json: String,
    /// The `component_ref` annotation.
    ref_json: String,
    /// Inputs the container reads by value (`inputValue`), by input index.
    by_value: Vec<bool>,
}

impl ComponentFacts {
    fn new(component: &Component) -> Result<Self> {
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

/// The lowering of one pipeline.
struct Lowering<'a> {
    recorded: &'a Recorded,
    task_names: Vec<String>,
    facts: Vec<Arc<ComponentFacts>>,
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

    let mut lowering = Lowering { recorded, task_names, facts, consumed: HashSet::new(), problems: Vec::new() };
    lowering.check_params();
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

    fn find_consumed(&mut self) {
        for (task, facts) in self.recorded.tasks.iter().zip(&self.facts) {
            for (arg, by_value) in task.args.iter().zip(&facts.by_value) {
                if let (Arg::Output(source), true) = (arg, by_value) {
                    self.consumed.insert((source.task, source.name));
                }
            }
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
        // Template input parameter name -> the DAG argument feeding it.
        let mut params: BTreeMap<String, String> = BTreeMap::new();
        let mut input_artifacts: BTreeMap<String, Artifact> = BTreeMap::new();
        let mut dag_artifacts: BTreeMap<String, Artifact> = BTreeMap::new();
        let mut dependencies: BTreeSet<String> = BTreeSet::new();
        // Input name -> resolved value text, for inputValue placeholders.
        let mut values: Vec<Option<String>> = Vec::with_capacity(spec.inputs.len());
        let mut paths: Vec<Option<String>> = Vec::with_capacity(spec.inputs.len());

        for ((input, arg), by_value) in spec.inputs.iter().zip(&task.args).zip(&facts.by_value) {
            let path = format!("/tmp/inputs/{}/data", file_name(&input.name));
            let (value, file) = match arg {
                Arg::Absent => (None, None),
                Arg::Constant(text) => {
                    if !by_value {
                        input_artifacts.insert(
                            input.name.clone(),
                            Artifact {
                                name: input.name.clone(),
                                path: Some(path.clone()),
                                raw: Some(RawArtifact { data: text.clone() }),
                                ..Artifact::default()
                            },
                        );
                    }
                    (Some(text.clone()), Some(path))
                }
                Arg::Param { index: param, .. } => {
                    let Some(param) = self.recorded.info.params.get(*param as usize) else {
                        self.problems.push(format!("task `{name}` reads a parameter of another pipeline"));
                        continue;
                    };
                    let param_name = param.name.clone();
                    let reference = format!("{{{{inputs.parameters.{param_name}}}}}");
                    params.insert(param_name.clone(), reference.clone());
                    if !by_value {
                        input_artifacts.insert(
                            input.name.clone(),
                            Artifact {
                                name: input.name.clone(),
                                path: Some(path.clone()),
                                raw: Some(RawArtifact { data: reference.clone() }),
                                ..Artifact::default()
                            },
                        );
                    }
                    (Some(reference), Some(path))
                }
                Arg::Output(source) => {
                    let Some(source_task) = self.source_task(source, index).map(str::to_owned) else { continue };
                    dependencies.insert(source_task.clone());
                    let output_name = format!("{source_task}-{}", source.name);
                    if *by_value {
                        params.insert(
                            output_name.clone(),
                            format!("{{{{tasks.{source_task}.outputs.parameters.{output_name}}}}}"),
                        );
                    } else {
                        input_artifacts.insert(
                            output_name.clone(),
                            Artifact { name: output_name.clone(), path: Some(path.clone()), ..Artifact::default() },
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
                    (Some(format!("{{{{inputs.parameters.{output_name}}}}}")), Some(path))
                }
            };
            values.push(value);
            paths.push(file);
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

        let resolve = Resolver { task: &name, spec, values: &values, paths: &paths };
        let container_spec = &spec.implementation.container;
        let mut problems = Vec::new();
        let command = resolve.all(&container_spec.command, &mut problems);
        let args = resolve.all(&container_spec.args, &mut problems);
        self.problems.extend(problems);

        let mut argument_values = serde_json::Map::new();
        for ((input, value), by_value) in spec.inputs.iter().zip(&values).zip(&facts.by_value) {
            if let (Some(value), true) = (value, by_value) {
                argument_values.insert(input.name.clone(), value.clone().into());
            }
        }

        let mut output_artifacts = Vec::with_capacity(spec.outputs.len());
        let mut output_params = Vec::new();
        for output in &spec.outputs {
            let output_name = format!("{name}-{}", output.name);
            let path = format!("/tmp/outputs/{}/data", file_name(&output.name));
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

        let mut annotations = BTreeMap::from([
            ("pipelines.kubeflow.org/component_spec".to_owned(), facts.spec_json.clone()),
            ("pipelines.kubeflow.org/component_ref".to_owned(), facts.ref_json.clone()),
        ]);
        if !argument_values.is_empty() {
            let json = to_json(&argument_values)
                .map_err(|message| Error::Serialize { what: format!("arguments of task `{name}`"), message })?;
            annotations.insert("pipelines.kubeflow.org/arguments.parameters".to_owned(), json);
        }
        let labels = BTreeMap::from([
            (SDK_VERSION_KEY.to_owned(), SDK_VERSION.to_owned()),
            ("pipelines.kubeflow.org/pipeline-sdk-type".to_owned(), "kfp".to_owned()),
        ]);

        let mut template = Template {
            name: name.clone(),
            container: Some(Container {
                image: Some(container_spec.image.clone()),
                command: (!command.is_empty()).then_some(command),
                args: (!args.is_empty()).then_some(args),
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
