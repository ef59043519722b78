//! kfp 2's `dsl.PipelineTaskFinalStatus`: a component parameter KFP fills in,
//! for an exit task, with how the exit handler's tasks ended. A task of the
//! component takes no argument for it; only KFP v2 gives it.

use super::{Shipped, ShippedTypes};
use crate::types::{family, KfpType, Kind};
use crate::wire::json::{from_json, to_json};

include!("final_status_def.rs");

/// The kfp type name of the parameter (kfp's `PipelineTaskFinalStatus`, which
/// kfp 2 writes as the IR's `TASK_FINAL_STATUS`).
pub const FINAL_STATUS_TYPE: &str = "PipelineTaskFinalStatus";

impl KfpType for PipelineTaskFinalStatus {
    const TYPE_NAME: &'static str = FINAL_STATUS_TYPE;
    const KIND: Kind = Kind::Json;
    type Family = family::JsonObject;
    fn to_kfp_string(&self) -> String {
        crate::types::json_text(self)
    }
    fn from_kfp_str(text: &str) -> Result<Self, String> {
        from_json(text)
    }
    fn to_kfp_output(&self) -> Result<String, String> {
        to_json(self)
    }
}

// Not a hint for a user's own type that is not shipped: this one is kfp's.
#[diagnostic::do_not_recommend]
impl Shipped for PipelineTaskFinalStatus {
    fn ship(types: &mut ShippedTypes) {
        types.add(include_str!("final_status_def.rs"), true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_kfp_local_and_the_backend_pass() {
        // kfp.local's (snake case, an empty error on success).
        let local = r#"{"state": "SUCCEEDED", "pipeline_job_resource_name": "local-pipeline-exit-handler-1", "pipeline_task_name": "exit-handler-1", "error": {}}"#;
        let status = PipelineTaskFinalStatus::from_kfp_str(local).unwrap();
        assert_eq!(status.state, "SUCCEEDED");
        assert_eq!(status.pipeline_task_name, "exit-handler-1");
        assert_eq!((status.error_code, status.error_message), (None, None));
        // The proto's JSON (camel case), failed.
        let backend = r#"{"state": "FAILED", "pipelineJobResourceName": "runs/1", "pipelineTaskName": "exit-handler-1", "error": {"code": 9, "message": "Task fail-op failed."}}"#;
        let status = PipelineTaskFinalStatus::from_kfp_str(backend).unwrap();
        assert_eq!(status.pipeline_job_resource_name, "runs/1");
        assert_eq!((status.error_code, status.error_message.as_deref()), (Some(9), Some("Task fail-op failed.")));
        let error = PipelineTaskFinalStatus::from_kfp_str("{}").unwrap_err();
        assert!(error.contains("state"), "{error}");
    }
}
