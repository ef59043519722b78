//! DAG and steps templates: their tasks and steps, loops over items or a sequence, and when to go on
//! after a failure.

use serde::{Deserialize, Serialize};

use super::io::Arguments;
use super::IntOrString;

/// Argo `DAGTemplate`: tasks run in the order of their dependencies.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DagTemplate {
    /// The tasks.
    #[serde(default)]
    pub tasks: Vec<DagTask>,
    /// Space-separated names of the tasks to run (default: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Stop scheduling new tasks once one fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_fast: Option<bool>,
}

/// Argo `DAGTask`: one node of a DAG, calling a template.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DagTask {
    /// Task name, unique in the DAG.
    pub name: String,
    /// Name of the template to run.
    #[serde(default)]
    pub template: String,
    /// Tasks that must succeed before this one runs. kfp writes an empty list
    /// for some tasks (a loop in a sub-graph over an output made outside it):
    /// `Some` of an empty list keeps that `dependencies: []`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependencies: Option<Vec<String>>,
    /// Dependency expression (`a && (b.Failed || c)`); not with `dependencies` in the same DAG.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends: Option<String>,
    /// Condition: the task runs only when it is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Static list of items: the task runs once per item (`{{item}}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with_items: Vec<serde_json::Value>,
    /// JSON list from a parameter: the task runs once per item (`{{item}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_param: Option<String>,
    /// A numeric sequence: the task runs once per number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_sequence: Option<Sequence>,
    /// Arguments passed to the template's inputs.
    #[serde(default, skip_serializing_if = "Arguments::is_empty")]
    pub arguments: Arguments,
    /// Continue the DAG when this task fails or errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continue_on: Option<ContinueOn>,
    /// Template run when this task ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_exit: Option<String>,
}

/// Argo `WorkflowStep`: one step of a steps template, calling a template.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkflowStep {
    /// Step name, unique in the template.
    #[serde(default)]
    pub name: String,
    /// Name of the template to run.
    #[serde(default)]
    pub template: String,
    /// Condition: the step runs only when it is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Static list of items: the step runs once per item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with_items: Vec<serde_json::Value>,
    /// JSON list from a parameter: the step runs once per item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_param: Option<String>,
    /// A numeric sequence: the step runs once per number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_sequence: Option<Sequence>,
    /// Arguments passed to the template's inputs.
    #[serde(default, skip_serializing_if = "Arguments::is_empty")]
    pub arguments: Arguments,
    /// Continue when this step fails or errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continue_on: Option<ContinueOn>,
    /// Template run when this step ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_exit: Option<String>,
}

/// Argo `Sequence`: numbers `start..=end` or `count` numbers, for `withSequence`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sequence {
    /// How many numbers (not with `end`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<IntOrString>,
    /// First number (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<IntOrString>,
    /// Last number (not with `count`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<IntOrString>,
    /// printf-style format of each number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}

/// Argo `ContinueOn`: proceed although a task or step failed or errored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContinueOn {
    /// Continue on error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<bool>,
    /// Continue on failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<bool>,
}
