//! An exit task's `PipelineTaskFinalStatus` in a local run, as kfp.local gives it: `state`
//! `SUCCEEDED` or `FAILED`, `pipeline_job_resource_name` `local-pipeline-<task>`,
//! `pipeline_task_name` the exit handler, and `error` (`{}`, or code 1 and `Task <task> failed.`).
//! A step beside the exit task writes it from how the exit handler ended, once it has.

use serde_json::{json, Value};

use super::Lowering;

/// `$0` is how the task ended (the engine's phase), `$1` the output's path, `$2` the task.
const SCRIPT: &str = r#"case "$0" in
  Succeeded) state=SUCCEEDED error='{}' ;;
  *) state=FAILED error="{\"code\": 1, \"message\": \"Task $2 failed.\"}" ;;
esac
printf '{"error": %s, "pipeline_job_resource_name": "local-pipeline-%s", "pipeline_task_name": "%s", "state": "%s"}' "$error" "$2" "$2" "$state" > "$1"
"#;

/// The template of the steps that write a final status.
const TEMPLATE: &str = "kfp-final-status";

impl Lowering<'_> {
    /// The value of exit task `task`'s input `input`, the final status of `producer` in DAG `dag`:
    /// the output of a step added beside the task, which the task then depends on (its name).
    pub(super) fn final_status(&mut self, dag: &str, task: &str, input: &str, producer: &str) -> (String, String) {
        if !self.templates.contains_key(TEMPLATE) {
            let template = json!({
                "name": TEMPLATE,
                "inputs": {"parameters": [{"name": "phase"}, {"name": "task"}], "artifacts": []},
                "outputs": {"parameters": [{"name": "status", "valueFrom": {"path": "/tmp/outputs/status/data"}}], "artifacts": []},
                "container": {
                    "image": TEMPLATE,
                    "command": ["sh", "-c", SCRIPT, "{{inputs.parameters.phase}}", "{{outputs.parameters.status.path}}", "{{inputs.parameters.task}}"],
                    "args": [],
                },
            });
            self.templates.insert(TEMPLATE.to_owned(), template);
        }
        let step = format!("{task}--{input}");
        let spec: Value = json!({
            "name": step,
            "template": TEMPLATE,
            "arguments": {"parameters": [
                {"name": "phase", "value": format!("{{{{tasks.{producer}.status}}}}")},
                {"name": "task", "value": producer},
            ], "artifacts": []},
            "dependencies": [producer],
        });
        self.extra_tasks.entry(dag.to_owned()).or_default().push(spec);
        self.after_completion.insert((dag.to_owned(), step.clone()));
        (format!("{{{{tasks.{step}.outputs.parameters.status}}}}"), step)
    }
}
