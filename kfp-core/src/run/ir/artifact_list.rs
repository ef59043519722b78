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
