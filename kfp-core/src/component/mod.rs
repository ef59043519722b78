//! Rust functions as kfp components: the data `#[component]` captures, and
//! what is made from it: the component spec, and the program's steps, which the
//! container program renders and the in-process program runs.

mod final_status;
mod local;
mod program;
pub mod steps;

use std::path::PathBuf;

use crate::spec::{ComponentSpec, ContainerSpec, Implementation, InputSpec, OutputSpec, Placeholder, Scalar, TypeSpec};
use crate::types::{KfpType, Kind, TypeInfo};
use crate::wire::support::{Arg, InputPath, OutputPath};

pub use final_status::{PipelineTaskFinalStatus, FINAL_STATUS_TYPE};
pub use local::{run_steps, Input, LocalCall, LocalMain};
pub use program::{program_source, split_command, Locked, ProgramCommand};
pub use steps::Step;

/// The Rust version of [`DEFAULT_BASE_IMAGE`], as a literal for `concat!`.
macro_rules! default_rust_version {
    () => {
        "1.83.0"
    };
}

/// The Rust release whose rustc builds a component's program in [`DEFAULT_BASE_IMAGE`]:
/// the program's code (its wire code, and the function's body) must compile with it.
/// The tests check every program they build against it (clippy's `incompatible_msrv`).
pub const DEFAULT_RUST_VERSION: &str = default_rust_version!();

/// The image a function component runs in unless `base_image` says otherwise:
/// an official Rust image, pinned to [`DEFAULT_RUST_VERSION`], with rustc and cargo.
pub const DEFAULT_BASE_IMAGE: &str = concat!("rust:", default_rust_version!(), "-slim");

/// The subcommand of a user's binary that runs one prebuilt-image component:
/// the container command is `<program> component <component name>`, then the
/// same arguments an embedded-source component takes.
pub const DISPATCH_SUBCOMMAND: &str = "component";

/// Where a prebuilt-image component's logic lives: a program built from the
/// user's crate, in an image of the user's making (`#[component(image = ...)]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prebuilt {
    /// The image holding the program (`registry.example.com/my-app:1.0`).
    pub image: &'static str,
    /// The program to start, by name on the image's `PATH` or by absolute path:
    /// `command = "..."`, by default the crate's package name (its binary's name).
    pub program: &'static str,
}

/// A component together with what the compiler adds around it.
#[derive(Clone, Debug)]
pub struct Component {
    /// The component.yaml content.
    pub spec: ComponentSpec,
    /// The `component_ref` annotation (`{}` for components made from functions).
    pub reference: serde_json::Value,
    /// Where `output_component_file` asks the spec to be written.
    pub output_file: Option<PathBuf>,
    /// The program, callable in this process (components made from Rust functions).
    pub local: Option<LocalMain>,
}

/// Components are equal when what they compile to is: the in-process program
/// is made from the same function (and function addresses are not comparable).
impl PartialEq for Component {
    fn eq(&self, other: &Self) -> bool {
        self.spec == other.spec && self.reference == other.reference && self.output_file == other.output_file
    }
}

/// Everything `#[component]` knows about a function, as data.
#[derive(Clone, Debug)]
pub struct FunctionDef {
    /// The Rust function's name.
    pub fn_name: &'static str,
    /// The function's source text, shipped into the container.
    pub source: &'static str,
    /// The doc comment, one entry per line.
    pub doc: &'static [&'static str],
    /// `name = "..."`.
    pub name: Option<&'static str>,
    /// `description = "..."`.
    pub description: Option<&'static str>,
    /// `base_image = "..."`.
    pub base_image: Option<&'static str>,
    /// `packages_to_install = [...]`: `crate`, `crate@version`, `crate@version[feature,...]`;
    /// the macro pins the version to the user's Cargo.lock (`rand@=0.8.5[small_rng]`).
    pub packages_to_install: &'static [&'static str],
    /// The crates of the user's Cargo.lock the program's build is pinned to.
    pub locked: Locked,
    /// `output_component_file = "..."`.
    pub output_component_file: Option<&'static str>,
    /// Whether the body names `serde` or `serde_json`, which the program then gets.
    pub mentions_json_crates: bool,
    /// Definitions of the user types the signature names, shipped with the program.
    pub shipped: ShippedTypes,
    /// Parameters in declaration order.
    pub params: Vec<FnParam>,
    /// The return value's outputs.
    pub returns: ReturnSpec,
    /// The typed part of the program as a function of this process, for
    /// in-process runs and for the dispatch of a prebuilt image's binary; its
    /// steps are this function's ([`FunctionDef::steps`]).
    pub local: LocalCall,
    /// `image = "..."`: the logic is in a prebuilt image, not shipped as source.
    pub prebuilt: Option<Prebuilt>,
}

