//! kfp's executor contract, for the KFP v2 components whose command takes the executor input
//! (`{{$}}`) or writes an executor output (`{{$.outputs.output_file}}`): Python lightweight
//! components above all. As kfp's local runner (`kfp.local`, `SubprocessRunner`) does, a task gets
//! the executor input JSON (its parameter values typed as its component declares them, each
//! artifact with its type, local URI and metadata, each output's file), and its command runs with
//! the chosen Python in place of `python3`; after it exits, the executor output
//! (`executor_output.json`) gives the output parameters it returned and its artifacts' metadata.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde_json::{json, Map, Value};

use super::metadata;
use super::vars::Scope;
use crate::ir::{ArtifactTypeSchema, ComponentSpec, ParameterType};

/// The placeholder of the whole executor input.
pub(crate) const EXECUTOR_INPUT: &str = "{{$}}";
/// The placeholders of the executor output's path (kfp writes the second for metrics too).
pub(crate) const OUTPUT_FILE: [&str; 2] = ["{{$.outputs.output_file}}", "{{$.outputMetadataUri}}"];
/// What marks a Python lightweight component: kfp's executor module runs the function.
const PYTHON_EXECUTOR: &str = "kfp.dsl.executor_main";
/// The executor output's name in the task's directory, as kfp.local names it.
const EXECUTOR_OUTPUT: &str = "executor_output.json";

/// The executor contract of a run's container templates, by template name, and the Python that runs
/// the Python components.
#[derive(Debug, Default)]
pub(crate) struct Executors {
    pub(crate) templates: HashMap<String, Executor>,
    /// `None` with a container engine: the image's `python3` runs them.
    pub(crate) python: Option<String>,
}

/// What the executor input of one component's tasks holds.
#[derive(Debug, Clone)]
pub(crate) struct Executor {
    /// The task, for messages.
    task: String,
    parameters: BTreeMap<String, ParameterType>,
    input_artifacts: BTreeMap<String, Option<ArtifactTypeSchema>>,
    /// The input artifacts that are lists (`isArtifactList`), given as the JSON list of their paths.
    input_lists: BTreeSet<String>,
    output_parameters: BTreeMap<String, ParameterType>,
    output_artifacts: BTreeMap<String, Option<ArtifactTypeSchema>>,
    /// Runs kfp's Python executor (with the chosen Python).
    python: bool,
}

/// Whether a container's `words` (command and args) take kfp's executor input or output.
pub(crate) fn uses_executor(words: &[&String]) -> bool {
    words.iter().any(|word| word.contains(EXECUTOR_INPUT) || OUTPUT_FILE.iter().any(|p| word.contains(p)))
}

impl Executor {
    /// The contract of `component`, called by `task`, whose container runs `words`.
    pub(crate) fn of(task: &str, component: &ComponentSpec, words: &[&String]) -> Self {
        let inputs = component.input_definitions.as_ref();
        let outputs = component.output_definitions.as_ref();
        Executor {
            task: task.to_owned(),
            parameters: inputs
                .map(|inputs| {
                    inputs.parameters.iter().map(|(name, spec)| (name.clone(), spec.parameter_type)).collect()
                })
                .unwrap_or_default(),
            input_artifacts: inputs
                .map(|inputs| {
                    inputs.artifacts.iter().map(|(name, spec)| (name.clone(), spec.artifact_type.clone())).collect()
                })
                .unwrap_or_default(),
            input_lists: (inputs.iter().flat_map(|inputs| &inputs.artifacts))
                .filter(|(_, spec)| spec.is_artifact_list)
                .map(|(name, _)| name.clone())
                .collect(),
            output_parameters: outputs
                .map(|outputs| {
                    outputs.parameters.iter().map(|(name, spec)| (name.clone(), spec.parameter_type)).collect()
                })
                .unwrap_or_default(),
            output_artifacts: outputs
                .map(|outputs| {
                    outputs.artifacts.iter().map(|(name, spec)| (name.clone(), spec.artifact_type.clone())).collect()
                })
                .unwrap_or_default(),
            python: words.iter().any(|word| word.contains(PYTHON_EXECUTOR)),
        }
    }

