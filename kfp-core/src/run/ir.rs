//! The KFP v2 front end: a pipeline IR file as the Workflow the engine runs, with v2's placeholders
//! resolved as kfp's launcher resolves them (`launcher_v2.go`): parameters as text (strings as they
//! are, other values as JSON), artifacts and output parameter files as local paths whose folders exist
//! before the command starts. Conditions (kfp's CEL) become `when`s, ParallelFor loops `withItems` or
//! `withParam` (a loop over artifacts, over the JSON list of their paths), and tasks triggered when all upstream tasks complete (exit tasks,
//! `ignore_upstream_failure`) are listed for the engine, which runs them however their upstream ended. What this slice cannot run yet is refused here, naming the task and the feature,
//! before anything starts.

mod artifact_list;
mod final_status;
mod importer;
mod optional;
mod placeholders;

pub(crate) use self::optional::root_artifacts;
pub(super) mod workspace;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::error::RunError;
use super::executor::{self, parameter_text, Executor};
use crate::argo::Workflow;
use crate::ir::{ComponentSpec, DagSpec, ParameterType, PipelineFile, PipelineTaskSpec, TriggerStrategy};

/// The name of the template of the pipeline's root DAG.
const ROOT: &str = "root";

/// A pipeline IR file as the engine runs it.
pub(crate) struct Lowered {
    pub(crate) workflow: Workflow,
    /// The tasks, as (template, task), that run once their upstream tasks end however they end.
    pub(crate) after_completion: HashSet<(String, String)>,
    /// The container templates that take kfp's executor input or write its output, by name.
    pub(crate) executors: HashMap<String, Executor>,
    /// Loops' outputs, as (template, output), whose iterations give text (KFP's STRING): collected
    /// as strings, where Argo reads each value that parses as JSON as JSON.
    pub(crate) text_outputs: HashSet<(String, String)>,
}

/// `file` as a Workflow, or every reason it cannot run here; `given` are the run's parameters, which
/// tell the optional pipeline inputs left out.
pub(crate) fn workflow(file: &PipelineFile, given: &[(String, String)]) -> Result<Lowered, RunError> {
    // The IR's own rules first, so a broken reference is named as the IR names it.
    let violations = crate::ir::rules::check(file);
    if !violations.is_empty() {
        return Err(RunError::IrInvalid(violations.iter().map(ToString::to_string).collect()));
    }
    let mut lowering = Lowering {
        file,
        templates: BTreeMap::new(),
        problems: Vec::new(),
        after_completion: HashSet::new(),
        executors: HashMap::new(),
        extra_tasks: BTreeMap::new(),
        text_outputs: HashSet::new(),
        absent: optional::absent_inputs(file, given),
        left_out_of_task: HashSet::new(),
    };
    let spec = &file.spec;
    if file.platform.as_ref().is_some_and(|platform| !platform.platforms.is_empty()) {
        lowering.problems.push(
            "the file has a platform spec (kfp-kubernetes settings: secrets, volumes, node selectors), which local runs of KFP v2 IR do not apply yet: compile without them".to_owned(),
        );
    }
    let arguments = match &spec.root {
        Some(root) => {
            lowering.dag_template(ROOT, root, "the pipeline", 0);
            optional::bound_by_the_run(lowering.templates.get_mut(ROOT));
            pipeline_arguments(root)
        }
        None => {
            lowering.problems.push("the file has no `root`: a pipeline IR file's root DAG is what runs".to_owned());
            Vec::new()
        }
    };
    if !lowering.problems.is_empty() {
        // A DAG component called from two places is checked twice: each problem once, in order.
        let mut seen = std::collections::HashSet::new();
        lowering.problems.retain(|problem| seen.insert(problem.clone()));
        return Err(RunError::IrUnsupported(lowering.problems));
    }
    let name = spec.pipeline_info.as_ref().map(|info| info.name.as_str()).filter(|name| !name.is_empty());
    let document = json!({
        "apiVersion": crate::argo::API_VERSION,
        "kind": crate::argo::KIND,
        "metadata": {"generateName": format!("{}-", name.unwrap_or("pipeline"))},
        "spec": {
            "entrypoint": ROOT,
            "arguments": {"parameters": arguments},
            "templates": lowering.templates.into_values().collect::<Vec<_>>(),
        },
    });
    let workflow =
        serde_json::from_value(document).map_err(|error| RunError::Malformed(format!("the IR's Workflow: {error}")))?;
    Ok(Lowered {
        workflow,
        after_completion: lowering.after_completion,
        executors: lowering.executors,
        text_outputs: lowering.text_outputs,
    })
}

