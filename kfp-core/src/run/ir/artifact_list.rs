//! Lists of artifacts in local runs of KFP v2 IR: a loop's artifacts collected (`dsl.Collected`)
//! into an input that takes a list (kfp 2's `Input[List[Dataset]]`, `isArtifactList`). The engine
//! carries a list as a parameter, the JSON list of the artifacts' paths in iteration order: a
//! loop's iteration gives its artifact's path, which the loop gathers as it gathers parameters, and
//! the executor input of the task taking the list lists one artifact per path.

use serde_json::{json, Value};

use crate::ir::{ComponentSpec, PipelineFile};

/// Whether input artifact `name` of `component` takes a list of artifacts.
pub(super) fn is_list_input(component: &ComponentSpec, name: &str) -> bool {
    let inputs = component.input_definitions.as_ref();
    inputs.and_then(|inputs| inputs.artifacts.get(name)).is_some_and(|definition| definition.is_artifact_list)
}

/// Whether output artifact `name` of `component` is a list of artifacts.
fn is_list_output(component: &ComponentSpec, name: &str) -> bool {
    let outputs = component.output_definitions.as_ref();
    outputs.and_then(|outputs| outputs.artifacts.get(name)).is_some_and(|definition| definition.is_artifact_list)
}

/// A task's list input taken from `from`, the engine's variable of an artifact
/// (`{{tasks.t.outputs.artifacts.x}}`, `{{inputs.artifacts.x}}`): the same list as a parameter.
pub(super) fn list_argument(input: &str, from: &str) -> Value {
    json!({"name": input, "value": from.replacen(".artifacts.", ".parameters.", 1)})
}

/// The list outputs of DAG component `component` moved from `outputs`' artifacts (as the DAG's
/// template writes them) to its parameters: each the list its producer gives (a loop's, or a
/// DAG's list output), or the path of the artifact one iteration gives, which the loop gathers.
/// `Err` names an output local runs cannot gather.
pub(super) fn list_outputs(file: &PipelineFile, component: &ComponentSpec, outputs: &mut Value) -> Result<(), String> {
    let Some(dag) = &component.dag else { return Ok(()) };
    let Some(dag_outputs) = &dag.outputs else { return Ok(()) };
    for (name, spec) in &dag_outputs.artifacts {
        if !is_list_output(component, name) {
            continue;
        }
        let from = match spec.artifact_selectors.as_slice() {
            [from] => from,
            [] => return Err(format!("output `{name}` is a list of artifacts that no task gives (it has no `artifactSelectors`)")),
            _ => {
                return Err(format!(
                    "output `{name}` is a list of artifacts taken from one of several tasks (`dsl.OneOf`), which local runs do not gather yet"
                ))
            }
        };
        let producer = dag.tasks.get(&from.producer_subtask);
        let producer_component =
            producer.and_then(|task| task.component_ref.as_ref()).and_then(|r| file.spec.component(&r.name));
        let gathered = producer
            .is_some_and(|task| task.parameter_iterator.is_some() || task.artifact_iterator.is_some())
            || producer_component.is_some_and(|c| is_list_output(c, &from.output_artifact_key));
        let kind = if gathered { "parameters" } else { "artifacts" };
        let value = format!("{{{{tasks.{}.outputs.{kind}.{}}}}}", from.producer_subtask, from.output_artifact_key);
        if let Some(artifacts) = outputs["artifacts"].as_array_mut() {
            artifacts.retain(|artifact| artifact["name"] != json!(name));
        }
        match outputs["parameters"].as_array_mut() {
            Some(parameters) => parameters.push(json!({"name": name, "valueFrom": {"parameter": value}})),
            None => outputs["parameters"] = json!([{"name": name, "valueFrom": {"parameter": value}}]),
        }
    }
    Ok(())
}

/// The pipeline's inputs that are lists of artifacts (kfp 2's `in_datasets: Input[List[Dataset]]`
/// on a pipeline), as the run's parameters `given` name them: each `-p in_datasets=PATH` adds one
/// artifact, in order (a path from where the run starts, or a `file://` URI), and a value that is a
/// JSON list (`-p 'in_datasets=["a.csv", "b.csv"]'`) adds each of its paths. The engine carries each
/// list as the JSON list of the absolute paths (as a loop's collected artifacts); the second part
/// is a problem for each path with no file and each required list left out.
pub(super) fn root_lists(file: &PipelineFile, given: &[(String, String)]) -> (Vec<(String, String)>, Vec<String>) {
    let inputs = file.spec.root.as_ref().and_then(|root| root.input_definitions.as_ref());
    let (mut lists, mut problems) = (Vec::new(), Vec::new());
    for (name, definition) in inputs.into_iter().flat_map(|inputs| &inputs.artifacts) {
        if !definition.is_artifact_list {
            continue;
        }
        let title =
            definition.artifact_type.as_ref().and_then(|t| t.schema_title.as_deref()).unwrap_or("system.Artifact");
        let values: Vec<&str> =
            given.iter().filter(|(param, _)| param == name).map(|(_, value)| value.as_str()).collect();
        if values.is_empty() {
            if !definition.is_optional {
                problems.push(format!(
                    "pipeline input `{name}` (a list of {title}) is required: give each artifact with \
                     `-p {name}=PATH` (repeated, in order), or all of them as a JSON list, `-p '{name}=[\"a\", \"b\"]'`"
                ));
            }
            continue;
        }
        let mut paths = Vec::new();
        for value in values {
            let listed: Vec<String> = if value.trim_start().starts_with('[') {
                match serde_json::from_str(value) {
                    Ok(listed) => listed,
                    Err(error) => {
                        problems.push(format!(
                            "pipeline input `{name}` (a list of {title}): `{value}` is not a JSON list of paths \
                             ({error}); give one path per `-p {name}=PATH`, or a list such as `[\"a\", \"b\"]`"
                        ));
                        continue;
                    }
                }
            } else {
                vec![value.to_owned()]
            };
            for listed in listed {
                let path = std::path::PathBuf::from(listed.strip_prefix("file://").unwrap_or(&listed));
                if path.exists() {
                    paths.push(std::path::absolute(&path).unwrap_or(path).to_string_lossy().into_owned());
                } else {
                    problems.push(format!(
                        "pipeline input `{name}` (a list of {title}): no file or directory at `{listed}`; local runs \
                         take each artifact as a local path or `file://` URI"
                    ));
                }
            }
        }
        lists.push((name.clone(), json!(paths).to_string()));
    }
    (lists, problems)
}