/// One function parameter.
#[derive(Clone, Debug)]
pub struct FnParam {
    /// Parameter name in Rust.
    pub name: &'static str,
    /// The owned Rust type the program parses it into (`String` for `&str`).
    pub rust_type: &'static str,
    /// Whether the function takes it by reference (`&str`, `&[T]`).
    pub by_ref: bool,
    /// Role and type.
    pub role: ParamRole,
    /// kfp type.
    pub ty: TypeInfo,
    /// `#[default(...)]`, as kfp passes it on a command line: a task may leave the
    /// input out, and the program then reads this text.
    pub default: Option<String>,
}

/// How a parameter reaches the function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamRole {
    /// A value: required, or optional with a [`FnParam::default`].
    Value,
    /// An `Option<T>`: a task may leave it out.
    Optional,
    /// A file the task receives.
    InputPath,
    /// An `Option<InputPath<T>>`: a file a task may leave out (kfp's `Optional[InputPath()] = None`,
    /// kfp 2's `Optional[Input[Dataset]] = None`); the function gets `None` then.
    OptionalInputPath,
    /// A list of files the task receives (`Vec<InputPath<T>>`, kfp 2's `Input[List[T]]`): KFP v2
    /// only, which hands the program the list in its executor input.
    InputPaths,
    /// A list of files a task may leave out (`Option<Vec<InputPath<T>>>`, kfp 2's
    /// `Optional[Input[List[T]]] = None`): KFP v2 only; the function gets `None` when the executor
    /// input has no such list.
    OptionalInputPaths,
    /// A file the function writes; an output of the component.
    OutputPath,
}

/// The outputs a return type produces.
#[derive(Clone, Debug, Default)]
pub struct ReturnSpec {
    /// Outputs in order: one `Output` for a plain value, one per field for a
    /// struct of named outputs, none for `()`.
    pub outputs: Vec<(&'static str, TypeInfo)>,
    /// Whether the value is a struct whose fields are the outputs.
    pub named: bool,
    /// Whether the function returns `Result` (an `Err` fails the step).
    pub fallible: bool,
}

impl ReturnSpec {
    /// The same outputs, the one return value declaring kfp type `type_name`
    /// (`#[kfp(type = "...")]` on the function). The macro lets only a single
    /// value declare one ([`crate::dsl::SingleOutput`]); named outputs declare
    /// theirs on their fields.
    pub fn with_kfp_type(mut self, type_name: &'static str) -> Self {
        if let [(_, ty)] = self.outputs.as_mut_slice() {
            ty.type_name = type_name;
        }
        self
    }
}

/// Source text of user types a component program must define, collected from
/// `#[derive(ComponentOutputs)]` and `#[derive(JsonObject)]` types.
#[derive(Clone, Debug, Default)]
pub struct ShippedTypes {
    sources: Vec<&'static str>,
    needs_serde: bool,
}

impl ShippedTypes {
    /// Adds one type's definition; returns false if it was there already.
    pub fn add(&mut self, source: &'static str, needs_serde: bool) -> bool {
        self.needs_serde |= needs_serde;
        if self.sources.contains(&source) {
            return false;
        }
        self.sources.push(source);
        true
    }

    /// The definitions, in the order added.
    pub fn sources(&self) -> &[&'static str] {
        &self.sources
    }
}

/// A user type whose definition is shipped into component programs.
#[diagnostic::on_unimplemented(
    message = "the component's container does not have this type: it is defined outside the component function",
    label = "defined outside the component function",
    note = "a component runs alone in its container: write std types by full path (`std::collections::HashMap`) and the type itself rather than an alias, derive `kfp::ComponentOutputs` for named outputs and `kfp::JsonObject` for serde types"
)]
pub trait Shipped {
    /// Adds the type's definition, and those of the shipped types it uses.
    fn ship(types: &mut ShippedTypes);
}

