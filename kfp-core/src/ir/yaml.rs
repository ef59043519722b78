//! Writing a [`PipelineFile`] as kfp 2 does: a header comment, then the documents with
//! mapping keys sorted (PyYAML's `sort_keys=True`).

use std::fmt::Write as _;

use serde_json::Value;

use super::{ComponentSpec, DagSpec, DeploymentSpec, ExecutorSpec, PipelineFile, PipelineSpec, PipelineTaskSpec};

/// A model that cannot be written as YAML.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the pipeline IR as YAML: {0}")]
pub struct Error(String);

/// The whole file.
pub(super) fn file(file: &PipelineFile) -> Result<String, Error> {
    let mut out = header(file);
    spec_document(&mut out, &file.spec)?;
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

/// The pipeline spec as [`document`] writes it, appended to `out`, written key by key so
/// that a component or executor equal to the one before it (kfp 2 gives each task its
/// own, so 10,000 tasks of one component are 10,000 copies) is laid out once and copied.
fn spec_document(out: &mut String, spec: &PipelineSpec) -> Result<(), Error> {
    let start = out.len();
    // The root's tasks are most of the text left to lay out once components and executors
    // are copied: three fifths of a large root's tasks are written on a thread of its own,
    // beside the rest of the file (components and executors, the rest of the tasks).
    let root_tasks: Vec<(&String, &PipelineTaskSpec)> = match &spec.root {
        Some(ComponentSpec { dag: Some(dag), .. }) => dag.tasks.iter().collect(),
        _ => Vec::new(),
    };
    let (own_tasks, other_tasks) = root_tasks.split_at(root_tasks.len() * 2 / 5);
    let (own_tasks, other_tasks) =
        if root_tasks.len() < TASKS_FOR_A_THREAD { (&root_tasks[..], &[][..]) } else { (own_tasks, other_tasks) };
    std::thread::scope(|scope| {
        let other = (!other_tasks.is_empty()).then(|| scope.spawn(|| tasks_text(other_tasks)));
        let other = move || {
            other.map_or(Ok(String::new()), |thread| {
                thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
        };
        spec_document_entries(out, spec, start, own_tasks, other)
    })
}

/// How many tasks a root has before most of them are written on another thread.
const TASKS_FOR_A_THREAD: usize = 1_000;

/// The entries of [`spec_document`]: the root's tasks are `own_tasks`, then the text
/// `other_tasks` gives (the rest of them, from their first key on).
fn spec_document_entries(
    out: &mut String,
    spec: &PipelineSpec,
    start: usize,
    own_tasks: &[(&String, &PipelineTaskSpec)],
    other_tasks: impl FnOnce() -> Result<String, Error>,
) -> Result<(), Error> {
    let PipelineSpec {
        pipeline_info,
        deployment_spec,
        sdk_version,
        schema_version,
        components,
        root,
        default_pipeline_root,
    } = spec;
    // The keys in PyYAML's sorted order, each written when serde would write it.
    if !components.is_empty() {
        out.push_str("components:\n");
        let mut last: Option<LastComponent> = None;
        for (name, component) in components {
            entry_key(out, name, 2);
            last = Some(component_value(out, component, last)?);
        }
    }
    if !default_pipeline_root.is_empty() {
        field(out, "defaultPipelineRoot", default_pipeline_root)?;
    }
    if let Some(DeploymentSpec { executors }) = deployment_spec {
        if executors.is_empty() {
            field(out, "deploymentSpec", &DeploymentSpec::default())?;
        } else {
            out.push_str("deploymentSpec:\n  executors:\n");
            let mut last: Option<(&ExecutorSpec, String)> = None;
            for (label, executor) in executors {
                entry_key(out, label, 4);
                match &last {
                    Some((before, text)) if *before == executor => out.push_str(text),
                    _ => {
                        let mut text = String::new();
                        value(&mut text, executor, 4)?;
                        out.push_str(&text);
                        last = Some((executor, text));
                    }
                }
            }
        }
    }
    if let Some(info) = pipeline_info {
        field(out, "pipelineInfo", info)?;
    }
    if let Some(root) = root {
        out.push_str("root:");
        root_value(out, root, own_tasks, other_tasks)?;
    }
    if !schema_version.is_empty() {
        field(out, "schemaVersion", schema_version)?;
    }
    if !sdk_version.is_empty() {
        field(out, "sdkVersion", sdk_version)?;
    }
    if out.len() == start {
        out.push_str(&document(spec)?);
    }
    Ok(())
}

/// The root component after `root:`, its tasks being `own_tasks` followed by the text of
/// `other_tasks`.
fn root_value(
    out: &mut String,
    root: &ComponentSpec,
    own_tasks: &[(&String, &PipelineTaskSpec)],
    other_tasks: impl FnOnce() -> Result<String, Error>,
) -> Result<(), Error> {
    let Some(DagSpec { tasks, outputs }) = &root.dag else { return value(out, root, 0) };
    if tasks.is_empty() {
        return value(out, root, 0);
    }
    // The root's keys sorted: `dag` first, then the others as serde writes them.
    out.push_str("\n  dag:");
    if let Some(outputs) = outputs {
        out.push_str("\n    outputs:");
        value(out, outputs, 4)?;
        out.push_str("    tasks:");
    } else {
        out.push_str("\n    tasks:");
    }
    value(out, &Entries(own_tasks), 4)?;
    // A mapping after `key:` starts on a line of its own: this one follows `own_tasks`' text.
    let others = other_tasks()?;
    out.push_str(others.strip_prefix('\n').unwrap_or(&others));
    // Every field but the DAG, so that a field added to the model is written too.
    let ComponentSpec {
        input_definitions,
        output_definitions,
        dag: _,
        executor_label,
        single_platform_specs,
        task_config_passthroughs,
    } = root;
    let rest = ComponentSpec {
        input_definitions: input_definitions.clone(),
        output_definitions: output_definitions.clone(),
        dag: None,
        executor_label: executor_label.clone(),
        single_platform_specs: single_platform_specs.clone(),
        task_config_passthroughs: task_config_passthroughs.clone(),
    };
    if rest != ComponentSpec::default() {
        let mut text = String::new();
        value(&mut text, &rest, 0)?;
        out.push_str(text.strip_prefix('\n').unwrap_or(&text));
    }
    Ok(())
}

/// The text of some of the root's tasks, as [`root_value`] writes them after `tasks:`.
fn tasks_text(tasks: &[(&String, &PipelineTaskSpec)]) -> Result<String, Error> {
    let mut text = String::new();
    value(&mut text, &Entries(tasks), 4)?;
    Ok(text)
}

/// Entries of a mapping, in their order, written as a mapping.
struct Entries<'a, V>(&'a [(&'a String, &'a V)]);

impl<V: serde::Serialize> serde::Serialize for Entries<'_, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().copied())
    }
}

