// kfp 2's `dsl.PipelineTaskFinalStatus`, as a component program reads it: the
// definition shipped into programs that take one (as a `#[derive(JsonObject)]`
// type is), and compiled into kfp-core, so both read the JSON alike.

/// The final status of the tasks of an exit handler (kfp 2's
/// `dsl.PipelineTaskFinalStatus`), which KFP gives a parameter of an exit task.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(from = "PipelineTaskFinalStatusJson", into = "PipelineTaskFinalStatusJson")]
pub struct PipelineTaskFinalStatus {
    /// How the exit handler's tasks ended: `SUCCEEDED`, `FAILED` or `CANCELLED`.
    pub state: String,
    /// The run (`projects/{project}/locations/{location}/pipelineJobs/{pipeline_job}` on Vertex AI).
    pub pipeline_job_resource_name: String,
    /// The task (the exit handler) the status is of.
    pub pipeline_task_name: String,
    /// The error's `google.rpc.Code`; `None` when the tasks succeeded.
    pub error_code: Option<i64>,
    /// The error's message; `None` when the tasks succeeded.
    pub error_message: Option<String>,
}

// The JSON KFP passes: the proto's message, with the field names kfp's executor
// reads (camel case from older backends, snake case since).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct PipelineTaskFinalStatusJson {
    state: String,
    #[serde(default, alias = "pipelineJobResourceName")]
    pipeline_job_resource_name: String,
    #[serde(default, alias = "pipelineTaskName")]
    pipeline_task_name: String,
    #[serde(default)]
    error: PipelineTaskFinalStatusError,
}

#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
struct PipelineTaskFinalStatusError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    code: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

impl From<PipelineTaskFinalStatusJson> for PipelineTaskFinalStatus {
    fn from(json: PipelineTaskFinalStatusJson) -> Self {
        PipelineTaskFinalStatus {
            state: json.state,
            pipeline_job_resource_name: json.pipeline_job_resource_name,
            pipeline_task_name: json.pipeline_task_name,
            error_code: json.error.code,
            error_message: json.error.message,
        }
    }
}

impl From<PipelineTaskFinalStatus> for PipelineTaskFinalStatusJson {
    fn from(status: PipelineTaskFinalStatus) -> Self {
        PipelineTaskFinalStatusJson {
            state: status.state,
            pipeline_job_resource_name: status.pipeline_job_resource_name,
            pipeline_task_name: status.pipeline_task_name,
            error: PipelineTaskFinalStatusError { code: status.error_code, message: status.error_message },
        }
    }
}
