//! One component of the pipeline as KFP v2 writes it: its input and output
//! definitions (`comp-<task>`) and its container executor (`exec-<task>`), from
//! the component's `component.yaml` spec with v1 placeholders turned into v2 ones.

use serde_json::{json, Map, Value};

use super::types::{
    artifact_type, cpu_to_float, ir_type, memory_to_float, sanitize_input_name, typed_constant, IrType,
};
use crate::component::{split_command, Component, LocalMain};
use crate::dsl::{marker, TaskSettings};
use crate::spec::{Condition, Placeholder};

/// A component's inputs and outputs under their IR names.
#[derive(Clone)]
pub(super) struct Io {
    /// Inputs in spec order: IR name and type.
    pub inputs: Vec<(String, IrType)>,
    /// Outputs in spec order: IR name and type.
    pub outputs: Vec<(String, IrType)>,
}

impl Io {
    /// kfp 2 names a function component's inputs and outputs as the function
    /// writes its parameters (`data_path: InputPath` is `data_path`, which kfp 1.8
    /// and the spec call `data`); a loaded `component.yaml` has its names sanitized
    /// (`Output` -> `output`), as kfp 2 loads a v1 file.
    pub fn of(component: &Component) -> Io {
        let input_name = |name: &str| match &component.local {
            Some(program) => program.written_input_name(name).to_owned(),
            None => sanitize_input_name(name),
        };
        let output_name = |name: &str| match &component.local {
            Some(program) => program.written_output_name(name).to_owned(),
            None => sanitize_input_name(name),
        };
        let spec = &component.spec;
        Io {
            inputs: (spec.inputs.iter())
                .map(|input| (input_name(&input.name), ir_type(input.type_name.as_ref().and_then(|t| t.name()))))
                .collect(),
            outputs: (spec.outputs.iter())
                .map(|output| (output_name(&output.name), ir_type(output.type_name.as_ref().and_then(|t| t.name()))))
                .collect(),
        }
    }

    fn input(&self, spec_index: usize) -> &(String, IrType) {
        &self.inputs[spec_index]
    }
}

/// The `ComponentSpec` of `component` with executor `executor_label`.
pub(super) fn component_spec(component: &Component, io: &Io, executor_label: &str) -> Result<Value, Vec<String>> {
    let mut problems = Vec::new();
    // Outputs of a Rust function named apart by kfp 1.8 may be one under kfp 2: a file
    // output `sum_path` (kfp 1.8's `sum`) and a returned field `sum_path`.
    for (index, (name, _)) in io.outputs.iter().enumerate().filter(|_| component.local.is_some()) {
        if io.outputs[..index].iter().any(|(other, _)| other == name) {
            problems.push(format!(
                "component `{}` has two outputs named `{name}` under KFP v2, which names a file output as its \
                 parameter is written: rename the `OutputPath` parameter or the returned field",
                component.spec.display_name()
            ));
        }
    }
    let mut parameters = Map::new();
    let mut artifacts = Map::new();
    for (input, (name, ty)) in component.spec.inputs.iter().zip(&io.inputs) {
        match ty {
            IrType::Parameter(parameter_type) => {
                let mut definition = json!({"parameterType": parameter_type});
                if let Some(default) = &input.default {
                    let what = format!("the default of input `{}` of `{}`", input.name, component.spec.display_name());
                    match typed_constant(&default.to_kfp_string(), parameter_type, &what) {
                        Ok(value) => {
                            definition["defaultValue"] = value;
                            definition["isOptional"] = json!(true);
                        }
                        Err(problem) => problems.push(problem),
                    }
                } else if input.optional || *parameter_type == "TASK_FINAL_STATUS" {
                    // KFP gives the final status only to an exit task: kfp 2 marks it optional.
                    definition["isOptional"] = json!(true);
                }
                parameters.insert(name.clone(), definition);
            }
            IrType::Artifact(title) => {
                let mut definition = json!({"artifactType": artifact_type(title)});
                if input.is_artifact_list() {
                    definition["isArtifactList"] = json!(true);
                }
                if input.optional {
                    definition["isOptional"] = json!(true);
                }
                artifacts.insert(name.clone(), definition);
            }
        }
    }
    let mut spec = json!({"executorLabel": executor_label});
    if let Some(definitions) = definitions(parameters, artifacts) {
        spec["inputDefinitions"] = definitions;
    }
    let (mut parameters, mut artifacts) = (Map::new(), Map::new());
    for (name, ty) in &io.outputs {
        match ty {
            IrType::Parameter(parameter_type) => {
                parameters.insert(name.clone(), json!({"parameterType": parameter_type}));
            }
            IrType::Artifact(title) => {
                artifacts.insert(name.clone(), json!({"artifactType": artifact_type(title)}));
            }
        }
    }
    if let Some(definitions) = definitions(parameters, artifacts) {
        spec["outputDefinitions"] = definitions;
    }
    describe(component, io, &mut spec);
    if problems.is_empty() {
        Ok(spec)
    } else {
        Err(problems)
    }
}

