//! kfp's run and execution id placeholders, markers in the recorded pipeline's
//! text ([`RunValue`]), written as each target's text in the finished file. Done
//! on the whole file, so every string gets them whichever part of the pipeline it
//! came from: arguments, settings, manifests, defaults, the pipeline conf.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::dsl::marker::{RunValue, RUN_VALUE_OPEN};

/// kfp 1.8's text for a run value: Argo's variables, which Argo fills in when the run
/// starts; kfp 2's values KFP v1 has no variable for are problems, with the v1 way.
pub(crate) fn argo_text(value: RunValue, _path: &[String]) -> Result<&'static str, String> {
    let v1_way = match value {
        RunValue::RunId => return Ok("{{workflow.uid}}"),
        RunValue::ExecutionId => return Ok("{{workflow.uid}}-{{pod.name}}"),
        RunValue::JobResourceName => return Ok("{{workflow.name}}"),
        RunValue::JobCreateTime => return Ok("{{workflow.creationTimestamp}}"),
        RunValue::JobName => "pass the run's name as a pipeline parameter",
        RunValue::TaskName => "pass the task's name as a constant",
        RunValue::JobScheduleTime => "give a parameter the recurring run's `[[ScheduledTime]]`",
        RunValue::WorkspacePath => {
            "share a volume between the tasks: `VolumeOp` (`kfp::dsl::VolumeOp`) and each task's `add_pvolumes`"
        }
    };
    Err(format!(
        "kfp 2's `{}` has no KFP v1 counterpart: compile for KFP v2 (`Target::V2`), or {v1_way}",
        value.kfp_name()
    ))
}