/// A component as written, for the next one to copy: `label_end` is where the text
/// after its `executorLabel` line starts, when that line is its first.
struct LastComponent<'a> {
    component: &'a ComponentSpec,
    text: String,
    label_end: Option<usize>,
}

/// Writes `component` (the value of its key at column 2), copying `last`'s text when the
/// two differ in their executor label at most, as the components of one program do.
fn component_value<'a>(
    out: &mut String,
    component: &'a ComponentSpec,
    last: Option<LastComponent<'a>>,
) -> Result<LastComponent<'a>, Error> {
    let label_line = |label: &str| -> Result<String, Error> {
        let mut line = String::from("\n    executorLabel:");
        value(&mut line, label, 4)?;
        Ok(line)
    };
    if let Some(last) = last {
        if let (Some(label_end), Some(label)) = (last.label_end, &component.executor_label) {
            if same_but_label(last.component, component) {
                let line = label_line(label)?;
                out.push_str(&line);
                out.push_str(&last.text[label_end..]);
                return Ok(LastComponent { component, text: last.text, label_end: Some(label_end) });
            }
        }
    }
    let mut text = String::new();
    value(&mut text, component, 2)?;
    out.push_str(&text);
    let label_end = match &component.executor_label {
        Some(label) => Some(label_line(label)?).filter(|line| text.starts_with(line.as_str())).map(|line| line.len()),
        None => None,
    };
    Ok(LastComponent { component, text, label_end })
}

/// True when `a` and `b` are equal but for their executor labels.
fn same_but_label(a: &ComponentSpec, b: &ComponentSpec) -> bool {
    // Every field, so that a field added to the model is compared too.
    let ComponentSpec {
        input_definitions,
        output_definitions,
        dag,
        executor_label: _,
        single_platform_specs,
        task_config_passthroughs,
    } = a;
    *input_definitions == b.input_definitions
        && *output_definitions == b.output_definitions
        && *dag == b.dag
        && *single_platform_specs == b.single_platform_specs
        && *task_config_passthroughs == b.task_config_passthroughs
}

