//! An importer task (kfp 2's `dsl.importer`) as kfp 2.17 writes it
//! (`importer_node.importer`, `build_importer_spec_for_task`): a component taking
//! `uri` and one `metadata`, `metadata-2`, ... input per pipeline value in the
//! metadata, giving `artifact`, and an `importer` executor.

use serde_json::{json, Map, Value};

use super::component::{definitions, Io};
use super::dag::{self, Node, Pipeline};
use super::types::{artifact_type, IrType};
use crate::dsl::marker::{self, ValueRef};
use crate::dsl::{Arg, Importer, URI_INPUT};

/// What an importer task writes: its component, executor and task spec.
pub(super) struct Lowered {
    pub component: Value,
    pub executor: Value,
    pub task: crate::ir::PipelineTaskSpec,
}

/// The importer task `index` (named `name`, in DAG `scope`), with IR inputs and outputs `io`.
pub(super) fn lower(
    p: &Pipeline,
    index: u32,
    scope: Node,
    importer: &Importer,
    io: &Io,
) -> Result<Lowered, Vec<String>> {
    let name = &p.task_names[index as usize];
    let mut problems = Vec::new();
    let artifact_uri = match &importer.uri {
        Arg::Constant(text) if marker::has_marker(text) => {
            problems.push(format!(
                "importer `{name}`: its URI is a text with pipeline values in it, which kfp's importer takes only \
                 whole: build the URI in a task and pass that task's output"
            ));
            json!({})
        }
        Arg::Constant(text) => json!({"constant": text}),
        Arg::Value(_) => json!({"runtimeParameter": URI_INPUT}),
        Arg::Absent => {
            problems.push(format!("importer `{name}` has no URI: give the artifact's URI"));
            json!({})
        }
    };
    // One input per distinct value, named in the order the values first appear.
    let mut inputs = MetadataInputs { names: Vec::new() };
    let mut metadata = Map::new();
    for (key, value) in &importer.metadata {
        let key = inputs.text(key);
        let value = inputs.json(value);
        metadata.insert(key, value);
    }
    let (mut definitions_in, mut task_inputs) = (Map::new(), Map::new());
    definitions_in.insert(URI_INPUT.to_owned(), json!({"parameterType": "STRING"}));
    for (value, input) in &inputs.names {
        match dag::parameter_input(p, value, scope) {
            Ok((parameter_type, source)) => {
                definitions_in.insert(input.clone(), json!({"parameterType": parameter_type}));
                task_inputs.insert(input.clone(), source);
            }
            Err(problem) => problems.push(format!("importer `{name}`, metadata: {problem}")),
        }
    }
    let Some((_, IrType::Artifact(schema_title))) = io.outputs.first() else {
        return Err(vec![format!("importer `{name}` imports a value, not an artifact: import an artifact class")]);
    };
    let type_name = importer.artifact_type.type_name;
    if schema_title == "system.Artifact" && !type_name.is_empty() {
        return Err(vec![format!(
            "importer `{name}`: schema title `{type_name}` is not one kfp 2 reads: give a Google type \
             (`google.VertexDataset`), or import an artifact class (`importer::<Dataset>`)"
        )]);
    }
    let executor_label = format!("exec-{name}");
    let mut component = json!({
        "executorLabel": executor_label,
        "outputDefinitions": {"artifacts": {"artifact": {"artifactType": artifact_type(schema_title)}}},
    });
    if let Some(defined) = definitions(definitions_in, Map::new()) {
        component["inputDefinitions"] = defined;
    }
    let mut spec = json!({"artifactUri": artifact_uri, "typeSchema": artifact_type(schema_title)});
    if importer.reimport {
        spec["reimport"] = json!(true);
    }
    if importer.download_to_workspace {
        spec["downloadToWorkspace"] = json!(true);
    }
    if !metadata.is_empty() {
        spec["metadata"] = Value::Object(metadata);
    }
    let task = super::task_spec(p, index, scope, std::slice::from_ref(&importer.uri), io).and_then(|mut task| {
        if !task_inputs.is_empty() {
            let parameters = &mut task.inputs.get_or_insert_with(Default::default).parameters;
            for (name, input) in task_inputs {
                parameters.insert(name, super::typed(input)?);
            }
        }
        Ok(task)
    });
    match task {
        Ok(task) if problems.is_empty() => Ok(Lowered { component, executor: json!({"importer": spec}), task }),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

/// The metadata's pipeline values, each with its input name.
struct MetadataInputs {
    names: Vec<(ValueRef, String)>,
}

impl MetadataInputs {
    /// `text` with each value in it as its input's placeholder.
    fn text(&mut self, text: &str) -> String {
        let Ok(out) = marker::replace_values(text, |value| -> Result<String, std::convert::Infallible> {
            let name = self.name(value);
            Ok(format!("{{{{$.inputs.parameters['{name}']}}}}"))
        });
        out
    }

    fn json(&mut self, value: &Value) -> Value {
        match value {
            Value::String(text) => Value::String(self.text(text)),
            Value::Array(items) => Value::Array(items.iter().map(|item| self.json(item)).collect()),
            Value::Object(map) => {
                let mut out = Map::new();
                for (key, value) in map {
                    let key = self.text(key);
                    out.insert(key, self.json(value));
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }

    /// kfp's `make_name_unique_by_adding_index("metadata", ..., "-")`, once per value.
    fn name(&mut self, value: ValueRef) -> String {
        if let Some((_, name)) = self.names.iter().find(|(known, _)| *known == value) {
            return name.clone();
        }
        let name = match self.names.len() {
            0 => "metadata".to_owned(),
            n => format!("metadata-{}", n + 1),
        };
        self.names.push((value, name.clone()));
        name
    }
}