/// kfp 2's text for a run value at `path` in the pipeline or platform spec: its
/// placeholders, which the KFP v2 driver fills in only in a task's constant
/// arguments (`dag.tasks.<task>.inputs.parameters.<input>.runtimeValue.constant`).
/// Elsewhere the problem names the task.
pub(crate) fn v2_text(value: RunValue, path: &[String]) -> Result<&'static str, String> {
    let placeholder = match value {
        RunValue::RunId => "{{$.pipeline_job_uuid}}",
        RunValue::ExecutionId => "{{$.pipeline_task_uuid}}",
        RunValue::JobName => "{{$.pipeline_job_name}}",
        RunValue::JobResourceName => "{{$.pipeline_job_resource_name}}",
        RunValue::TaskName => "{{$.pipeline_task_name}}",
        RunValue::JobCreateTime => "{{$.pipeline_job_create_time_utc}}",
        RunValue::JobScheduleTime => "{{$.pipeline_job_schedule_time_utc}}",
        RunValue::WorkspacePath => "{{$.workspace_path}}",
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
    // Most pipelines have none: looked for in place, as the JSON form of a large one
    // costs more than the rest of its compile.
    if !has_run_value(&*model) {
        return Ok(Vec::new());
    }
    let mut value = serde_json::to_value(&*model)?;
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

/// Whether a string or map key of `model` holds a run value marker, or `model`
/// cannot be serialized (its JSON form then says why).
pub(crate) fn has_run_value(model: &impl Serialize) -> bool {
    model.serialize(scan::Scan).is_err()
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

/// A serde `Serializer` that visits every string and map key of a value and stops at
/// the first holding a run value marker, building nothing.
mod scan {
    use serde::ser::{self, Serialize};

    use crate::dsl::marker::RUN_VALUE_OPEN;

    /// Why the visit stopped: a marker, or the value's own error.
    #[derive(Debug)]
    pub(super) struct Stop;

    impl std::fmt::Display for Stop {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a run value marker, or a value that cannot be serialized")
        }
    }

    impl std::error::Error for Stop {}

    impl ser::Error for Stop {
        fn custom<T: std::fmt::Display>(_: T) -> Self {
            Stop
        }
    }

    type Result = std::result::Result<(), Stop>;

    #[derive(Clone, Copy)]
    pub(super) struct Scan;

    impl ser::Serializer for Scan {
        type Ok = ();
        type Error = Stop;
        type SerializeSeq = Scan;
        type SerializeTuple = Scan;
        type SerializeTupleStruct = Scan;
        type SerializeTupleVariant = Scan;
        type SerializeMap = Scan;
        type SerializeStruct = Scan;
        type SerializeStructVariant = Scan;

        fn serialize_str(self, v: &str) -> Result {
            if v.contains(RUN_VALUE_OPEN) {
                Err(Stop)
            } else {
                Ok(())
            }
        }
        fn serialize_bool(self, _: bool) -> Result {
            Ok(())
        }
        fn serialize_i64(self, _: i64) -> Result {
            Ok(())
        }
        fn serialize_u64(self, _: u64) -> Result {
            Ok(())
        }
        fn serialize_f64(self, _: f64) -> Result {
            Ok(())
        }
        fn serialize_i8(self, _: i8) -> Result {
            Ok(())
        }
        fn serialize_i16(self, _: i16) -> Result {
            Ok(())
        }
        fn serialize_i32(self, _: i32) -> Result {
            Ok(())
        }
        fn serialize_u8(self, _: u8) -> Result {
            Ok(())
        }
        fn serialize_u16(self, _: u16) -> Result {
            Ok(())
        }
        fn serialize_u32(self, _: u32) -> Result {
            Ok(())
        }
        fn serialize_f32(self, _: f32) -> Result {
            Ok(())
        }
        fn serialize_char(self, _: char) -> Result {
            Ok(())
        }
        fn serialize_bytes(self, _: &[u8]) -> Result {
            Ok(())
        }
        fn serialize_none(self) -> Result {
            Ok(())
        }
        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
            value.serialize(self)
        }
        fn serialize_unit(self) -> Result {
            Ok(())
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result {
            Ok(())
        }
        fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result {
            Ok(())
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result {
            value.serialize(self)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            value: &T,
        ) -> Result {
            value.serialize(self)
        }
        fn serialize_seq(self, _: Option<usize>) -> std::result::Result<Scan, Stop> {
            Ok(self)
        }
        fn serialize_tuple(self, _: usize) -> std::result::Result<Scan, Stop> {
            Ok(self)
        }
        fn serialize_tuple_struct(self, _: &'static str, _: usize) -> std::result::Result<Scan, Stop> {
            Ok(self)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> std::result::Result<Scan, Stop> {
            Ok(self)
        }
        fn serialize_map(self, _: Option<usize>) -> std::result::Result<Scan, Stop> {
            Ok(self)
        }
        fn serialize_struct(self, _: &'static str, _: usize) -> std::result::Result<Scan, Stop> {
            Ok(self)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> std::result::Result<Scan, Stop> {
            Ok(self)
        }
    }

    impl ser::SerializeSeq for Scan {
        type Ok = ();
        type Error = Stop;
        fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
            value.serialize(*self)
        }
        fn end(self) -> Result {
            Ok(())
        }
    }

    impl ser::SerializeTuple for Scan {
        type Ok = ();
        type Error = Stop;
        fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
            value.serialize(*self)
        }
        fn end(self) -> Result {
            Ok(())
        }
    }

    impl ser::SerializeTupleStruct for Scan {
        type Ok = ();
        type Error = Stop;
        fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
            value.serialize(*self)
        }
        fn end(self) -> Result {
            Ok(())
        }
    }

    impl ser::SerializeTupleVariant for Scan {
        type Ok = ();
        type Error = Stop;
        fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
            value.serialize(*self)
        }
        fn end(self) -> Result {
            Ok(())
        }
    }

    impl ser::SerializeMap for Scan {
        type Ok = ();
        type Error = Stop;
        fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result {
            key.serialize(*self)
        }
        fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result {
            value.serialize(*self)
        }
        fn end(self) -> Result {
            Ok(())
        }
    }

    impl ser::SerializeStruct for Scan {
        type Ok = ();
        type Error = Stop;
        fn serialize_field<T: Serialize + ?Sized>(&mut self, _: &'static str, value: &T) -> Result {
            value.serialize(*self)
        }
        fn end(self) -> Result {
            Ok(())
        }
    }

    impl ser::SerializeStructVariant for Scan {
        type Ok = ();
        type Error = Stop;
        fn serialize_field<T: Serialize + ?Sized>(&mut self, _: &'static str, value: &T) -> Result {
            value.serialize(*self)
        }
        fn end(self) -> Result {
            Ok(())
        }
    }
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
            _ => Err(format!("none at {}", path.join("."))),
        });
        assert_eq!(value["a"], json!(["id RUN/EXEC", 3]));
        assert!(value.get("RUN-key").is_some(), "{value}");
        assert!(has_run_value(&value), "the marker left where the target has no text stays");
        assert!(!has_run_value(&json!({"a": ["{{workflow.uid}}"]})));
        assert!(has_run_value(&std::collections::BTreeMap::from([(run, 1)])), "a marker in a map key is found");
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
