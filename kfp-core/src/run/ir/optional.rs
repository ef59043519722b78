//! Optional inputs left out, as kfp's driver leaves them: a pipeline input optional without a
//! default that the run does not give has no value, and neither has a task input taken from it
//! (through nested DAGs too); the task's component sees the input absent, and its `IfPresent`
//! placeholders take their `Else` branch. The pipeline's input artifacts come from the run's
//! parameters as local files.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use serde_json::Value;

use super::{Lowering, ROOT};
use crate::ir::{ComponentSpec, PipelineFile, PipelineTaskSpec};
use crate::run::engine::ArtifactIn;
use crate::run::error::RunError;

/// The root's inputs (template `root`, input) that are optional without a default and that the
/// run's parameters `given` leave out.
pub(super) fn absent_root_inputs(file: &PipelineFile, given: &[(String, String)]) -> HashSet<(String, String)> {
    let inputs = file.spec.root.as_ref().and_then(|root| root.input_definitions.as_ref());
    let given = |name: &str| given.iter().any(|(param, _)| param == name);
    let parameters = (inputs.into_iter().flat_map(|inputs| &inputs.parameters))
        .filter(|(name, definition)| definition.is_optional && definition.default_value.is_none() && !given(name))
        .map(|(name, _)| name);
    let artifacts = (inputs.into_iter().flat_map(|inputs| &inputs.artifacts))
        .filter(|(name, definition)| definition.is_optional && !given(name))
        .map(|(name, _)| name);
    parameters.chain(artifacts).map(|name| (ROOT.to_owned(), name.clone())).collect()
}

/// The pipeline's input artifacts (kfp 2's `in_dataset: Input[Dataset]`) the run's parameters
/// `given` name, as files for the root DAG: `-p in_dataset=PATH` (or a `file://` URI), a relative
/// path from where the run starts. A required one left out, or a path with no file, is an error
/// before anything starts.
pub(crate) fn root_artifacts(
    file: &PipelineFile,
    given: &[(String, String)],
) -> Result<BTreeMap<String, ArtifactIn>, RunError> {
    let inputs = file.spec.root.as_ref().and_then(|root| root.input_definitions.as_ref());
    let mut artifacts = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, definition) in inputs.into_iter().flat_map(|inputs| &inputs.artifacts) {
        let title =
            definition.artifact_type.as_ref().and_then(|t| t.schema_title.as_deref()).unwrap_or("system.Artifact");
        match given.iter().rev().find(|(param, _)| param == name) {
            Some((_, value)) => {
                let path = PathBuf::from(value.strip_prefix("file://").unwrap_or(value));
                if path.exists() {
                    artifacts.insert(name.clone(), ArtifactIn::File(std::path::absolute(&path).unwrap_or(path)));
                } else {
                    problems.push(format!(
                        "pipeline input artifact `{name}` ({title}): no file or directory at `{value}`; local runs take \
                         an artifact as a local path or `file://` URI"
                    ));
                }
            }
            None if definition.is_optional => {}
            None => problems.push(format!(
                "pipeline input artifact `{name}` ({title}) is required: give it a file with `-p {name}=PATH`"
            )),
        }
    }
    if problems.is_empty() {
        Ok(artifacts)
    } else {
        Err(RunError::IrUnsupported(problems))
    }
}

/// The root DAG's template with its input artifacts bound by the run itself, from files
/// ([`root_artifacts`], which checks the required ones): the Workflow declares none.
pub(super) fn bound_by_the_run(root: Option<&mut Value>) {
    let artifacts = root.and_then(|root| root.pointer_mut("/inputs/artifacts")).and_then(Value::as_array_mut);
    for artifact in artifacts.into_iter().flatten() {
        artifact["optional"] = Value::Bool(true);
    }
}

/// Whether `name` is one of the pipeline's input artifacts, which the run gives as files
/// ([`root_artifacts`]) rather than as parameters.
pub(super) fn is_root_artifact(file: &PipelineFile, name: &str) -> bool {
    let inputs = file.spec.root.as_ref().and_then(|root| root.input_definitions.as_ref());
    inputs.is_some_and(|inputs| inputs.artifacts.contains_key(name))
}

