//! A task's input taking a pipeline value: the output of a task or group of its own DAG, a
//! parameter or artifact of the root, or an input of its group (`pipelinechannel--<name>`).

use serde_json::Value;

use super::{branches, channel_input, collected, subvar, Channel, Node, Pipeline};
use crate::compiler::ir::types::IrType;
use crate::dsl::marker::ValueRef;
use crate::ir::{InputArtifactSpec, InputParameterSpec, TaskOutputArtifactSpec, TaskOutputParameterSpec};

/// A task input as the model has it, made typed: a task's inputs are most of a DAG, and
/// writing them as JSON to read them back cost as much again.
pub(in crate::compiler::ir) enum TaskInput {
    Parameter(InputParameterSpec),
    Artifact(InputArtifactSpec),
}

impl TaskInput {
    /// Its protobuf JSON, for the parts of the lowering still written as JSON (groups, importers).
    pub(in crate::compiler::ir) fn into_json(self) -> Result<Value, String> {
        match self {
            TaskInput::Parameter(spec) => serde_json::to_value(spec),
            TaskInput::Artifact(spec) => serde_json::to_value(spec),
        }
        .map_err(|error| format!("a task input the model cannot write: {error}"))
    }
}

/// An input taking output `key` of task (or group) `producer`.
pub(super) fn task_output(producer: &str, key: &str, artifact: bool) -> TaskInput {
    if artifact {
        TaskInput::Artifact(InputArtifactSpec {
            task_output_artifact: Some(TaskOutputArtifactSpec {
                producer_task: producer.to_owned(),
                output_artifact_key: key.to_owned(),
            }),
            ..Default::default()
        })
    } else {
        TaskInput::Parameter(InputParameterSpec {
            task_output_parameter: Some(TaskOutputParameterSpec {
                producer_task: producer.to_owned(),
                output_parameter_key: key.to_owned(),
            }),
            ..Default::default()
        })
    }
}

/// An input taking the root's parameter `name`, or its artifact (kfp 2's `Input[Dataset]`),
/// or an input of the task's group.
pub(super) fn root_input(name: &str, artifact: bool) -> TaskInput {
    if artifact {
        TaskInput::Artifact(InputArtifactSpec { component_input_artifact: Some(name.to_owned()), ..Default::default() })
    } else {
        TaskInput::Parameter(InputParameterSpec {
            component_input_parameter: Some(name.to_owned()),
            ..Default::default()
        })
    }
}

/// A task's input taking `value` (in DAG `scope`), as a parameter or an artifact input.
pub(in crate::compiler::ir) fn value_input(
    p: &Pipeline,
    value: &ValueRef,
    scope: Node,
    artifact: bool,
) -> Result<TaskInput, String> {
    let (channel, field) = p.channel_in(value, scope)?;
    if let Channel::Surfaced { task, output, .. } = &channel {
        collected::check_input(p, *task, *output, artifact)?;
    }
    let mut input = match &channel {
        Channel::Surfaced { group, task, output } if p.parent(Node::Group(*group)) == scope => {
            let key = collected::surfaced_name(p, *task, *output);
            let producer = p.name(Node::Group(*group));
            task_output(producer, &key, artifact)
        }
        Channel::Output { task, output } if p.parent(Node::Task(*task)) == scope => {
            let (key, _) = p.output(*task, *output);
            let producer = &p.task_names[*task as usize];
            task_output(producer, key, artifact)
        }
        Channel::Param(index) if scope == Node::Root => root_input(&p.params[*index as usize].0, artifact),
        Channel::OneOf { group, index } if p.parent(Node::Group(*group)) == scope => {
            task_output(p.name(Node::Group(*group)), &branches::one_of_key(p, *group, *index), artifact)
        }
        _ => root_input(&channel_input(p, &channel)?, artifact),
    };
    if let Some(field) = field {
        let TaskInput::Parameter(spec) = &mut input else {
            return Err(format!("field `{field}` of a loop item given to a file input: pass it to a parameter input"));
        };
        spec.parameter_expression_selector = subvar::selector(&field);
    }
    Ok(input)
}

/// A task input taking `value` as a parameter: its parameter type and where it comes from.
pub(in crate::compiler::ir) fn parameter_input(
    p: &Pipeline,
    value: &ValueRef,
    scope: Node,
) -> Result<(&'static str, Value), String> {
    let channel = p.channel(value)?.0;
    match p.channel_type(&channel)? {
        IrType::Parameter(parameter_type) => Ok((parameter_type, value_input(p, value, scope, false)?.into_json()?)),
        IrType::Artifact(_) => {
            Err(format!("`{}` is an artifact, which KFP v2 does not fill into text", p.full_name(&channel)?))
        }
    }
}

/// The task input carrying a value embedded in a text argument: its name
/// (`pipelinechannel--<name>`) and where it comes from.
pub(in crate::compiler::ir) fn embedded_input(
    p: &Pipeline,
    value: &ValueRef,
    scope: Node,
) -> Result<(String, Value), String> {
    let (channel, field) = p.channel(value)?;
    // kfp 2.17.3 compiles `f"{item.a}"` to loop inputs that nothing gives, an IR no backend runs.
    if field.is_some() {
        return Err("a loop item's field in a text: KFP v2 fills whole values into text; pass the field to an input \
             of its own (`kfp::field!(item.a)`) and build the text in the component"
            .to_owned());
    }
    if let IrType::Artifact(_) = p.channel_type(&channel)? {
        return Err(format!("`{}` is an artifact, which KFP v2 does not fill into text", p.full_name(&channel)?));
    }
    Ok((channel_input(p, &channel)?, value_input(p, value, scope, false)?.into_json()?))
}
