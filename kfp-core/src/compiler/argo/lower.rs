//! Lowering a recorded pipeline to the Workflow kfp 1.8 would write for it:
//! task templates ([`super::ops`]), DAG templates of the pipeline and its groups
//! ([`super::dag`]), kfp's data passing rewrite ([`super::rewrite`]), then the
//! pipeline's settings ([`super::conf`]).

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::conf;
use super::dag::Dags;
use super::ops::{lower_op, ComponentFacts};
use super::rewrite::fix_big_data_passing;
use super::share::share_templates;
use super::shared;
use super::values::Values;
use crate::argo::{Arguments, Parameter, Workflow, WorkflowSpec};
use crate::compiler::SDK_VERSION;
use crate::component::Component;
use crate::dsl::{GroupKind, Recorded};
use crate::error::{Error, Result};
use crate::names::{sanitize, UniqueNames};
use crate::wire::json::to_json;

/// With `share`, tasks of one component share templates ([`super::share`]).
pub(super) fn lower(recorded: &Recorded, compilation_time: &str, share: bool) -> Result<Workflow> {
    let info = &recorded.info;
    let mut problems = check_params(recorded);
    let mut unique = UniqueNames::default();
    let task_names = unique.sanitized(recorded.tasks.iter().map(|task| task.human_name()));
    for group in &recorded.groups {
        unique.reserve(&group.name);
    }
    for (task, name) in recorded.tasks.iter().zip(&task_names) {
        problems.extend(super::settings::v2_only(name, &task.settings));
    }
    problems.extend(super::settings::v2_only_pipeline(info));
    // kfp names the pipeline's template last, clear of every other template.
    let pipeline_name = unique.unique(&sanitize(&info.name).unwrap_or_else(|| "pipeline".to_owned()));
    let exit_task = exit_task(recorded, &mut problems);

    let values = Values { recorded, task_names: &task_names, recording: recorded.recording };
    let mut by_component: HashMap<*const Component, Rc<ComponentFacts>> = HashMap::new();
    let mut templates = Vec::with_capacity(recorded.tasks.len() + recorded.groups.len() + 1);
    let mut uses = Vec::with_capacity(recorded.tasks.len());
    let mut read_as_text = HashMap::new();
    let mut shared_forms = HashMap::new();
    // Volume data passing writes each template's own paths: such a pipeline keeps kfp's shape.
    let share = share && recorded.conf.data_passing_method.is_none();
    for (task, name) in recorded.tasks.iter().zip(&task_names) {
        let facts = match task.component() {
            None => None,
            Some(component) => {
                let key = Arc::as_ptr(component);
                Some(match by_component.get(&key) {
                    Some(fact) => Rc::clone(fact),
                    None => {
                        let fact = Rc::new(ComponentFacts::new(component)?);
                        by_component.insert(key, Rc::clone(&fact));
                        fact
                    }
                })
            }
        };
        let lowered = lower_op(name, task, facts.as_deref(), &values, share, &mut problems)?;
        if let Some(read) = lowered.read_as_text {
            read_as_text.insert(name.clone(), read);
        }
        if let Some(form) = lowered.shared {
            shared_forms.insert(name.clone(), form);
        }
        templates.push(lowered.template);
        uses.push(lowered.uses);
    }
    let dags =
        Dags { recorded, values: &values, task_names: &task_names, uses: &uses, root: &pipeline_name, exit_task };
    templates.extend(dags.templates(&mut problems));
    if !problems.is_empty() {
        problems.dedup();
        return Err(Error::InvalidPipeline { pipeline: info.name.clone(), problems });
    }
    let templates = sorted_by_name(templates, |template| &template.name);

    let arguments = info
        .params
        .iter()
        .map(|param| Parameter { value: param.default.clone(), ..Parameter::named(&param.name) })
        .collect();
    let annotations = BTreeMap::from([
        (shared::sdk_version_key().into(), SDK_VERSION.to_owned()),
        ("pipelines.kubeflow.org/pipeline_compilation_time".to_owned(), compilation_time.to_owned()),
        ("pipelines.kubeflow.org/pipeline_spec".to_owned(), pipeline_spec(recorded)?),
    ]);
    let mut workflow = Workflow {
        metadata: ObjectMeta {
            generate_name: Some(format!("{pipeline_name}-")),
            annotations: Some(annotations),
            labels: Some(BTreeMap::from([(shared::sdk_version_key().into(), SDK_VERSION.to_owned())])),
            ..ObjectMeta::default()
        },
        spec: WorkflowSpec {
            entrypoint: pipeline_name,
            templates,
            arguments: Arguments { parameters: arguments, ..Arguments::default() },
            service_account_name: Some("pipeline-runner".to_owned()),
            on_exit: exit_task.map(|task| task_names[task as usize].clone()),
            ..WorkflowSpec::default()
        },
        ..Workflow::default()
    };
    fix_big_data_passing(&mut workflow, &read_as_text);
    conf::apply(&recorded.conf, &mut workflow)
        .map_err(|problem| Error::InvalidPipeline { pipeline: info.name.clone(), problems: vec![problem] })?;
    if !shared_forms.is_empty() {
        share_templates(&mut workflow, &shared_forms);
        let templates = std::mem::take(&mut workflow.spec.templates);
        workflow.spec.templates = sorted_by_name(templates, |template| &template.name);
    }
    Ok(workflow)
}

