//! Pipeline values inside strings: `format!("echo {}", message)` with a parameter,
//! output or loop item writes a marker that a compiler turns into its target's
//! reference, as kfp turns its `{{pipelineparam:op=...;name=...}}` into one.
//!
//! A marker is `{{kfp-rs:<recording>:<kind>:<payload>}}`; payloads never contain
//! `}`, and output and field names are percent-free identifiers kfp allows.

use std::fmt;

/// An untyped reference to one output of one recorded task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OutputRef {
    pub(crate) recording: u64,
    pub(crate) task: u32,
    pub(crate) name: &'static str,
}

/// A value a marker stands for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ValueRef {
    /// Pipeline parameter number `index`.
    Param {
        /// Recording the handle belongs to.
        recording: u64,
        /// Its index among the pipeline's parameters.
        index: u32,
    },
    /// A task output.
    Output(OutputRef),
    /// The item of loop group `group`, or one field of it.
    Item {
        /// Recording the handle belongs to.
        recording: u64,
        /// The loop's group index.
        group: u32,
        /// `item.field`, when a field.
        field: Option<String>,
    },
    /// A task output inside loops, collected into a list over every iteration
    /// (kfp's `dsl.Collected`): a list of lists when `depth` loops are collected.
    Collected {
        /// The output collected.
        output: OutputRef,
        /// How many loops (around the producer, not around the consumer) the list spans.
        depth: u32,
    },
    /// `dsl.OneOf` number `index` (from 0) of condition-branches group `group`: the
    /// output of whichever branch ran.
    OneOf {
        /// Recording the handle belongs to.
        recording: u64,
        /// The condition-branches group's index.
        group: u32,
        /// Which of the group's OneOfs.
        index: u32,
    },
}

impl ValueRef {
    /// The recording the value belongs to.
    pub fn recording(&self) -> u64 {
        match self {
            ValueRef::Param { recording, .. }
            | ValueRef::Item { recording, .. }
            | ValueRef::OneOf { recording, .. } => *recording,
            ValueRef::Output(output) | ValueRef::Collected { output, .. } => output.recording,
        }
    }
}

const OPEN: &str = "{{kfp-rs:";

impl fmt::Display for ValueRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueRef::Param { recording, index } => write!(f, "{OPEN}{recording}:p:{index}}}}}"),
            ValueRef::Output(output) => {
                write!(f, "{OPEN}{}:o:{}:{}}}}}", output.recording, output.task, output.name)
            }
            ValueRef::Item { recording, group, field: None } => write!(f, "{OPEN}{recording}:i:{group}}}}}"),
            ValueRef::Item { recording, group, field: Some(field) } => {
                write!(f, "{OPEN}{recording}:i:{group}:{field}}}}}")
            }
            ValueRef::Collected { output, depth } => {
                write!(f, "{OPEN}{}:c:{}:{depth}:{}}}}}", output.recording, output.task, output.name)
            }
            ValueRef::OneOf { recording, group, index } => write!(f, "{OPEN}{recording}:f:{group}:{index}}}}}"),
        }
    }
}

/// A value of the run itself, written in text as kfp's placeholders are: each
/// compiler writes its target's text for it in the finished file. Its marker is
/// no [`ValueRef`] marker, so the dsl and the lowering treat it as plain text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RunValue {
    /// kfp's `RUN_ID_PLACEHOLDER`: the id of the run.
    RunId,
    /// kfp's `EXECUTION_ID_PLACEHOLDER`: an id of one task's execution.
    ExecutionId,
    /// kfp 2's `PIPELINE_JOB_NAME_PLACEHOLDER`: the run's name.
    JobName,
    /// kfp 2's `PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER`: the name of the run's resource (the Argo Workflow's).
    JobResourceName,
    /// kfp 2's `PIPELINE_TASK_NAME_PLACEHOLDER`: the task's name in its DAG.
    TaskName,
    /// kfp 2's `PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER`: when the run was created.
    JobCreateTime,
    /// kfp 2's `PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER`: when a recurring run's run was scheduled.
    JobScheduleTime,
    /// kfp 2's `WORKSPACE_PATH_PLACEHOLDER`: where the run's workspace is mounted.
    WorkspacePath,
}

/// How every run value marker starts.
pub const RUN_VALUE_OPEN: &str = "{{kfp-rs-run:";

impl RunValue {
    /// Every run value.
    pub const ALL: [RunValue; 8] = [
        RunValue::RunId,
        RunValue::ExecutionId,
        RunValue::JobName,
        RunValue::JobResourceName,
        RunValue::TaskName,
        RunValue::JobCreateTime,
        RunValue::JobScheduleTime,
        RunValue::WorkspacePath,
    ];

