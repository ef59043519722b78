//! Calling a loaded component in a pipeline body: inputs by name.

use super::LoadedComponent;
use crate::dsl::loaded::CallError;
use crate::dsl::marker::ValueRef;
use crate::dsl::{output_type, param_type, push_error, record_task, Arg, Loaded, Output, Param, Task};
use crate::spec::{check_types, ComponentSpec, TypeSpec};
use crate::types::{KfpType, TypeInfo};

/// A value for an input of a loaded component: a constant (serialized as kfp
/// serializes it), a pipeline parameter, a task output, or nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct AnyArg {
    arg: Arg,
    /// The kfp type of a pipeline parameter, checked against the input's.
    param_type: Option<&'static str>,
}

/// Values a loaded component's input takes: constants of any kfp type, `&str`,
/// `Param<T>`, `Output<T>` of any `T` (of Rust components and loaded ones), and
/// `Option`s of them (`None` leaves an optional input out).
pub trait IntoAnyArg {
    /// The value as an argument.
    fn into_any_arg(self) -> AnyArg;
}

/// Wraps a value for a call whose arguments have different Rust types:
/// `op.call([("text", arg("hi")), ("count", arg(n))])`.
pub fn arg(value: impl IntoAnyArg) -> AnyArg {
    value.into_any_arg()
}

impl IntoAnyArg for AnyArg {
    fn into_any_arg(self) -> AnyArg {
        self
    }
}

impl<T: KfpType> IntoAnyArg for T {
    fn into_any_arg(self) -> AnyArg {
        AnyArg { arg: Arg::Constant(self.to_kfp_string()), param_type: None }
    }
}

impl IntoAnyArg for &str {
    fn into_any_arg(self) -> AnyArg {
        AnyArg { arg: Arg::Constant(self.to_owned()), param_type: None }
    }
}

impl IntoAnyArg for &String {
    fn into_any_arg(self) -> AnyArg {
        AnyArg { arg: Arg::Constant(self.clone()), param_type: None }
    }
}

impl<T: KfpType> IntoAnyArg for Param<T> {
    fn into_any_arg(self) -> AnyArg {
        let type_name = TypeInfo::of::<T>().type_name;
        AnyArg { arg: Arg::Value(ValueRef::from(self)), param_type: (!type_name.is_empty()).then_some(type_name) }
    }
}

/// An optional pipeline parameter (`Option<T>`) leaves the input out when a run leaves it out.
impl<T: KfpType> IntoAnyArg for Param<Option<T>> {
    fn into_any_arg(self) -> AnyArg {
        let type_name = TypeInfo::of::<T>().type_name;
        AnyArg { arg: Arg::Value(ValueRef::from(self)), param_type: (!type_name.is_empty()).then_some(type_name) }
    }
}

impl<T> IntoAnyArg for Output<T> {
    fn into_any_arg(self) -> AnyArg {
        AnyArg { arg: Arg::Value(ValueRef::from(self)), param_type: None }
    }
}

impl<T> IntoAnyArg for crate::dsl::LoopItem<T> {
    fn into_any_arg(self) -> AnyArg {
        AnyArg { arg: Arg::Value(ValueRef::from(self)), param_type: None }
    }
}

impl<T> IntoAnyArg for crate::dsl::OneOf<T> {
    fn into_any_arg(self) -> AnyArg {
        AnyArg { arg: Arg::Value(ValueRef::from(self)), param_type: None }
    }
}

/// A collected list is a `JsonArray`, for kfp's type check.
impl<T> IntoAnyArg for crate::dsl::Collected<T> {
    fn into_any_arg(self) -> AnyArg {
        AnyArg { arg: Arg::Value(ValueRef::from(self)), param_type: Some("JsonArray") }
    }
}

impl<T: IntoAnyArg> IntoAnyArg for Option<T> {
    fn into_any_arg(self) -> AnyArg {
        self.map_or(AnyArg { arg: Arg::Absent, param_type: None }, IntoAnyArg::into_any_arg)
    }
}

/// Arguments of a loaded component's task, given one by one:
/// `op.args().arg("text", "hi").arg("count", n).call()`.
#[derive(Debug)]
#[must_use = "call `.call()` to record the task"]
pub struct TaskArgs<'a> {
    component: &'a LoadedComponent,
    args: Vec<(String, AnyArg)>,
}

impl TaskArgs<'_> {
    /// One more argument, for input `name`.
    pub fn arg(mut self, name: impl Into<String>, value: impl IntoAnyArg) -> Self {
        self.args.push((name.into(), value.into_any_arg()));
        self
    }

    /// Records the task; a wrong input name or type is an error of the pipeline.
    pub fn call(self) -> Task<Loaded> {
        self.component.call(self.args)
    }

    /// Records the task, or says what is wrong with the arguments (nothing is recorded).
    pub fn try_call(self) -> Result<Task<Loaded>, CallError> {
        self.component.try_call(self.args)
    }
}

/// kfp's `_sanitize_python_function_name`: how kfp's Python API names inputs (`uri in` -> `uri_in`).
fn pythonic(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_owned()
}

