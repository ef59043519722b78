//! Reading and checking component.yaml text.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::LoadedComponent;
use crate::dsl::loaded::names;
use crate::spec::{Branch, ComponentSpec, Condition, Placeholder};

/// A component file that cannot be loaded: where (file, YAML path of the field,
/// line and column when known) and what is wrong.
///
/// Displays as `<file>:<line>:<column>: <field>: <problem>`, e.g.
/// `train.yaml:12:7: implementation.container.args[2]: unknown placeholder `inputValu`, expected one of ...`.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}{}: {}{problem}", position(*.line, *.column), field_prefix(.field))]
pub struct LoadError {
    /// The file, the URL, or `component text` for [`load_component_from_text`].
    pub origin: String,
    /// The YAML path of the field at fault (`implementation.container.args[2]`);
    /// empty for the whole document.
    pub field: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The kind of problem.
    pub kind: LoadErrorKind,
    /// What is wrong, and what was expected.
    pub problem: String,
}

crate::error::debug_as_message!(LoadError);

/// Kinds of [`LoadError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// The file cannot be read.
    Read,
    /// The URL cannot be fetched.
    Fetch,
    /// The text is not YAML, or not a mapping.
    Syntax,
    /// A required field is missing.
    MissingField,
    /// A field kfp does not know (a typo).
    UnknownField,
    /// A field holds the wrong kind of value.
    WrongType,
    /// A placeholder kfp does not know.
    UnknownPlaceholder,
    /// The document is well-formed but inconsistent (a placeholder names no input,
    /// two inputs share a name, ...).
    Invalid,
    /// Valid for kfp, but not supported here (graph components, zip archives).
    Unsupported,
}

fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    }
}

fn field_prefix(field: &str) -> String {
    if field.is_empty() {
        String::new()
    } else {
        format!("{field}: ")
    }
}

impl LoadError {
    fn new(origin: &str, kind: LoadErrorKind, field: impl Into<String>, problem: impl Into<String>) -> Self {
        LoadError {
            origin: origin.to_owned(),
            field: field.into(),
            line: None,
            column: None,
            kind,
            problem: problem.into(),
        }
    }
}

/// What [`load_component_from_text`] names as the origin of its errors.
const TEXT_ORIGIN: &str = "component text";

/// Loads a component from component.yaml text (kfp's `load_component_from_text`).
/// Its tasks' `component_ref` annotation is `{"digest": <sha256 of the text>}`.
pub fn load_component_from_text(text: &str) -> Result<LoadedComponent, LoadError> {
    load(text, TEXT_ORIGIN, None)
}

/// Loads a component from a component.yaml file (kfp's `load_component_from_file`).
/// Its tasks' `component_ref` annotation is `{"digest": ..., "url": <path as given>}`.
pub fn load_component_from_file(path: impl AsRef<Path>) -> Result<LoadedComponent, LoadError> {
    let path = path.as_ref();
    let origin = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|error| LoadError::new(&origin, LoadErrorKind::Read, "", format!("cannot read the file: {error}")))?;
    let text = text_of(&bytes, &origin)?;
    load(&text, &origin, Some(path.to_string_lossy().into_owned()))
}

/// Loads a component from an `http(s)://` URL (kfp's `load_component_from_url`;
/// `gs://bucket/x` is read from `https://storage.googleapis.com/bucket/x`, as kfp does).
/// Its tasks' `component_ref` annotation is `{"digest": ..., "url": <url>}`.
#[cfg(feature = "url")]
pub fn load_component_from_url(url: &str) -> Result<LoadedComponent, LoadError> {
    let url = match url.strip_prefix("gs://") {
        Some(rest) => format!("https://storage.googleapis.com/{rest}"),
        None => url.to_owned(),
    };
    let fetch_error = |message: String| LoadError::new(&url, LoadErrorKind::Fetch, "", message);
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(fetch_error("only http://, https:// and gs:// URLs can be loaded".to_owned()));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(60)))
        .user_agent(concat!("kfp-rs/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent.get(&url).call().map_err(|error| fetch_error(format!("cannot fetch: {error}")))?;
    let bytes = response
        .body_mut()
        .with_config()
        .limit(16 * 1024 * 1024)
        .read_to_vec()
        .map_err(|error| fetch_error(format!("cannot read the answer: {error}")))?;
    let text = text_of(&bytes, &url)?;
    load(&text, &url, Some(url.clone()))
}

fn text_of(bytes: &[u8], origin: &str) -> Result<String, LoadError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(LoadError::new(
            origin,
            LoadErrorKind::Unsupported,
            "",
            "a zip archive: kfp-rs loads component.yaml text only; extract `component.yaml` from the archive",
        ));
    }
    String::from_utf8(bytes.to_vec()).map_err(|error| {
        LoadError::new(
            origin,
            LoadErrorKind::Syntax,
            "",
            format!("not UTF-8 text (byte {})", error.utf8_error().valid_up_to()),
        )
    })
}

