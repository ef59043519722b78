//! What running a template gives back, shared by the engine and the kinds of task it starts.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::report::Phase;

/// What a template's run gives back.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    pub(crate) phase: Phase,
    pub(crate) exit_code: Option<i32>,
    pub(crate) params: BTreeMap<String, String>,
    pub(crate) artifacts: BTreeMap<String, PathBuf>,
    /// Output artifacts' metadata, as kfp's executor output gives it.
    pub(crate) metadata: BTreeMap<String, serde_json::Value>,
    pub(crate) result: Option<String>,
    /// A loop's `outputs.parameters`: the JSON list of every iteration's parameters.
    pub(crate) all_params: Option<String>,
    pub(crate) message: Option<String>,
}

impl Outcome {
    /// Ended with `phase` for the reason `message`.
    pub(crate) fn ended(phase: Phase, message: impl Into<String>) -> Self {
        Outcome { phase, message: Some(message.into()), ..Outcome::succeeded() }
    }

    /// Succeeded, with no outputs yet.
    pub(crate) fn succeeded() -> Self {
        Outcome {
            phase: Phase::Succeeded,
            exit_code: None,
            params: BTreeMap::new(),
            artifacts: BTreeMap::new(),
            metadata: BTreeMap::new(),
            result: None,
            all_params: None,
            message: None,
        }
    }
}