/// The run's parameters `given` as the launcher reads them: a boolean written as Python writes
/// it (`True`, as `RunOptions::arg` writes a `bool`) is `true`.
pub(crate) fn launcher_params(file: &PipelineFile, given: &[(String, String)]) -> Vec<(String, String)> {
    let inputs = file.spec.root.as_ref().and_then(|root| root.input_definitions.as_ref());
    let boolean = |name: &str| {
        inputs.and_then(|inputs| inputs.parameters.get(name)).map(|p| p.parameter_type) == Some(ParameterType::Boolean)
    };
    let mut params: Vec<(String, String)> = given
        .iter()
        .filter(|(name, _)| !optional::is_root_artifact(file, name))
        .map(|(name, value)| match value.as_str() {
            "True" | "False" if boolean(name) => (name.clone(), value.to_ascii_lowercase()),
            _ => (name.clone(), value.clone()),
        })
        .collect();
    // A list of artifacts is the JSON list of their paths (`artifact_list`); its problems are
    // reported by `root_artifacts`, which runs first.
    params.extend(artifact_list::root_lists(file, given).0);
    params
}

/// The pipeline's parameters, with their defaults written as the launcher passes them.
fn pipeline_arguments(root: &ComponentSpec) -> Vec<Value> {
    let Some(inputs) = &root.input_definitions else { return Vec::new() };
    let parameters = inputs.parameters.iter().map(|(name, definition)| match &definition.default_value {
        Some(default) => json!({"name": name, "value": parameter_text(default)}),
        // An optional parameter without a default is kfp's `None`: empty text.
        None if definition.is_optional => json!({"name": name, "value": ""}),
        None => json!({"name": name}),
    });
    // A list of artifacts is a parameter, the JSON list of their paths (`artifact_list::root_lists`).
    let lists = inputs.artifacts.iter().filter(|(_, definition)| definition.is_artifact_list);
    let lists = lists.map(|(name, definition)| match definition.is_optional {
        true => json!({"name": name, "value": "[]"}),
        false => json!({"name": name}),
    });
    parameters.chain(lists).collect()
}

struct Lowering<'f> {
    file: &'f PipelineFile,
    templates: BTreeMap<String, Value>,
    problems: Vec<String>,
    after_completion: HashSet<(String, String)>,
    executors: HashMap<String, Executor>,
    /// Steps added to a DAG (by template) beside its tasks: those writing exit tasks' final status.
    extra_tasks: BTreeMap<String, Vec<Value>>,
    text_outputs: HashSet<(String, String)>,
    /// DAG inputs, as (template, input), that have no value: optional ones left out ([`optional`]).
    absent: HashSet<(String, String)>,
    /// The inputs of the task being lowered that it leaves out.
    left_out_of_task: HashSet<String>,
}

