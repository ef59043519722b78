//! `Recorded` to KFP v2 pipeline IR ([`crate::ir::PipelineFile`]), a port of kfp
//! 2.17's compiler: `component` (a task's component and executor, v1 placeholders
//! as v2 ones; `per_component` makes each once and copies it to the component's
//! tasks), `dag` (the root and group DAGs, values passed between them),
//! `types` (kfp types as IR types), `edges` (what KFP v1 has and v2 has not).
//!
//! A component task's spec and inputs are made typed; the rest of the lowering writes
//! protobuf's JSON mapping, which the typed model then reads (refusing any field the
//! proto has not), as kfp 2 writes the proto's JSON: a component and its executor once
//! per component (`per_component`), each group and importer task once.

mod component;
mod dag;
mod edges;
mod final_status;
mod importer;
mod machine;
mod nested;
mod per_component;
mod platform;
mod types;
mod workspace;

use std::rc::Rc;

use serde_json::{json, Map, Value};

use self::component::Io;
use self::dag::{Node, Pipeline};
use self::types::{ir_type, typed_constant, IrType};
use crate::compiler::SDK_VERSION;
use crate::component::Component;
use crate::dsl::{marker, Arg, Op, Recorded};
use crate::error::{Error, Result};
use crate::ir::{
    CachingOptions, ComponentRef, ComponentSpec, DeploymentSpec, InputParameterSpec, PipelineFile, PipelineInfo,
    PipelineSpec, PipelineTaskInfo, PipelineTaskSpec, PlatformSpec, TaskInputsSpec, TriggerPolicy, TriggerStrategy,
    ValueOrRuntimeParameter, SCHEMA_VERSION,
};
use crate::names::{sanitize, UniqueNames};

pub(crate) use self::workspace::missing as missing_workspace;

/// The pipeline IR of `recorded`, or every problem found; with what `beside` finds in
/// it, run while the file is checked against KFP's rules.
pub(crate) fn compile<T: Send>(
    recorded: &Recorded,
    beside: impl FnOnce(&PipelineFile) -> T + Send,
) -> Result<(PipelineFile, T)> {
    let part = compile_part(recorded)?;
    let info = PipelineInfo {
        name: sanitize(&recorded.info.name).unwrap_or_else(|| "pipeline".to_owned()),
        display_name: recorded.info.display_name.clone().unwrap_or_default(),
        description: recorded.info.description.clone().unwrap_or_default(),
    };
    // The parts are moved in: the components and executors are most of the file.
    let spec = PipelineSpec {
        pipeline_info: Some(info),
        deployment_spec: Some(DeploymentSpec { executors: part.executors }),
        sdk_version: SDK_VERSION.to_owned(),
        schema_version: SCHEMA_VERSION.to_owned(),
        components: part.components,
        root: Some(part.root),
        default_pipeline_root: recorded.info.pipeline_root.clone().unwrap_or_default(),
    };
    let platform = workspace::with_workspace(platform::spec(part.kubernetes), recorded.conf.workspace.as_ref());
    checked(spec, platform, &recorded.info.name, recorded.info.description.as_deref(), beside)
}