    /// The task that calls it.
    pub(crate) fn task(&self) -> &str {
        &self.task
    }

    /// Whether it runs kfp's Python executor.
    pub(crate) fn is_python(&self) -> bool {
        self.python
    }

    /// Where the executor output of a task run in `root` goes.
    pub(crate) fn output_file(root: &Path) -> std::path::PathBuf {
        root.join(EXECUTOR_OUTPUT)
    }

    /// `argv` with the executor's placeholders filled from the task's `scope` (its inputs' values,
    /// files' paths and metadata) and the metadata `recorded` for the artifacts of a list input and, when given, `python` in place of `python3` (kfp.local's
    /// `replace_python_executable`: everywhere but in the function's source).
    pub(crate) fn fill(
        &self,
        argv: &mut [String],
        scope: &Scope,
        root: &Path,
        python: Option<&str>,
        recorded: &metadata::ArtifactMetadata,
    ) -> Result<(), String> {
        let output_file = Self::output_file(root).to_string_lossy().into_owned();
        let input = self.executor_input(scope, &output_file, recorded)?.to_string();
        let mut source = None;
        for (index, word) in argv.iter_mut().enumerate() {
            *word = word.replace(EXECUTOR_INPUT, &input);
            for placeholder in OUTPUT_FILE {
                *word = word.replace(placeholder, &output_file);
            }
            if let Some(python) = python.filter(|_| self.python && source != Some(index)) {
                if word.contains("\"$program_path/ephemeral_component.py\"") && word.contains("\"$@\"") {
                    source = Some(index + 1);
                }
                *word = word.replace("python3", &shell_word(python));
            }
        }
        Ok(())
    }

    /// The executor input (`ExecutorInput` in protobuf's JSON form).
    fn executor_input(
        &self,
        scope: &Scope,
        output_file: &str,
        recorded: &metadata::ArtifactMetadata,
    ) -> Result<Value, String> {
        let mut parameters = Map::new();
        for (name, kind) in &self.parameters {
            // An optional input the task is not given: the function's default applies.
            let Some(text) = scope.get(&format!("inputs.parameters.{name}")) else { continue };
            let value = match kind {
                ParameterType::String => json!(self.run_values(text, scope)),
                _ => typed(name, text, *kind)?,
            };
            parameters.insert(name.clone(), value);
        }
        let mut artifacts = Map::new();
        for (name, kind) in &self.input_artifacts {
            if self.input_lists.contains(name) {
                // Empty text is an optional list the task leaves out (`run::ir`'s template inputs).
                let listed = scope.get(&format!("inputs.parameters.{name}")).filter(|listed| !listed.is_empty());
                let Some(listed) = listed else { continue };
                let paths = metadata::list_paths(listed).map_err(|problem| format!("input `{name}`: {problem}"))?;
                // Each with what its producer recorded, as kfp.local gives a collected list.
                let artifacts_of = |path: &String| {
                    let mut artifact = artifact_list(name, kind, path)["artifacts"][0].clone();
                    artifact["metadata"] = recorded.of(Path::new(path));
                    artifact
                };
                artifacts
                    .insert(name.clone(), json!({"artifacts": paths.iter().map(artifacts_of).collect::<Vec<_>>()}));
                continue;
            }
            let Some(path) = scope.get(&format!("inputs.artifacts.{name}.path")) else { continue };
            if !Path::new(path).exists() {
                continue;
            }
            let mut list = artifact_list(name, kind, path);
            // What its producer recorded (`run::metadata`), as kfp.local gives it.
            if let Some(recorded) =
                scope.get(&metadata::variable(name)).and_then(|text| serde_json::from_str(text).ok())
            {
                list["artifacts"][0]["metadata"] = recorded;
            }
            artifacts.insert(name.clone(), list);
        }
        let mut output_parameters = Map::new();
        for name in self.output_parameters.keys() {
            let path = scope.get(&format!("outputs.parameters.{name}.path")).unwrap_or_default();
            output_parameters.insert(name.clone(), json!({"outputFile": path}));
        }
        let mut output_artifacts = Map::new();
        for (name, kind) in &self.output_artifacts {
            let path = scope.get(&format!("outputs.artifacts.{name}.path")).unwrap_or_default();
            output_artifacts.insert(name.clone(), artifact_list(name, kind, path));
        }
        Ok(json!({
            "inputs": {"parameterValues": parameters, "artifacts": artifacts},
            "outputs": {"parameters": output_parameters, "artifacts": output_artifacts, "outputFile": output_file},
        }))
    }