impl Lowering<'_> {
    fn unsupported(&mut self, task: &str, what: &str) {
        self.problems.push(format!(
            "task `{task}` uses {what}, which local runs of KFP v2 IR do not support yet: run the pipeline on a KFP cluster, or run its Argo Workflow (`kfp compile` without `--target v2`) with `kfp run-local`"
        ));
    }

    /// A DAG component as a DAG template named `name`, running at most `parallelism` tasks at once
    /// when positive (a ParallelFor's `parallelism`).
    fn dag_template(&mut self, name: &str, component: &ComponentSpec, owner: &str, parallelism: i32) {
        if self.templates.contains_key(name) {
            return;
        }
        let Some(dag) = &component.dag else {
            self.problems.push(format!("{owner} has no DAG"));
            return;
        };
        // Reserved first: a DAG is lowered once however many tasks call it.
        self.templates.insert(name.to_owned(), Value::Null);
        let mut tasks: Vec<Value> =
            dag.tasks.iter().filter_map(|(task_name, task)| self.dag_task(name, task_name, task)).collect();
        tasks.extend(self.extra_tasks.remove(name).unwrap_or_default());
        let outputs = dag_outputs(dag)
            .and_then(|mut outputs| artifact_list::list_outputs(self.file, component, &mut outputs).map(|()| outputs))
            .unwrap_or_else(|why| {
                self.problems.push(format!("{owner}: {why}"));
                json!({})
            });
        let mut template = json!({
            "name": name,
            "inputs": inputs(component, None),
            "outputs": outputs,
            "dag": {"tasks": tasks},
        });
        if parallelism > 0 {
            template["parallelism"] = json!(parallelism);
        }
        self.templates.insert(name.to_owned(), template);
    }

    /// Task `name` of the DAG template `dag`.
    fn dag_task(&mut self, dag: &str, name: &str, task: &PipelineTaskSpec) -> Option<Value> {
        let component_name = task.component_ref.as_ref().map(|r| r.name.as_str()).unwrap_or_default();
        let Some(component) = self.file.spec.component(component_name) else {
            self.problems
                .push(format!("task `{name}` calls component `{component_name}`, which the file does not define"));
            return None;
        };
        // An exit task, or one with `ignore_upstream_failure`.
        if task.trigger_policy.as_ref().is_some_and(|t| t.strategy == TriggerStrategy::AllUpstreamTasksCompleted) {
            self.after_completion.insert((dag.to_owned(), name.to_owned()));
        }
        let mut parameters = Vec::new();
        let mut artifacts = Vec::new();
        // What each input parameter is given, for the task's condition and loop.
        let mut given = BTreeMap::new();
        let mut constants = Vec::new();
        let mut status_steps = Vec::new();
        self.left_out_of_task.clear();
        if let Some(task_inputs) = &task.inputs {
            for (input, spec) in &task_inputs.parameters {
                if self.left_out(dag, spec.component_input_parameter.as_ref(), input) {
                    continue;
                }
                let selected = (!spec.parameter_expression_selector.is_empty()).then(|| {
                    selected_field(&spec.parameter_expression_selector)
                        .filter(|_| spec.component_input_parameter.is_some())
                });
                let value = if let Some(from) = &spec.task_output_parameter {
                    format!("{{{{tasks.{}.outputs.parameters.{}}}}}", from.producer_task, from.output_parameter_key)
                } else if let (Some(parent), Some(Some(field))) = (&spec.component_input_parameter, selected) {
                    format!("{{{{=jsonpath(inputs.parameters['{parent}'], '$.{field}')}}}}")
                } else if let Some(parent) = &spec.component_input_parameter {
                    format!("{{{{inputs.parameters.{parent}}}}}")
                } else if let Some(constant) = spec.runtime_value.as_ref().and_then(|v| v.constant.as_ref()) {
                    constants.push(input.clone());
                    parameter_text(constant)
                } else if let Some(status) = &spec.task_final_status {
                    let (value, step) = self.final_status(dag, name, input, &status.producer_task);
                    status_steps.push(step);
                    value
                } else {
                    self.unsupported(
                        name,
                        &format!(
                            "input parameter `{input}` set in a way kfp 2's compiler writes only for OneOf or loops"
                        ),
                    );
                    continue;
                };
                if selected == Some(None) {
                    self.unsupported(
                        name,
                        &format!(
                            "`parameterExpressionSelector: {}` on input `{input}` (local runs select a field of a DAG's input, `parseJson(string_value)[\"name\"]`)",
                            spec.parameter_expression_selector
                        ),
                    );
                }
                given.insert(input.clone(), value);
            }
            for (input, spec) in &task_inputs.artifacts {
                if self.left_out(dag, spec.component_input_artifact.as_ref(), input) {
                    continue;
                }
                let from = if let Some(from) = &spec.task_output_artifact {
                    format!("{{{{tasks.{}.outputs.artifacts.{}}}}}", from.producer_task, from.output_artifact_key)
                } else if let Some(parent) = &spec.component_input_artifact {
                    format!("{{{{inputs.artifacts.{parent}}}}}")
                } else {
                    self.unsupported(name, &format!("input artifact `{input}` with no producer"));
                    continue;
                };
                if artifact_list::is_list_input(component, input) {
                    parameters.push(artifact_list::list_argument(input, &from));
                    continue;
                }
                artifacts.push(json!({"name": input, "from": from}));
            }
        }
        // kfp 2 writes a pipeline value in a text argument as a placeholder of an input of the task
        // alone (`pipelinechannel--...`), which the driver fills in; the component never sees it.
        for input in constants {
            match fill_constant(&given[&input], &given) {
                Ok(text) => {
                    given.insert(input, text);
                }
                Err(why) => self.problems.push(format!("task `{name}`: input `{input}` {why}")),
            }
        }
        let declared = component.input_definitions.as_ref().map(|inputs| &inputs.parameters);
        for (input, value) in &given {
            if declared.is_some_and(|declared| declared.contains_key(input)) {
                parameters.push(json!({"name": input, "value": value}));
            }
        }
        let mut out = json!({"name": name});
        if let Some(iterator) = &task.parameter_iterator {
            let items = iterator.items.as_ref();
            if let Some(raw) = items.and_then(|items| items.raw.as_deref()) {
                match serde_json::from_str::<Value>(raw) {
                    // Argo gives a whole object item (`{{item}}`) to a withParam loop only.
                    Ok(Value::Array(list)) if list.iter().any(|item| item.is_object() || item.is_array()) => {
                        out["withParam"] = json!(raw)
                    }
                    Ok(Value::Array(list)) => out["withItems"] = json!(list),
                    _ => self.problems.push(format!("task `{name}`: its loop's items `{raw}` are not a JSON list")),
                }
            } else if let Some(value) =
                items.and_then(|items| items.input_parameter.as_ref()).and_then(|input| given.get(input))
            {
                out["withParam"] = json!(value);
            } else {
                self.problems
                    .push(format!("task `{name}`: its loop names no items, or an input the task is not given"));
            }
            parameters.push(json!({"name": iterator.item_input, "value": "{{item}}"}));
        }
        // A loop over artifacts goes over the list the engine carries for them, the JSON list of
        // their paths (`artifact_list`): each iteration's item artifact is the file at one path.
        if let Some(iterator) = &task.artifact_iterator {
            let list = iterator.items.as_ref().map(|items| items.input_artifact.as_str()).unwrap_or_default();
            match parameters.iter().find(|parameter| parameter["name"] == json!(list)) {
                Some(given) => out["withParam"] = given["value"].clone(),
                None => self.problems.push(format!(
                    "task `{name}`: its loop over artifacts names `{list}`, which is not a list of artifacts the task is given"
                )),
            }
            artifacts.push(json!({"name": iterator.item_input, "from": "{{item}}"}));
        }
        if task.parameter_iterator.is_some() || task.artifact_iterator.is_some() {
            // A loop's parameter outputs are the lists of its iterations' values, as the engine
            // aggregates a loop's outputs (kfp's `dsl.Collected`); its artifacts are gathered as
            // lists of paths (`artifact_list`).
            for output in component.dag.iter().flat_map(|dag| dag.outputs.iter()).flat_map(|o| o.parameters.keys()) {
                if self.text_output(component, output, self.file.spec.components.len()) {
                    self.text_outputs.insert((component_name.to_owned(), output.clone()));
                }
            }
        }
        if let Some(condition) =
            task.trigger_policy.as_ref().map(|trigger| &trigger.condition).filter(|c| !c.is_empty())
        {
            match when(condition, &given, component) {
                Ok(when) => out["when"] = json!(when),
                Err(why) => self.problems.push(format!("task `{name}`: its condition `{condition}` {why}")),
            }
        }
        let template = if component.dag.is_some() {
            let limit = task.iterator_policy.as_ref().map_or(0, |policy| policy.parallelism_limit);
            self.dag_template(component_name, component, &format!("component `{component_name}`"), limit);
            component_name.to_owned()
        } else {
            self.container_template(name, component_name, component, task)?
        };
        out["template"] = json!(template);
        out["arguments"] = json!({"parameters": parameters, "artifacts": artifacts});
        let dependencies: Vec<&String> = task.dependent_tasks.iter().chain(&status_steps).collect();
        if !dependencies.is_empty() {
            out["dependencies"] = json!(dependencies);
        }
        Some(out)
    }

    /// Whether output parameter `output` of DAG `component` is one text value (KFP's STRING), not a
    /// list: a container's STRING output, through DAGs that do not loop; `levels` bounds the search
    /// in a file whose components call each other in a circle.
    fn text_output(&self, component: &ComponentSpec, output: &str, levels: usize) -> bool {
        let dag = component.dag.as_ref();
        let from = dag.and_then(|dag| dag.outputs.as_ref()).and_then(|outputs| outputs.parameters.get(output));
        let Some(from) = from.and_then(|spec| spec.value_from_parameter.as_ref()) else { return false };
        let Some(task) = dag.and_then(|dag| dag.tasks.get(&from.producer_subtask)) else { return false };
        let producer = task.component_ref.as_ref().and_then(|r| self.file.spec.component(&r.name));
        match producer {
            _ if task.parameter_iterator.is_some() || task.artifact_iterator.is_some() || levels == 0 => false,
            Some(producer) if producer.dag.is_some() => {
                self.text_output(producer, &from.output_parameter_key, levels - 1)
            }
            Some(producer) => (producer.output_definitions.as_ref())
                .and_then(|outputs| outputs.parameters.get(&from.output_parameter_key))
                .is_some_and(|definition| definition.parameter_type == ParameterType::String),
            None => false,
        }
    }

    /// The container template of `task`, which calls `component_name`; its name.
    fn container_template(
        &mut self,
        task_name: &str,
        component_name: &str,
        component: &ComponentSpec,
        task: &PipelineTaskSpec,
    ) -> Option<String> {
        let label = component.executor_label.as_deref().unwrap_or_default();
        let Some(executor) = self.file.spec.executor(label) else {
            self.problems.push(format!(
                "task `{task_name}`: component `{component_name}` names executor `{label}`, which the file does not define"
            ));
            return None;
        };
        if let Some(importer) = &executor.importer {
            return self.importer_template(task_name, component_name, component, importer);
        }
        let Some(container) = &executor.container else {
            let kind = if executor.resolver.is_some() { "a resolver" } else { "a custom job" };
            self.unsupported(task_name, kind);
            return None;
        };
        let words: Vec<&String> = container.command.iter().chain(&container.args).collect();
        let executor = executor::uses_executor(&words).then(|| Executor::of(task_name, component, &words));
        // What the launcher counts as present: an input the task gives, or one with a default.
        let given = task.inputs.as_ref();
        let left_out = std::mem::take(&mut self.left_out_of_task);
        let definitions = component.input_definitions.as_ref();
        let present = |input: &str| {
            let passed = given.is_some_and(|g| g.parameters.contains_key(input) || g.artifacts.contains_key(input));
            (passed && !left_out.contains(input))
                || definitions.and_then(|d| d.parameters.get(input)).is_some_and(|d| d.default_value.is_some())
        };
        let mut render = |list: &[String]| -> Option<Vec<String>> {
            let mut out = Vec::new();
            for word in list {
                let rendered = placeholders::expand(word, &present)
                    .and_then(|words| words.iter().map(|word| placeholders(word)).collect::<Result<Vec<_>, _>>());
                match rendered {
                    Ok(words) => out.extend(words),
                    Err(why) => {
                        self.problems.push(format!("task `{task_name}`: {why}"));
                        return None;
                    }
                }
            }
            Some(out)
        };
        let command = render(&container.command)?;
        let args = render(&container.args)?;
        // One template per task: retries and names stay the task's own.
        let name = format!("{component_name}--{task_name}");
        let env: Vec<Value> = container.env.iter().map(|var| json!({"name": var.name, "value": var.value})).collect();
        let mut body = json!({"image": container.image, "command": command, "args": args});
        if !env.is_empty() {
            body["env"] = json!(env);
        }
        if let Some(executor) = executor {
            self.executors.insert(name.clone(), executor);
        }
        let mut template = json!({
            "name": name,
            "inputs": inputs(component, Some(&name)),
            "outputs": container_outputs(component),
            "container": body,
        });
        if let Some(retry) = task.retry_policy.as_ref().filter(|retry| retry.max_retry_count > 0) {
            let mut backoff = Map::new();
            if let Some(duration) = &retry.backoff_duration {
                backoff.insert("duration".into(), json!(duration));
            }
            if retry.backoff_factor > 0.0 {
                backoff.insert("factor".into(), json!(retry.backoff_factor.round() as i64));
            }
            if let Some(max) = &retry.backoff_max_duration {
                backoff.insert("cap".into(), json!(max));
            }
            template["retryStrategy"] = json!({"limit": retry.max_retry_count, "backoff": backoff});
        }
        self.templates.insert(name.clone(), template);
        Some(name)
    }
}

