//! The in-process program: the component's steps run in this process with the
//! container's wire code (`wire::support::call` reads the command line and
//! writes the outputs), so a local run reads and writes byte for byte what the
//! container does.

use std::sync::Arc;

use super::steps::{ReadFrom, Step, V2Text};
use crate::types::Kind;
use crate::wire::support::{call_with, v2_bool, v2_float, Arg, Out};
use crate::wire::support::{executor_output, finish_metadata};

/// The part of the in-process program only generated code can write, as it
/// names the function's types: `#[component]` makes it
/// `|steps, args| run_steps(steps, args, |[inputs...]| ...)`, where the body
/// reads each input as its parameter's type
/// ([`ParamType::from_input`](super::ParamType::from_input)), calls the function
/// and returns the texts of its outputs (`ReturnType::into_output_texts`).
pub type LocalCall = fn(&[Step], Vec<String>) -> Result<(), String>;

/// A component's program as a function of this process: takes the container's
/// arguments (`--value-1 3 ----output-paths /x/data`), reads them as its steps say
/// with the same wire code, calls the function and writes its outputs, as the
/// container's `main` does.
#[derive(Clone, Debug)]
pub struct LocalMain {
    steps: Arc<[Step]>,
    call: LocalCall,
    /// Each input parameter's name in the spec (kfp 1.8's: `data` for `data_path: InputPath`) and in Rust.
    input_names: Arc<[(&'static str, &'static str)]>,
    /// The same for each `OutputPath` parameter, kept apart: an input `data` (`data_path:
    /// InputPath`) is not a returned field `data`.
    output_names: Arc<[(&'static str, &'static str)]>,
}

impl LocalMain {
    pub(super) fn new(
        steps: Vec<Step>,
        call: LocalCall,
        input_names: Vec<(&'static str, &'static str)>,
        output_names: Vec<(&'static str, &'static str)>,
    ) -> Self {
        LocalMain { steps: steps.into(), call, input_names: input_names.into(), output_names: output_names.into() }
    }

    /// The function's own name for the input the spec calls `spec_name` (`data_path` for the
    /// spec's `data`), the name kfp 2 gives it.
    pub fn written_input_name<'a>(&self, spec_name: &'a str) -> &'a str {
        written(&self.input_names, spec_name)
    }

    /// The function's own name for the output the spec calls `spec_name` (`data_path` for an
    /// `OutputPath` the spec calls `data`); a returned output's name is the spec's.
    pub fn written_output_name<'a>(&self, spec_name: &'a str) -> &'a str {
        written(&self.output_names, spec_name)
    }

    /// Whether the function writes output files (`OutputPath` parameters) or returns artifacts,
    /// whose metadata it may set: its program then takes kfp's executor input under KFP v2.
    pub fn may_set_metadata(&self) -> bool {
        !self.output_names.is_empty()
            || self.steps.iter().any(|step| matches!(step, Step::Write(write) if write.kind == Kind::Artifact))
    }

    /// Runs the program with the command line `args`. `Err` is what the
    /// container's program prints, after the component's name, before exiting
    /// with status 1.
    pub fn run(&self, args: Vec<String>) -> Result<(), String> {
        (self.call)(&self.steps, args)
    }
}

fn written<'a>(names: &[(&'static str, &'static str)], spec_name: &'a str) -> &'a str {
    names.iter().find(|(name, _)| *name == spec_name).map_or(spec_name, |(_, written)| written)
}

/// One input of the in-process program: its flag's value and how its step reads it.
pub struct Input<'a> {
    /// The flag's value, or why there is none.
    pub arg: Arg<'a>,
    /// The text read when the flag is absent (the default, as kfp passes it).
    pub default: Option<&'a str>,
}

/// Runs `steps` with the command line `args`: each read step's flag is read,
/// `body` gets the inputs (one per read step, in order: `N` of them), calls the
/// function and returns the texts of its outputs, which are written to the paths
/// of the write steps.
pub fn run_steps<const N: usize>(
    steps: &[Step],
    args: Vec<String>,
    body: impl FnOnce([Input; N]) -> Result<Vec<String>, String>,
) -> Result<(), String> {
    let mut reads = Vec::new();
    let mut outputs: Vec<Out> = Vec::new();
    // The returned artifacts, as `(place among the outputs, name)`, whose metadata is written too.
    let mut returned = Vec::new();
    for step in steps {
        match step {
            Step::Read(read) => reads.push(read),
            // The body calls the function: only generated code can name it.
            Step::Call(_) => {}
            Step::Write(write) if write.kind == Kind::Artifact => {
                returned.push((outputs.len(), write.name));
                outputs.push(Out::Artifact);
            }
            Step::Write(write) => outputs.push(Out::Text(match write.v2_text() {
                V2Text::Same => Ok,
                V2Text::Float => v2_float,
                V2Text::Bool => v2_bool,
            })),
        }
    }
    // Under KFP v2, kfp's executor input says where the metadata the function sets goes, as in `main`.
    let (args, executor) = executor_output(args)?;
    let written = args.clone();
    let files: Vec<(&str, &str)> = reads
        .iter()
        .filter(|read| read.from == ReadFrom::OutputPath)
        .map(|read| (read.flag.as_str(), read.name))
        .collect();
    let flags: Vec<&str> = reads.iter().map(|read| read.flag.as_str()).collect();
    let flags: [&str; N] = flags.try_into().map_err(|flags: Vec<&str>| {
        format!("the component's program reads {} input(s) but its function takes {N}", flags.len())
    })?;
    let called = call_with(args, flags, &outputs, |args| {
        let mut reads = reads.iter();
        body(args.map(|arg| {
            let default = reads.next().and_then(|read| match &read.from {
                ReadFrom::ValueOr(_, default) => Some(default.as_str()),
                _ => None,
            });
            Input { arg, default }
        }))
    });
    // The metadata the function set is taken out of the process-wide record even when it failed,
    // so a later call writing the same paths (a retry) does not find it; written only on success.
    let executor = executor.as_ref().filter(|_| called.is_ok());
    let finished = finish_metadata(executor, &written, &files, &returned);
    called.and(finished)
}