/// The exit handler's task: kfp allows one exit handler, the pipeline's first group.
fn exit_task(recorded: &Recorded, problems: &mut Vec<String>) -> Option<u32> {
    let mut handlers = recorded.groups.iter().enumerate().filter_map(|(index, group)| match group.kind {
        GroupKind::ExitHandler { exit_task } => Some((index, exit_task)),
        _ => None,
    });
    let (index, task) = handlers.next()?;
    let others_outside =
        (recorded.tasks.iter().enumerate()).any(|(at, other)| at as u32 != task && other.group.is_none());
    if index != 0 || handlers.next().is_some() || others_outside {
        problems.push(
            "KFP v1 allows one exit handler, holding every task but its exit task, which is recorded just before it: \
             KFP v2 allows several, and tasks outside them (compile for KFP v2, `Target::V2`)"
                .to_owned(),
        );
    }
    Some(task)
}

/// Pipeline parameter names become Argo parameter names as they are.
fn check_params(recorded: &Recorded) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for param in &recorded.info.params {
        if !seen.insert(param.name.as_str()) {
            problems.push(format!("pipeline parameter `{}` is declared twice: rename one of them", param.name));
        }
        let valid =
            !param.name.is_empty() && param.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            problems.push(format!(
                "pipeline parameter `{}`: Argo parameter names use only ASCII letters, digits, `_` and `-`; rename it",
                param.name
            ));
        }
        if param.ty.kind == crate::types::Kind::Artifact {
            let type_name = if param.ty.type_name.is_empty() { "Artifact" } else { param.ty.type_name };
            problems.push(format!(
                "pipeline parameter `{}` is an artifact ({type_name}), which only KFP v2 takes (kfp 2's `Input[{type_name}]`): \
                 KFP v1 pipelines take parameters only; pass the artifact's URI as a `String` parameter and read it in \
                 a task, or compile for KFP v2 (`Target::V2`)",
                param.name
            ));
        }
    }
    problems
}

/// `items` ordered by name (names are unique). Sorts indexes, then moves each
/// item along its cycle of the permutation: a template is large, sorting in
/// place moved each one log(n) times, and a second vector doubled the memory.
fn sorted_by_name<T>(mut items: Vec<T>, name: impl Fn(&T) -> &String) -> Vec<T> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_unstable_by(|&a, &b| name(&items[a]).cmp(name(&items[b])));
    // `order[at]` is the index of the item that belongs at `at`; `usize::MAX` marks a placed one.
    for start in 0..items.len() {
        let mut at = start;
        while order[at] != usize::MAX {
            let from = std::mem::replace(&mut order[at], usize::MAX);
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
    items
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
            if !param.ty.type_name.is_empty() {
                input.insert("type".to_owned(), param.ty.type_name.into());
            }
            if let Some(default) = &param.default {
                input.insert("default".to_owned(), default.clone().into());
                input.insert("optional".to_owned(), true.into());
            } else if param.optional {
                // kfp 1.8's `Optional[str] = None`: optional, and no value.
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

#[cfg(test)]
mod tests {
    use super::sorted_by_name;

    #[test]
    fn sorting_by_name_follows_every_cycle_of_the_permutation() {
        for len in [0, 1, 2, 3, 10, 257] {
            // A permutation with cycles of many lengths: i * 7 + 3 mod len (7 is prime to 257).
            let names: Vec<String> = (0..len).map(|i| format!("t{:04}", (i * 7 + 3) % len.max(1))).collect();
            let mut expected = names.clone();
            expected.sort();
            assert_eq!(sorted_by_name(names, |name| name), expected, "{len} items");
        }
    }
}
