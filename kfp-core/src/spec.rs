//! The component specification: kfp's `component.yaml`.
//!
//! Field names, order and placeholders follow kfp 1.8 (`kfp.components.structures`),
//! so a spec written here loads in kfp and one written by kfp loads here.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A component: its interface and the container that implements it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentSpec {
    /// Human name, e.g. `Add numbers`; task names derive from it.
    pub name: String,
    /// What the component does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Inputs, in command-line order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputSpec>,
    /// Outputs, in command-line order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<OutputSpec>,
    /// How it runs.
    pub implementation: Implementation,
}

/// One input of a component.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// Input name as written in placeholders (`value_1`).
    pub name: String,
    /// kfp type name; absent for untyped inputs.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_name: Option<String>,
    /// What the input means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Serialized default value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Whether a task may leave it out.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
}

/// One output of a component.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSpec {
    /// Output name (`Output` for a function's single return value).
    pub name: String,
    /// kfp type name; absent for untyped outputs.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_name: Option<String>,
    /// What the output means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
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
    /// Arguments, with placeholders.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Placeholder>,
}

/// A command-line element: a literal or a placeholder kfp resolves per task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Placeholder {
    /// Literal text.
    Literal(String),
    /// The value of an input.
    InputValue {
        /// Input name.
        #[serde(rename = "inputValue")]
        input_value: String,
    },
    /// The local path of an input file.
    InputPath {
        /// Input name.
        #[serde(rename = "inputPath")]
        input_path: String,
    },
    /// The local path an output file is written to.
    OutputPath {
        /// Output name.
        #[serde(rename = "outputPath")]
        output_path: String,
    },
    /// Arguments present only when a condition holds.
    If {
        /// The condition and branches.
        #[serde(rename = "if")]
        if_: Box<IfPlaceholder>,
    },
}

/// The body of an `if` placeholder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IfPlaceholder {
    /// The condition.
    pub cond: Condition,
    /// Arguments when it holds.
    pub then: Vec<Placeholder>,
    /// Arguments when it does not.
    #[serde(default, rename = "else", skip_serializing_if = "Vec::is_empty")]
    pub else_: Vec<Placeholder>,
}

/// The condition of an `if` placeholder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Holds when the task passes this input.
    #[serde(rename = "isPresent")]
    pub is_present: String,
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
            what: format!("component `{}`", self.name),
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
}