/// `recorded` compiled on its own: its root, components, executors and Kubernetes settings.
fn compile_part(recorded: &Recorded) -> Result<nested::Part> {
    let invalid = |problems: Vec<String>| Error::InvalidPipeline { pipeline: recorded.info.name.clone(), problems };
    let task_names = task_names(recorded);
    let mut problems = edges::v1_only(recorded, &task_names);
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let mut params = Vec::new();
    let (mut root_inputs, mut root_artifacts) = (Map::new(), Map::new());
    for param in &recorded.info.params {
        let ty = ir_type(Some(param.ty.type_name));
        match &ty {
            IrType::Parameter(parameter_type) => {
                let mut definition = json!({"parameterType": parameter_type});
                // KFP gives the final status only to a pipeline run as an exit task: kfp 2 marks it optional.
                if *parameter_type == "TASK_FINAL_STATUS" || param.optional {
                    definition["isOptional"] = json!(true);
                }
                if let Some(description) = &param.description {
                    definition["description"] = json!(description);
                }
                if let Some(default) = &param.default {
                    match typed_constant(default, parameter_type, &format!("the default of parameter `{}`", param.name))
                    {
                        Ok(value) => {
                            definition["defaultValue"] = value;
                            definition["isOptional"] = json!(true);
                        }
                        Err(problem) => problems.push(problem),
                    }
                }
                root_inputs.insert(param.name.clone(), definition);
            }
            // kfp 2's `Input[Dataset]` pipeline parameter, or `Input[List[Dataset]]`.
            IrType::Artifact(title) => {
                let mut definition = json!({"artifactType": types::artifact_type(title)});
                if crate::spec::artifact_list_item(param.ty.type_name).is_some() {
                    definition["isArtifactList"] = json!(true);
                }
                if param.optional {
                    definition["isOptional"] = json!(true);
                }
                if let Some(description) = &param.description {
                    definition["description"] = json!(description);
                }
                root_artifacts.insert(param.name.clone(), definition);
            }
        }
        params.push((param.name.clone(), ty));
    }
    // Worked out once per component (its `Arc`'s address) and shared by its tasks: naming
    // and typing its inputs and outputs costs ten times copying them, copying them more
    // than the rest of a task's DAG entry.
    let mut per_component_io: foldhash::HashMap<*const Component, Rc<Io>> = Default::default();
    let io: Vec<Option<Rc<Io>>> = (recorded.tasks.iter())
        .map(|task| match &task.op {
            Op::Pipeline { pipeline, .. } => Some(Rc::new(nested::io(pipeline))),
            Op::Component { component, .. } => Some(Rc::clone(
                per_component_io.entry(std::sync::Arc::as_ptr(component)).or_insert_with(|| Rc::new(Io::of(component))),
            )),
            _ => task.component().map(|c| Rc::new(Io::of(c))),
        })
        .collect();
    let pipeline = Pipeline { recorded, task_names: &task_names, io: &io, params: &params };
    let mut components = Vec::new();
    let mut executors = Vec::new();
    let mut kubernetes = std::collections::BTreeMap::new();
    let mut parts = std::collections::BTreeMap::new();
    let mut per_component = per_component::PerComponent::default();
    let dags = dag::dags(&pipeline, |index, scope| {
        let task = &recorded.tasks[index as usize];
        let name = &task_names[index as usize];
        if let (Op::Pipeline { pipeline: nested, args }, Some(io)) = (&task.op, &io[index as usize]) {
            let (part, mut spec) = nested::lower(&pipeline, index, scope, nested, io, args)?;
            final_status::inputs(recorded, name, index, io, &mut spec).map_err(|problem| vec![problem])?;
            parts.insert(index, part);
            return Ok(spec);
        }
        if let (Op::Importer(importer), Some(io)) = (&task.op, &io[index as usize]) {
            let lowered = importer::lower(&pipeline, index, scope, importer, io)?;
            components.push((format!("comp-{name}"), typed(lowered.component)?));
            executors.push((format!("exec-{name}"), typed(lowered.executor)?));
            return Ok(lowered.task);
        }
        let (Op::Component { component, args }, Some(io)) = (&task.op, &io[index as usize]) else {
            return Err(vec![format!("task `{name}` is not a component")]);
        };
        let (machine_settings, machine_inputs) =
            match machine::lower(&task.settings, |text, inputs| embedded_text(&pipeline, text, scope, inputs)) {
                Ok(lowered) => lowered,
                Err(problem) => return Err(vec![format!("task `{name}`: {problem}")]),
            };
        // Made for every task: `concat` is a fraction of `format!`'s cost.
        let executor_label = ["exec-", name].concat();
        let mut problems = Vec::new();
        match platform::executor_config(&pipeline, index, scope) {
            Ok(Some(config)) => {
                kubernetes.insert(executor_label.clone(), config);
            }
            Ok(None) => {}
            Err(more) => problems.extend(more),
        }
        match per_component.component_spec(component, io, &executor_label) {
            Ok(spec) => {
                components.push((["comp-", name].concat(), spec));
            }
            Err(more) => problems.extend(more),
        }
        match per_component.executor(component, io, &machine_settings, name) {
            Ok(executor) => {
                executors.push((executor_label, executor));
            }
            Err(more) => problems.extend(more),
        }
        let mut spec = task_spec(&pipeline, index, scope, args, io).map_err(|more| {
            problems.extend(more);
            std::mem::take(&mut problems)
        })?;
        if let Err(more) = machine::add_inputs(&mut spec, machine_inputs) {
            problems.extend(more);
        }
        if let Err(problem) = final_status::inputs(recorded, name, index, io, &mut spec) {
            problems.push(problem);
        }
        if problems.is_empty() {
            Ok(spec)
        } else {
            Err(problems)
        }
    });
    let dags = match dags {
        Ok(dags) => dags,
        Err(more) => {
            problems.extend(more);
            return Err(invalid(problems));
        }
    };
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    components.extend(dags.groups);
    let (components, executors) = (into_map(components), into_map(executors));
    let mut root = dags.root;
    if let Some(inputs) = component::definitions(root_inputs, root_artifacts) {
        root["inputDefinitions"] = inputs;
    }
    nested::root_outputs(&pipeline, &mut root).map_err(invalid)?;
    describe_outputs(&recorded.info.output_descriptions, &mut root);
    let mut root: ComponentSpec = typed(root).map_err(invalid)?;
    root.dag.get_or_insert_with(Default::default).tasks = dags.root_tasks;
    Ok(nested::assemble(&pipeline, nested::Part { root, components, executors, kubernetes }, parts))
}