    /// `text` with the values of the run that kfp's backend fills in (`dsl.PIPELINE_JOB_NAME_PLACEHOLDER`
    /// and the like) filled in: the run's name for the job's name and resource name, its uid for
    /// the job's, the task's name, a fresh uuid for the task's, and the run's start for both times.
    fn run_values(&self, text: &str, scope: &Scope) -> String {
        if !text.contains("{{$.pipeline_") {
            return text.to_owned();
        }
        let run = |name: &str| scope.get(name).unwrap_or_default().to_owned();
        let values = [
            ("{{$.pipeline_job_name}}", run("workflow.name")),
            ("{{$.pipeline_job_resource_name}}", run("workflow.name")),
            ("{{$.pipeline_job_uuid}}", run("workflow.uid")),
            ("{{$.pipeline_task_name}}", self.task.clone()),
            ("{{$.pipeline_task_uuid}}", super::globals::uuid_v4()),
            ("{{$.pipeline_job_create_time_utc}}", run("workflow.creationTimestamp")),
            ("{{$.pipeline_job_schedule_time_utc}}", run("workflow.creationTimestamp")),
        ];
        values.iter().fold(text.to_owned(), |text, (placeholder, value)| text.replace(placeholder, value))
    }

    /// After the task exited 0: the output parameters it returned in its executor output written
    /// where the engine reads them (unless it wrote the file itself, which wins, as in kfp.local),
    /// and each output artifact's metadata.
    pub(crate) fn finish(&self, scope: &Scope, root: &Path) -> Result<BTreeMap<String, Value>, String> {
        // An artifact can be its metadata alone (a Metrics artifact's metrics): kfp records it
        // with its URI all the same, so a task downstream gets an empty file.
        for name in self.output_artifacts.keys() {
            let Some(file) = scope.get(&format!("outputs.artifacts.{name}.path")) else { continue };
            if !Path::new(file).exists() {
                std::fs::write(file, "")
                    .map_err(|error| format!("cannot create output artifact `{name}` at {file}: {error}"))?;
            }
        }
        let path = Self::output_file(root);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(error) => return Err(format!("cannot read the executor output {}: {error}", path.display())),
        };
        let output: Value = serde_json::from_str(&text)
            .map_err(|error| format!("the executor output {} is not JSON: {error}", path.display()))?;
        if let Some(values) = output.get("parameterValues").and_then(Value::as_object) {
            for (name, value) in values {
                let Some(file) = scope.get(&format!("outputs.parameters.{name}.path")) else {
                    return Err(format!(
                        "the executor output returns parameter `{name}`, which component of task `{}` does not declare",
                        self.task
                    ));
                };
                if Path::new(file).exists() {
                    continue;
                }
                std::fs::write(file, parameter_text(value))
                    .map_err(|error| format!("cannot write output parameter `{name}` to {file}: {error}"))?;
            }
        }
        let mut metadata = BTreeMap::new();
        if let Some(artifacts) = output.get("artifacts").and_then(Value::as_object) {
            for (name, list) in artifacts {
                let first = list.pointer("/artifacts/0/metadata").and_then(Value::as_object);
                if let Some(fields) = first.filter(|fields| !fields.is_empty()) {
                    metadata.insert(name.clone(), Value::Object(fields.clone()));
                }
            }
        }
        Ok(metadata)
    }
}