    /// The text standing for the value in the recorded pipeline.
    pub const fn marker(self) -> &'static str {
        match self {
            RunValue::RunId => "{{kfp-rs-run:run-id}}",
            RunValue::ExecutionId => "{{kfp-rs-run:execution-id}}",
            RunValue::JobName => "{{kfp-rs-run:job-name}}",
            RunValue::JobResourceName => "{{kfp-rs-run:job-resource-name}}",
            RunValue::TaskName => "{{kfp-rs-run:task-name}}",
            RunValue::JobCreateTime => "{{kfp-rs-run:job-create-time}}",
            RunValue::JobScheduleTime => "{{kfp-rs-run:job-schedule-time}}",
            RunValue::WorkspacePath => "{{kfp-rs-run:workspace-path}}",
        }
    }

    /// kfp's name for it, for messages.
    pub const fn kfp_name(self) -> &'static str {
        match self {
            RunValue::RunId => "RUN_ID_PLACEHOLDER",
            RunValue::ExecutionId => "EXECUTION_ID_PLACEHOLDER",
            RunValue::JobName => "PIPELINE_JOB_NAME_PLACEHOLDER",
            RunValue::JobResourceName => "PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER",
            RunValue::TaskName => "PIPELINE_TASK_NAME_PLACEHOLDER",
            RunValue::JobCreateTime => "PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER",
            RunValue::JobScheduleTime => "PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER",
            RunValue::WorkspacePath => "WORKSPACE_PATH_PLACEHOLDER",
        }
    }
}

/// A piece of a string with markers: text as written, or a value.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece<'a> {
    /// Literal text.
    Text(&'a str),
    /// A pipeline value.
    Value(ValueRef),
}

/// Splits `text` into literal text and the values its markers stand for.
/// Text that looks like a marker but does not parse stays text.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find("}}") else { break };
        match parse(&after[..end]) {
            Some(value) => {
                if start > 0 {
                    out.push(Piece::Text(&rest[..start]));
                }
                out.push(Piece::Value(value));
            }
            None => out.push(Piece::Text(&rest[..start + OPEN.len() + end + 2])),
        }
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// `text` with the marker of each value in it replaced by `value_text(value)`, the text
/// around them kept as it is; stops at the first error.
pub(crate) fn replace_values<E>(
    text: &str,
    mut value_text: impl FnMut(ValueRef) -> Result<String, E>,
) -> Result<String, E> {
    if !has_marker(text) {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Value(value) => out.push_str(&value_text(value)?),
        }
    }
    Ok(out)
}

/// Whether `text` holds a marker: the fast path skips every string without one.
pub fn has_marker(text: &str) -> bool {
    text.contains(OPEN)
}

fn parse(body: &str) -> Option<ValueRef> {
    let mut parts = body.splitn(4, ':');
    let recording = parts.next()?.parse().ok()?;
    let kind = parts.next()?;
    let a: u32 = parts.next()?.parse().ok()?;
    let rest = parts.next();
    match kind {
        "p" if rest.is_none() => Some(ValueRef::Param { recording, index: a }),
        "o" => {
            // Output names are `&'static str`s of the component; leak-free lookup
            // is not possible from text, so outputs carry their name as text here.
            let name = rest?;
            Some(ValueRef::Output(OutputRef { recording, task: a, name: intern(name) }))
        }
        "i" => Some(ValueRef::Item { recording, group: a, field: rest.map(str::to_owned) }),
        "f" => Some(ValueRef::OneOf { recording, group: a, index: rest?.parse().ok()? }),
        "c" => {
            let (depth, name) = rest?.split_once(':')?;
            let output = OutputRef { recording, task: a, name: intern(name) };
            Some(ValueRef::Collected { output, depth: depth.parse().ok()? })
        }
        _ => None,
    }
}

/// Output names are `&'static str`; markers give them back as text. Names are
/// few (one per component output), so each distinct one is leaked once.
pub(crate) fn intern(name: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static NAMES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let mut names = NAMES.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let names = names.get_or_insert_with(HashSet::new);
    if let Some(existing) = names.get(name) {
        return existing;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip_inside_text() {
        let param = ValueRef::Param { recording: 3, index: 1 };
        let output = ValueRef::Output(OutputRef { recording: 3, task: 7, name: "out" });
        let item = ValueRef::Item { recording: 3, group: 2, field: Some("a".to_owned()) };
        let collected = ValueRef::Collected { output: OutputRef { recording: 3, task: 7, name: "out" }, depth: 2 };
        let text = format!("echo {param} and {output}-{item}{{{{x}}}}{collected}");
        assert!(has_marker(&text));
        assert_eq!(
            pieces(&text),
            vec![
                Piece::Text("echo "),
                Piece::Value(param),
                Piece::Text(" and "),
                Piece::Value(output),
                Piece::Text("-"),
                Piece::Value(item),
                Piece::Text("{{x}}"),
                Piece::Value(collected),
            ]
        );
    }

    #[test]
    fn run_values_are_text_to_value_markers() {
        for value in RunValue::ALL {
            assert!(value.marker().starts_with(RUN_VALUE_OPEN));
            assert!(!has_marker(value.marker()));
            assert_eq!(pieces(value.marker()), vec![Piece::Text(value.marker())]);
        }
    }

    #[test]
    fn broken_markers_stay_text() {
        assert_eq!(pieces("a {{kfp-rs:x:p:1}} b"), vec![Piece::Text("a {{kfp-rs:x:p:1}}"), Piece::Text(" b")]);
        assert_eq!(pieces("{{kfp-rs:1:p:1"), vec![Piece::Text("{{kfp-rs:1:p:1")]);
    }
}
