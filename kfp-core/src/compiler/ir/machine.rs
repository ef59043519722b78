//! Machine settings given by pipeline values (kfp 2's `set_cpu_limit(param)`,
//! `set_accelerator_type(task.output)`): each becomes a task input kfp 2 names
//! (`cpu_limit`, `accelerator_type`, ...) whose constant reads the value's
//! `pipelinechannel--` input, and the executor's resources read the same text.

use std::borrow::Cow;

use serde_json::{json, Map, Value};

use super::typed;
use crate::dsl::marker::{self, Piece, ValueRef};
use crate::dsl::TaskSettings;
use crate::ir::PipelineTaskSpec;

/// Each machine setting of `settings` that is set: the task input kfp 2 names it, and its text.
fn machine_texts(settings: &TaskSettings) -> [(&'static str, Option<&String>); 6] {
    [
        ("cpu_limit", settings.limits.get("cpu")),
        ("cpu_request", settings.requests.get("cpu")),
        ("memory_limit", settings.limits.get("memory")),
        ("memory_request", settings.requests.get("memory")),
        ("accelerator_type", settings.accelerator_type.as_ref()),
        ("accelerator_count", settings.accelerator_limit.as_ref()),
    ]
}

/// The pipeline values the task's machine settings take (so that groups pass them down).
pub(super) fn values(settings: &TaskSettings) -> Vec<ValueRef> {
    (machine_texts(settings).into_iter().filter_map(|(_, text)| text))
        .flat_map(|text| marker::pieces(text))
        .filter_map(|piece| match piece {
            Piece::Value(value) => Some(value),
            Piece::Text(_) => None,
        })
        .collect()
}

/// The settings with each machine setting that embeds pipeline values written as
/// the input placeholder the executor reads, and the task inputs that carry them;
/// `embed` writes a text's values as `pipelinechannel--` inputs (`embedded_text`).
pub(super) fn lower<'a>(
    settings: &'a TaskSettings,
    mut embed: impl FnMut(&str, &mut Map<String, Value>) -> Result<String, String>,
) -> Result<(Cow<'a, TaskSettings>, Map<String, Value>), String> {
    let mut inputs = Map::new();
    let mut lowered = Cow::Borrowed(settings);
    for (input, text) in machine_texts(settings) {
        let Some(text) = text.filter(|text| marker::has_marker(text)) else { continue };
        let placeholder = embed(text, &mut inputs).map_err(|problem| format!("{input}: {problem}"))?;
        inputs.insert(input.to_owned(), json!({"runtimeValue": {"constant": placeholder}}));
        let owned = lowered.to_mut();
        let slot = match input {
            "cpu_limit" => owned.limits.get_mut("cpu"),
            "cpu_request" => owned.requests.get_mut("cpu"),
            "memory_limit" => owned.limits.get_mut("memory"),
            "memory_request" => owned.requests.get_mut("memory"),
            "accelerator_type" => owned.accelerator_type.as_mut(),
            _ => owned.accelerator_limit.as_mut(),
        };
        if let Some(slot) = slot {
            *slot = placeholder;
        }
    }
    Ok((lowered, inputs))
}

/// Adds the machine settings' inputs to a task's spec.
pub(super) fn add_inputs(spec: &mut PipelineTaskSpec, inputs: Map<String, Value>) -> Result<(), Vec<String>> {
    if inputs.is_empty() {
        return Ok(());
    }
    let parameters = &mut spec.inputs.get_or_insert_with(Default::default).parameters;
    for (name, input) in inputs {
        parameters.insert(name, typed(input)?);
    }
    Ok(())
}

/// Whether `text` is an input placeholder [`lower`] wrote, which KFP v2 fills in at run time.
pub(super) fn is_placeholder(text: &str) -> bool {
    text.starts_with("{{$.inputs.parameters['") && text.ends_with("']}}")
}