/// A parameter value as a command line gets it (the launcher's `PbValueToText`): a string as it is,
/// a number as Go's shortest form (`0.0` is `0`: protobuf numbers are doubles), anything else as JSON.
pub(crate) fn parameter_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => match (number.as_i64(), number.as_f64()) {
            (Some(integer), _) => integer.to_string(),
            (None, Some(float)) => float.to_string(),
            (None, None) => number.to_string(),
        },
        other => whole_numbers(other.clone()).to_string(),
    }
}

/// `value` with each whole double an integer, as Go's protojson writes a list or struct (`[1.0]` is `[1]`).
fn whole_numbers(value: Value) -> Value {
    match value {
        Value::Number(number) => match number.as_f64() {
            Some(float) if number.is_f64() && float.fract() == 0.0 && float.abs() < 9.0e15 => Value::from(float as i64),
            _ => Value::Number(number),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(whole_numbers).collect()),
        Value::Object(fields) => {
            Value::Object(fields.into_iter().map(|(key, value)| (key, whole_numbers(value))).collect())
        }
        other => other,
    }
}

/// Checks that `python` starts and has kfp 2's executor; `tasks` are the Python components' tasks.
pub(crate) fn check_python(python: &str, tasks: &[&str]) -> Result<(), String> {
    let tasks = tasks.iter().map(|task| format!("`{task}`")).collect::<Vec<_>>().join(", ");
    let fix = "install kfp 2 into it (`pip install kfp`), or name a Python that has it with `--python PATH` \
               (`RunOptions::python`) or the KFP2_PYTHON environment variable";
    let output = std::process::Command::new(python)
        .args(["-c", &format!("import {PYTHON_EXECUTOR}")])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|error| {
            format!("task(s) {tasks}: Python lightweight components run with `{python}`, which does not start ({error}): {fix}")
        })?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let why = stderr.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("it failed").trim();
    Err(format!(
        "task(s) {tasks}: Python lightweight components run in kfp 2's executor, which `{python}` cannot import ({why}): {fix}"
    ))
}

/// An input parameter's text (as the engine passes it) as the typed value its component declares,
/// as kfp's launcher reads it back.
fn typed(name: &str, text: &str, kind: ParameterType) -> Result<Value, String> {
    let bad =
        |what: &str| format!("input parameter `{name}` is `{text}`, which is not {what} as its component declares");
    Ok(match kind {
        ParameterType::NumberInteger => match text.trim().parse::<i64>() {
            Ok(integer) => json!(integer),
            // Protobuf numbers are doubles: `3.0` is the integer 3.
            Err(_) => match text.trim().parse::<f64>() {
                Ok(float) if float.fract() == 0.0 => json!(float as i64),
                _ => return Err(bad("an integer")),
            },
        },
        ParameterType::NumberDouble => json!(text.trim().parse::<f64>().map_err(|_| bad("a number"))?),
        ParameterType::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" => json!(true),
            "false" => json!(false),
            _ => return Err(bad("a boolean (true or false)")),
        },
        ParameterType::List | ParameterType::Struct | ParameterType::TaskFinalStatus => {
            let value: Value = serde_json::from_str(text).map_err(|_| bad("JSON"))?;
            let fits = if kind == ParameterType::List { value.is_array() } else { value.is_object() };
            if !fits {
                return Err(bad(if kind == ParameterType::List { "a JSON list" } else { "a JSON object" }));
            }
            value
        }
        _ => json!(text),
    })
}

