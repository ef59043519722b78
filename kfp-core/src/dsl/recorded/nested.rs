//! A pipeline's outputs and a pipeline called inside another pipeline's body
//! (kfp 2's pipeline used as a component), as data.

use std::sync::Arc;

use super::Recorded;
use crate::component::Component;
use crate::dsl::arg::Arg;
use crate::dsl::marker::ValueRef;
use crate::types::TypeInfo;

/// One output of a pipeline: what its body returned, under the output's name
/// (`Output` for a single value, the field's name for each of several).
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineOutput {
    /// Output name.
    pub name: String,
    /// kfp type, from the body's return type.
    pub ty: TypeInfo,
    /// The value given back: a task output of the body's top level.
    pub value: ValueRef,
}

/// A pipeline called as a task of another pipeline: its own recording, compiled
/// as a DAG component, and its interface as a component spec (inputs are its
/// parameters, outputs what its body returns), which type-checks the call as a
/// component's.
#[derive(Clone, Debug)]
pub struct NestedPipeline {
    /// The inner pipeline's recording.
    pub recorded: Recorded,
    /// Its interface: name, inputs and outputs; the implementation is the recording.
    pub interface: Arc<Component>,
}

impl super::Op {
    /// The component a component or pipeline task calls (a pipeline's interface) and its arguments.
    pub fn call(&self) -> Option<(&Arc<Component>, &[Arg])> {
        match self {
            super::Op::Component { component, args } => Some((component, args)),
            super::Op::Pipeline { pipeline, args } => Some((&pipeline.interface, args)),
            _ => None,
        }
    }
}
