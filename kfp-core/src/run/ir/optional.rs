//! Optional inputs left out, as kfp's driver leaves them: a pipeline input optional without a
//! default that the run does not give has no value, and neither has a task input taken from it
//! (through nested DAGs too); the task's component sees the input absent, and its `IfPresent`
//! placeholders take their `Else` branch. The pipeline's input artifacts come from the run's
//! parameters as local files.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use serde_json::Value;

use super::{Lowering, ROOT};
use crate::ir::{PipelineFile, PipelineTaskSpec};
use crate::run::engine::ArtifactIn;
use crate::run::error::RunError;

/// The root's inputs (template `root`, input) that are optional without a default and that the
/// run's parameters `given` leave out.
fn absent_root_inputs(file: &PipelineFile, given: &[(String, String)]) -> HashSet<(String, String)> {
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
    // A list of artifacts is carried as a parameter, the JSON list of their paths.
    let (_, mut problems) = super::artifact_list::root_lists(file, given);
    for (name, definition) in inputs.into_iter().flat_map(|inputs| &inputs.artifacts) {
        if definition.is_artifact_list {
            continue;
        }
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
        // What the run was given, as for a missing required parameter: not the IR's limits.
        Err(RunError::Parameters(problems))
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
    /// left out: that input has no value ([`absent_inputs`]).
    pub(super) fn left_out(&mut self, dag: &str, parent: Option<&String>, input: &str) -> bool {
        let Some(parent) = parent else { return false };
        if !self.absent.contains(&(dag.to_owned(), parent.clone())) {
            return false;
        }
        self.left_out_of_task.insert(input.to_owned());
        true
    }
}

/// The DAG inputs, as (template, input), that have no value, as kfp's driver leaves them: the
/// root's optional inputs the run leaves out, and a DAG component's inputs without a default that
/// no task calling it gives a value, when they are optional or a caller passes one that has none.
/// A DAG template serves every task calling it, so an input some caller gives stays. Worked out
/// for the whole file at once, each component's callers listed once.
pub(super) fn absent_inputs(file: &PipelineFile, given: &[(String, String)]) -> HashSet<(String, String)> {
    let spec = &file.spec;
    let mut callers: HashMap<&str, Vec<(&str, &PipelineTaskSpec)>> = HashMap::new();
    let dags = spec.root.iter().map(|root| (ROOT, root));
    for (dag, component) in dags.chain(spec.components.iter().map(|(name, component)| (name.as_str(), component))) {
        for task in component.dag.iter().flat_map(|dag| dag.tasks.values()) {
            if let Some(called) = &task.component_ref {
                callers.entry(called.name.as_str()).or_default().push((dag, task));
            }
        }
    }
    let mut absent = absent_root_inputs(file, given);
    // An input left out inside one DAG can leave out the input of a DAG it calls: repeat until
    // nothing more is absent (at most as many times as DAGs nest).
    loop {
        let found = absent.len();
        for (name, component) in spec.components.iter().filter(|(_, component)| component.dag.is_some()) {
            let inputs = component.input_definitions.iter();
            let parameters = inputs.clone().flat_map(|inputs| &inputs.parameters);
            let parameters = parameters
                .filter(|(_, definition)| definition.default_value.is_none())
                .map(|(input, definition)| (input, definition.is_optional));
            let artifacts = inputs.flat_map(|inputs| &inputs.artifacts).map(|(input, d)| (input, d.is_optional));
            for (input, optional) in parameters.chain(artifacts) {
                let key = (name.clone(), input.clone());
                if absent.contains(&key) {
                    continue;
                }
                let calls = callers.get(name.as_str()).map_or(&[][..], Vec::as_slice);
                // What each caller passes: a value, an input of its own DAG that has none, or nothing.
                let passed = calls.iter().map(|(dag, task)| {
                    let inputs = task.inputs.as_ref();
                    let parameter = inputs.and_then(|inputs| inputs.parameters.get(input));
                    let artifact = inputs.and_then(|inputs| inputs.artifacts.get(input));
                    let parent = (parameter.and_then(|p| p.component_input_parameter.as_ref()))
                        .or_else(|| artifact.and_then(|a| a.component_input_artifact.as_ref()));
                    let without_value =
                        parent.is_some_and(|parent| absent.contains(&(dag.to_string(), parent.clone())));
                    (parameter.is_some() || artifact.is_some(), without_value)
                });
                let passed: Vec<(bool, bool)> = passed.collect();
                let gives_value = passed.iter().any(|&(passes, without_value)| passes && !without_value);
                let passes_none = passed.iter().any(|&(_, without_value)| without_value);
                if !gives_value && (optional || passes_none) {
                    absent.insert(key);
                }
            }
        }
        if absent.len() == found {
            return absent;
        }
    }
}
