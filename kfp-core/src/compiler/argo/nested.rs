//! Pipelines called as tasks (kfp 2's pipeline used as a component), which an
//! Argo Workflow (KFP v1) has not; pipeline outputs, which KFP v1 has not either,
//! are left out, as kfp 1.8 drops a pipeline function's return value.

use crate::dsl::{Op, Recorded};

/// A problem for each task of `recorded` that calls a pipeline, naming KFP v1's way.
pub(super) fn nested_pipelines(recorded: &Recorded) -> Vec<String> {
    (recorded.tasks.iter())
        .filter_map(|task| match &task.op {
            Op::Pipeline { pipeline, .. } => Some(format!(
                "task `{name}` calls pipeline `{name}` as a component, which KFP v1 has not: compile for KFP v2 \
                 (`Target::V2`), or for KFP v1 make its body a graph component (`kfp::dsl::graph_component(\"{name}\", \
                 [(\"param\", value.into())], || body)`) called in the outer pipeline's body",
                name = pipeline.recorded.info.name
            )),
            _ => None,
        })
        .collect()
}
