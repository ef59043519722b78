//! The component specification: kfp's `component.yaml`.
//!
//! Field names, order and placeholders follow kfp 1.8 (`kfp.components.structures`),
//! so a spec written here loads in kfp and one written by kfp loads here. Every field
//! kfp 1.8 accepts for a container component is accepted; an unknown field is an error
//! (a typo must not be ignored). Reading a file with good error messages:
//! [`crate::components::load_component_from_file`].

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A component: its interface and the container that implements it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentSpec {
    /// Human name, e.g. `Add numbers`; task names derive from it. kfp lets a
    /// component leave it out (its tasks are then named `Component`): empty here.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// What the component does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Annotations and labels, given to the task's pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<MetadataSpec>,
    /// Inputs, in command-line order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputSpec>,
    /// Outputs, in command-line order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<OutputSpec>,
    /// How it runs.
    pub implementation: Implementation,
    /// The spec format's version (kfp: `google.com/cloud/pipelines/component/v1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// `metadata:` of a component.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetadataSpec {
    /// Pod annotations of every task (`volatile_component: 'true'` turns caching off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
    /// Pod labels of every task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
}

/// One input of a component.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// Input name as written in placeholders (`value_1`).
    pub name: String,
    /// kfp type; absent for untyped inputs.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_name: Option<TypeSpec>,
    /// What the input means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Default value, of any scalar kind (kept as written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Scalar>,
    /// Whether a task may leave it out.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// Free-form annotations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, serde_json::Value>>,
}

impl InputSpec {
    /// Whether the input takes a list of artifacts (kfp 2's `Input[List[Dataset]]`).
    pub fn is_artifact_list(&self) -> bool {
        self.type_name.as_ref().and_then(|t| t.name()).and_then(artifact_list_item).is_some()
    }
}

/// The artifact type of the items of a list of artifacts' spec type (`Dataset` of `List[Dataset]`),
/// or `None` for any other type.
pub fn artifact_list_item(type_name: &str) -> Option<&str> {
    let item = type_name.strip_prefix("List[")?.strip_suffix(']')?;
    macro_rules! list_items {
        ($($marker:ident $type_name:literal $list_item:literal),*) => {
            [$($list_item),*]
        };
    }
    const ARTIFACTS: [&str; 8] = crate::types::for_each_artifact_type!(list_items);
    (ARTIFACTS.contains(&item) || item.starts_with("google.")).then_some(item)
}

/// One output of a component.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSpec {
    /// Output name (`Output` for a function's single return value).
    pub name: String,
    /// kfp type; absent for untyped outputs.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_name: Option<TypeSpec>,
    /// What the output means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Free-form annotations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, serde_json::Value>>,
}

/// `implementation:` of a component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Implementation {
    /// The container that runs the component.
    pub container: ContainerSpec,
}

/// `implementation.container`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerSpec {
    /// Image reference.
    pub image: String,
    /// Entrypoint, with placeholders.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<Placeholder>,
    /// Arguments, with placeholders. `None` (no `args:` key) and `Some` of an
    /// empty list are told apart, as kfp does: a function component writes
    /// `args: []`, a loaded file keeps what it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Vec<Placeholder>>,
    /// Environment variables of the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<BTreeMap<String, String>>,
    /// Legacy fixed output paths: output name -> the path the program writes it to.
    #[serde(default, rename = "fileOutputs", skip_serializing_if = "Option::is_none")]
    pub file_outputs: Option<BTreeMap<String, String>>,
}

