//! Shared templates ([`crate::Compiler::share_templates`]): the tasks of one
//! component with the same settings run one template, each passing its own
//! values as arguments, where kfp writes a template per task.
//!
//! Applied to the finished kfp-shaped Workflow, after the data passing rewrite,
//! so that what travels as a parameter or an artifact, and which outputs a task
//! keeps, is what kfp decides. A task's own template holds its values (input
//! parameters named after upstream outputs, constants in its command line); the
//! shared one has an input per component input, named after it, and the DAG task
//! passes what the task's template had in its place. Tasks share only when their
//! templates are then equal: any other difference (settings, display name,
//! outputs kept) keeps them apart, and a task this cannot express keeps its own.

use std::rc::Rc;
use std::sync::LazyLock;

use memchr::memmem;

use foldhash::{HashMap, HashMapExt};

use super::shared;
use super::values::input_parameter;
use crate::argo::{Arguments, Artifact, DagTask, Inputs, Parameter, RawArtifact, Template, Text, Workflow};
use crate::dsl::marker::RunValue;

/// A task's part of a shared template ([`super::ops`] makes it).
pub(super) struct SharedForm {
    /// The component: tasks of different components never share.
    pub(super) component: usize,
    /// What the component's tasks passing the same inputs share.
    pub(super) parts: Rc<SharedParts>,
    /// The inputs the task passes, in the component's order.
    pub(super) inputs: Vec<SharedInput>,
}

/// The shared template's command line, for the tasks passing the same inputs.
pub(super) struct SharedParts {
    /// The container's command, when it reads inputs (a program's is literal).
    pub(super) command: Option<Vec<Text>>,
    pub(super) args: Vec<String>,
    /// The `arguments.parameters` annotation, if the tasks pass values.
    pub(super) arguments: Option<Text>,
    /// By input: the shared template's parameter (or artifact) for it, if passed.
    pub(super) names: Vec<Option<String>>,
    /// By input: the file the command line reads it from, if it reads one.
    pub(super) paths: Vec<Option<String>>,
}

/// An input a task passes.
pub(super) struct SharedInput {
    /// Its index among the component's inputs.
    pub(super) position: usize,
    /// What the task's own template has in its place.
    pub(super) text: String,
    /// Whether the command line reads its value, or a file.
    pub(super) by_value: bool,
    pub(super) by_path: bool,
}

/// Finds `{{`: made once, as a `str::find` sets up a search per call.
static OPEN: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| memmem::Finder::new("{{"));

/// A DAG task moved to a shared template.
struct Move {
    dag: usize,
    task: usize,
    variant: usize,
    arguments: Arguments,
}

/// Gives the tasks in `forms` (by task name) shared templates where they can have one.
pub(super) fn share_templates(workflow: &mut Workflow, forms: &HashMap<String, SharedForm>) {
    let templates = &mut workflow.spec.templates;
    // (DAG template, task, the task's own template) of each task that may share.
    let candidates: Vec<(usize, usize, usize)> = {
        let by_name: HashMap<&str, usize> = templates.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
        let dags = templates.iter().enumerate().filter_map(|(at, template)| Some((at, &template.dag.as_ref()?.tasks)));
        dags.flat_map(|(dag, tasks)| tasks.iter().enumerate().map(move |(at, task)| (dag, at, task)))
            .filter(|(_, _, task)| task.template == task.name && forms.contains_key(&task.name))
            .filter_map(|(dag, at, task)| Some((dag, at, *by_name.get(task.template.as_str())?)))
            .collect()
    };
    // Shared templates with nameless outputs (`-Output`), and their names.
    let mut variants: Vec<Template> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut by_component: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut moves = Vec::with_capacity(candidates.len());
    for (dag, at, own_at) in candidates {
        // Taken, not copied: a task that shares leaves its template behind.
        let mut own = std::mem::take(&mut templates[own_at]);
        let outcome = templates[dag].dag.as_ref().map(|dag| &dag.tasks[at]).and_then(|task| {
            let form = &forms[&task.name];
            generalize(&mut own, form, task).map(|arguments| (arguments, form.component, &task.name))
        });
        match outcome {
            None => templates[own_at] = own,
            Some((arguments, component, task_name)) => {
                let general = own;
                let known = by_component.entry(component).or_default();
                let variant = match known.iter().find(|&&variant| variants[variant] == general) {
                    Some(&variant) => variant,
                    None => {
                        variants.push(general);
                        names.push(task_name.clone());
                        known.push(variants.len() - 1);
                        variants.len() - 1
                    }
                };
                moves.push(Move { dag, task: at, variant, arguments });
            }
        }
    }
    if moves.is_empty() {
        return;
    }
    // Output `T-x` of task T is `S-x` of its shared template S.
    let mut renames: HashMap<String, usize> = HashMap::new();
    for Move { dag, task, variant, arguments } in moves {
        let Some(dag) = templates[dag].dag.as_mut() else { continue };
        let task = &mut dag.tasks[task];
        if task.name != names[variant] {
            renames.insert(task.name.clone(), variant);
        }
        task.template.clone_from(&names[variant]);
        task.arguments = arguments;
    }
    // The templates taken are left nameless.
    templates.retain(|template| !template.name.is_empty());
    templates.extend(variants.into_iter().zip(&names).map(|(mut template, name)| {
        template.name.clone_from(name);
        let outputs = &mut template.outputs;
        let output_names = outputs.parameters.iter_mut().map(|p| &mut p.name);
        for output in output_names.chain(outputs.artifacts.iter_mut().map(|a| &mut a.name)) {
            if output.starts_with('-') {
                output.insert_str(0, name);
            }
        }
        template
    }));
    let renames: HashMap<&str, &str> =
        renames.iter().map(|(task, &variant)| (task.as_str(), names[variant].as_str())).collect();
    if !renames.is_empty() {
        for template in templates.iter_mut().filter(|template| template.dag.is_some()) {
            rename_output_references(template, &renames);
        }
    }
}

