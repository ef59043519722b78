//! What the IR's schema cannot say but the KFP backend relies on: every reference resolves
//! (components, executors, producer tasks and their outputs, parent inputs, iterator items),
//! producers are upstream of their consumers, the types passed match as kfp checks them,
//! and each oneof has one member.
//!
//! [`check`] returns every problem, each naming where it is (a YAML path such as
//! `root.dag.tasks.train.inputs.parameters.epochs`) and what would fix it.

use foldhash::{HashMap, HashMapExt, HashSet};
use std::fmt;

use super::{
    ArtifactTypeSchema, ComponentOutputsSpec, ComponentSpec, DagSpec, ExecutorSpec, InputArtifactSpec,
    InputParameterSpec, ParameterType, PipelineFile, PipelineSpec, PipelineTaskSpec, KUBERNETES,
};

/// The artifact type that kfp lets stand for any other.
pub const ANY_ARTIFACT: &str = "system.Artifact";

/// One problem: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The YAML path of the offending field (`root.dag.tasks.add.componentRef.name`).
    pub path: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every problem of `file`; empty when the KFP backend can run it.
pub fn check(file: &PipelineFile) -> Vec<Violation> {
    let mut checker = Checker::new(&file.spec);
    checker.pipeline();
    if let Some(platform) = &file.platform {
        for (name, single) in &platform.platforms {
            let Some(deployment) = &single.deployment_spec else { continue };
            for label in deployment.executors.keys() {
                if !checker.executors.contains(label.as_str()) {
                    checker.push(
                        format!("(platform spec).platforms.{name}.deploymentSpec.executors.{label}"),
                        format!(
                            "settings for executor `{label}`, which the pipeline spec does not have: use one of \
                             deploymentSpec.executors ({})",
                            list(checker.spec.deployment_spec.iter().flat_map(|d| d.executors.keys()))
                        ),
                    );
                }
            }
            if name != KUBERNETES && deployment.executors.values().any(|config| config != &Default::default()) {
                checker.push(
                    format!("(platform spec).platforms.{name}"),
                    format!(
                        "Kubernetes settings under platform `{name}`: the KFP backend reads them under `{KUBERNETES}`"
                    ),
                );
            }
        }
    }
    checker.violations
}

struct Checker<'s> {
    spec: &'s PipelineSpec,
    /// `spec.components` and the executors' labels hashed: every task looks its component
    /// up, every input its producer's, and a `BTreeMap` of 10,000 names costs a dozen
    /// comparisons a lookup.
    components: HashMap<&'s str, &'s ComponentSpec>,
    executors: HashSet<&'s str>,
    /// The tasks of the DAG being checked, with their place in it, hashed for the same reason.
    tasks: HashMap<&'s str, (usize, &'s PipelineTaskSpec)>,
    violations: Vec<Violation>,
}

/// A YAML path (`root.dag.tasks.add.inputs.parameters.x`), written out only when a
/// violation names it: the check visits every component, task and input, and most
/// have none.
#[derive(Clone, Copy)]
struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    /// The field (or fields, `dag.tasks`) after the parent.
    field: &'a str,
    /// The map key after the field, when there is one.
    key: Option<&'a str>,
}

impl<'a> Path<'a> {
    fn top(field: &'a str, key: Option<&'a str>) -> Self {
        Path { parent: None, field, key }
    }

    /// `self.field`.
    fn field(&'a self, field: &'a str) -> Self {
        Path { parent: Some(self), field, key: None }
    }

    /// `self.field.key`.
    fn entry(&'a self, field: &'a str, key: &'a str) -> Self {
        Path { parent: Some(self), field, key: Some(key) }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            write!(f, "{parent}.")?;
        }
        f.write_str(self.field)?;
        match self.key {
            Some(key) => write!(f, ".{key}"),
            None => Ok(()),
        }
    }
}