/// `key:` at the start of the document, and its value.
fn field(out: &mut String, key: &str, field: &impl serde::Serialize) -> Result<(), Error> {
    out.push_str(key);
    out.push(':');
    value(out, field, 0)
}

/// `key:` of a mapping entry at column `col`.
fn entry_key(out: &mut String, key: &str, col: usize) {
    out.extend(std::iter::repeat_n(' ', col));
    crate::argo::yaml_key(out, key);
    out.push(':');
}

/// `value` after the `key:` of a key at column `col`.
fn value(out: &mut String, value: &(impl serde::Serialize + ?Sized), col: usize) -> Result<(), Error> {
    crate::argo::yaml_sorted_value(out, value, col).map_err(|error| Error(error.to_string()))
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

    /// The spec as the generic writer writes it in one piece, for the key-by-key writer to match.
    fn whole(spec: &PipelineSpec) -> String {
        document(spec).unwrap()
    }

    fn piecewise(spec: &PipelineSpec) -> String {
        let mut out = String::new();
        spec_document(&mut out, spec).unwrap();
        out
    }

    #[test]
    fn specs_written_key_by_key_are_the_specs_written_whole() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/kfp-2.17.3");
        let mut read = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "yaml") {
                let file = PipelineFile::from_yaml(&std::fs::read_to_string(&path).unwrap()).unwrap();
                assert_eq!(piecewise(&file.spec), whole(&file.spec), "{}", path.display());
                read += 1;
            }
        }
        assert!(read > 100, "{read} goldens in {}", dir.display());
        assert_eq!(piecewise(&PipelineSpec::default()), "{}\n");
        let empty_executors = PipelineSpec { deployment_spec: Some(DeploymentSpec::default()), ..Default::default() };
        assert_eq!(piecewise(&empty_executors), "deploymentSpec: {}\n");
    }

    #[test]
    fn repeated_components_and_executors_are_copied_with_their_own_labels() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tests/fixtures/kfp-2.17.3/two_step_pipeline.yaml"),
        )
        .unwrap();
        let mut spec = PipelineFile::from_yaml(&text).unwrap().spec;
        let (name, component) = spec.components.iter().next().map(|(n, c)| (n.clone(), c.clone())).unwrap();
        let label = component.executor_label.clone().unwrap();
        let executor = spec.executor(&label).unwrap().clone();
        // Labels that need quotes, and a component that differs in more than its label among the copies.
        for (at, suffix) in ["-2", "-3", ": x", "-4"].iter().enumerate() {
            let label = format!("{label}{suffix}");
            let mut copy = ComponentSpec { executor_label: Some(label.clone()), ..component.clone() };
            if at == 3 {
                copy.output_definitions = None;
            }
            spec.components.insert(format!("{name}{suffix}"), copy);
            spec.deployment_spec.as_mut().unwrap().executors.insert(label, executor.clone());
        }
        let written = piecewise(&spec);
        assert_eq!(written, whole(&spec));
        assert!(written.contains("executorLabel: \"exec-"), "{written}");
    }

    #[test]
    fn a_large_root_written_on_two_threads_is_the_root_written_whole() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/kfp-2.17.3/artifacts_simple.yaml"),
        )
        .unwrap();
        let mut spec = PipelineFile::from_yaml(&text).unwrap().spec;
        let dag = spec.root.as_mut().and_then(|root| root.dag.as_mut()).unwrap();
        assert!(dag.outputs.is_some(), "the root has outputs, written before its tasks");
        let (name, task) = dag.tasks.iter().next().map(|(n, t)| (n.clone(), t.clone())).unwrap();
        for at in 0..TASKS_FOR_A_THREAD + 1 {
            dag.tasks.insert(format!("{name}-{at}"), task.clone());
        }
        assert_eq!(piecewise(&spec), whole(&spec));
    }

    #[test]
    fn header_values_are_printed_as_python_prints_them() {
        let value: Value = serde_json::json!([{"p": ["it's", 2.0], "q": true}, null, 1e16]);
        assert_eq!(python_repr(&value), "[{'p': [\"it's\", 2.0], 'q': True}, None, 1e+16]");
        assert_eq!(python_float(900.0), "900.0");
    }
}