/// `entries` as a map, the last of equal keys kept as inserting them would keep it. Each
/// task's component, executor and DAG entry are made in task order, which is not key order
/// (`add-10` sorts before `add-2`): inserted one by one, a map moves large values within
/// its nodes on every insert; moved once into key order, they are laid into it in one pass.
fn into_map<V>(entries: Vec<(String, V)>) -> std::collections::BTreeMap<String, V> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| entries[a].0.cmp(&entries[b].0));
    let mut slots: Vec<Option<(String, V)>> = entries.into_iter().map(Some).collect();
    order.into_iter().filter_map(|at| slots[at].take()).collect()
}

/// The pipeline's output definitions with their doc comment's `Returns:` texts, as kfp 2 writes them.
fn describe_outputs(descriptions: &[(String, String)], root: &mut Value) {
    for kind in ["parameters", "artifacts"] {
        let Some(outputs) = root.pointer_mut(&format!("/outputDefinitions/{kind}")).and_then(Value::as_object_mut)
        else {
            continue;
        };
        for (name, text) in descriptions {
            if let Some(definition) = outputs.get_mut(name) {
                definition["description"] = json!(text);
            }
        }
    }
}

/// kfp's task names: the component's name sanitized, `-2`, `-3`, ... for repeats;
/// group names stay clear of them.
fn task_names(recorded: &Recorded) -> Vec<String> {
    let mut unique = UniqueNames::default();
    for group in &recorded.groups {
        unique.reserve(&group.name);
    }
    unique.sanitized(recorded.tasks.iter().map(|task| task.human_name()))
}