impl ContainerSpec {
    /// The command when it is literal text only, the same for every task (a
    /// function component's program); `None` when it has a placeholder.
    pub fn literal_command(&self) -> Option<Vec<&str>> {
        (self.command.iter())
            .map(|placeholder| match placeholder {
                Placeholder::Literal(text) => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// The `type:` of an input or output: a name (`Integer`, `CSV`) or kfp's structured
/// form (`{GCSPath: {data_type: CSV}}`, or a list), kept as written.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeSpec {
    /// A type name.
    Name(String),
    /// A mapping or list.
    Structured(serde_json::Value),
}

impl TypeSpec {
    /// The type's name: itself, or the first key of a mapping.
    pub fn name(&self) -> Option<&str> {
        match self {
            TypeSpec::Name(name) => Some(name),
            TypeSpec::Structured(serde_json::Value::Object(map)) => map.keys().next().map(String::as_str),
            TypeSpec::Structured(_) => None,
        }
    }
}

/// kfp's `verify_type_compatibility`, by type name: an untyped side matches
/// anything, `Artifact` matches any artifact type, names are compared after
/// mapping kfp's aliases (`int` is `Integer`).
pub(crate) fn check_types(
    given: Option<&TypeSpec>,
    expected: Option<&TypeSpec>,
    what: &str,
    into: &str,
) -> Result<(), String> {
    let (Some(given_type), Some(expected_type)) = (given, expected) else { return Ok(()) };
    let (Some(given), Some(expected)) = (given_type.name(), expected_type.name()) else { return Ok(()) };
    if given.is_empty() || expected.is_empty() {
        return Ok(());
    }
    if (given.eq_ignore_ascii_case("artifact") && !is_parameter_type(expected))
        || (expected.eq_ignore_ascii_case("artifact") && !is_parameter_type(given))
    {
        return Ok(());
    }
    if canonical(given) == canonical(expected) {
        return Ok(());
    }
    Err(format!(
        "{what} has type `{given_type}`, which cannot feed {into} of type `{expected_type}`: kfp types must match"
    ))
}

/// kfp's canonical name of a type name (`int` -> `Integer`), others as they are.
fn canonical(name: &str) -> &str {
    match name {
        "str" | "String" => "String",
        "int" | "Integer" => "Integer",
        "float" | "Float" => "Float",
        "bool" | "Bool" | "Boolean" => "Boolean",
        "list" | "List" | "JsonArray" => "JsonArray",
        "dict" | "Dict" | "Dictionary" | "JsonObject" => "JsonObject",
        other => other,
    }
}

fn is_parameter_type(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "integer"
            | "int"
            | "double"
            | "float"
            | "string"
            | "str"
            | "text"
            | "bool"
            | "boolean"
            | "dict"
            | "list"
            | "jsonobject"
            | "jsonarray"
    )
}

impl From<&str> for TypeSpec {
    fn from(name: &str) -> Self {
        TypeSpec::Name(name.to_owned())
    }
}

impl fmt::Display for TypeSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeSpec::Name(name) => f.write_str(name),
            TypeSpec::Structured(value) => write!(f, "{value}"),
        }
    }
}

impl Serialize for TypeSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            TypeSpec::Name(name) => serializer.serialize_str(name),
            TypeSpec::Structured(value) => value.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for TypeSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(name) => Ok(TypeSpec::Name(name)),
            value @ (serde_json::Value::Object(_) | serde_json::Value::Array(_)) => Ok(TypeSpec::Structured(value)),
            other => Err(de::Error::custom(format_args!(
                "invalid type: {}, expected a type name (`String`, `CSV`) or a mapping (`{{GCSPath: {{data_type: CSV}}}}`)",
                json_kind(&other)
            ))),
        }
    }
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "sequence",
        serde_json::Value::Object(_) => "map",
    }
}

/// A scalar as YAML writes it: the `default:` of an input.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float (or an integer beyond `i64`).
    Float(f64),
    /// Text.
    String(String),
}

impl Scalar {
    /// The value as kfp serializes it into a command line: text as is, integers in
    /// decimal, floats as Python's `str(float)`, booleans `True`/`False`.
    pub fn to_kfp_string(&self) -> String {
        use crate::types::KfpType;
        match self {
            Scalar::Bool(value) => value.to_kfp_string(),
            Scalar::Int(value) => value.to_string(),
            Scalar::Float(value) => value.to_kfp_string(),
            Scalar::String(value) => value.clone(),
        }
    }
}