/// kfp's component digest: SHA-256 of the text with `\r\n` line ends made `\n`.
pub(crate) fn digest(text: &str) -> String {
    let normalized = text.replace("\r\n", "\n");
    let hash = Sha256::digest(normalized.as_bytes());
    hash.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn load(text: &str, origin: &str, url: Option<String>) -> Result<LoadedComponent, LoadError> {
    let spec = parse(text, origin)?;
    let mut reference = serde_json::Map::new();
    reference.insert("digest".to_owned(), digest(text).into());
    if let Some(url) = url {
        reference.insert("url".to_owned(), url.into());
    }
    Ok(LoadedComponent::from_spec(spec, serde_json::Value::Object(reference)))
}

/// Parses and checks component.yaml text; errors name `origin`.
pub(crate) fn parse(text: &str, origin: &str) -> Result<ComponentSpec, LoadError> {
    crate::input::check_yaml(text).map_err(|error| LoadError {
        line: Some(error.line),
        column: Some(error.column),
        ..LoadError::new(origin, LoadErrorKind::Syntax, "", error.problem)
    })?;
    // First as plain YAML: a syntax error is told apart from a schema error.
    let document: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|error| yaml_error(origin, LoadErrorKind::Syntax, "", &error))?;
    let serde_yaml::Value::Mapping(mapping) = &document else {
        let found = match document {
            serde_yaml::Value::Null => "an empty document",
            serde_yaml::Value::Sequence(_) => "a list",
            _ => "a single value",
        };
        return Err(LoadError::new(
            origin,
            LoadErrorKind::Syntax,
            "",
            format!(
                "expected a component (a mapping with `name`, `inputs`, `outputs`, `implementation`), found {found}"
            ),
        ));
    };
    if let Some(serde_yaml::Value::Mapping(implementation)) = mapping.get("implementation") {
        if implementation.contains_key("graph") {
            return Err(LoadError::new(
                origin,
                LoadErrorKind::Unsupported,
                "implementation.graph",
                "graph components are not supported by kfp-rs: only container components (`implementation.container`)",
            ));
        }
    }
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let spec: ComponentSpec = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let field = error.path().to_string();
        let field = if field == "." { String::new() } else { field };
        let inner = error.into_inner();
        yaml_error(origin, classify(&inner.to_string()), &field, &inner)
    })?;
    check(&spec, origin)?;
    Ok(spec)
}

/// A serde_yaml error as a [`LoadError`]: its message without the position and
/// path serde_yaml adds (they are fields here).
fn yaml_error(origin: &str, kind: LoadErrorKind, field: &str, error: &serde_yaml::Error) -> LoadError {
    let mut message = error.to_string();
    if let Some(location) = error.location() {
        message = message.replacen(&format!(" at line {} column {}", location.line(), location.column()), "", 1);
    }
    if !field.is_empty() {
        if let Some(stripped) = message.strip_prefix(&format!("{field}: ")) {
            message = stripped.to_owned();
        }
    }
    LoadError {
        origin: origin.to_owned(),
        field: field.to_owned(),
        line: error.location().map(|location| location.line()),
        column: error.location().map(|location| location.column()),
        kind,
        problem: message,
    }
}

fn classify(message: &str) -> LoadErrorKind {
    let message = message.split_once(": ").filter(|(path, _)| !path.contains(' ')).map_or(message, |(_, rest)| rest);
    if message.starts_with("missing field") {
        LoadErrorKind::MissingField
    } else if message.starts_with("unknown field") {
        LoadErrorKind::UnknownField
    } else if message.starts_with("unknown placeholder")
        || message.starts_with("empty placeholder")
        || message.starts_with("unknown condition")
    {
        LoadErrorKind::UnknownPlaceholder
    } else if message.starts_with("invalid type")
        || message.starts_with("invalid value")
        || message.starts_with("invalid length")
    {
        LoadErrorKind::WrongType
    } else {
        LoadErrorKind::Syntax
    }
}

