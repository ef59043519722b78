//! Inputs or outputs of one component that kfp gives the same file or the same
//! Argo name (`o p` and `o_p` both write `/tmp/outputs/o_p/data`): one value
//! would overwrite the other with no error anywhere, so they are refused.

use std::collections::HashMap;
use std::fmt;

use crate::names::{input_path, k8s_name, output_path, ui_artifact};
use crate::spec::{Branch, ComponentSpec, Placeholder};

/// Two inputs or two outputs of one component that share a file or an Argo name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Clash<'a> {
    /// `"inputs"` or `"outputs"`: the spec's list holding both.
    pub(crate) list: &'static str,
    pub(crate) first: &'a str,
    pub(crate) second: &'a str,
    /// The index of `second` in its list.
    pub(crate) second_index: usize,
    /// What kfp derives alike from their different names (`the file `...``);
    /// `None` when the names are the same.
    shared: Option<String>,
}

impl fmt::Display for Clash<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = self.list.trim_end_matches('s');
        match &self.shared {
            None => write!(f, "two {} are named `{}`, so", self.list, self.first)?,
            Some(shared) => write!(f, "{} `{}` and `{}` both get {shared}, so", self.list, self.first, self.second)?,
        }
        write!(f, " one {what}'s value would overwrite the other's: rename one of them")
    }
}

/// The first clash among the inputs the command line reads as files
/// (`by_path`, by input index) and the outputs it writes (`written`: the file of
/// each output, by output index). Argo outputs are named after `task`, or
/// `<task>` when no task is known (`<task>-o-p`).
pub(crate) fn first_clash<'a>(
    spec: &'a ComponentSpec,
    by_path: &[bool],
    written: &[Option<String>],
    task: Option<&str>,
) -> Option<Clash<'a>> {
    // The same name twice (a Rust component's `sum_path` file and returned `sum`).
    let same = same_name("inputs", spec.inputs.iter().map(|input| input.name.as_str()))
        .or_else(|| same_name("outputs", spec.outputs.iter().map(|output| output.name.as_str())));
    if same.is_some() {
        return same;
    }
    let inputs = spec.inputs.iter().zip(by_path).enumerate().filter(|(_, (_, read))| **read);
    let input_files = inputs.map(|(index, (input, _))| (index, input.name.as_str(), input_path(&input.name)));
    if let Some(clash) = first_shared("inputs", input_files, |path| Some(format!("the file `{path}`"))) {
        return Some(clash);
    }
    let outputs = || {
        let paths = spec.outputs.iter().zip(written).enumerate();
        paths.filter_map(|(index, (output, path))| Some((index, output.name.as_str(), path.as_deref()?)))
    };
    let output_files = outputs().map(|(index, name, path)| (index, name, path.to_owned()));
    let files = first_shared("outputs", output_files, |path| Some(format!("the file `{path}`")));
    let task = task.unwrap_or("<task>");
    let argo_name = |name: &str| ui_artifact(name).map_or_else(|| format!("{task}-{}", k8s_name(name)), str::to_owned);
    let argo_names = outputs().map(|(index, name, _)| (index, name, argo_name(name)));
    let argo = first_shared("outputs", argo_names, |name| Some(format!("the Argo output name `{name}`")));
    // The clash found at the earlier output is reported: the loader names its field.
    match (files, argo) {
        (Some(files), Some(argo)) if argo.second_index < files.second_index => Some(argo),
        (files, argo) => files.or(argo),
    }
}

/// The first of `names` that an earlier one equals.
fn same_name<'a>(list: &'static str, names: impl Iterator<Item = &'a str>) -> Option<Clash<'a>> {
    first_shared(list, names.enumerate().map(|(index, name)| (index, name, name.to_owned())), |_| None)
}

/// The first of `named` (index, name, what kfp derives from the name) whose
/// derived text an earlier one has; `say` words that text.
fn first_shared<'a>(
    list: &'static str,
    named: impl Iterator<Item = (usize, &'a str, String)>,
    say: impl Fn(&str) -> Option<String>,
) -> Option<Clash<'a>> {
    let mut seen: HashMap<String, &'a str> = HashMap::new();
    for (index, name, derived) in named {
        if let Some(first) = seen.get(&derived) {
            return Some(Clash { list, first, second: name, second_index: index, shared: say(&derived) });
        }
        seen.insert(derived, name);
    }
    None
}

/// The inputs the command line may read as files and the file each output may be
/// written to, by index, for every task at once: both branches of an `if` count,
/// as which one a task takes depends on its arguments.
pub(crate) fn files_of(spec: &ComponentSpec) -> (Vec<bool>, Vec<Option<String>>) {
    let mut by_path = vec![false; spec.inputs.len()];
    let mut written = vec![None; spec.outputs.len()];
    let container = &spec.implementation.container;
    for (name, path) in container.file_outputs.iter().flatten() {
        if let Some(index) = spec.outputs.iter().position(|output| output.name == *name) {
            written[index] = Some(path.clone());
        }
    }
    let mut visit = |placeholder: &Placeholder| match placeholder {
        Placeholder::InputPath { input_path: name } | Placeholder::InputUri { input_uri: name } => {
            if let Some(index) = spec.inputs.iter().position(|input| input.name == *name) {
                by_path[index] = true;
            }
        }
        Placeholder::OutputPath { output_path: name } | Placeholder::OutputUri { output_uri: name } => {
            if let Some(index) = spec.outputs.iter().position(|output| output.name == *name) {
                written[index].get_or_insert_with(|| output_path(name));
            }
        }
        _ => {}
    };
    for placeholder in container.command.iter().chain(container.args.iter().flatten()) {
        each_placeholder(placeholder, &mut visit);
    }
    (by_path, written)
}

/// Calls `visit` on `placeholder` and every placeholder inside it.
fn each_placeholder(placeholder: &Placeholder, visit: &mut impl FnMut(&Placeholder)) {
    visit(placeholder);
    match placeholder {
        Placeholder::Concat { concat } => concat.iter().for_each(|item| each_placeholder(item, visit)),
        Placeholder::If { if_ } => {
            for branch in std::iter::once(&if_.then).chain(&if_.else_) {
                match branch {
                    Branch::One(one) => each_placeholder(one, visit),
                    Branch::List(list) => list.iter().for_each(|item| each_placeholder(item, visit)),
                }
            }
        }
        _ => {}
    }
}