/// A task's spec in its DAG (`scope`), without `dependentTasks`.
fn task_spec(p: &Pipeline, index: u32, scope: Node, args: &[Arg], io: &Io) -> Result<PipelineTaskSpec, Vec<String>> {
    let task = &p.recorded.tasks[index as usize];
    let name = &p.task_names[index as usize];
    let mut problems = Vec::new();
    let mut inputs = TaskInputsSpec::default();
    let constant = |constant: Value| {
        dag::TaskInput::Parameter(InputParameterSpec {
            runtime_value: Some(ValueOrRuntimeParameter { constant: Some(constant), ..Default::default() }),
            ..Default::default()
        })
    };
    for (spec_index, (arg, (input, ty))) in args.iter().zip(&io.inputs).enumerate() {
        let artifact = matches!(ty, IrType::Artifact(_));
        let list = (task.component().and_then(|c| c.spec.inputs.get(spec_index)))
            .is_some_and(crate::spec::InputSpec::is_artifact_list);
        let value = match arg {
            Arg::Absent => continue,
            Arg::Constant(text) if marker::has_marker(text) => match ty {
                IrType::Parameter("STRING") => {
                    let mut embedded = Map::new();
                    let text = embedded_text(p, text, scope, &mut embedded);
                    for (key, value) in embedded {
                        match typed(value) {
                            Ok(value) => {
                                inputs.parameters.insert(key, value);
                            }
                            Err(more) => problems.extend(more),
                        }
                    }
                    text.map(|text| constant(json!(text)))
                        .map_err(|problem| format!("task `{name}`, input `{input}`: {problem}"))
                }
                _ => Err(format!(
                    "task `{name}`: input `{input}` is not a string, and takes a text with pipeline values in it: \
                     KFP v2 fills values into string inputs only; pass the value itself"
                )),
            },
            Arg::Constant(_) if artifact => Err(format!(
                "task `{name}`: input `{input}` is an artifact given a constant: KFP v2 brings a constant in as an \
                 artifact with an importer, which kfp-rs does not compile yet"
            )),
            Arg::Constant(text) => match ty {
                IrType::Parameter(parameter_type) => {
                    typed_constant(text, parameter_type, &format!("task `{name}`, input `{input}`")).map(constant)
                }
                IrType::Artifact(_) => unreachable!("artifacts are refused above"),
            },
            // A Rust list input takes only a collected list (rustc checks it); a single one, no list.
            Arg::Value(marker::ValueRef::Collected { .. }) if artifact && !list => Err(format!(
                "task `{name}`: input `{input}` takes one artifact, given a collected list: take the list as \
                 `Vec<InputPath<_>>` (kfp's `Input[List[Dataset]]`)"
            )),
            Arg::Value(value) => {
                dag::value_input(p, value, scope, artifact).map_err(|problem| format!("task `{name}`: {problem}"))
            }
        };
        match value {
            Ok(dag::TaskInput::Artifact(value)) => {
                inputs.artifacts.insert(input.clone(), value);
            }
            Ok(dag::TaskInput::Parameter(value)) => {
                inputs.parameters.insert(input.clone(), value);
            }
            Err(problem) => problems.push(problem),
        }
    }
    let settings = &task.settings;
    let display = settings.display_name.as_deref().unwrap_or(name);
    if marker::has_marker(display) {
        problems.push(format!(
            "task `{name}` (set_display_name): a display name from a pipeline value, which KFP v2 has not: give a constant"
        ));
    }
    let mut spec = PipelineTaskSpec {
        component_ref: Some(ComponentRef { name: ["comp-", name.as_str()].concat() }),
        task_info: Some(PipelineTaskInfo { name: display.to_owned() }),
        caching_options: Some(CachingOptions { enable_cache: settings.caching != Some(false), ..Default::default() }),
        ..Default::default()
    };
    if !inputs.parameters.is_empty() || !inputs.artifacts.is_empty() {
        spec.inputs = Some(inputs);
    }
    if settings.ignore_upstream_failure {
        spec.trigger_policy =
            Some(TriggerPolicy { strategy: TriggerStrategy::AllUpstreamTasksCompleted, ..Default::default() });
    }
    if let Some(retry) = &settings.retry {
        match retry_policy(retry).map(typed) {
            Ok(Ok(policy)) => spec.retry_policy = Some(policy),
            Ok(Err(more)) => problems.extend(more),
            Err(problem) => problems.push(format!("task `{name}` (set_retry): {problem}")),
        }
    }
    if problems.is_empty() {
        Ok(spec)
    } else {
        Err(problems)
    }
}

/// A text with pipeline values in it (kfp 2's f-string argument): each value
/// becomes an input of the task, `pipelinechannel--<name>`, read into the text
/// with its placeholder.
fn embedded_text(
    p: &Pipeline,
    text: &str,
    scope: Node,
    inputs: &mut Map<String, Value>,
) -> std::result::Result<String, String> {
    marker::replace_values(text, |value| {
        let (name, input) = dag::embedded_input(p, &value, scope)?;
        let placeholder = format!("{{{{$.inputs.parameters['{name}']}}}}");
        inputs.insert(name, input);
        Ok(placeholder)
    })
}

/// kfp 2's `retryPolicy`: durations in seconds, kfp 2's defaults (no wait, factor 2,
/// at most an hour) where the task sets none.
fn retry_policy(retry: &crate::dsl::Retry) -> std::result::Result<Value, String> {
    let seconds = |duration: &Option<String>, default: f64| -> std::result::Result<String, String> {
        let seconds = match duration {
            None => default,
            Some(text) => crate::go_duration::seconds(text)
                .ok_or_else(|| format!("`{text}` is not a duration (`30s`, `5m`, `1h`)"))?,
        };
        Ok(format!("{}s", seconds.min(3600.0).round() as u64))
    };
    Ok(json!({
        "maxRetryCount": retry.limit,
        "backoffDuration": seconds(&retry.backoff_duration, 0.0)?,
        "backoffFactor": retry.backoff_factor.map_or(2.0, f64::from),
        "backoffMaxDuration": seconds(&retry.backoff_max_duration, 3600.0)?,
    }))
}