/// Task `task`'s template `own` with input parameters in place of its values,
/// its outputs named `-x` for `T-x`; gives the arguments that pass the values.
/// `None`, and `own` unchanged, when that cannot say what it says.
fn generalize(own: &mut Template, form: &SharedForm, task: &DagTask) -> Option<Arguments> {
    let (inputs, arguments) = inputs_and_arguments(own, form, task)?;
    let container = own.container.as_mut()?;
    container.args = Some(form.parts.args.clone());
    if let Some(command) = &form.parts.command {
        container.command = Some(command.clone());
    }
    own.name.clear();
    own.inputs = inputs;
    let annotations = &mut own.metadata.annotations;
    match &form.parts.arguments {
        Some(arguments) => annotations.insert(shared::arguments_key(), arguments.clone()),
        None => annotations.remove(shared::arguments_key().as_str()),
    };
    let outputs = &mut own.outputs;
    let output_names = outputs.parameters.iter_mut().map(|p| &mut p.name);
    for output in output_names.chain(outputs.artifacts.iter_mut().map(|a| &mut a.name)) {
        // `T-x` becomes `-x`; the UI's artifacts keep their names.
        if output.starts_with(task.name.as_str()) && output[task.name.len()..].starts_with('-') {
            output.drain(..task.name.len());
        }
    }
    Some(arguments)
}

/// The shared template's inputs for task `task`, whose own template is `own`,
/// and the arguments that pass the task's values to them; `None` when they
/// cannot say what `own` says.
fn inputs_and_arguments(own: &Template, form: &SharedForm, task: &DagTask) -> Option<(Inputs, Arguments)> {
    // A task passes a few values: a list is searched faster than a map is built.
    let passed: Vec<(&str, &str)> = (task.arguments.parameters.iter())
        .filter_map(|parameter| Some((parameter.name.as_str(), parameter.value.as_deref()?)))
        .collect();
    let mut read: Vec<&str> = Vec::new();
    let mut inputs = Inputs::default();
    let mut arguments = Arguments::default();
    // An input read both as a value and as a file text is one parameter.
    let mut pass = |name: &str, text: &str, inputs: &mut Inputs, arguments: &mut Arguments| -> Option<()> {
        if !inputs.parameters.iter().any(|parameter| parameter.name == name) {
            inputs.parameters.push(Parameter::named(name));
            arguments.parameters.push(Parameter::with_value(name, in_dag(text, &passed, &mut read)?));
        }
        Some(())
    };
    for input in &form.inputs {
        let name = form.parts.names[input.position].as_ref()?;
        if input.by_value {
            pass(name, &input.text, &mut inputs, &mut arguments)?;
        }
        let Some(path) = form.parts.paths[input.position].as_ref().filter(|_| input.by_path) else { continue };
        let artifact = own.inputs.artifacts.iter().find(|artifact| artifact.path.as_ref() == Some(path))?;
        match &artifact.raw {
            // A text (a constant, or values within text) is written to the file by Argo.
            Some(raw) => {
                pass(name, &raw.data, &mut inputs, &mut arguments)?;
                let raw = Some(RawArtifact { data: input_parameter(name) });
                inputs.artifacts.push(Artifact { name: name.clone(), raw, ..artifact.clone() });
            }
            // An upstream file, passed by the DAG.
            None => {
                let given = task.arguments.artifacts.iter().find(|given| given.name == artifact.name)?;
                arguments.artifacts.push(Artifact { name: name.clone(), ..given.clone() });
                inputs.artifacts.push(Artifact { name: name.clone(), ..artifact.clone() });
            }
        }
    }
    // Whatever else the template reads would be lost.
    let all_read = own.inputs.parameters.iter().all(|parameter| read.contains(&parameter.name.as_str()));
    if !all_read || inputs.artifacts.len() != own.inputs.artifacts.len() {
        return None;
    }
    inputs.parameters.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    inputs.artifacts.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    arguments.parameters.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    arguments.artifacts.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    Some((inputs, arguments))
}

