//! Writing a [`PipelineFile`] as kfp 2 does: a header comment, then the documents with
//! mapping keys sorted (PyYAML's `sort_keys=True`).

use std::fmt::Write as _;

use serde_json::Value;

use super::{ComponentSpec, PipelineFile};

/// A model that cannot be written as YAML.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the pipeline IR as YAML: {0}")]
pub struct Error(String);

/// The whole file.
pub(super) fn file(file: &PipelineFile) -> Result<String, Error> {
    let mut out = header(file);
    out.push_str(&document(&file.spec)?);
    if let Some(platform) = &file.platform {
        out.push_str("---\n");
        out.push_str(&document(platform)?);
    }
    Ok(out)
}

/// One document, its keys sorted as PyYAML sorts them (by code point, which is UTF-8's
/// byte order); written straight from the model, which is as fast as the writer.
fn document(value: &impl serde::Serialize) -> Result<String, Error> {
    crate::argo::yaml_sorted_document(value).map_err(|error| Error(error.to_string()))
}

/// kfp's header: `# PIPELINE DEFINITION`, `# Name:`, `# Description:` (its lines after the
/// first indented), then the root's `# Inputs:` and `# Outputs:`, each sorted by name as
/// `#    name: type [Default: value]`, values as Python prints them.
fn header(file: &PipelineFile) -> String {
    let name = file.spec.pipeline_info.as_ref().map(|info| info.name.as_str()).unwrap_or_default();
    let mut out = String::from("# PIPELINE DEFINITION\n");
    let _ = writeln!(out, "# Name: {name}");
    if !file.description.is_empty() {
        let description = file.description.lines().collect::<Vec<_>>().join(&format!("\n{DESCRIPTION_MORE}"));
        let _ = writeln!(out, "{DESCRIPTION}{description}");
    }
    if let Some(root) = &file.spec.root {
        signature(&mut out, root, true);
        signature(&mut out, root, false);
    }
    out
}

/// The header line of the description's first line.
const DESCRIPTION: &str = "# Description: ";
/// The start of the header lines of the description's other lines.
const DESCRIPTION_MORE: &str = "#              ";

/// The description in the header comment of `text`, as [`header`] wrote it; empty when none.
pub(super) fn header_description(text: &str) -> String {
    let mut comments = text.lines().take_while(|line| line.starts_with('#'));
    let Some(first) = comments.by_ref().find_map(|line| line.strip_prefix(DESCRIPTION)) else {
        return String::new();
    };
    let mut lines = vec![first];
    lines.extend(
        comments.map_while(|line| {
            line.strip_prefix(DESCRIPTION_MORE).or((line == DESCRIPTION_MORE.trim_end()).then_some(""))
        }),
    );
    lines.join("\n")
}

/// The `# Inputs:` (or `# Outputs:`) section of the root.
fn signature(out: &mut String, root: &ComponentSpec, inputs: bool) {
    let mut lines: Vec<(String, String)> = Vec::new();
    if inputs {
        let Some(definitions) = &root.input_definitions else { return };
        for (name, parameter) in &definitions.parameters {
            let mut line = format!("{name}: {}", parameter.parameter_type.python_name());
            if let Some(default) = &parameter.default_value {
                let shown = match default {
                    Value::String(text) => format!("'{text}'"),
                    other => python_repr(other),
                };
                let _ = write!(line, " [Default: {shown}]");
            }
            lines.push((name.clone(), line));
        }
        for (name, artifact) in &definitions.artifacts {
            lines.push((name.clone(), format!("{name}: {}", schema_title(artifact.artifact_type.as_ref()))));
        }
    } else {
        let Some(definitions) = &root.output_definitions else { return };
        for (name, parameter) in &definitions.parameters {
            lines.push((name.clone(), format!("{name}: {}", parameter.parameter_type.python_name())));
        }
        for (name, artifact) in &definitions.artifacts {
            lines.push((name.clone(), format!("{name}: {}", schema_title(artifact.artifact_type.as_ref()))));
        }
    }
    out.push_str(if inputs { "# Inputs:\n" } else { "# Outputs:\n" });
    lines.sort();
    for (_, line) in lines {
        let _ = writeln!(out, "#    {line}");
    }
}

fn schema_title(schema: Option<&super::ArtifactTypeSchema>) -> &str {
    schema.and_then(|schema| schema.schema_title.as_deref()).unwrap_or_default()
}

/// `value` as Python's `str()` prints what protobuf's `MessageToDict` gives: numbers are
/// floats (`1.0`), strings in a list or dict are quoted as `repr` quotes them.
fn python_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::Number(number) => python_float(number.as_f64().unwrap_or_default()),
        Value::String(text) => python_str_repr(text),
        Value::Array(items) => format!("[{}]", items.iter().map(python_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(fields) => format!(
            "{{{}}}",
            fields
                .iter()
                .map(|(key, value)| format!("{}: {}", python_str_repr(key), python_repr(value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Python's `repr` of a float: `1.0`, `0.5`, `1e+16`.
fn python_float(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let text = format!("{value:?}");
    match text.split_once('e') {
        Some((mantissa, exponent)) if !exponent.starts_with('-') => format!("{mantissa}e+{exponent}"),
        _ => text,
    }
}

/// Python's `repr` of a string: single quotes unless it holds one and no double quote.
fn python_str_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_are_printed_as_python_prints_them() {
        let value: Value = serde_json::json!([{"p": ["it's", 2.0], "q": true}, null, 1e16]);
        assert_eq!(python_repr(&value), "[{'p': [\"it's\", 2.0], 'q': True}, None, 1e+16]");
        assert_eq!(python_float(900.0), "900.0");
    }
}