/// A Rust component's input and output descriptions (its doc comment's `Args:` and `Returns:`), as
/// kfp 2 writes a Python function's; kfp 2 drops those of a loaded `component.yaml`.
fn describe(component: &Component, io: &Io, spec: &mut Value) {
    if component.local.is_none() {
        return;
    }
    let inputs = component.spec.inputs.iter().map(|input| &input.description).zip(&io.inputs);
    let outputs = component.spec.outputs.iter().map(|output| &output.description).zip(&io.outputs);
    for (key, described) in [("inputDefinitions", inputs.collect::<Vec<_>>()), ("outputDefinitions", outputs.collect())]
    {
        for (description, (name, ty)) in described {
            let kind = if matches!(ty, IrType::Artifact(_)) { "artifacts" } else { "parameters" };
            if let (Some(text), Some(definition)) = (description, spec.pointer_mut(&format!("/{key}/{kind}/{name}"))) {
                definition["description"] = json!(text);
            }
        }
    }
}

/// `{parameters, artifacts}`, each only when not empty; `None` when both are.
pub(super) fn definitions(parameters: Map<String, Value>, artifacts: Map<String, Value>) -> Option<Value> {
    let mut out = Map::new();
    if !parameters.is_empty() {
        out.insert("parameters".to_owned(), Value::Object(parameters));
    }
    if !artifacts.is_empty() {
        out.insert("artifacts".to_owned(), Value::Object(artifacts));
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// What a Rust program that writes an executor output calls (`program.rs`'s `main`); a program saved
/// by an earlier kfp-rs does not, and takes no executor input.
const METADATA_WRITER: &str = "__kfp::executor_output(";

/// The container executor of one task of `component`, with the task's env and resources.
pub(super) fn executor(
    component: &Component,
    io: &Io,
    settings: &TaskSettings,
    task: &str,
) -> Result<Value, Vec<String>> {
    let container = &component.spec.implementation.container;
    let mut problems = Vec::new();
    let mut convert = |items: &[Placeholder]| -> Vec<String> {
        let mut out = Vec::new();
        for item in items {
            match placeholder(component, io, item) {
                Ok(text) => out.push(text),
                Err(problem) => problems.push(format!("task `{task}`: {problem}")),
            }
        }
        out
    };
    let command = convert(&container.command);
    let mut args = convert(container.args.as_deref().unwrap_or_default());
    // A Rust function's program then writes its outputs as the v2 launcher reads them back.
    if component.local.is_some() || split_command(&command).is_some() {
        let mut contract = vec!["----kfp-contract".to_owned(), "v2".to_owned()];
        // Metadata it sets on its output artifacts goes into the executor output, whose path only
        // kfp's executor input (`{{$}}`) gives: the launcher has no `{{$.outputs.output_file}}`.
        let writes_metadata = match split_command(&command) {
            Some(program) => program.source.contains(METADATA_WRITER),
            // A prebuilt image's binary runs the function with the in-process program's wire code,
            // which writes the executor output as the built program does.
            None => component.local.as_ref().is_some_and(LocalMain::may_set_metadata),
        };
        if writes_metadata && io.outputs.iter().any(|(_, ty)| matches!(ty, IrType::Artifact(_))) {
            contract.extend(["----executor-input".to_owned(), "{{$}}".to_owned()]);
        }
        args.splice(0..0, contract);
    }
    let mut spec = json!({"image": container.image});
    if !command.is_empty() {
        spec["command"] = json!(command);
    }
    if !args.is_empty() {
        spec["args"] = json!(args);
    }
    // One value per name, as kfp 2 keeps env: a task's variable replaces the component's in place.
    let mut env: Vec<(&str, &str)> =
        (container.env.iter().flatten()).map(|(name, value)| (name.as_str(), value.as_str())).collect();
    for var in &settings.env {
        match &var.value {
            Some(value) if marker::has_marker(value) => problems.push(format!(
                "task `{task}`: env `{}` takes a pipeline value, which kfp-rs does not compile to KFP v2 yet: give a \
                 constant, or pass the value as an input",
                var.name
            )),
            Some(value) if var.value_from.is_none() => match env.iter_mut().find(|(name, _)| *name == var.name) {
                Some(slot) => slot.1 = value,
                None => env.push((&var.name, value)),
            },
            // From a secret, config map or pod field: a kfp-kubernetes setting, in the platform spec.
            None if var.value_from.is_some() => {}
            _ => problems.push(format!(
                "task `{task}`: env `{}` has both a value and a source, or neither: give it one of them",
                var.name
            )),
        }
    }
    if !env.is_empty() {
        spec["env"] = env.iter().map(|(name, value)| json!({"name": name, "value": value})).collect();
    }
    match resources(settings) {
        Ok(Some(resources)) => spec["resources"] = resources,
        Ok(None) => {}
        Err(problem) => problems.push(format!("task `{task}`: {problem}")),
    }
    if problems.is_empty() {
        Ok(json!({"container": spec}))
    } else {
        Err(problems)
    }
}

/// kfp 2's container resources: each amount as written and as a number, every other
/// limit (`nvidia.com/gpu`) as the accelerator.
fn resources(settings: &TaskSettings) -> Result<Option<Value>, String> {
    let mut out = Map::new();
    let amounts = [
        (&settings.limits, "cpu", "cpuLimit", "resourceCpuLimit"),
        (&settings.requests, "cpu", "cpuRequest", "resourceCpuRequest"),
        (&settings.limits, "memory", "memoryLimit", "resourceMemoryLimit"),
        (&settings.requests, "memory", "memoryRequest", "resourceMemoryRequest"),
    ];
    for (map, key, number_field, text_field) in amounts {
        let Some(text) = map.get(key) else { continue };
        // A pipeline value's input (`machine`): the number is only known at run time.
        if super::machine::is_placeholder(text) {
            out.insert(text_field.to_owned(), json!(text));
            continue;
        }
        if marker::has_marker(text) {
            return Err(format!(
                "its {key} amount comes from a pipeline value, which kfp-rs does not compile to KFP v2 yet: give a constant"
            ));
        }
        let number = if key == "cpu" { cpu_to_float(text) } else { memory_to_float(text) };
        let Some(number) = number else {
            return Err(format!("{key} amount `{text}` is not a Kubernetes quantity (`500m`, `2`, `256Mi`)"));
        };
        out.insert(number_field.to_owned(), json!(number));
        out.insert(text_field.to_owned(), json!(text));
    }
    let accelerators: Vec<(&String, &String)> =
        settings.limits.iter().filter(|(key, _)| key.as_str() != "cpu" && key.as_str() != "memory").collect();
    if let (Some(kind), Some(count)) = (&settings.accelerator_type, &settings.accelerator_limit) {
        if let Some((other, _)) = accelerators.first() {
            return Err(format!(
                "set_accelerator_type and a limit of `{other}`: KFP v2 takes one accelerator per task"
            ));
        }
        // kfp 2 writes the deprecated `type` and `count` too, where they are constants.
        let mut accelerator = json!({"resourceType": kind, "resourceCount": count});
        if !super::machine::is_placeholder(kind) {
            accelerator["type"] = json!(kind);
        }
        if !super::machine::is_placeholder(count) {
            accelerator["count"] = json!(count);
        }
        out.insert("accelerator".to_owned(), accelerator);
    }
    match accelerators.as_slice() {
        [] => {}
        [(kind, count)] => {
            out.insert(
                "accelerator".to_owned(),
                json!({"type": kind, "count": count, "resourceType": kind, "resourceCount": count}),
            );
        }
        several => {
            let kinds: Vec<&str> = several.iter().map(|(kind, _)| kind.as_str()).collect();
            return Err(format!("KFP v2 takes one accelerator per task, this one limits {}", kinds.join(", ")));
        }
    }
    let unsupported: Vec<&String> =
        settings.requests.keys().filter(|key| key.as_str() != "cpu" && key.as_str() != "memory").collect();
    if let Some(key) = unsupported.first() {
        return Err(format!("KFP v2 has no request of `{key}`: set a limit (set_gpu_limit, add_resource_limit)"));
    }
    Ok((!out.is_empty()).then_some(Value::Object(out)))
}

/// A v1 placeholder as the v2 one (kfp 2's reading of a v1 `component.yaml`).
fn placeholder(component: &Component, io: &Io, item: &Placeholder) -> Result<String, String> {
    let input = |name: &str| -> Result<&(String, IrType), String> {
        let index = component.spec.inputs.iter().position(|input| input.name == name);
        index
            .map(|i| io.input(i))
            .ok_or_else(|| format!("the command names input `{name}`, which the component has not"))
    };
    let input_spec = |name: &str| component.spec.inputs.iter().find(|input| input.name == name);
    let output = |name: &str| -> Result<&(String, IrType), String> {
        let index = component.spec.outputs.iter().position(|output| output.name == name);
        index
            .map(|i| &io.outputs[i])
            .ok_or_else(|| format!("the command names output `{name}`, which the component has not"))
    };
    Ok(match item {
        Placeholder::Literal(text) => text.clone(),
        Placeholder::InputValue { input_value } => match input(input_value)? {
            (name, IrType::Parameter(_)) => format!("{{{{$.inputs.parameters['{name}']}}}}"),
            // A list of artifacts by value: the launcher's JSON list of them (kfp 2's container
            // component taking `Input[List[Dataset]]`).
            (name, IrType::Artifact(_)) if input_spec(input_value).is_some_and(crate::spec::InputSpec::is_artifact_list) => {
                format!("{{{{$.inputs.artifacts['{name}']}}}}")
            }
            (name, IrType::Artifact(_)) => {
                return Err(format!(
                    "input `{name}` is an artifact, passed by value: in KFP v2 an artifact is passed by path (inputPath)"
                ))
            }
        },
        Placeholder::InputPath { input_path } => match input(input_path)? {
            (name, IrType::Artifact(_)) => format!("{{{{$.inputs.artifacts['{name}'].path}}}}"),
            (name, IrType::Parameter(_)) => {
                return Err(format!(
                    "input `{name}` is a parameter passed as a file (inputPath): KFP v2 passes parameters by value (inputValue)"
                ))
            }
        },
        Placeholder::InputUri { input_uri } => match input(input_uri)? {
            (name, IrType::Artifact(_)) => format!("{{{{$.inputs.artifacts['{name}'].uri}}}}"),
            (name, IrType::Parameter(_)) => return Err(format!("input `{name}` is a parameter, which has no URI: pass it by value (inputValue)")),
        },
        Placeholder::OutputPath { output_path } => match output(output_path)? {
            (name, IrType::Parameter(_)) => format!("{{{{$.outputs.parameters['{name}'].output_file}}}}"),
            (name, IrType::Artifact(_)) => format!("{{{{$.outputs.artifacts['{name}'].path}}}}"),
        },
        Placeholder::OutputUri { output_uri } => match output(output_uri)? {
            (name, IrType::Artifact(_)) => format!("{{{{$.outputs.artifacts['{name}'].uri}}}}"),
            (name, IrType::Parameter(_)) => return Err(format!("output `{name}` is a parameter, which has no URI: write it to its path (outputPath)")),
        },
        Placeholder::OutputMetadata { output_metadata } => match output(output_metadata)? {
            (name, IrType::Artifact(_)) => format!("{{{{$.outputs.artifacts['{name}'].metadata}}}}"),
            (name, IrType::Parameter(_)) => return Err(format!("output `{name}` is a parameter, which has no metadata: only an output artifact has (outputMetadata)")),
        },
        Placeholder::Concat { concat } => {
            let parts: Result<Vec<String>, String> = concat.iter().map(|part| placeholder(component, io, part)).collect();
            parts?.concat()
        }
        Placeholder::If { if_ } => {
            let Condition::IsPresent(name) = &if_.cond else {
                return Err("an `if` placeholder on a value: KFP v2 has only `if: {cond: {isPresent: NAME}}`".to_owned());
            };
            let branch = |items: &[Placeholder]| -> Result<Vec<String>, String> {
                items.iter().map(|part| placeholder(component, io, part)).collect()
            };
            // As kfp 2 writes it, Python's `json.dumps` with its keys in kfp's order.
            let list = |items: Vec<String>| items.iter().map(|item| json!(item).to_string()).collect::<Vec<_>>();
            let then = list(branch(if_.then.items())?).join(", ");
            let mut body = format!(r#""InputName": {}, "Then": [{then}]"#, json!(input(name)?.0));
            if let Some(otherwise) = &if_.else_ {
                body += &format!(r#", "Else": [{}]"#, list(branch(otherwise.items())?).join(", "));
            }
            format!(r#"{{"IfPresent": {{{body}}}}}"#)
        }
    })
}