/// A template's inputs from a component's input definitions; a container's (`container` set) with
/// the path each artifact is put at.
fn inputs(component: &ComponentSpec, container: Option<&str>) -> Value {
    let Some(definitions) = &component.input_definitions else { return json!({}) };
    // A default is the launcher's value for an input the task is not given.
    let mut parameters: Vec<Value> = definitions
        .parameters
        .iter()
        .map(|(name, definition)| match &definition.default_value {
            Some(default) => json!({"name": name, "default": parameter_text(default)}),
            // An optional input a task leaves out: no placeholder reads it outside an `IfPresent`.
            None if definition.is_optional => json!({"name": name, "default": ""}),
            None => json!({"name": name}),
        })
        .collect();
    // A list of artifacts is the JSON list of their paths (`artifact_list`).
    let (lists, artifacts): (Vec<_>, Vec<_>) =
        definitions.artifacts.iter().partition(|(_, definition)| definition.is_artifact_list);
    parameters.extend(lists.into_iter().map(|(name, definition)| match definition.is_optional {
        // An optional list a task leaves out: empty text, which no list is (the executor input leaves it out).
        true => json!({"name": name, "default": ""}),
        false => json!({"name": name}),
    }));
    let artifacts: Vec<Value> = artifacts
        .into_iter()
        .map(|(name, definition)| {
            let mut artifact = json!({"name": name});
            if container.is_some() {
                artifact["path"] = json!(format!("/tmp/inputs/{name}/data"));
            }
            if definition.is_optional {
                artifact["optional"] = json!(true);
            }
            artifact
        })
        .collect();
    json!({"parameters": parameters, "artifacts": artifacts})
}