/// kfp's `ComponentSpec._post_init`: unique names, and every placeholder and
/// `fileOutputs` entry names a declared input or output; and, beyond kfp, no
/// two inputs or outputs share a file or an Argo name.
fn check(spec: &ComponentSpec, origin: &str) -> Result<(), LoadError> {
    let invalid = |field: String, problem: String| LoadError::new(origin, LoadErrorKind::Invalid, field, problem);
    for (index, input) in spec.inputs.iter().enumerate() {
        if spec.inputs[..index].iter().any(|other| other.name == input.name) {
            return Err(invalid(format!("inputs[{index}].name"), format!("input name `{}` is used twice", input.name)));
        }
    }
    for (index, output) in spec.outputs.iter().enumerate() {
        if spec.outputs[..index].iter().any(|other| other.name == output.name) {
            return Err(invalid(
                format!("outputs[{index}].name"),
                format!("output name `{}` is used twice", output.name),
            ));
        }
    }
    let container = &spec.implementation.container;
    for name in container.file_outputs.iter().flat_map(|outputs| outputs.keys()) {
        if spec.output(name).is_none() {
            return Err(invalid(
                format!("implementation.container.fileOutputs.{name}"),
                format!(
                    "`{name}` is not an output of the component; its outputs: {}",
                    names(spec.outputs.iter().map(|o| &o.name))
                ),
            ));
        }
    }
    let checker = Checker { spec };
    checker
        .list(&container.command, "implementation.container.command")
        .map_err(|(field, problem)| invalid(field, problem))?;
    checker
        .list(container.args.as_deref().unwrap_or_default(), "implementation.container.args")
        .map_err(|(field, problem)| invalid(field, problem))?;
    let (by_path, written) = crate::compiler::argo::clash::files_of(spec);
    match crate::compiler::argo::clash::first_clash(spec, &by_path, &written, None) {
        Some(clash) => Err(invalid(format!("{}[{}].name", clash.list, clash.second_index), clash.to_string())),
        None => Ok(()),
    }
}

struct Checker<'a> {
    spec: &'a ComponentSpec,
}

type Problem = (String, String);

impl Checker<'_> {
    fn list(&self, items: &[Placeholder], field: &str) -> Result<(), Problem> {
        for (index, item) in items.iter().enumerate() {
            self.one(item, &format!("{field}[{index}]"))?;
        }
        Ok(())
    }

    fn input(&self, name: &str, field: String) -> Result<(), Problem> {
        if self.spec.input(name).is_some() {
            return Ok(());
        }
        Err((
            field,
            format!(
                "`{name}` is not an input of the component; its inputs: {}",
                names(self.spec.inputs.iter().map(|i| &i.name))
            ),
        ))
    }

    fn output(&self, name: &str, field: String) -> Result<(), Problem> {
        if self.spec.output(name).is_some() {
            return Ok(());
        }
        Err((
            field,
            format!(
                "`{name}` is not an output of the component; its outputs: {}",
                names(self.spec.outputs.iter().map(|o| &o.name))
            ),
        ))
    }

    fn one(&self, placeholder: &Placeholder, field: &str) -> Result<(), Problem> {
        match placeholder {
            Placeholder::Literal(_) => Ok(()),
            Placeholder::InputValue { input_value: name } => self.input(name, format!("{field}.inputValue")),
            Placeholder::InputPath { input_path: name } => self.input(name, format!("{field}.inputPath")),
            Placeholder::InputUri { input_uri: name } => self.input(name, format!("{field}.inputUri")),
            Placeholder::OutputPath { output_path: name } => self.output(name, format!("{field}.outputPath")),
            Placeholder::OutputUri { output_uri: name } => self.output(name, format!("{field}.outputUri")),
            Placeholder::OutputMetadata { output_metadata: name } => {
                self.output(name, format!("{field}.outputMetadata"))
            }
            Placeholder::Concat { concat } => self.list(concat, &format!("{field}.concat")),
            Placeholder::If { if_ } => {
                match &if_.cond {
                    Condition::IsPresent(name) => self.input(name, format!("{field}.if.cond.isPresent"))?,
                    Condition::InputValue(name) => self.input(name, format!("{field}.if.cond.inputValue"))?,
                    Condition::Bool(_) | Condition::Text(_) => {}
                }
                self.branch(&if_.then, &format!("{field}.if.then"))?;
                match &if_.else_ {
                    Some(branch) => self.branch(branch, &format!("{field}.if.else")),
                    None => Ok(()),
                }
            }
        }
    }

    fn branch(&self, branch: &Branch, field: &str) -> Result<(), Problem> {
        match branch {
            Branch::One(one) => self.one(one, field),
            Branch::List(list) => self.list(list, field),
        }
    }
}
