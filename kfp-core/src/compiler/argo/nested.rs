//! Pipelines called as tasks (kfp 2's pipeline used as a component), which an
//! Argo Workflow (KFP v1) has not; pipeline outputs, which KFP v1 has not either,
//! are left out, as kfp 1.8 drops a pipeline function's return value; nor loops over the
//! lists of artifacts they return.

use crate::dsl::marker::ValueRef;
use crate::dsl::{GroupKind, Loop, LoopItems, Op, Recorded};

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

/// A problem for each loop over a list of artifacts (kfp 2's `dsl.ParallelFor(items=<list of
/// artifacts>)`), naming KFP v1's way: Argo loops over parameters only.
pub(super) fn artifact_loops(recorded: &Recorded) -> Vec<String> {
    let list_type = |value: &ValueRef| -> Option<&str> {
        let type_name = match value {
            ValueRef::Output(output) => {
                let component = recorded.tasks[output.task as usize].component()?;
                let spec = component.spec.outputs.iter().find(|o| o.name == output.name)?;
                spec.type_name.as_ref()?.name()?
            }
            ValueRef::Param { index, .. } => recorded.info.params[*index as usize].ty.type_name,
            _ => return None,
        };
        crate::spec::artifact_list_item(type_name).map(|_| type_name)
    };
    (recorded.groups.iter())
        .filter_map(|group| match &group.kind {
            GroupKind::ParallelFor(Loop { items: LoopItems::Value(value), .. }) => Some((group, list_type(value)?)),
            _ => None,
        })
        .map(|(group, type_name)| {
            format!(
                "loop `{}` iterates over a list of artifacts (`{type_name}`, kfp 2's `dsl.ParallelFor(items=<list of \
                 artifacts>)`), which KFP v1 has not: compile for KFP v2 (`Target::V2`), or for KFP v1 loop over a \
                 list parameter (the artifacts' URIs, an `Output<Vec<String>>`, say) and read each one in the loop's task",
                group.name
            )
        })
        .collect()
}