/// `text` of a task's template as its DAG task says it: each
/// `{{inputs.parameters.X}}` is what the task passes for `X` (noted in `read`),
/// `{{workflow.*}}` and the run id stay. `None` for a variable only a pod knows
/// (`{{pod.name}}`, the execution id), and for literal text that Argo's substitution would not
/// carry through unchanged: it escapes a value once, for the template's JSON,
/// so a `"`, `\` or control character would break the JSON of the
/// `arguments.parameters` annotation (or the template) where kfp's own
/// template has it escaped at compile time.
fn in_dag<'a>(text: &str, passed: &[(&'a str, &'a str)], read: &mut Vec<&'a str>) -> Option<String> {
    let plain = |literal: &str| !literal.chars().any(|c| c == '"' || c == '\\' || c.is_control());
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = OPEN.find(rest.as_bytes()) {
        let (literal, after) = (&rest[..start], &rest[start + 2..]);
        let end = after.find("}}")?;
        let variable = &after[..end];
        if !plain(literal) {
            return None;
        }
        out.push_str(literal);
        match variable.strip_prefix("inputs.parameters.") {
            Some(name) => {
                let &(name, value) = passed.iter().find(|(passed, _)| *passed == name)?;
                read.push(name);
                out.push_str(value);
            }
            // The run id is written `{{workflow.uid}}` once lowered; the execution id holds `{{pod.name}}`.
            None if variable.starts_with("workflow.") || rest[start..].starts_with(RunValue::RunId.marker()) => {
                out.push_str(&rest[start..start + 2 + end + 2])
            }
            None => return None,
        }
        rest = &after[end + 2..];
    }
    plain(rest).then(|| out + rest)
}

/// Renames references to the outputs of tasks that moved to a shared template.
fn rename_output_references(template: &mut Template, renames: &HashMap<&str, &str>) {
    let in_place = |text: &mut String| rename(text, renames);
    for output in &mut template.outputs.parameters {
        if let Some(parameter) = output.value_from.as_mut().and_then(|from| from.parameter.as_mut()) {
            in_place(parameter);
        }
    }
    for output in &mut template.outputs.artifacts {
        output.from.as_mut().map(in_place);
    }
    let Some(dag) = template.dag.as_mut() else { return };
    for task in &mut dag.tasks {
        for argument in &mut task.arguments.parameters {
            argument.value.as_mut().map(in_place);
        }
        for argument in &mut task.arguments.artifacts {
            argument.from.as_mut().map(in_place);
        }
        task.when.as_mut().map(in_place);
        task.with_param.as_mut().map(in_place);
        task.with_items.iter_mut().for_each(|item| rename_in_json(item, renames));
    }
}

/// [`rename`] in every string of a `withItems` item, keys included.
fn rename_in_json(value: &mut serde_json::Value, renames: &HashMap<&str, &str>) {
    match value {
        serde_json::Value::String(text) => rename(text, renames),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|item| rename_in_json(item, renames)),
        serde_json::Value::Object(map) => {
            let renamed_keys: Vec<(String, String)> =
                (map.keys()).filter_map(|key| Some((key.clone(), renamed_references(key, renames)?))).collect();
            for (key, renamed) in renamed_keys {
                if let Some(item) = map.remove(&key) {
                    map.insert(renamed, item);
                }
            }
            map.values_mut().for_each(|item| rename_in_json(item, renames));
        }
        _ => {}
    }
}

/// [`renamed_references`] in place.
fn rename(text: &mut String, renames: &HashMap<&str, &str>) {
    if let Some(renamed) = renamed_references(text, renames) {
        *text = renamed;
    }
}

/// `text` with `{{tasks.T.outputs.parameters.T-x}}` (or `artifacts`) made
/// `{{tasks.T.outputs.parameters.S-x}}` for each task `T` renamed to `S`;
/// `None` when nothing changes.
fn renamed_references(text: &str, renames: &HashMap<&str, &str>) -> Option<String> {
    const TASKS: &str = "{{tasks.";
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = OPEN.find(&text.as_bytes()[from..]) {
        if !text[from + found..].starts_with(TASKS) {
            from += found + 2;
            continue;
        }
        let start = from + found + TASKS.len();
        from = start;
        let rest = &text[start..];
        let Some(dot) = rest.find('.') else { break };
        let task = &rest[..dot];
        let Some(&shared) = renames.get(task) else { continue };
        let after = &rest[dot + 1..];
        let Some(kind) = ["outputs.parameters.", "outputs.artifacts."].into_iter().find(|kind| after.starts_with(kind))
        else {
            continue;
        };
        let name_at = start + dot + 1 + kind.len();
        if !text[name_at..].starts_with(task) || !text[name_at + task.len()..].starts_with('-') {
            continue;
        }
        let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[copied..name_at]);
        out.push_str(shared);
        copied = name_at + task.len();
        from = copied;
    }
    let mut out = out?;
    out.push_str(&text[copied..]);
    Some(out)
}
