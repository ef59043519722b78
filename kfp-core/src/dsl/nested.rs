//! Pipeline outputs and pipelines called as components (kfp 2): what a
//! `#[pipeline]` body returns becomes the pipeline's outputs, and calling a
//! pipeline inside another pipeline's body records one task that runs it.

use std::sync::Arc;

use super::arg::{Arg, Output};
use super::marker::ValueRef;
use super::record::{self, Task};
use super::recorded::{NestedPipeline, Op, PipelineOutput, Recorded};
use super::task::Outputs;
use super::Pipeline;
use crate::component::Component;
use crate::spec::{ComponentSpec, ContainerSpec, Implementation, InputSpec, OutputSpec, Scalar, TypeSpec};
use crate::types::{KfpType, TypeInfo};

/// What a `#[pipeline]` body may return: nothing, one task output (the
/// pipeline's output `Output`, kfp's `-> str`), or the handles struct of a
/// `#[derive(ComponentOutputs)]` type, one output per field (kfp's `-> NamedTuple`).
///
/// A task calling the pipeline has outputs typed `Self::Outputs`, as a
/// component returning that type has.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by a pipeline",
    label = "return `()`, one task output (`kfp::Output<T>`), or the `...Handles` struct of a `#[derive(ComponentOutputs)]` type",
    note = "a pipeline's outputs are outputs of its tasks: `task.output()`, or `StatsHandles {{ sum: a.output(), mean: b.output() }}` for `#[derive(ComponentOutputs)] struct Stats`"
)]
pub trait PipelineReturn {
    /// The outputs a task calling the pipeline has.
    type Outputs: Outputs;
    /// The returned values, as named outputs.
    #[doc(hidden)]
    fn pipeline_outputs(self) -> Vec<PipelineOutput>;
}

impl PipelineReturn for () {
    type Outputs = ();
    fn pipeline_outputs(self) -> Vec<PipelineOutput> {
        Vec::new()
    }
}

impl<T: KfpType> PipelineReturn for Output<T> {
    type Outputs = T;
    fn pipeline_outputs(self) -> Vec<PipelineOutput> {
        vec![pipeline_output("Output", TypeInfo::of::<T>(), self)]
    }
}

/// Output `name` of a pipeline, of kfp type `ty`, given by `value`.
#[doc(hidden)]
pub fn pipeline_output<T>(name: &str, ty: TypeInfo, value: Output<T>) -> PipelineOutput {
    PipelineOutput { name: name.to_owned(), ty, value: value.value_ref() }
}

/// Records what the running body returned as its pipeline's outputs.
#[doc(hidden)]
pub fn set_pipeline_outputs<R: PipelineReturn>(returned: R) {
    let outputs = returned.pipeline_outputs();
    let recording = record::current();
    let mut rec = recording.borrow_mut();
    for output in &outputs {
        let problem = match &output.value {
            ValueRef::Param { .. } => Some("is a pipeline parameter: a pipeline returns outputs of its tasks"),
            ValueRef::Item { .. } => Some("is a loop item: a pipeline returns outputs of its tasks"),
            value => match value {
                ValueRef::Output(source) if source.recording != rec.id => Some("is a task output of another pipeline"),
                ValueRef::Output(source) if rec.tasks.get(source.task as usize).is_some_and(|t| t.group.is_some()) => {
                    Some(
                        "is an output of a task inside a condition, loop or exit handler: kfp returns outputs of the \
                         pipeline's top level only; return the output of a task outside every group",
                    )
                }
                _ => None,
            },
        };
        if let Some(problem) = problem {
            rec.errors.push(format!("pipeline output `{}` {problem}", output.name));
        }
    }
    rec.outputs = outputs;
}

/// Records a task running `pipeline` (its body recorded now, on its own) with
/// one argument per pipeline parameter; the `<pipeline>_op` function
/// `#[pipeline]` generates calls it.
#[doc(hidden)]
pub fn record_pipeline_task<P: Pipeline, O>(pipeline: &P, args: Vec<Arg>) -> Task<O> {
    let info = pipeline.info();
    let recorded = pipeline.build().unwrap_or_else(|error| {
        record::push_error(format!("pipeline `{}`, called as a task: {error}", info.name));
        Recorded {
            info: info.clone(),
            tasks: Vec::new(),
            groups: Vec::new(),
            recording: 0,
            conf: Default::default(),
            outputs: Vec::new(),
        }
    });
    let interface = Arc::new(interface(&recorded));
    record::record_op(Op::Pipeline { pipeline: Arc::new(NestedPipeline { recorded, interface }), args })
}

/// The component spec a pipeline shows as a task: its parameters as inputs (a
/// default makes one optional), its outputs; it runs no container of its own.
fn interface(recorded: &Recorded) -> Component {
    let type_spec = |ty: &TypeInfo| (!ty.type_name.is_empty()).then(|| TypeSpec::from(ty.type_name));
    let inputs = (recorded.info.params.iter())
        .map(|param| InputSpec {
            name: param.name.clone(),
            type_name: type_spec(&param.ty),
            default: param.default.as_deref().map(Scalar::from),
            optional: param.default.is_some() || param.optional,
            ..InputSpec::default()
        })
        .collect();
    let outputs = (recorded.outputs.iter())
        .map(|output| OutputSpec {
            name: output.name.clone(),
            type_name: type_spec(&output.ty),
            ..OutputSpec::default()
        })
        .collect();
    Component {
        spec: ComponentSpec {
            name: recorded.info.name.clone(),
            description: recorded.info.description.clone(),
            metadata: None,
            inputs,
            outputs,
            implementation: Implementation { container: ContainerSpec::default() },
            version: None,
        },
        reference: serde_json::json!({}),
        output_file: None,
        local: None,
    }
}