/// A parameter type of a component function.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a component parameter",
    label = "use a kfp type (integer, float, bool, String, &str, Vec, map, `#[derive(JsonObject)]` type), an `Option` of one, `InputPath` or `OutputPath`",
    note = "see the kfp-rs README, section \"Types\""
)]
pub trait ParamType {
    /// Its role and kfp type.
    fn param_info() -> (ParamRole, TypeInfo);

    /// Reads the parameter from its flag's [`Arg`], as the container program does.
    fn from_arg(arg: Arg) -> Result<Self, String>
    where
        Self: Sized;

    /// [`from_arg`](ParamType::from_arg) for a parameter with a default: when the
    /// flag is absent, the program reads `default` (the default as kfp passes it).
    fn from_arg_or(arg: Arg, default: &str) -> Result<Self, String>
    where
        Self: Sized,
    {
        let _ = default;
        Self::from_arg(arg)
    }

    /// Reads the parameter as its step says (the in-process program's
    /// [`run_steps`]): a parameter with a default reads it when its flag is absent.
    fn from_input(input: Input) -> Result<Self, String>
    where
        Self: Sized,
    {
        match input.default {
            Some(default) => Self::from_arg_or(input.arg, default),
            None => Self::from_arg(input.arg),
        }
    }
}

impl<T: KfpType> ParamType for T {
    fn param_info() -> (ParamRole, TypeInfo) {
        (ParamRole::Value, TypeInfo::of::<T>())
    }

    fn from_arg(arg: Arg) -> Result<Self, String> {
        arg.get(T::from_kfp_str)
    }

    fn from_arg_or(arg: Arg, default: &str) -> Result<Self, String> {
        arg.get_or(default, T::from_kfp_str)
    }
}

impl<T: KfpType> ParamType for Option<T> {
    fn param_info() -> (ParamRole, TypeInfo) {
        (ParamRole::Optional, TypeInfo::of::<T>())
    }

    fn from_arg(arg: Arg) -> Result<Self, String> {
        arg.optional(T::from_kfp_str)
    }
}

impl<T: KfpType> ParamType for InputPath<T> {
    fn param_info() -> (ParamRole, TypeInfo) {
        (ParamRole::InputPath, TypeInfo::of::<T>())
    }

    fn from_arg(arg: Arg) -> Result<Self, String> {
        arg.get(|path| Ok(InputPath::new(path)))
    }
}

/// A file a task may leave out: `None` when the program is started without its flag.
impl<T: KfpType> ParamType for Option<InputPath<T>> {
    fn param_info() -> (ParamRole, TypeInfo) {
        (ParamRole::OptionalInputPath, TypeInfo::of::<T>())
    }

    fn from_arg(arg: Arg) -> Result<Self, String> {
        arg.optional(|path| Ok(InputPath::new(path)))
    }
}

/// kfp 2's `Input[List[Dataset]]`: the files of a list of artifacts, a loop's outputs collected
/// (`collected`). KFP v2 only: KFP v1 has no list of artifacts.
impl<T: KfpType> ParamType for Vec<InputPath<T>> {
    fn param_info() -> (ParamRole, TypeInfo) {
        (ParamRole::InputPaths, TypeInfo::of::<T>())
    }

    fn from_arg(arg: Arg) -> Result<Self, String> {
        arg.artifact_paths(crate::wire::json::artifact_uris)
    }
}

/// kfp 2's `Optional[Input[List[Dataset]]] = None`: the files of a list of artifacts, or `None` when
/// the task leaves it out. KFP v2 only.
impl<T: KfpType> ParamType for Option<Vec<InputPath<T>>> {
    fn param_info() -> (ParamRole, TypeInfo) {
        (ParamRole::OptionalInputPaths, TypeInfo::of::<T>())
    }

    fn from_arg(arg: Arg) -> Result<Self, String> {
        arg.optional_artifact_paths(crate::wire::json::artifact_uris)
    }
}

impl<T: KfpType> ParamType for OutputPath<T> {
    fn param_info() -> (ParamRole, TypeInfo) {
        (ParamRole::OutputPath, TypeInfo::of::<T>())
    }

    fn from_arg(arg: Arg) -> Result<Self, String> {
        arg.get(OutputPath::prepare)
    }
}

