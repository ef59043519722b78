//! kfp's run and execution id placeholders, markers in the recorded pipeline's
//! text ([`RunValue`]), written as each target's text in the finished file. Done
//! on the whole file, so every string gets them whichever part of the pipeline it
//! came from: arguments, settings, manifests, defaults, the pipeline conf.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::dsl::marker::{RunValue, RUN_VALUE_OPEN};

/// kfp 1.8's text for a run value: Argo's variables, which Argo fills in when the run starts.
pub(crate) fn argo_text(value: RunValue, _path: &[String]) -> Result<&'static str, String> {
    Ok(match value {
        RunValue::RunId => "{{workflow.uid}}",
        RunValue::ExecutionId => "{{workflow.uid}}-{{pod.name}}",
    })
}

/// kfp 2's text for a run value at `path` in the pipeline or platform spec: its
/// placeholders, which the KFP v2 driver fills in only in a task's constant
/// arguments (`dag.tasks.<task>.inputs.parameters.<input>.runtimeValue.constant`).
/// Elsewhere the problem names the task.
pub(crate) fn v2_text(value: RunValue, path: &[String]) -> Result<&'static str, String> {
    let placeholder = match value {
        RunValue::RunId => "{{$.pipeline_job_uuid}}",
        RunValue::ExecutionId => "{{$.pipeline_task_uuid}}",
    };
    let argument = path.windows(8).any(|at| {
        at[0] == "dag"
            && at[1] == "tasks"
            && at[3] == "inputs"
            && at[4] == "parameters"
            && at[6..] == ["runtimeValue", "constant"]
    });
    if argument {
        return Ok(placeholder);
    }
    let place = match path.iter().position(|key| key == "executors") {
        Some(at) if at + 1 < path.len() => {
            let executor = &path[at + 1];
            format!("task `{}`: {}", executor.strip_prefix("exec-").unwrap_or(executor), path[at + 2..].join("."))
        }
        _ => path.join("."),
    };
    Err(format!(
        "{place}: kfp's `{}` has no KFP v2 counterpart there (kfp 2 fills in `{placeholder}` only in a task's \
         arguments): pass it to the component as an argument",
        value.kfp_name()
    ))
}

/// Writes `text` for the run values in the strings of `model`, through its JSON
/// form; returns the problems of the places `text` has none for (then `model`
/// is left as it was).
pub(crate) fn write<T: Serialize + DeserializeOwned>(
    model: &mut T,
    text: &impl Fn(RunValue, &[String]) -> Result<&'static str, String>,
) -> Result<Vec<String>, serde_json::Error> {
    let mut value = serde_json::to_value(&*model)?;
    if !has_run_value(&value) {
        return Ok(Vec::new());
    }
    let problems = resolve(&mut value, text);
    if problems.is_empty() {
        *model = serde_json::from_value(value)?;
    }
    Ok(problems)
}

/// Replaces each run value marker in the strings and map keys of `value` by
/// `text(run value, path)`: the target's text for it at that place, `path` being
/// the keys and indices from the root, or the problem `text` names when the
/// target has none there. Returns those problems.
fn resolve(value: &mut Value, text: &impl Fn(RunValue, &[String]) -> Result<&'static str, String>) -> Vec<String> {
    let mut problems = Vec::new();
    resolve_at(value, &mut Vec::new(), text, &mut problems);
    problems
}

/// Whether a string or map key in `value` holds a run value marker.
fn has_run_value(value: &Value) -> bool {
    match value {
        Value::String(string) => string.contains(RUN_VALUE_OPEN),
        Value::Array(items) => items.iter().any(has_run_value),
        Value::Object(map) => map.iter().any(|(key, item)| key.contains(RUN_VALUE_OPEN) || has_run_value(item)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

fn resolve_at(
    value: &mut Value,
    path: &mut Vec<String>,
    text: &impl Fn(RunValue, &[String]) -> Result<&'static str, String>,
    problems: &mut Vec<String>,
) {
    match value {
        Value::String(string) => {
            if let Some(resolved) = resolve_str(string, path, text, problems) {
                *string = resolved;
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                path.push(index.to_string());
                resolve_at(item, path, text, problems);
                path.pop();
            }
        }
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().filter(|key| key.contains(RUN_VALUE_OPEN)).cloned().collect();
            for key in keys {
                if let Some(resolved) = resolve_str(&key, path, text, problems) {
                    let entry = map.remove(&key).unwrap_or_default();
                    map.insert(resolved, entry);
                }
            }
            for (key, item) in map.iter_mut() {
                path.push(key.clone());
                resolve_at(item, path, text, problems);
                path.pop();
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// `string` with its markers replaced, or `None` when it has none.
fn resolve_str(
    string: &str,
    path: &[String],
    text: &impl Fn(RunValue, &[String]) -> Result<&'static str, String>,
    problems: &mut Vec<String>,
) -> Option<String> {
    if !string.contains(RUN_VALUE_OPEN) {
        return None;
    }
    let mut resolved = string.to_owned();
    for value in RunValue::ALL {
        if resolved.contains(value.marker()) {
            match text(value, path) {
                Ok(target) => resolved = resolved.replace(value.marker(), target),
                Err(problem) => problems.push(problem),
            }
        }
    }
    Some(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn markers_in_strings_and_keys_become_the_target_text_or_a_problem_naming_the_place() {
        let run = RunValue::RunId.marker();
        let execution = RunValue::ExecutionId.marker();
        let mut value = json!({"a": [format!("id {run}/{execution}"), 3], format!("{run}-key"): {"b": execution}});
        let problems = resolve(&mut value, &|value, path: &[String]| match value {
            RunValue::RunId => Ok("RUN"),
            RunValue::ExecutionId if path.first().is_some_and(|key| key == "a") => Ok("EXEC"),
            RunValue::ExecutionId => Err(format!("none at {}", path.join("."))),
        });
        assert_eq!(value["a"], json!(["id RUN/EXEC", 3]));
        assert!(value.get("RUN-key").is_some(), "{value}");
        assert!(has_run_value(&value), "the marker left where the target has no text stays");
        assert!(!has_run_value(&json!({"a": ["{{workflow.uid}}"]})));
        assert_eq!(problems, ["none at RUN-key.b"]);
    }

    #[test]
    fn kfp_2_has_the_run_values_in_a_tasks_arguments_only() {
        let path = |text: &str| text.split('.').map(str::to_owned).collect::<Vec<_>>();
        let argument = path("components.comp-for-loop-1.dag.tasks.say.inputs.parameters.text.runtimeValue.constant");
        assert_eq!(v2_text(RunValue::RunId, &argument), Ok("{{$.pipeline_job_uuid}}"));
        assert_eq!(v2_text(RunValue::ExecutionId, &argument), Ok("{{$.pipeline_task_uuid}}"));
        let env = path("deploymentSpec.executors.exec-say.container.env.0.value");
        let problem = v2_text(RunValue::ExecutionId, &env).unwrap_err();
        assert!(
            problem.starts_with("task `say`: container.env.0.value: kfp's `EXECUTION_ID_PLACEHOLDER`"),
            "{problem}"
        );
        let default = path("root.inputDefinitions.parameters.text.defaultValue");
        let problem = v2_text(RunValue::RunId, &default).unwrap_err();
        assert!(problem.starts_with("root.inputDefinitions.parameters.text.defaultValue: kfp's"), "{problem}");
    }
}
