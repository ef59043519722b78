//! What a component's program does, as one list of steps: read each input from
//! its flag, call the function, write each output of what it returns. Both
//! programs walk this list: `program.rs` renders it as the container's `main`,
//! `local.rs` runs it in this process, so the two cannot drift apart.

use super::{FunctionDef, ParamRole};
use crate::types::Kind;

/// One step of a component's program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Read a parameter from its flag's value; one per parameter, in the function's order.
    Read(Read),
    /// Call the function with the values read.
    Call(Call),
    /// Write one output of the returned value to its path; one per output, in the
    /// order of the paths after `----output-paths`.
    Write(Write),
}

/// Reading one parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Read {
    /// The parameter's Rust name.
    pub name: &'static str,
    /// The owned Rust type it is read into (`String` for `&str`).
    pub rust_type: &'static str,
    /// Whether the function takes it by reference.
    pub by_ref: bool,
    /// Its flag: `--value-1`.
    pub flag: String,
    /// How the flag's value becomes the parameter.
    pub from: ReadFrom,
}

/// How a flag's value becomes a parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadFrom {
    /// A required value, parsed as its kind.
    Value(Kind),
    /// A value parsed as its kind, or this text (the default, as kfp passes it)
    /// when the flag is absent.
    ValueOr(Kind, String),
    /// An `Option`: `None` when the flag is absent.
    Optional(Kind),
    /// The path of a file the task receives.
    InputPath,
    /// The path of a file the task may leave out: `None` when the flag is absent.
    OptionalInputPath,
    /// The paths of a list of files the task receives, read from kfp's executor input.
    InputPaths,
    /// The paths of a list of files the task may leave out: `None` when the executor input has none.
    OptionalInputPaths,
    /// The path of a file the function writes, its directory made first.
    OutputPath,
}

/// Calling the function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The function's Rust name.
    pub fn_name: &'static str,
    /// Whether it returns `Result`: an `Err` fails the program with its message.
    pub fallible: bool,
}

/// Writing one output of the returned value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Write {
    /// The output's name.
    pub name: &'static str,
    /// The kind whose text is written.
    pub kind: Kind,
    /// Whether the output is the field `name` of a struct of named outputs,
    /// rather than the returned value itself.
    pub field: bool,
}

impl Write {
    /// How the output's text changes under KFP v2's launcher (`----kfp-contract v2`).
    pub fn v2_text(&self) -> V2Text {
        match self.kind {
            Kind::Float => V2Text::Float,
            Kind::Boolean => V2Text::Bool,
            // The launcher reads integers (in 64 bits), strings and JSON as v1 writes them.
            Kind::Integer | Kind::String | Kind::Untyped | Kind::Json | Kind::Artifact => V2Text::Same,
        }
    }
}

/// How an output's text changes under KFP v2: the wire's function for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum V2Text {
    /// Unchanged (`Ok`).
    Same,
    /// `v2_float`: `0.00001` for `1e-05`, no NaN or infinity.
    Float,
    /// `v2_bool`: `true` for `True`.
    Bool,
}

impl FunctionDef {
    /// The steps of the function's program.
    pub fn steps(&self) -> Vec<Step> {
        let reads = self.params.iter().map(|param| {
            let from = match (param.role, &param.default) {
                (ParamRole::Value, Some(default)) => ReadFrom::ValueOr(param.ty.kind, default.clone()),
                (ParamRole::Value, None) => ReadFrom::Value(param.ty.kind),
                (ParamRole::Optional, _) => ReadFrom::Optional(param.ty.kind),
                (ParamRole::InputPath, _) => ReadFrom::InputPath,
                (ParamRole::OptionalInputPath, _) => ReadFrom::OptionalInputPath,
                (ParamRole::InputPaths, _) => ReadFrom::InputPaths,
                (ParamRole::OptionalInputPaths, _) => ReadFrom::OptionalInputPaths,
                (ParamRole::OutputPath, _) => ReadFrom::OutputPath,
            };
            Step::Read(Read {
                name: param.name,
                rust_type: param.rust_type,
                by_ref: param.by_ref,
                flag: param.flag(),
                from,
            })
        });
        let call = Step::Call(Call { fn_name: self.fn_name, fallible: self.returns.fallible });
        let writes = (self.returns.outputs.iter())
            .map(|&(name, ty)| Step::Write(Write { name, kind: ty.kind, field: self.returns.named }));
        reads.chain([call]).chain(writes).collect()
    }
}
