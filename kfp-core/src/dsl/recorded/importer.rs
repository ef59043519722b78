//! A task that brings an existing artifact into the pipeline by its URI (kfp 2's
//! `dsl.importer`), as recorded: what a compiler needs to write kfp's importer.

use std::sync::Arc;

use super::super::arg::Arg;
use super::super::marker::{self, Piece, ValueRef};
use crate::component::Component;
use crate::spec::{ComponentSpec, ContainerSpec, Implementation, InputSpec, OutputSpec, TypeSpec};
use crate::types::TypeInfo;

/// kfp 2's names: the importer's input and output, and its component.
pub const URI_INPUT: &str = "uri";
/// The importer's one output, the imported artifact.
pub const ARTIFACT_OUTPUT: &str = "artifact";

/// An importer task: the artifact at [`Importer::uri`], of kfp type
/// [`Importer::artifact_type`], with [`Importer::metadata`].
#[derive(Clone, Debug)]
pub struct Importer {
    /// The artifact's URI: a constant or a pipeline value (a parameter or a task output).
    pub uri: Arg,
    /// The artifact's kfp type (`Dataset`, `Model`; empty for an untyped artifact).
    pub artifact_type: TypeInfo,
    /// Whether KFP imports the artifact again on every run, rather than reusing a
    /// record of the same URI.
    pub reimport: bool,
    /// kfp 2's `download_to_workspace`: KFP downloads the artifact into the run's
    /// workspace, where the tasks reading it find it.
    pub download_to_workspace: bool,
    /// The artifact's metadata, top-level entries in the order given; strings
    /// (keys included) may embed pipeline values, as kfp's f-strings do.
    pub metadata: Vec<(String, serde_json::Value)>,
    /// Its inputs and outputs as a component's (`uri` in, `artifact` out), as kfp
    /// 2 models an importer: what the compilers and type checks read.
    pub(crate) interface: Arc<Component>,
}

impl Importer {
    /// An importer of a `artifact_type` artifact at `uri`.
    pub(crate) fn new(uri: Arg, artifact_type: TypeInfo) -> Self {
        let type_spec = |name: &str| (!name.is_empty()).then(|| TypeSpec::Name(name.to_owned()));
        let spec = ComponentSpec {
            name: "importer".to_owned(),
            inputs: vec![InputSpec {
                name: URI_INPUT.to_owned(),
                type_name: type_spec("String"),
                ..Default::default()
            }],
            outputs: vec![OutputSpec {
                name: ARTIFACT_OUTPUT.to_owned(),
                type_name: type_spec(artifact_type.type_name),
                ..Default::default()
            }],
            implementation: Implementation { container: ContainerSpec::default() },
            description: None,
            metadata: None,
            version: None,
        };
        let interface = Arc::new(Component { spec, reference: serde_json::json!({}), output_file: None, local: None });
        Importer { uri, artifact_type, reimport: false, download_to_workspace: false, metadata: Vec::new(), interface }
    }

    /// The pipeline values it takes: the URI's, then those in the metadata in order.
    pub fn values(&self) -> Vec<ValueRef> {
        let mut values = Vec::new();
        if let Arg::Value(value) = &self.uri {
            values.push(value.clone());
        }
        for (key, value) in &self.metadata {
            embedded(key, &mut values);
            json_values(value, &mut values);
        }
        values
    }
}

/// The values embedded in `text`, appended to `out`.
fn embedded(text: &str, out: &mut Vec<ValueRef>) {
    if marker::has_marker(text) {
        out.extend(marker::pieces(text).into_iter().filter_map(|piece| match piece {
            Piece::Value(value) => Some(value),
            Piece::Text(_) => None,
        }));
    }
}

/// The values embedded in every string of `value` (keys first, then values).
fn json_values(value: &serde_json::Value, out: &mut Vec<ValueRef>) {
    match value {
        serde_json::Value::String(text) => embedded(text, out),
        serde_json::Value::Array(items) => items.iter().for_each(|item| json_values(item, out)),
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                embedded(key, out);
                json_values(value, out);
            }
        }
        _ => {}
    }
}