/// An `ArtifactList` of one artifact at `path` (a local artifact's URI is its path, as in kfp.local).
fn artifact_list(name: &str, kind: &Option<ArtifactTypeSchema>, path: &str) -> Value {
    let kind = kind.as_ref();
    let title = kind.and_then(|kind| kind.schema_title.clone()).unwrap_or_else(|| "system.Artifact".to_owned());
    let version = kind.map(|kind| kind.schema_version.clone()).filter(|v| !v.is_empty()).unwrap_or("0.0.1".into());
    json!({"artifacts": [{
        "name": name,
        "type": {"schemaTitle": title, "schemaVersion": version},
        "uri": path,
        "metadata": {},
    }]})
}

/// `text` as one word of a shell script: as it is when it needs no quoting.
fn shell_word(text: &str) -> String {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+=:@%,".contains(c)) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_or_struct_parameter_is_written_as_the_launcher_writes_it() {
        // kfp 2 writes a list default's numbers as doubles; the launcher's JSON gives whole ones back as integers.
        assert_eq!(parameter_text(&json!([1.0, 2.5, {"n": 3.0}])), r#"[1,2.5,{"n":3}]"#);
        assert_eq!(parameter_text(&json!(3.0)), "3");
    }

    #[test]
    fn parameters_are_typed_as_their_component_declares_them() {
        assert_eq!(typed("n", "3", ParameterType::NumberInteger).unwrap(), json!(3));
        assert_eq!(typed("n", "3.0", ParameterType::NumberInteger).unwrap(), json!(3));
        assert_eq!(typed("x", "2.5", ParameterType::NumberDouble).unwrap(), json!(2.5));
        assert_eq!(typed("b", "True", ParameterType::Boolean).unwrap(), json!(true));
        assert_eq!(typed("l", "[1, \"a\"]", ParameterType::List).unwrap(), json!([1, "a"]));
        assert_eq!(typed("s", " a \"b\" ", ParameterType::String).unwrap(), json!(" a \"b\" "));
        let refused = typed("n", "three", ParameterType::NumberInteger).unwrap_err();
        assert_eq!(refused, "input parameter `n` is `three`, which is not an integer as its component declares");
        assert!(typed("l", "{}", ParameterType::List).unwrap_err().contains("not a JSON list"));
        let status = r#"{"state": "SUCCEEDED", "pipelineTaskName": "echo"}"#;
        assert_eq!(typed("status", status, ParameterType::TaskFinalStatus).unwrap()["state"], json!("SUCCEEDED"));
    }

    #[test]
    fn the_python_replaces_python3_but_not_in_the_functions_source() {
        let words: Vec<String> = [
            "sh",
            "-c",
            "python3 -m pip install kfp && \"$0\" \"$@\"",
            "sh",
            "-ec",
            "program_path=$(mktemp -d)\npython3 -m kfp.dsl.executor_main --component_module_path \"$program_path/ephemeral_component.py\" \"$@\"",
            "print('python3')",
            "--executor_input",
            "{{$}}",
        ]
        .map(String::from)
        .to_vec();
        let refs: Vec<&String> = words.iter().collect();
        let executor = Executor::of("add", &ComponentSpec::default(), &refs);
        assert!(executor.is_python());
        let mut argv = words.clone();
        let recorded = metadata::ArtifactMetadata::default();
        executor
            .fill(&mut argv, &Scope::default(), Path::new("/runs/t"), Some("/opt/my py/python"), &recorded)
            .unwrap();
        assert_eq!(argv[2], "'/opt/my py/python' -m pip install kfp && \"$0\" \"$@\"");
        assert!(argv[5].contains("'/opt/my py/python' -m kfp.dsl.executor_main"), "{}", argv[5]);
        assert_eq!(argv[6], "print('python3')");
        let input: Value = serde_json::from_str(&argv[8]).unwrap();
        assert_eq!(input["outputs"]["outputFile"], json!("/runs/t/executor_output.json"));
    }
}
