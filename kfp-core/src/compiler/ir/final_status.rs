//! `PipelineTaskFinalStatus` inputs (`TASK_FINAL_STATUS`): KFP fills them in for
//! an exit task with the status of its exit handler (kfp 2's
//! `build_exit_handler_task_spec`); any other task is refused, with kfp's message.

use super::component::Io;
use super::types::IrType;
use crate::dsl::{GroupKind, Recorded};
use crate::ir::{InputParameterSpec, PipelineTaskSpec, TaskFinalStatus};

/// Gives task `index`'s final status inputs, if it has any, their exit handler as
/// producer in `spec`; a task that is no exit task is refused.
pub(super) fn inputs(
    recorded: &Recorded,
    name: &str,
    index: u32,
    io: &Io,
    spec: &mut PipelineTaskSpec,
) -> Result<(), String> {
    let statuses = (io.inputs.iter()).filter(|(_, ty)| *ty == IrType::Parameter("TASK_FINAL_STATUS"));
    for (input, _) in statuses {
        let exit_handler = recorded
            .groups
            .iter()
            .find(|group| matches!(group.kind, GroupKind::ExitHandler { exit_task } if exit_task == index));
        let Some(group) = exit_handler else {
            return Err(format!(
                "task `{name}`: PipelineTaskFinalStatus can only be used in an exit task. Parameter {input} of a non \
                 exit task has type PipelineTaskFinalStatus. Make `{name}` the exit task of an `exit_handler`"
            ));
        };
        let status = TaskFinalStatus { producer_task: group.name.clone() };
        let parameters = &mut spec.inputs.get_or_insert_with(Default::default).parameters;
        parameters.insert(input.clone(), InputParameterSpec { task_final_status: Some(status), ..Default::default() });
    }
    Ok(())
}