impl Lowering<'_> {
    /// Whether `input` of a task in DAG template `dag`, taken from the DAG's input `parent`, is
    /// left out: that input has no value. A DAG component's input left out is absent inside it
    /// (its template is `component_name`).
    pub(super) fn left_out(
        &mut self,
        dag: &str,
        parent: Option<&String>,
        input: &str,
        component_name: &str,
        component: &ComponentSpec,
    ) -> bool {
        let Some(parent) = parent else { return false };
        if !self.absent.contains(&(dag.to_owned(), parent.clone())) {
            return false;
        }
        if component.dag.is_some() {
            self.absent.insert((component_name.to_owned(), input.to_owned()));
        }
        self.left_out_of_task.insert(input.to_owned());
        true
    }

    /// A DAG component's inputs optional without a default that `task` does not give are absent
    /// inside it (its template is `component_name`), as a pipeline called without them has none.
    /// The template serves every task calling the component: an input some task gives stays.
    pub(super) fn not_given(&mut self, component_name: &str, component: &ComponentSpec, task: &PipelineTaskSpec) {
        if component.dag.is_none() {
            return;
        }
        let gives = |task: &PipelineTaskSpec, input: &str| {
            task.inputs.as_ref().is_some_and(|inputs| inputs.parameters.contains_key(input))
        };
        let spec = &self.file.spec;
        let dags = spec.root.iter().chain(spec.components.values()).filter_map(|component| component.dag.as_ref());
        let callers: Vec<&PipelineTaskSpec> = (dags.flat_map(|dag| dag.tasks.values()))
            .filter(|caller| caller.component_ref.as_ref().is_some_and(|r| r.name == component_name))
            .collect();
        let definitions = component.input_definitions.iter().flat_map(|inputs| &inputs.parameters);
        for (input, definition) in definitions {
            let given_somewhere = gives(task, input) || callers.iter().any(|caller| gives(caller, input));
            if definition.is_optional && definition.default_value.is_none() && !given_somewhere {
                self.absent.insert((component_name.to_owned(), input.clone()));
            }
        }
    }
}

/// The words an argument stands for: an `IfPresent` placeholder (kfp 2's
/// `{"IfPresent": {"InputName": ..., "Then": [...], "Else": [...]}}`) is its `Then` words when
/// `present(InputName)`, else its `Else` words; any other word is itself.
pub(super) fn expand(word: &str, present: &dyn Fn(&str) -> bool) -> Result<Vec<String>, String> {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(word) else { return Ok(vec![word.to_owned()]) };
    let Some(placeholder) = map.get("IfPresent") else { return Ok(vec![word.to_owned()]) };
    let input = placeholder
        .get("InputName")
        .and_then(Value::as_str)
        .ok_or("an `IfPresent` placeholder without its `InputName`")?;
    let branch = placeholder.get(if present(input) { "Then" } else { "Else" });
    let mut words = Vec::new();
    for item in branch.and_then(Value::as_array).into_iter().flatten() {
        match item {
            Value::String(text) => words.extend(expand(text, present)?),
            // A placeholder inside a branch (an `IfPresent` in an `IfPresent`) is an object there.
            Value::Object(_) => words.extend(expand(&item.to_string(), present)?),
            other => return Err(format!("an `IfPresent` branch holds `{other}`, which is no argument")),
        }
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_present_takes_the_branch_of_the_input() {
        let word =
            r#"{"IfPresent": {"InputName": "x", "Then": ["--x", "{{$.inputs.parameters['x']}}"], "Else": ["none"]}}"#;
        assert_eq!(expand(word, &|_| true).unwrap(), ["--x", "{{$.inputs.parameters['x']}}"]);
        assert_eq!(expand(word, &|_| false).unwrap(), ["none"]);
        let without_else = r#"{"IfPresent": {"InputName": "x", "Then": ["--x"]}}"#;
        assert!(expand(without_else, &|_| false).unwrap().is_empty());
        assert_eq!(expand("plain", &|_| false).unwrap(), ["plain"]);
        assert!(expand(r#"{"IfPresent": {"Then": []}}"#, &|_| true).unwrap_err().contains("InputName"));
    }
}
