//! The type vocabulary of the IR: parameter types and artifact type schemas, which component
//! signatures and importers both name.

use serde::{Deserialize, Serialize};

use super::proto::is_default;

/// `ml_pipelines.ArtifactTypeSchema`: the artifact's type, by title (`system.Dataset`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ArtifactTypeSchema {
    /// oneof `kind`: `<namespace>.<title>`, as `system.Model`.
    #[serde(alias = "schema_title", default, skip_serializing_if = "Option::is_none")]
    pub schema_title: Option<String>,
    /// oneof `kind`, deprecated: a YAML file describing the type.
    #[serde(alias = "schema_uri", default, skip_serializing_if = "Option::is_none")]
    pub schema_uri: Option<String>,
    /// oneof `kind`: the type's schema as YAML text.
    #[serde(alias = "instance_schema", default, skip_serializing_if = "Option::is_none")]
    pub instance_schema: Option<String>,
    /// The version of the schema (kfp: `0.0.1`).
    #[serde(alias = "schema_version", default, skip_serializing_if = "is_default")]
    pub schema_version: String,
}

/// `ml_pipelines.ParameterType.ParameterTypeEnum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ParameterType {
    /// Not set.
    #[default]
    ParameterTypeEnumUnspecified,
    /// A `float`.
    NumberDouble,
    /// An `int`.
    NumberInteger,
    /// A `str`.
    String,
    /// A `bool`.
    Boolean,
    /// A JSON list.
    List,
    /// A JSON object.
    Struct,
    /// The final status of an upstream task (an exit handler's input).
    TaskFinalStatus,
    /// The task's own configuration, filled in by the backend.
    TaskConfig,
}

impl ParameterType {
    /// The name kfp writes (`NUMBER_INTEGER`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterType::ParameterTypeEnumUnspecified => "PARAMETER_TYPE_ENUM_UNSPECIFIED",
            ParameterType::NumberDouble => "NUMBER_DOUBLE",
            ParameterType::NumberInteger => "NUMBER_INTEGER",
            ParameterType::String => "STRING",
            ParameterType::Boolean => "BOOLEAN",
            ParameterType::List => "LIST",
            ParameterType::Struct => "STRUCT",
            ParameterType::TaskFinalStatus => "TASK_FINAL_STATUS",
            ParameterType::TaskConfig => "TASK_CONFIG",
        }
    }

    /// The Python type kfp names in a file's header comment (`int`, `PipelineTaskFinalStatus`).
    pub fn python_name(self) -> &'static str {
        match self {
            ParameterType::ParameterTypeEnumUnspecified => "",
            ParameterType::NumberDouble => "float",
            ParameterType::NumberInteger => "int",
            ParameterType::String => "str",
            ParameterType::Boolean => "bool",
            ParameterType::List => "list",
            ParameterType::Struct => "dict",
            ParameterType::TaskFinalStatus => "PipelineTaskFinalStatus",
            ParameterType::TaskConfig => "TaskConfig",
        }
    }
}

/// `ml_pipelines.PrimitiveType.PrimitiveTypeEnum` (deprecated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PrimitiveType {
    /// Not set.
    #[default]
    PrimitiveTypeUnspecified,
    /// An integer.
    Int,
    /// A double.
    Double,
    /// A string.
    String,
}