impl From<&str> for Scalar {
    fn from(text: &str) -> Self {
        Scalar::String(text.to_owned())
    }
}

impl Serialize for Scalar {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Scalar::Bool(value) => serializer.serialize_bool(*value),
            Scalar::Int(value) => serializer.serialize_i64(*value),
            Scalar::Float(value) => serializer.serialize_f64(*value),
            Scalar::String(value) => serializer.serialize_str(value),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_bool<E>(self, value: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(value))
            }
            fn visit_i64<E>(self, value: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(value))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Scalar, E> {
                Ok(i64::try_from(value).map_or(Scalar::Float(value as f64), Scalar::Int))
            }
            fn visit_f64<E>(self, value: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(value))
            }
            fn visit_str<E>(self, value: &str) -> Result<Scalar, E> {
                Ok(Scalar::String(value.to_owned()))
            }
            fn visit_string<E>(self, value: String) -> Result<Scalar, E> {
                Ok(Scalar::String(value))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A command-line element: a literal or a placeholder kfp resolves per task.
#[derive(Clone, Debug, PartialEq)]
pub enum Placeholder {
    /// Literal text.
    Literal(String),
    /// `{inputValue: x}`: the value of an input.
    InputValue {
        /// Input name.
        input_value: String,
    },
    /// `{inputPath: x}`: the local path of an input file.
    InputPath {
        /// Input name.
        input_path: String,
    },
    /// `{outputPath: x}`: the local path an output file is written to.
    OutputPath {
        /// Output name.
        output_path: String,
    },
    /// `{inputUri: x}`: the URI of an input artifact.
    InputUri {
        /// Input name.
        input_uri: String,
    },
    /// `{outputUri: x}`: the URI an output artifact is written to.
    OutputUri {
        /// Output name.
        output_uri: String,
    },
    /// `{outputMetadata: x}`: the metadata of output artifact `x` as JSON, kfp 2's
    /// `model.metadata` (`{{$.outputs.artifacts['x'].metadata}}`); KFP v2 only. kfp 1.8's
    /// `{outputMetadata: null}` (the executor output file) is not read: it names no artifact.
    OutputMetadata {
        /// Output name.
        output_metadata: String,
    },
    /// `{concat: [...]}`: its items resolved and joined into one argument.
    Concat {
        /// The items.
        concat: Vec<Placeholder>,
    },
    /// `{if: {cond, then, else}}`: arguments chosen by a condition.
    If {
        /// The condition and branches.
        if_: Box<IfPlaceholder>,
    },
}

/// The names of the placeholders, as written in component.yaml.
pub const PLACEHOLDER_NAMES: &[&str] =
    &["inputValue", "inputPath", "outputPath", "inputUri", "outputUri", "outputMetadata", "concat", "if"];

/// KFP v2 placeholders kfp 1.8 parses but a v1 pipeline cannot use.
const V2_PLACEHOLDERS: &[&str] = &["inputMetadata", "inputOutputPortName", "executorInput"];

/// The body of an `if` placeholder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IfPlaceholder {
    /// The condition.
    pub cond: Condition,
    /// Arguments when it holds.
    pub then: Branch,
    /// Arguments when it does not.
    #[serde(default, rename = "else", skip_serializing_if = "Option::is_none")]
    pub else_: Option<Branch>,
}

/// A branch of an `if` placeholder: one element or a list, kept as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Branch {
    /// A single element.
    One(Box<Placeholder>),
    /// A list.
    List(Vec<Placeholder>),
}

impl Branch {
    /// The branch's elements.
    pub fn items(&self) -> &[Placeholder] {
        match self {
            Branch::One(one) => std::slice::from_ref(one),
            Branch::List(list) => list,
        }
    }
}