/// A container's outputs: each in its own folder, as the launcher lays them out.
fn container_outputs(component: &ComponentSpec) -> Value {
    let Some(definitions) = &component.output_definitions else { return json!({}) };
    let parameters: Vec<Value> = definitions
        .parameters
        .keys()
        .map(|name| json!({"name": name, "valueFrom": {"path": format!("/tmp/outputs/{name}/data")}}))
        .collect();
    let artifacts: Vec<Value> = definitions
        .artifacts
        .keys()
        .map(|name| json!({"name": name, "path": format!("/tmp/outputs/{name}/data")}))
        .collect();
    json!({"parameters": parameters, "artifacts": artifacts})
}

/// A DAG's outputs, taken from its tasks; one picked from several (`dsl.OneOf`) is the first of
/// them that has a value (the branch that ran), as an Argo expression the engine evaluates.
fn dag_outputs(dag: &DagSpec) -> Result<Value, String> {
    let Some(outputs) = &dag.outputs else { return Ok(json!({})) };
    let mut parameters = Vec::new();
    for (name, spec) in &outputs.parameters {
        if let Some(from) = spec.value_from_parameter.as_ref() {
            parameters.push(json!({"name": name, "valueFrom": {"parameter": format!(
                "{{{{tasks.{}.outputs.parameters.{}}}}}", from.producer_subtask, from.output_parameter_key
            )}}));
        } else if let Some(selectors) = spec.value_from_oneof.as_ref().filter(|s| !s.parameter_selectors.is_empty()) {
            let picks = selectors.parameter_selectors.iter().map(|from| {
                format!("tasks['{}'].outputs.parameters['{}']", from.producer_subtask, from.output_parameter_key)
            });
            parameters.push(json!({"name": name, "valueFrom": {"expression": picks.collect::<Vec<_>>().join(" ?? ")}}));
        } else {
            return Err(format!("output `{name}` names no task output to take"));
        }
    }
    let mut artifacts = Vec::new();
    for (name, spec) in &outputs.artifacts {
        match spec.artifact_selectors.as_slice() {
            [] => return Err(format!("output `{name}` names no task output to take")),
            [from] => artifacts.push(json!({"name": name, "from": format!(
                "{{{{tasks.{}.outputs.artifacts.{}}}}}", from.producer_subtask, from.output_artifact_key
            )})),
            several => {
                let picks = several.iter().map(|from| {
                    format!("tasks['{}'].outputs.artifacts['{}']", from.producer_subtask, from.output_artifact_key)
                });
                artifacts.push(json!({"name": name, "fromExpression": picks.collect::<Vec<_>>().join(" ?? ")}));
            }
        }
    }
    Ok(json!({"parameters": parameters, "artifacts": artifacts}))
}