/// `a`, `b`, `c` (or `none`).
fn list<'a>(names: impl IntoIterator<Item = &'a String>) -> String {
    let names: Vec<String> = names.into_iter().map(|name| format!("`{name}`")).collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

impl<'s> Checker<'s> {
    fn new(spec: &'s PipelineSpec) -> Self {
        let components = spec.components.iter().map(|(name, component)| (name.as_str(), component)).collect();
        let executors = spec.deployment_spec.iter().flat_map(|d| d.executors.keys()).map(String::as_str).collect();
        Checker { spec, components, executors, tasks: HashMap::new(), violations: Vec::new() }
    }

    fn push(&mut self, path: impl fmt::Display, message: String) {
        self.violations.push(Violation { path: path.to_string(), message });
    }

    /// `path` must have exactly one of the oneof's `members` (`names`) set; `optional`
    /// when none is fine too.
    fn one_of(&mut self, path: Path, oneof: &str, members: &[(&str, bool)], optional: bool) {
        // Runs on every component, executor and input: the message is made only for a violation.
        match members.iter().filter(|(_, set)| *set).count() {
            1 => {}
            0 if optional => {}
            0 => {
                let names = members.iter().map(|(name, _)| format!("`{name}`")).collect::<Vec<_>>().join(", ");
                self.push(path, format!("none of {names} is set: set one ({oneof})"));
            }
            _ => {
                let set: Vec<&str> = members.iter().filter(|(_, set)| *set).map(|(name, _)| *name).collect();
                self.push(
                    path,
                    format!(
                        "{} are set, but they are members of the oneof `{oneof}`: keep one of them",
                        set.join(" and ")
                    ),
                );
            }
        }
    }

    fn pipeline(&mut self) {
        let spec = self.spec;
        if spec.pipeline_info.as_ref().is_none_or(|info| info.name.is_empty()) {
            self.push(
                "pipelineInfo.name".to_owned(),
                "missing: the backend names the pipeline's context with it; give the pipeline a name".to_owned(),
            );
        }
        match &spec.root {
            None => {
                self.push("root".to_owned(), "missing: the pipeline's own component (its DAG) is required".to_owned())
            }
            Some(root) => {
                if root.dag.is_none() {
                    self.push("root.dag".to_owned(), "missing: the root component runs as a DAG of tasks".to_owned());
                }
                self.component(Path::top("root", None), root);
            }
        }
        for (name, component) in &spec.components {
            self.component(Path::top("components", Some(name.as_str())), component);
        }
        if let Some(deployment) = &spec.deployment_spec {
            for (label, executor) in &deployment.executors {
                self.executor(Path::top("deploymentSpec.executors", Some(label.as_str())), executor);
            }
        }
    }

    fn executor(&mut self, path: Path, executor: &ExecutorSpec) {
        let members = [
            ("container", executor.container.is_some()),
            ("importer", executor.importer.is_some()),
            ("resolver", executor.resolver.is_some()),
            ("customJob", executor.custom_job.is_some()),
        ];
        self.one_of(path, "spec", &members, false);
        if let Some(importer) = &executor.importer {
            if let Some(schema) = &importer.type_schema {
                self.schema(path.field("importer.typeSchema"), schema);
            }
        }
    }

    fn schema(&mut self, path: Path, schema: &ArtifactTypeSchema) {
        let members = [
            ("schemaTitle", schema.schema_title.is_some()),
            ("schemaUri", schema.schema_uri.is_some()),
            ("instanceSchema", schema.instance_schema.is_some()),
        ];
        self.one_of(path, "kind", &members, false);
    }

    fn component(&mut self, path: Path, component: &'s ComponentSpec) {
        self.one_of(
            path,
            "implementation",
            &[("dag", component.dag.is_some()), ("executorLabel", component.executor_label.is_some())],
            false,
        );
        if let Some(label) = &component.executor_label {
            if !self.executors.contains(label.as_str()) {
                self.push(
                    format!("{path}.executorLabel"),
                    format!(
                        "executor `{label}` is not in deploymentSpec.executors: add it, or use one of {}",
                        list(self.spec.deployment_spec.iter().flat_map(|d| d.executors.keys()))
                    ),
                );
            }
        }
        if let Some(inputs) = &component.input_definitions {
            for name in inputs.parameters.keys().filter(|name| inputs.artifacts.contains_key(*name)) {
                self.push(
                    format!("{path}.inputDefinitions"),
                    format!("`{name}` is both an input parameter and an input artifact: rename one"),
                );
            }
            for (name, artifact) in &inputs.artifacts {
                if let Some(schema) = &artifact.artifact_type {
                    let artifact = path.entry("inputDefinitions.artifacts", name);
                    self.schema(artifact.field("artifactType"), schema);
                }
            }
        }
        if let Some(outputs) = &component.output_definitions {
            for name in outputs.parameters.keys().filter(|name| outputs.artifacts.contains_key(*name)) {
                self.push(
                    format!("{path}.outputDefinitions"),
                    format!("`{name}` is both an output parameter and an output artifact: rename one"),
                );
            }
            for (name, artifact) in &outputs.artifacts {
                if let Some(schema) = &artifact.artifact_type {
                    let artifact = path.entry("outputDefinitions.artifacts", name);
                    self.schema(artifact.field("artifactType"), schema);
                }
            }
        }
        if let Some(dag) = &component.dag {
            self.dag(path, component, dag);
        }
    }

    /// The component a task runs, when its reference resolves.
    fn task_component(&self, task: &PipelineTaskSpec) -> Option<&'s ComponentSpec> {
        self.components.get(task.component_ref.as_ref()?.name.as_str()).copied()
    }

    fn dag(&mut self, path: Path, parent: &'s ComponentSpec, dag: &'s DagSpec) {
        self.tasks =
            (dag.tasks.iter().enumerate()).map(|(index, (name, task))| (name.as_str(), (index, task))).collect();
        for (name, task) in &dag.tasks {
            self.task(path.entry("dag.tasks", name), name, task, parent, dag);
        }
        self.cycles(path, dag);
        if let Some(outputs) = &dag.outputs {
            let declared = parent.output_definitions.as_ref();
            for (output, spec) in &outputs.parameters {
                let output_path = path.entry("dag.outputs.parameters", output);
                if declared.is_none_or(|declared| !declared.parameters.contains_key(output)) {
                    self.push(
                        output_path,
                        format!(
                            "`{output}` is not an output parameter of this component: declare it in outputDefinitions"
                        ),
                    );
                }
                self.one_of(
                    output_path,
                    "kind",
                    &[
                        ("valueFromParameter", spec.value_from_parameter.is_some()),
                        ("valueFromOneof", spec.value_from_oneof.is_some()),
                    ],
                    false,
                );
                let selectors = spec
                    .value_from_parameter
                    .iter()
                    .chain(spec.value_from_oneof.iter().flat_map(|s| &s.parameter_selectors));
                for selector in selectors {
                    self.produced(output_path, dag, &selector.producer_subtask, &selector.output_parameter_key, false);
                }
            }
            for (output, spec) in &outputs.artifacts {
                let output_path = path.entry("dag.outputs.artifacts", output);
                if declared.is_none_or(|declared| !declared.artifacts.contains_key(output)) {
                    self.push(
                        output_path,
                        format!(
                            "`{output}` is not an output artifact of this component: declare it in outputDefinitions"
                        ),
                    );
                }
                for selector in &spec.artifact_selectors {
                    self.produced(output_path, dag, &selector.producer_subtask, &selector.output_artifact_key, true);
                }
            }
        }
    }

    /// `producer` is a task of `dag` whose component has the output `key` (an artifact when
    /// `artifact`); `path` is where it is named. The producer's outputs, when it and its
    /// component are found.
    fn produced(
        &mut self,
        path: Path,
        dag: &DagSpec,
        producer: &str,
        key: &str,
        artifact: bool,
    ) -> Option<&'s ComponentOutputsSpec> {
        let Some((_, task)) = self.tasks.get(producer).copied() else {
            self.push(
                path,
                format!("task `{producer}` is not in this DAG: name one of its tasks ({})", list(dag.tasks.keys())),
            );
            return None;
        };
        let outputs = self.task_component(task)?.output_definitions.as_ref();
        let has = outputs.is_some_and(|o| match artifact {
            true => o.artifacts.contains_key(key),
            false => o.parameters.contains_key(key),
        });
        if !has {
            let (kind, names): (&str, Vec<&String>) = match artifact {
                true => ("artifact", outputs.iter().flat_map(|o| o.artifacts.keys()).collect()),
                false => ("parameter", outputs.iter().flat_map(|o| o.parameters.keys()).collect()),
            };
            self.push(
                path,
                format!(
                    "task `{producer}` has no output {kind} `{key}`: use one of its output {kind}s ({})",
                    list(names)
                ),
            );
        }
        outputs
    }

    fn task(
        &mut self,
        path: Path,
        name: &str,
        task: &'s PipelineTaskSpec,
        parent: &'s ComponentSpec,
        dag: &'s DagSpec,
    ) {
        let component = match &task.component_ref {
            None => {
                self.push(
                    format!("{path}.componentRef"),
                    format!("task `{name}` names no component: set componentRef.name"),
                );
                None
            }
            Some(reference) => {
                let component = self.components.get(reference.name.as_str()).copied();
                if component.is_none() {
                    self.push(
                        format!("{path}.componentRef.name"),
                        format!(
                            "task `{name}` runs component `{}`, which is not in components: add it, or use one of {}",
                            reference.name,
                            list(self.spec.components.keys())
                        ),
                    );
                }
                component
            }
        };
        for dependency in &task.dependent_tasks {
            if dependency == name {
                self.push(
                    format!("{path}.dependentTasks"),
                    format!("task `{name}` depends on itself: remove `{name}`"),
                );
            } else if !self.tasks.contains_key(dependency.as_str()) {
                self.push(
                    format!("{path}.dependentTasks"),
                    format!(
                        "task `{name}` depends on `{dependency}`, which is not a task of this DAG: name one of {}",
                        list(dag.tasks.keys())
                    ),
                );
            }
        }
        self.one_of(
            path,
            "iterator",
            &[
                ("artifactIterator", task.artifact_iterator.is_some()),
                ("parameterIterator", task.parameter_iterator.is_some()),
            ],
            true,
        );
        let empty = Default::default();
        let inputs = task.inputs.as_ref().unwrap_or(&empty);
        for (input, spec) in &inputs.parameters {
            self.parameter_input(path.entry("inputs.parameters", input), name, input, spec, component, parent, dag);
        }
        for (input, spec) in &inputs.artifacts {
            self.artifact_input(path.entry("inputs.artifacts", input), name, input, spec, component, parent, dag);
        }
        let mut item_input = None;
        if let Some(iterator) = &task.parameter_iterator {
            item_input = Some(&iterator.item_input);
            let items = iterator.items.as_ref();
            self.one_of(
                path.field("parameterIterator.items"),
                "kind",
                &[
                    ("raw", items.is_some_and(|i| i.raw.is_some())),
                    ("inputParameter", items.is_some_and(|i| i.input_parameter.is_some())),
                ],
                false,
            );
            if let Some(items) = items.and_then(|items| items.input_parameter.as_ref()) {
                if !inputs.parameters.contains_key(items) {
                    self.push(
                        format!("{path}.parameterIterator.items.inputParameter"),
                        format!("task `{name}` loops over its input parameter `{items}`, which it does not have: add it to inputs.parameters"),
                    );
                }
            }
            if let Some(raw) = items.and_then(|items| items.raw.as_ref()) {
                if !matches!(serde_json::from_str(raw), Ok(serde_json::Value::Array(_))) {
                    self.push(
                        format!("{path}.parameterIterator.items.raw"),
                        format!("task `{name}` loops over `{raw}`, which is not a JSON list: write the items as one"),
                    );
                }
            }
            if component.is_some_and(|c| {
                c.input_definitions.as_ref().is_none_or(|d| !d.parameters.contains_key(&iterator.item_input))
            }) {
                self.push(
                    format!("{path}.parameterIterator.itemInput"),
                    format!(
                        "each item goes to input parameter `{}`, which task `{name}`'s component does not have: declare it in its inputDefinitions",
                        iterator.item_input
                    ),
                );
            }
        }
        if let Some(iterator) = &task.artifact_iterator {
            item_input = Some(&iterator.item_input);
            let items = iterator.items.as_ref().map(|items| &items.input_artifact);
            if items.is_none_or(|items| !inputs.artifacts.contains_key(items)) {
                self.push(
                    format!("{path}.artifactIterator.items.inputArtifact"),
                    format!(
                        "task `{name}` loops over input artifact `{}`, which it does not have: add it to inputs.artifacts",
                        items.map(String::as_str).unwrap_or_default()
                    ),
                );
            }
            if component.is_some_and(|c| {
                c.input_definitions.as_ref().is_none_or(|d| !d.artifacts.contains_key(&iterator.item_input))
            }) {
                self.push(
                    format!("{path}.artifactIterator.itemInput"),
                    format!(
                        "each item goes to input artifact `{}`, which task `{name}`'s component does not have: declare it in its inputDefinitions",
                        iterator.item_input
                    ),
                );
            }
        }
        if let Some(definitions) = component.and_then(|c| c.input_definitions.as_ref()) {
            let reference = task.component_ref.as_ref().map(|r| r.name.as_str()).unwrap_or_default();
            for (input, definition) in &definitions.parameters {
                let given = inputs.parameters.contains_key(input) || item_input == Some(input);
                if !given && definition.default_value.is_none() && !definition.is_optional {
                    self.push(
                        format!("{path}.inputs.parameters"),
                        format!(
                            "task `{name}` does not give input parameter `{input}` of component `{reference}`, which has no default: pass it, or give it a default"
                        ),
                    );
                }
            }
            for (input, definition) in &definitions.artifacts {
                let given = inputs.artifacts.contains_key(input) || item_input == Some(input);
                if !given && !definition.is_optional {
                    self.push(
                        format!("{path}.inputs.artifacts"),
                        format!(
                            "task `{name}` does not give input artifact `{input}` of component `{reference}`, which is not optional: pass it, or make it optional"
                        ),
                    );
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn parameter_input(
        &mut self,
        path: Path,
        task: &str,
        input: &str,
        spec: &InputParameterSpec,
        component: Option<&'s ComponentSpec>,
        parent: &'s ComponentSpec,
        dag: &'s DagSpec,
    ) {
        let members = [
            ("taskOutputParameter", spec.task_output_parameter.is_some()),
            ("runtimeValue", spec.runtime_value.is_some()),
            ("componentInputParameter", spec.component_input_parameter.is_some()),
            ("taskFinalStatus", spec.task_final_status.is_some()),
        ];
        self.one_of(path, "kind", &members, false);
        let expected = component
            .and_then(|c| c.input_definitions.as_ref())
            .and_then(|d| d.parameters.get(input))
            .map(|d| d.parameter_type);
        // A selector picks a part of the value, whose type is the consumer's.
        let selected = !spec.parameter_expression_selector.is_empty();
        let mut given = None;
        if let Some(source) = &spec.task_output_parameter {
            let producer = &source.producer_task;
            if producer == task {
                self.push(
                    path,
                    format!(
                        "task `{task}` takes its own output `{}`: pass another task's",
                        source.output_parameter_key
                    ),
                );
                return;
            }
            given = (self.produced(path, dag, producer, &source.output_parameter_key, false))
                .and_then(|d| d.parameters.get(&source.output_parameter_key))
                .map(|d| d.parameter_type);
        }
        if let Some(source) = &spec.component_input_parameter {
            match parent.input_definitions.as_ref().and_then(|d| d.parameters.get(source)) {
                Some(definition) => given = Some(definition.parameter_type),
                None => self.push(
                    path,
                    format!(
                        "task `{task}` takes input parameter `{source}` of the enclosing component, which has no such input: declare it there, or use one of {}",
                        list(parent.input_definitions.iter().flat_map(|d| d.parameters.keys()))
                    ),
                ),
            }
        }
        if let Some(status) = &spec.task_final_status {
            if !self.tasks.contains_key(status.producer_task.as_str()) {
                self.push(
                    path,
                    format!(
                        "task `{task}` takes the final status of `{}`, which is not a task of this DAG: name one of {}",
                        status.producer_task,
                        list(dag.tasks.keys())
                    ),
                );
            }
            given = Some(ParameterType::TaskFinalStatus);
        }
        if let (Some(given), Some(expected), false) = (given, expected, selected) {
            if !parameter_types_match(given, expected) {
                self.push(
                    path,
                    format!(
                        "task `{task}` passes a {} to its input `{input}`, which takes a {}: pass a {} or change the input's type",
                        given.as_str(),
                        expected.as_str(),
                        expected.as_str()
                    ),
                );
            }
        }
        if let Some(runtime) = &spec.runtime_value {
            let members = [
                ("constantValue", runtime.constant_value.is_some()),
                ("runtimeParameter", runtime.runtime_parameter.is_some()),
                ("constant", runtime.constant.is_some()),
            ];
            self.one_of(path.field("runtimeValue"), "value", &members, false);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn artifact_input(
        &mut self,
        path: Path,
        task: &str,
        input: &str,
        spec: &InputArtifactSpec,
        component: Option<&'s ComponentSpec>,
        parent: &'s ComponentSpec,
        dag: &'s DagSpec,
    ) {
        let members = [
            ("taskOutputArtifact", spec.task_output_artifact.is_some()),
            ("componentInputArtifact", spec.component_input_artifact.is_some()),
        ];
        self.one_of(path, "kind", &members, false);
        let expected = component.and_then(|c| c.input_definitions.as_ref()).and_then(|d| d.artifacts.get(input));
        let mut given = None;
        if let Some(source) = &spec.task_output_artifact {
            let producer = &source.producer_task;
            if producer == task {
                self.push(
                    path,
                    format!("task `{task}` takes its own output `{}`: pass another task's", source.output_artifact_key),
                );
                return;
            }
            given = (self.produced(path, dag, producer, &source.output_artifact_key, true))
                .and_then(|d| d.artifacts.get(&source.output_artifact_key))
                .map(|d| (d.artifact_type.as_ref(), d.is_artifact_list));
        }
        if let Some(source) = &spec.component_input_artifact {
            match parent.input_definitions.as_ref().and_then(|d| d.artifacts.get(source)) {
                Some(definition) => given = Some((definition.artifact_type.as_ref(), definition.is_artifact_list)),
                None => self.push(
                    path,
                    format!(
                        "task `{task}` takes input artifact `{source}` of the enclosing component, which has no such input: declare it there, or use one of {}",
                        list(parent.input_definitions.iter().flat_map(|d| d.artifacts.keys()))
                    ),
                ),
            }
        }
        if let (Some((given_type, given_list)), Some(expected)) = (given, expected) {
            let (given_title, expected_title) = (title(given_type), title(expected.artifact_type.as_ref()));
            if given_list != expected.is_artifact_list {
                let (given_kind, expected_kind) = if given_list {
                    ("list of artifacts", "single artifact")
                } else {
                    ("single artifact", "list of artifacts")
                };
                self.push(
                    path,
                    format!("task `{task}` passes a {given_kind} to its input `{input}`, which takes a {expected_kind}: make the two agree (isArtifactList)"),
                );
            } else if !artifact_types_match(given_type, expected.artifact_type.as_ref()) {
                self.push(
                    path,
                    format!(
                        "task `{task}` passes a {given_title} to its input `{input}`, which takes a {expected_title}: pass a {expected_title}, or make the input a {ANY_ARTIFACT}"
                    ),
                );
            }
        }
    }

    /// Reports a loop in the order of `dag`'s tasks (dependencies and producers of inputs).
    fn cycles(&mut self, path: Path, dag: &DagSpec) {
        // Tasks by their place in `dag.tasks` (`self.tasks` has it): vectors, not maps.
        let upstream: Vec<Vec<usize>> = (dag.tasks.iter())
            .map(|(name, task)| {
                let mut before: Vec<&str> = task.dependent_tasks.iter().map(String::as_str).collect();
                if let Some(inputs) = &task.inputs {
                    for parameter in inputs.parameters.values() {
                        let producer = parameter.task_output_parameter.as_ref().map(|s| &s.producer_task);
                        let status = parameter.task_final_status.as_ref().map(|s| &s.producer_task);
                        before.extend(producer.into_iter().chain(status).map(String::as_str));
                    }
                    let artifacts = inputs.artifacts.values().filter_map(|a| a.task_output_artifact.as_ref());
                    before.extend(artifacts.map(|s| s.producer_task.as_str()));
                }
                let mut before: Vec<usize> = (before.into_iter())
                    .filter(|producer| producer != name)
                    .filter_map(|producer| self.tasks.get(producer).map(|(index, _)| *index))
                    .collect();
                before.sort_unstable();
                before.dedup();
                before
            })
            .collect();
        // Kahn's algorithm, counting each task's producers not yet done so that a
        // long chain stays linear: what is left has a loop.
        let mut left: Vec<usize> = upstream.iter().map(Vec::len).collect();
        let mut downstream: Vec<Vec<usize>> = vec![Vec::new(); upstream.len()];
        for (consumer, before) in upstream.iter().enumerate() {
            for &producer in before {
                downstream[producer].push(consumer);
            }
        }
        let mut ready: Vec<usize> = (0..left.len()).filter(|&task| left[task] == 0).collect();
        let mut done = vec![false; left.len()];
        while let Some(task) = ready.pop() {
            done[task] = true;
            for &consumer in &downstream[task] {
                left[consumer] -= 1;
                if left[consumer] == 0 {
                    ready.push(consumer);
                }
            }
        }
        if done.contains(&false) {
            let names = (dag.tasks.keys().zip(&done)).filter(|(_, done)| !**done).map(|(name, _)| name);
            self.push(
                path.field("dag.tasks"),
                format!(
                    "tasks {} wait for each other (dependentTasks and the producers of their inputs form a loop): remove one of the edges",
                    list(names)
                ),
            );
        }
    }
}

/// kfp's parameter type check: the same type, and a task's final status is a struct.
fn parameter_types_match(given: ParameterType, expected: ParameterType) -> bool {
    given == expected || (given == ParameterType::TaskFinalStatus && expected == ParameterType::Struct)
}

fn title(schema: Option<&ArtifactTypeSchema>) -> &str {
    schema.and_then(|s| s.schema_title.as_deref()).unwrap_or(ANY_ARTIFACT)
}

/// kfp's artifact type check: either side `system.Artifact`, or the same title and major
/// schema version.
fn artifact_types_match(given: Option<&ArtifactTypeSchema>, expected: Option<&ArtifactTypeSchema>) -> bool {
    let (given_title, expected_title) = (title(given), title(expected));
    if given_title == ANY_ARTIFACT || expected_title == ANY_ARTIFACT {
        return true;
    }
    let major = |schema: Option<&ArtifactTypeSchema>| {
        schema.map(|s| s.schema_version.split('.').next().unwrap_or_default().to_owned()).unwrap_or_default()
    };
    given_title == expected_title && major(given) == major(expected)
}