impl FnParam {
    /// Describes parameter `name` of type `P`.
    pub fn new<P: ParamType>(name: &'static str, rust_type: &'static str, by_ref: bool) -> Self {
        let (role, ty) = P::param_info();
        FnParam { name, rust_type, by_ref, role, ty, default: None }
    }

    /// The same parameter with a default value (`#[default(...)]`), given as kfp
    /// passes it on a command line (`100`, `True`, `[1, 2]`).
    pub fn with_default(self, default: impl Into<String>) -> Self {
        FnParam { default: Some(default.into()), ..self }
    }

    /// The same parameter declaring kfp type `type_name` in the spec
    /// (`#[kfp(type = "GCSPath")]`); the Rust type still decides its wire form.
    pub fn with_kfp_type(self, type_name: &'static str) -> Self {
        FnParam { ty: TypeInfo { type_name, ..self.ty }, ..self }
    }

    /// The spec's input or output name, kfp 1.8's: `data_path`/`data_file` files are `data`
    /// (kfp 2 keeps the name as written: [`LocalMain::written_input_name`]).
    pub fn io_name(&self) -> &'static str {
        match self.role {
            ParamRole::InputPath | ParamRole::OptionalInputPath | ParamRole::OutputPath => ["_path", "_file"]
                .iter()
                .find_map(|suffix| self.name.strip_suffix(suffix))
                .filter(|stem| !stem.is_empty())
                .unwrap_or(self.name),
            // kfp 2 keeps a list's name as written.
            ParamRole::Value | ParamRole::Optional | ParamRole::InputPaths | ParamRole::OptionalInputPaths => self.name,
        }
    }

    /// The command-line flag: `--value-1`.
    pub fn flag(&self) -> String {
        format!("--{}", self.io_name().replace('_', "-"))
    }
}

/// `{if: {cond: {isPresent: name}, then: [flag, value]}}`: the flag and value (`{inputValue: name}`,
/// or `{inputPath: name}` for a file) of an input a task may leave out.
fn if_present(name: &str, flag: Placeholder, value: Placeholder) -> Placeholder {
    Placeholder::If {
        if_: Box::new(crate::spec::IfPlaceholder {
            cond: crate::spec::Condition::IsPresent(name.to_owned()),
            then: crate::spec::Branch::List(vec![flag, value]),
            else_: None,
        }),
    }
}

/// KFP v2's placeholder of the whole executor input.
pub const EXECUTOR_INPUT: &str = "{{$}}";

/// The type a component spec gives a list of artifacts of kfp type `item` (kfp 2's annotation,
/// `List[Dataset]`); only KFP v2 has it ([`artifact_list_item`](crate::spec::artifact_list_item)).
pub fn artifact_list_type(item: &str) -> String {
    format!("List[{}]", if item.is_empty() { "Artifact" } else { item })
}

