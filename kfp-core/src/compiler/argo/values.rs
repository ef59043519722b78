//! Pipeline values as kfp names them: a parameter is `name`, an output
//! `task-output`, a loop item `loop-item-param-1` or `task-output-loop-item`, an
//! item's field `...-subvar-field` (kfp's `PipelineParam.full_name`).

use crate::dsl::marker::{self, ValueRef};
use crate::dsl::{GroupKind, LoopItems, Recorded};
use crate::names::output_name;

/// A pipeline value a task or group reads, as kfp's compiler tracks it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct Use {
    /// kfp's full name, which is also the Argo parameter name.
    pub(super) full_name: String,
    /// The task producing it (kfp's `op_name`); `None` for parameters and static items.
    pub(super) producer: Option<u32>,
}

/// Names values of one recorded pipeline.
pub(super) struct Values<'a> {
    pub(super) recorded: &'a Recorded,
    pub(super) task_names: &'a [String],
    pub(super) recording: u64,
}

impl Values<'_> {
    /// The use of `value`, or a problem naming what is wrong with it.
    pub(super) fn use_of(&self, value: &ValueRef) -> Result<Use, String> {
        if value.recording() != self.recording {
            return Err("a value of another pipeline is used: pass this pipeline's values only".to_owned());
        }
        match value {
            ValueRef::Param { index, .. } => match self.recorded.info.params.get(*index as usize) {
                Some(param) => Ok(Use { full_name: param.name.clone(), producer: None }),
                None => Err(format!("pipeline parameter #{index} does not exist")),
            },
            ValueRef::Output(output) => match self.task_names.get(output.task as usize) {
                Some(task) => Ok(Use { full_name: output_name(task, output.name), producer: Some(output.task) }),
                None => Err("an output of a task that is not part of this pipeline is used".to_owned()),
            },
            ValueRef::Item { group, field, .. } => {
                let item = self.loop_item(*group)?;
                Ok(match field {
                    None => item,
                    Some(field) => Use { full_name: format!("{}-subvar-{field}", item.full_name), ..item },
                })
            }
            ValueRef::Collected { output, .. } => Err(format!(
                "collects output `{}` of a task inside a loop (`collected`, kfp 2's `dsl.Collected`), which KFP v1 \
                 has not: compile for KFP v2 (`--target v2`), or have each iteration write its value to a shared \
                 volume (`VolumeOp`, `add_pvolume`) and read the folder in a task after the loop",
                output.name
            )),
            ValueRef::OneOf { .. } => Err("takes a OneOf (`one_of`, kfp 2's `dsl.OneOf`), which KFP v1 has not: \
                 compile for KFP v2 (`--target v2`), or pass the task every branch's output and have it use the one \
                 that is set"
                .to_owned()),
        }
    }

    /// The loop argument of loop group `group` (kfp's `LoopArguments`).
    pub(super) fn loop_item(&self, group: u32) -> Result<Use, String> {
        let Some(GroupKind::ParallelFor(lp)) = self.recorded.groups.get(group as usize).map(|group| &group.kind) else {
            return Err("a loop item is used outside its loop's pipeline".to_owned());
        };
        match (&lp.items, lp.code) {
            (LoopItems::Static(_), Some(code)) => {
                Ok(Use { full_name: format!("loop-item-param-{code}"), producer: None })
            }
            (LoopItems::Value(items), _) => {
                let items = self.use_of(items)?;
                Ok(Use { full_name: format!("{}-loop-item", items.full_name), ..items })
            }
            (LoopItems::Static(_), None) => Err("a static loop without its number".to_owned()),
        }
    }

    /// `text` with each marker replaced by `reference(use)`, adding each use to `uses`.
    pub(super) fn substitute(
        &self,
        text: &str,
        uses: &mut Vec<Use>,
        problems: &mut Vec<String>,
        reference: impl Fn(&Use) -> String,
    ) -> String {
        // A value that cannot be used is reported and left out, and the others replaced.
        let Ok(out) = marker::replace_values(text, |value| -> Result<String, std::convert::Infallible> {
            match self.use_of(&value) {
                Ok(found) => {
                    let text = reference(&found);
                    if !uses.contains(&found) {
                        uses.push(found);
                    }
                    Ok(text)
                }
                Err(problem) => {
                    problems.push(problem);
                    Ok(String::new())
                }
            }
        });
        out
    }
}

/// `{{inputs.parameters.<full name>}}`.
pub(super) fn input_reference(found: &Use) -> String {
    input_parameter(&found.full_name)
}

/// `{{inputs.parameters.<name>}}`, made without `format!`: nearly every value a
/// task or DAG reads is one.
pub(super) fn input_parameter(name: &str) -> String {
    ["{{inputs.parameters.", name, "}}"].concat()
}