impl Serialize for Branch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Branch::One(one) => one.serialize(serializer),
            Branch::List(list) => list.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Branch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PlaceholderVisitor { list: true }).map(|parsed| match parsed {
            Parsed::One(one) => Branch::One(Box::new(one)),
            Parsed::List(list) => Branch::List(list),
        })
    }
}

/// The condition of an `if` placeholder.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// `{isPresent: x}`: holds when the task passes input `x`.
    IsPresent(String),
    /// `{inputValue: x}`: the value of input `x`, read as a boolean.
    InputValue(String),
    /// A constant `true`/`false`.
    Bool(bool),
    /// A constant text, read as a boolean (`"true"`, `"False"`, `"1"`, ...).
    Text(String),
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Condition::IsPresent(name) => single_entry(serializer, "isPresent", name),
            Condition::InputValue(name) => single_entry(serializer, "inputValue", name),
            Condition::Bool(value) => serializer.serialize_bool(*value),
            Condition::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ConditionVisitor;
        impl<'de> Visitor<'de> for ConditionVisitor {
            type Value = Condition;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`{isPresent: input}`, `{inputValue: input}`, a boolean or a string")
            }
            fn visit_bool<E>(self, value: bool) -> Result<Condition, E> {
                Ok(Condition::Bool(value))
            }
            fn visit_str<E>(self, value: &str) -> Result<Condition, E> {
                Ok(Condition::Text(value.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Condition, A::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(de::Error::custom(
                        "empty condition: expected `{isPresent: input}` or `{inputValue: input}`",
                    ));
                };
                let condition = match key.as_str() {
                    "isPresent" => Condition::IsPresent(map.next_value()?),
                    "inputValue" => Condition::InputValue(map.next_value()?),
                    other => {
                        return Err(de::Error::custom(format_args!(
                            "unknown condition `{other}`: expected `isPresent` or `inputValue`"
                        )))
                    }
                };
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format_args!(
                        "a condition has one key, found `{key}` and `{extra}`"
                    )));
                }
                Ok(condition)
            }
        }
        deserializer.deserialize_any(ConditionVisitor)
    }
}

fn single_entry<S: Serializer, V: Serialize + ?Sized>(serializer: S, key: &str, value: &V) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(key, value)?;
    map.end()
}

impl Serialize for Placeholder {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Placeholder::Literal(text) => serializer.serialize_str(text),
            Placeholder::InputValue { input_value } => single_entry(serializer, "inputValue", input_value),
            Placeholder::InputPath { input_path } => single_entry(serializer, "inputPath", input_path),
            Placeholder::OutputPath { output_path } => single_entry(serializer, "outputPath", output_path),
            Placeholder::InputUri { input_uri } => single_entry(serializer, "inputUri", input_uri),
            Placeholder::OutputUri { output_uri } => single_entry(serializer, "outputUri", output_uri),
            Placeholder::OutputMetadata { output_metadata } => {
                single_entry(serializer, "outputMetadata", output_metadata)
            }
            Placeholder::Concat { concat } => single_entry(serializer, "concat", concat),
            Placeholder::If { if_ } => single_entry(serializer, "if", if_),
        }
    }
}

impl<'de> Deserialize<'de> for Placeholder {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_any(PlaceholderVisitor { list: false })? {
            Parsed::One(one) => Ok(one),
            Parsed::List(_) => unreachable!("lists are refused when not asked for"),
        }
    }
}

enum Parsed {
    One(Placeholder),
    List(Vec<Placeholder>),
}

/// Reads a placeholder (or, for an `if` branch, a list of them) with an error that
/// names the problem: a number where text belongs, an unknown placeholder key.
struct PlaceholderVisitor {
    list: bool,
}