/// kfp's component name for a function: `add_numbers` -> `Add numbers`.
pub fn component_name(fn_name: &str) -> String {
    let words: Vec<&str> = fn_name.split('_').filter(|word| !word.is_empty()).collect();
    let spaced = words.join(" ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl FunctionDef {
    /// Builds the component: spec, program and output file.
    pub fn build(&self) -> Component {
        let mut inputs = Vec::new();
        let mut outputs = Vec::new();
        let mut args = Vec::new();
        // kfp's order: the inputs, then the files the function writes, then the
        // return value's outputs.
        let (inputs_first, written): (Vec<&FnParam>, Vec<&FnParam>) =
            self.params.iter().partition(|param| param.role != ParamRole::OutputPath);
        for param in inputs_first.into_iter().chain(written) {
            let name = param.io_name().to_owned();
            let type_name = (!param.ty.type_name.is_empty()).then(|| TypeSpec::from(param.ty.type_name));
            let flag = Placeholder::literal(param.flag());
            match param.role {
                ParamRole::Value if param.default.is_some() => {
                    args.push(if_present(&name, flag, Placeholder::InputValue { input_value: name.clone() }));
                    inputs.push(InputSpec {
                        name,
                        type_name,
                        default: param.default.as_deref().map(Scalar::from),
                        optional: true,
                        ..InputSpec::default()
                    });
                }
                ParamRole::Value => {
                    args.extend([flag, Placeholder::InputValue { input_value: name.clone() }]);
                    inputs.push(InputSpec { name, type_name, ..InputSpec::default() });
                }
                ParamRole::Optional => {
                    args.push(if_present(&name, flag, Placeholder::InputValue { input_value: name.clone() }));
                    inputs.push(InputSpec { name, type_name, optional: true, ..InputSpec::default() });
                }
                // kfp 1.8's `Optional[InputPath('Dataset')] = None`, which kfp 2 loads as an optional artifact.
                ParamRole::OptionalInputPath => {
                    args.push(if_present(&name, flag, Placeholder::InputPath { input_path: name.clone() }));
                    inputs.push(InputSpec { name, type_name, optional: true, ..InputSpec::default() });
                }
                ParamRole::InputPath => {
                    args.extend([flag, Placeholder::InputPath { input_path: name.clone() }]);
                    inputs.push(InputSpec { name, type_name, ..InputSpec::default() });
                }
                ParamRole::InputPaths | ParamRole::OptionalInputPaths => {
                    // The launcher has no placeholder of a list's paths: the program reads them
                    // from the executor input, as kfp's Python executor does, which also says
                    // whether an optional list was given (no `IfPresent` needed).
                    args.extend([flag, Placeholder::literal(EXECUTOR_INPUT)]);
                    let type_name = Some(TypeSpec::from(artifact_list_type(param.ty.type_name).as_str()));
                    let optional = param.role == ParamRole::OptionalInputPaths;
                    inputs.push(InputSpec { name, type_name, optional, ..InputSpec::default() });
                }
                ParamRole::OutputPath => {
                    args.extend([flag, Placeholder::OutputPath { output_path: name.clone() }]);
                    outputs.push(OutputSpec { name, type_name, ..OutputSpec::default() });
                }
            }
        }
        if !self.returns.outputs.is_empty() {
            args.push(Placeholder::literal("----output-paths"));
            for (name, ty) in &self.returns.outputs {
                args.push(Placeholder::OutputPath { output_path: (*name).to_owned() });
                let type_name = (!ty.type_name.is_empty()).then(|| TypeSpec::from(ty.type_name));
                outputs.push(OutputSpec { name: (*name).to_owned(), type_name, ..OutputSpec::default() });
            }
        }
        let name = self.name.map_or_else(|| component_name(self.fn_name), str::to_owned);
        let (image, command) = match &self.prebuilt {
            // The user's binary dispatches to the component by its name.
            Some(prebuilt) => {
                (prebuilt.image, vec![prebuilt.program.to_owned(), DISPATCH_SUBCOMMAND.to_owned(), name.clone()])
            }
            None => (self.base_image.unwrap_or(DEFAULT_BASE_IMAGE), program::command(self)),
        };
        let doc = crate::docstring::parse(self.doc);
        let mut spec = ComponentSpec {
            name,
            description: self.description.map(str::to_owned).or_else(|| doc.description.clone()),
            inputs,
            outputs,
            implementation: Implementation {
                container: ContainerSpec {
                    image: image.to_owned(),
                    command: command.into_iter().map(Placeholder::Literal).collect(),
                    // kfp writes the list even when empty (`args: []`).
                    args: Some(args),
                    ..ContainerSpec::default()
                },
            },
            metadata: None,
            version: None,
        };
        let rust_names: Vec<(&str, &str)> = self.params.iter().map(|param| (param.io_name(), param.name)).collect();
        doc.describe(&mut spec, &rust_names);
        Component {
            spec,
            reference: serde_json::Value::Object(serde_json::Map::new()),
            output_file: self.output_component_file.map(PathBuf::from),
            local: Some({
                let (outputs, inputs): (Vec<_>, Vec<_>) =
                    self.params.iter().partition(|param| param.role == ParamRole::OutputPath);
                let names = |params: Vec<&FnParam>| params.iter().map(|param| (param.io_name(), param.name)).collect();
                LocalMain::new(self.steps(), self.local, names(inputs), names(outputs))
            }),
        }
    }

    /// Whether the program needs serde_json: the body uses it, or a JSON value
    /// crosses its command line.
    fn uses_json(&self) -> bool {
        self.mentions_json_crates
            || self.shipped.needs_serde
            || self.params.iter().any(|param| {
                param.ty.kind == Kind::Json
                    || matches!(param.role, ParamRole::InputPaths | ParamRole::OptionalInputPaths)
            })
            || self.returns.outputs.iter().any(|(_, ty)| ty.kind == Kind::Json)
    }
}

#[cfg(test)]
mod tests;