/// A component as kfp 2 writes a component file: a pipeline of one task, named
/// after the component, taking every input from the pipeline and giving back
/// every output.
pub(crate) fn component_file(component: &Component) -> Result<PipelineFile> {
    let invalid =
        |problems: Vec<String>| Error::InvalidPipeline { pipeline: component.spec.display_name().to_owned(), problems };
    let name = sanitize(&component.spec.name).unwrap_or_else(|| "component".to_owned());
    let io = Io::of(component);
    let executor_label = format!("exec-{name}");
    let spec = component::component_spec(component, &io, &executor_label).map_err(invalid)?;
    let executor = component::executor(component, &io, &Default::default(), &name).map_err(invalid)?;
    let (mut parameters, mut artifacts) = (Map::new(), Map::new());
    for (input, ty) in &io.inputs {
        match ty {
            IrType::Parameter(_) => parameters.insert(input.clone(), json!({"componentInputParameter": input})),
            IrType::Artifact(_) => artifacts.insert(input.clone(), json!({"componentInputArtifact": input})),
        };
    }
    let mut task = json!({
        "cachingOptions": {"enableCache": true},
        "componentRef": {"name": format!("comp-{name}")},
        "taskInfo": {"name": name},
    });
    if let Some(inputs) = component::definitions(parameters, artifacts) {
        task["inputs"] = inputs;
    }
    let (mut parameters, mut artifacts) = (Map::new(), Map::new());
    for (output, ty) in &io.outputs {
        match ty {
            IrType::Parameter(_) => parameters.insert(
                output.clone(),
                json!({"valueFromParameter": {"producerSubtask": name, "outputParameterKey": output}}),
            ),
            IrType::Artifact(_) => artifacts.insert(
                output.clone(),
                json!({"artifactSelectors": [{"producerSubtask": name, "outputArtifactKey": output}]}),
            ),
        };
    }
    let mut root = json!({"dag": {"tasks": {name.clone(): task}}});
    if let Some(outputs) = component::definitions(parameters, artifacts) {
        root["dag"]["outputs"] = outputs;
    }
    for key in ["inputDefinitions", "outputDefinitions"] {
        if let Some(definitions) = spec.get(key) {
            root[key] = definitions.clone();
        }
    }
    let spec = json!({
        "pipelineInfo": {"name": name},
        "components": {format!("comp-{name}"): spec},
        "deploymentSpec": {"executors": {executor_label: executor}},
        "root": root,
        "schemaVersion": SCHEMA_VERSION,
        "sdkVersion": SDK_VERSION,
    });
    let spec: PipelineSpec = serde_json::from_value(spec).map_err(|error| Error::Serialize {
        what: format!("the pipeline IR of `{}`", component.spec.display_name()),
        message: error.to_string(),
    })?;
    let name = component.spec.display_name();
    checked(spec, None, name, component.spec.description.as_deref(), |_| ()).map(|(file, ())| file)
}

/// The file of `spec` and its platform spec, checked against the rules the KFP backend
/// relies on; `description` goes into the file's header. `beside` reads the file while
/// it is checked: on a thread of its own when the file is large, as both read all of it.
fn checked<T: Send>(
    spec: PipelineSpec,
    platform: Option<PlatformSpec>,
    name: &str,
    description: Option<&str>,
    beside: impl FnOnce(&PipelineFile) -> T + Send,
) -> Result<(PipelineFile, T)> {
    let file = PipelineFile { spec, platform, description: description.unwrap_or_default().to_owned() };
    let (violations, found) = if file.spec.components.len() < COMPONENTS_FOR_A_THREAD {
        (crate::ir::rules::check(&file), beside(&file))
    } else {
        std::thread::scope(|scope| {
            let found = scope.spawn(|| beside(&file));
            let violations = crate::ir::rules::check(&file);
            (violations, found.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        })
    };
    if !violations.is_empty() {
        let problems =
            violations.iter().map(|violation| format!("the compiled pipeline IR breaks a rule of KFP: {violation}"));
        return Err(Error::InvalidPipeline { pipeline: name.to_owned(), problems: problems.collect() });
    }
    Ok((file, found))
}

/// How many components a file has before [`checked`] reads it on two threads.
const COMPONENTS_FOR_A_THREAD: usize = 1_000;

/// The lowered JSON read into the model, as the whole file used to be; a failure is the
/// compiler's, writing a field the model has not.
fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Vec<String>> {
    serde_json::from_value(value)
        .map_err(|error| vec![format!("the compiler wrote a part of the pipeline IR the model cannot read: {error}")])
}