/// The part of CEL kfp 2 writes in `triggerPolicy.condition` (`int(inputs.parameter_values['x']) > 5`,
/// `!(a) && b`), as the engine's `when`: each input replaced by what the task is `given` for it,
/// quoted when the input is text. `Err` says what local runs cannot evaluate.
fn when(condition: &str, given: &BTreeMap<String, String>, component: &ComponentSpec) -> Result<String, String> {
    const REFERENCE: &str = "inputs.parameter_values[";
    let declared = component.input_definitions.as_ref().map(|inputs| &inputs.parameters);
    let mut out = String::new();
    // The same with a sample value of each input's type: what must evaluate before the run.
    let mut sample = String::new();
    let mut rest = condition;
    while let Some(start) = rest.find(REFERENCE) {
        let (before, after) = rest.split_at(start);
        let cast = ["int(", "double("].into_iter().find(|cast| before.ends_with(cast));
        let before = cast.map_or(before, |cast| &before[..before.len() - cast.len()]);
        out.push_str(before);
        sample.push_str(before);
        let after = &after[REFERENCE.len()..];
        let quote = after.chars().next().filter(|c| matches!(c, '\'' | '"')).ok_or("is not one kfp writes")?;
        let end = after[1..].find(quote).ok_or("is not one kfp writes")? + 1;
        let input = &after[1..end];
        let mut tail = after[end + 1..].strip_prefix(']').ok_or("is not one kfp writes")?;
        if cast.is_some() {
            tail = tail.strip_prefix(')').ok_or("is not one kfp writes")?;
        }
        let value = given.get(input).ok_or_else(|| format!("reads input `{input}`, which the task is not given"))?;
        let kind = declared.and_then(|inputs| inputs.get(input)).map(|definition| definition.parameter_type);
        let number = cast.is_some() || matches!(kind, Some(ParameterType::NumberInteger | ParameterType::NumberDouble));
        if number {
            out.push_str(value);
            sample.push('0');
        } else if kind == Some(ParameterType::Boolean) {
            out.push_str(value);
            sample.push_str("true");
        } else {
            out.push_str(&format!("'{value}'"));
            sample.push_str("'x'");
        }
        rest = tail;
    }
    out.push_str(rest);
    sample.push_str(rest);
    super::when::evaluate(&sample).map_err(|why| format!("uses more than local runs evaluate ({why})"))?;
    Ok(out)
}