impl<'de> Visitor<'de> for PlaceholderVisitor {
    type Value = Parsed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.list {
            f.write_str("a string, a placeholder (`{inputValue: name}`, ...) or a list of them")
        } else {
            f.write_str("a string or a placeholder (`{inputValue: name}`, `{outputPath: name}`, ...)")
        }
    }

    fn visit_str<E>(self, text: &str) -> Result<Parsed, E> {
        Ok(Parsed::One(Placeholder::Literal(text.to_owned())))
    }

    fn visit_string<E>(self, text: String) -> Result<Parsed, E> {
        Ok(Parsed::One(Placeholder::Literal(text)))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Parsed, A::Error> {
        if !self.list {
            return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
        }
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Placeholder>()? {
            items.push(item);
        }
        Ok(Parsed::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
        let Some(key) = map.next_key::<String>()? else {
            return Err(de::Error::custom(format_args!(
                "empty placeholder: expected one of {}",
                quoted_list(PLACEHOLDER_NAMES)
            )));
        };
        let placeholder = match key.as_str() {
            "inputValue" => Placeholder::InputValue { input_value: map.next_value()? },
            "inputPath" => Placeholder::InputPath { input_path: map.next_value()? },
            "outputPath" => Placeholder::OutputPath { output_path: map.next_value()? },
            "inputUri" => Placeholder::InputUri { input_uri: map.next_value()? },
            "outputUri" => Placeholder::OutputUri { output_uri: map.next_value()? },
            "outputMetadata" => match map.next_value::<Option<String>>()? {
                Some(output_metadata) => Placeholder::OutputMetadata { output_metadata },
                None => {
                    return Err(de::Error::custom(
                        "`outputMetadata` names an output artifact (`{outputMetadata: model}`: its metadata); kfp 1.8's `{outputMetadata: null}`, the executor output file, is not supported",
                    ))
                }
            },
            "concat" => Placeholder::Concat { concat: map.next_value()? },
            "if" => Placeholder::If { if_: Box::new(map.next_value()?) },
            v2 if V2_PLACEHOLDERS.contains(&v2) => {
                return Err(de::Error::custom(format_args!(
                    "unknown placeholder `{v2}`: it is a KFP v2 placeholder, which KFP v1 pipelines cannot use; expected one of {}",
                    quoted_list(PLACEHOLDER_NAMES)
                )))
            }
            other => {
                return Err(de::Error::custom(format_args!(
                    "unknown placeholder `{other}`, expected one of {}",
                    quoted_list(PLACEHOLDER_NAMES)
                )))
            }
        };
        if let Some(extra) = map.next_key::<String>()? {
            return Err(de::Error::custom(format_args!(
                "a placeholder has exactly one key, found `{key}` and `{extra}`"
            )));
        }
        Ok(Parsed::One(placeholder))
    }
}

fn quoted_list(names: &[&str]) -> String {
    names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
}

fn is_false(value: &bool) -> bool {
    !value
}

impl Placeholder {
    /// A literal.
    pub fn literal(text: impl Into<String>) -> Self {
        Placeholder::Literal(text.into())
    }
}

impl ComponentSpec {
    /// The spec as `component.yaml` text.
    pub fn to_yaml(&self) -> Result<String> {
        serde_yaml::to_string(self).map_err(|error| Error::Serialize {
            what: format!("component `{}`", self.display_name()),
            message: error.to_string(),
        })
    }

    /// Writes `component.yaml` to `path`, creating parent directories.
    pub fn save(&self, path: impl AsRef<std::path::Path>) -> Result<()> {
        crate::fsutil::write_file(path.as_ref(), &self.to_yaml()?)
    }

    /// The input named `name`.
    pub fn input(&self, name: &str) -> Option<&InputSpec> {
        self.inputs.iter().find(|input| input.name == name)
    }

    /// The output named `name`.
    pub fn output(&self, name: &str) -> Option<&OutputSpec> {
        self.outputs.iter().find(|output| output.name == name)
    }

    /// The name tasks take: [`Self::name`], or kfp's `Component` when it is empty.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            "Component"
        } else {
            &self.name
        }
    }
}