/// The input `name` stands for: its exact name, else kfp's Python name of exactly one input.
fn find_input(spec: &ComponentSpec, name: &str) -> Option<usize> {
    spec.inputs.iter().position(|input| input.name == name).or_else(|| {
        let mut matches = spec.inputs.iter().enumerate().filter(|(_, input)| pythonic(&input.name) == name);
        match (matches.next(), matches.next()) {
            (Some((index, _)), None) => Some(index),
            _ => None,
        }
    })
}

impl LoadedComponent {
    /// Starts a call whose arguments are given one by one, of any types.
    pub fn args(&self) -> TaskArgs<'_> {
        TaskArgs { component: self, args: Vec::new() }
    }

    /// Records a task with `args`, inputs by name (`[("text", "hi"), ("n", "3")]`;
    /// wrap values of different types with [`arg`]). Inputs left out take their
    /// default; optional ones are left out. A wrong or missing input name, or a kfp
    /// type mismatch, is an error of the pipeline: its compile fails listing the
    /// component's inputs. [`Self::try_call`] returns it instead.
    pub fn call<N: AsRef<str>, A: IntoAnyArg>(&self, args: impl IntoIterator<Item = (N, A)>) -> Task<Loaded> {
        let args: Vec<(String, AnyArg)> =
            args.into_iter().map(|(name, value)| (name.as_ref().to_owned(), value.into_any_arg())).collect();
        match self.bind(&args) {
            Ok(bound) => record_task(&self.component, bound),
            Err(error) => {
                push_error(error.to_string());
                // A task all the same, so the rest of the body runs and reports its own errors.
                let spec = &self.component.spec;
                let mut bound = vec![Arg::Absent; spec.inputs.len()];
                for (name, value) in &args {
                    if let Some(index) = find_input(spec, name) {
                        bound[index] = value.arg.clone();
                    }
                }
                record_task(&self.component, bound)
            }
        }
    }

    /// [`Self::call`], or the error, with nothing recorded.
    pub fn try_call<N: AsRef<str>, A: IntoAnyArg>(
        &self,
        args: impl IntoIterator<Item = (N, A)>,
    ) -> Result<Task<Loaded>, CallError> {
        let args: Vec<(String, AnyArg)> =
            args.into_iter().map(|(name, value)| (name.as_ref().to_owned(), value.into_any_arg())).collect();
        let bound = self.bind(&args)?;
        Ok(record_task(&self.component, bound))
    }

    /// One argument per input, in the component's order.
    fn bind(&self, args: &[(String, AnyArg)]) -> Result<Vec<Arg>, CallError> {
        let spec = &self.component.spec;
        let component = spec.display_name().to_owned();
        let inputs = || spec.inputs.iter().map(|input| input.name.clone()).collect::<Vec<_>>();
        let mut bound: Vec<Option<Arg>> = vec![None; spec.inputs.len()];
        for (name, value) in args {
            let Some(index) = find_input(spec, name) else {
                return Err(CallError::UnknownInput { component, name: name.clone(), inputs: inputs() });
            };
            if bound[index].is_some() {
                return Err(CallError::DuplicateInput { component, name: spec.inputs[index].name.clone() });
            }
            let input = &spec.inputs[index];
            let given = match &value.arg {
                Arg::Value(ValueRef::Output(source)) => output_type(source),
                // The type the parameter declares (`#[kfp(type = ...)]`), else its Rust type's.
                &Arg::Value(ValueRef::Param { recording, index }) => {
                    param_type(recording, index).or(value.param_type).map(TypeSpec::from)
                }
                _ => value.param_type.map(TypeSpec::from),
            };
            let what = match &value.arg {
                Arg::Value(ValueRef::Output(source)) => format!("output `{}`", source.name),
                _ => "pipeline parameter".to_owned(),
            };
            // kfp 2's list of artifacts (`List[Dataset]`), which kfp 1.8's check does not know, takes a
            // collected list: the KFP v2 compiler checks that its items are artifacts.
            let collected_into_list =
                input.is_artifact_list() && matches!(value.arg, Arg::Value(ValueRef::Collected { .. }));
            if !collected_into_list {
                check_types(
                    given.as_ref(),
                    input.type_name.as_ref(),
                    &what,
                    &format!("input `{}` of `{component}`", input.name),
                )
                .map_err(CallError::TypeMismatch)?;
            }
            bound[index] = Some(value.arg.clone());
        }
        let missing: Vec<String> = spec
            .inputs
            .iter()
            .zip(&bound)
            .filter(|(input, arg)| {
                // KFP gives an exit task its final status: no call passes it.
                let given_by_kfp =
                    input.type_name.as_ref().and_then(|t| t.name()) == Some(crate::component::FINAL_STATUS_TYPE);
                !input.optional && !given_by_kfp && input.default.is_none() && matches!(arg, None | Some(Arg::Absent))
            })
            .map(|(input, _)| input.name.clone())
            .collect();
        if !missing.is_empty() {
            return Err(CallError::MissingInputs { component, missing, inputs: inputs() });
        }
        Ok(bound.into_iter().map(|arg| arg.unwrap_or(Arg::Absent)).collect())
    }
}
