//! kfp 2's subvars: a field of a loop's item (`item.a`, kfp's `LoopArgumentVariable`)
//! that a group loops over or compares comes in as an input of its own
//! (`pipelinechannel--<item>-subvar-a`), which the group's task selects from the item;
//! a task taking the field selects it from the item itself.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{Channel, Node, Pipeline};
use crate::compiler::ir::types::json_type;
use crate::dsl::marker::ValueRef;
use crate::dsl::{Condition, GroupKind, Loop, LoopItems, Operand};

/// kfp 2's selector of field `field` of a JSON text.
pub(super) fn selector(field: &str) -> String {
    format!("parseJson(string_value)[\"{field}\"]")
}

/// An input taking field `field` of the item that DAG input `item_input` holds.
pub(super) fn selected(item_input: String, field: &str) -> Value {
    json!({"componentInputParameter": item_input, "parameterExpressionSelector": selector(field)})
}

/// The IR type of field `field` of the loop's items: a static list's from its first
/// item (kfp 2 types it from the `Dict[str, T]` of that item), else STRING, as kfp 2
/// cannot tell what a dynamic list's objects hold.
pub(super) fn field_type(parallel_for: &Loop, field: &str) -> &'static str {
    match &parallel_for.items {
        LoopItems::Static(items) => items.first().and_then(|item| item.get(field)).map_or("STRING", json_type),
        LoopItems::Value(_) => "STRING",
    }
}

/// Adds to `inputs` the subvar of each group that loops over a loop item's field or
/// compares one in its condition.
pub(super) fn group_inputs(p: &Pipeline, inputs: &mut BTreeMap<u32, BTreeMap<Channel, Option<Node>>>) {
    for (index, group) in p.recorded.groups.iter().enumerate() {
        let conditions: Vec<&Condition> = match &group.kind {
            GroupKind::Condition(condition) => vec![condition],
            GroupKind::Branch(branches) => branches.iter().map(|branch| &branch.condition).collect(),
            _ => Vec::new(),
        };
        let compared = conditions.into_iter().flat_map(|condition| [&condition.left, &condition.right]);
        let mut values: Vec<&ValueRef> = compared
            .filter_map(|operand| match operand {
                Operand::Value(value) => Some(value),
                Operand::Constant(_) => None,
            })
            .collect();
        if let GroupKind::ParallelFor(Loop { items: LoopItems::Value(value), .. }) = &group.kind {
            values.push(value);
        }
        for value in values {
            // A value that has no channel is reported where it is used.
            if let Ok(channel @ Channel::Subvar { .. }) = p.group_channel(value) {
                inputs.entry(index as u32).or_default().insert(channel, None);
            }
        }
    }
}