/// The field kfp 2's selector `parseJson(string_value)["a"]` reads (a loop item's subvar), when
/// it is one the engine's variables can name.
fn selected_field(selector: &str) -> Option<&str> {
    let field = selector.strip_prefix("parseJson(string_value)[\"")?.strip_suffix("\"]")?;
    super::vars::is_field_name(field).then_some(field)
}

/// A constant's text with the task's inputs it names (`{{$.inputs.parameters['x']}}`) filled in.
fn fill_constant(text: &str, given: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{$.inputs.parameters[") {
        out.push_str(&rest[..start]);
        let length = rest[start..].find("}}").ok_or("opens a placeholder it does not close")?;
        let inner = &rest[start + "{{$.inputs.parameters[".len()..start + length];
        let input = inner.strip_suffix(']').map(|name| name.trim_matches(|c| c == '\'' || c == '"'));
        let value = input.and_then(|input| given.get(input)).ok_or_else(|| {
            format!("names `{}`, which is no input parameter the task is given", &rest[start..start + length + 2])
        })?;
        out.push_str(value);
        rest = &rest[start + length + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `text` with kfp 2's placeholders as the engine's variables.
fn placeholders(text: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{$") {
        out.push_str(&rest[..start]);
        let Some(length) = rest[start..].find("}}") else {
            return Err(format!("`{}` opens a placeholder it does not close", &rest[start..]));
        };
        let whole = &rest[start..start + length + 2];
        // The executor's, filled when the task starts (`executor`).
        if whole == executor::EXECUTOR_INPUT || executor::OUTPUT_FILE.contains(&whole) {
            out.push_str(whole);
            rest = &rest[start + length + 2..];
            continue;
        }
        let inner = &rest[start + 3..start + length];
        out.push_str(&variable(inner).ok_or_else(|| {
            format!(
                "placeholder `{{{{${inner}}}}}` is not supported by local runs of KFP v2 IR yet (they resolve an input parameter, an output parameter's output_file, an artifact's path, uri and metadata)"
            )
        })?);
        rest = &rest[start + length + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The engine's variable for a placeholder's inside (`.inputs.parameters['x']`).
fn variable(inner: &str) -> Option<String> {
    let (kind, rest) = [".inputs.parameters[", ".inputs.artifacts[", ".outputs.parameters[", ".outputs.artifacts["]
        .iter()
        .find_map(|prefix| inner.strip_prefix(prefix).map(|rest| (*prefix, rest)))?;
    let quote = rest.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let rest = &rest[1..];
    let end = rest.find(quote)?;
    let (name, tail) = (&rest[..end], rest[end + 1..].strip_prefix(']')?);
    let variable = match (kind, tail) {
        (".inputs.parameters[", "") => format!("inputs.parameters.{name}"),
        // A local artifact's URI is its path, as in kfp's local runner.
        (".inputs.artifacts[", ".path" | ".uri") => format!("inputs.artifacts.{name}.path"),
        (".outputs.parameters[", ".output_file") => format!("outputs.parameters.{name}.path"),
        (".outputs.artifacts[", ".path" | ".uri") => format!("outputs.artifacts.{name}.path"),
        // An output artifact's metadata is empty when the task starts (kfp.local's executor input,
        // and the launcher's); a key of it is JSON's null, as kfp.local fills in a missing key.
        (".outputs.artifacts[", ".metadata") => return Some("{}".to_owned()),
        (".outputs.artifacts[", key) if key.starts_with(".metadata[") => return Some("null".to_owned()),
        // An input artifact's is its producer's, filled when the task starts (`run::metadata`).
        (".inputs.artifacts[", key) if key == ".metadata" || key.starts_with(".metadata[") => {
            return Some(format!("{{{{${inner}}}}}"))
        }
        _ => return None,
    };
    Some(format!("{{{{{variable}}}}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_the_engines_variables() {
        assert_eq!(placeholders("{{$.inputs.parameters['text']}}").unwrap(), "{{inputs.parameters.text}}");
        assert_eq!(
            placeholders("in={{$.inputs.artifacts['data'].path}} out={{$.outputs.parameters[\"n\"].output_file}}")
                .unwrap(),
            "in={{inputs.artifacts.data.path}} out={{outputs.parameters.n.path}}"
        );
        assert_eq!(placeholders("{{$.outputs.artifacts['model'].path}}").unwrap(), "{{outputs.artifacts.model.path}}");
        assert_eq!(placeholders("{{$.inputs.artifacts['model'].uri}}").unwrap(), "{{inputs.artifacts.model.path}}");
        assert_eq!(placeholders("--meta={{$.outputs.artifacts['model'].metadata}}").unwrap(), "--meta={}");
        assert_eq!(placeholders("{{$.outputs.artifacts['model'].metadata['k']}}").unwrap(), "null");
        let metadata = "{{$.inputs.artifacts['model'].metadata}} {{$.inputs.artifacts['model'].metadata['k']}}";
        assert_eq!(placeholders(metadata).unwrap(), metadata);
    }

    #[test]
    fn parameters_are_written_as_the_launcher_writes_them() {
        assert_eq!(parameter_text(&json!("a b")), "a b");
        assert_eq!(parameter_text(&json!(3.0)), "3");
        assert_eq!(parameter_text(&json!(2.5)), "2.5");
        assert_eq!(parameter_text(&json!(true)), "true");
        assert_eq!(parameter_text(&json!([1, "x"])), r#"[1,"x"]"#);
    }

    #[test]
    fn kfps_conditions_become_whens_of_what_the_task_is_given() {
        let given: BTreeMap<String, String> = [
            ("pipelinechannel--flip".to_owned(), "{{tasks.flip.outputs.parameters.Output}}".to_owned()),
            ("pipelinechannel--n".to_owned(), "{{inputs.parameters.pipelinechannel--n}}".to_owned()),
        ]
        .into();
        let component = ComponentSpec::default();
        let condition = "!(inputs.parameter_values['pipelinechannel--flip'] == 'heads') && int(inputs.parameter_values['pipelinechannel--n']) > 5";
        assert_eq!(
            when(condition, &given, &component).unwrap(),
            "!('{{tasks.flip.outputs.parameters.Output}}' == 'heads') && {{inputs.parameters.pipelinechannel--n}} > 5"
        );
        let refused =
            when("inputs.parameter_values['pipelinechannel--flip'] in ['a']", &given, &component).unwrap_err();
        assert!(refused.contains("uses more than local runs evaluate"), "{refused}");
        let refused = when("inputs.parameter_values['other'] == 'a'", &given, &component).unwrap_err();
        assert!(refused.contains("reads input `other`, which the task is not given"), "{refused}");
        let filled = fill_constant("n is {{$.inputs.parameters['pipelinechannel--n']}}!", &given).unwrap();
        assert_eq!(filled, "n is {{inputs.parameters.pipelinechannel--n}}!");
    }
}
