//! Resolving a component's command-line placeholders for one task, as kfp 1.8's
//! `_resolve_command_line_and_paths` (with the v1 compiler's extra resolver for
//! `inputUri`/`outputUri`) does.
//!
//! - `inputValue`: the argument's text (a constant, or an Argo reference);
//!   an optional input without argument drops the element.
//! - `inputPath`: `/tmp/inputs/<name>/data`; the input becomes a file artifact.
//! - `outputPath`: `/tmp/outputs/<name>/data` (or the component's `fileOutputs` path).
//! - `inputUri` / `outputUri`: kfp v1 writes `{{$.inputs.artifacts['<name>'].uri}}` /
//!   `{{$.outputs.artifacts['<name>'].uri}}` as they are, and passes the artifact at
//!   the path an `inputPath`/`outputPath` would have.
//! - `concat`: its items resolved and joined into one element.
//! - `if`: `then` or `else`, chosen at compile time: `isPresent` holds when the task
//!   has an argument (or a default) for the input; a constant is read like Python's
//!   `strtobool`; `inputValue` works when the argument is a constant (kfp 1.8.22
//!   rejects every `inputValue` condition; a pipeline parameter or task output is
//!   only known at run time, so it is an error here too).

use super::clash::first_clash;
use crate::names::{input_path, output_path};
use crate::spec::{Branch, ComponentSpec, Condition, Placeholder};

/// A part of a command-line element: literal text, or the value of an input.
#[derive(Clone, Debug)]
pub(super) enum Piece {
    Text(String),
    /// The argument of the input at this index.
    Value(usize),
}

/// One element of a command line: its pieces, concatenated.
pub(super) type Element = Vec<Piece>;

/// The command line, each element with the input values it holds (`fill`).
///
/// The elements name inputs by index rather than holding their values, so the
/// tasks of a component that pass the same inputs share one resolution
/// ([`Resolved::shareable`]): a large pipeline runs a few components many times.
#[derive(Clone, Debug, Default)]
pub(super) struct Resolved {
    pub(super) command: Vec<Element>,
    pub(super) args: Vec<Element>,
    /// By input index: the command line reads the value.
    pub(super) by_value: Vec<bool>,
    /// By input index: the command line reads a file (`inputPath`, `inputUri`).
    pub(super) by_path: Vec<bool>,
    /// By output index: the path the program writes the output to, if it writes it.
    pub(super) outputs: Vec<Option<String>>,
}

impl Resolved {
    /// Whether every task passing the same inputs resolves to this: no `if` of the
    /// command line reads an input's value (only whether it is present).
    pub(super) fn shareable(spec: &ComponentSpec) -> bool {
        let container = &spec.implementation.container;
        !container.command.iter().chain(container.args.iter().flatten()).any(reads_value)
    }
}

/// Whether `placeholder` holds an `if` whose condition is an input's value.
fn reads_value(placeholder: &Placeholder) -> bool {
    match placeholder {
        Placeholder::Concat { concat } => concat.iter().any(reads_value),
        Placeholder::If { if_ } => {
            let branch = |branch: &Branch| match branch {
                Branch::One(item) => reads_value(item),
                Branch::List(items) => items.iter().any(reads_value),
            };
            matches!(if_.cond, Condition::InputValue(_)) || branch(&if_.then) || if_.else_.as_ref().is_some_and(branch)
        }
        _ => false,
    }
}

/// The text of each element, the inputs' values (as [`Resolver::values`]) in place.
pub(super) fn fill(elements: &[Element], values: &[Option<String>]) -> Vec<String> {
    elements
        .iter()
        .map(|element| match element.as_slice() {
            [one] => piece_text(one, values).to_owned(),
            pieces => pieces.iter().map(|piece| piece_text(piece, values)).collect(),
        })
        .collect()
}

fn piece_text<'a>(piece: &'a Piece, values: &'a [Option<String>]) -> &'a str {
    match piece {
        Piece::Text(text) => text,
        Piece::Value(index) => values[*index].as_deref().unwrap_or_default(),
    }
}

/// Resolves placeholders of one task's command line.
pub(super) struct Resolver<'a> {
    pub(super) task: &'a str,
    pub(super) spec: &'a ComponentSpec,
    /// By input index: the argument's text (defaults filled in), `None` when absent.
    pub(super) values: &'a [Option<String>],
    /// Whether to resolve the command too: a command of literal text only is
    /// resolved once per component, not per task.
    pub(super) command: bool,
}

enum Part {
    None,
    One(Element),
    Many(Vec<Element>),
}

impl Resolver<'_> {
    /// Resolves `command` and `args`; problems are pushed to `problems`.
    pub(super) fn resolve(&self, problems: &mut Vec<String>) -> Resolved {
        let spec = self.spec;
        let container = &spec.implementation.container;
        let mut resolved = Resolved {
            by_value: vec![false; spec.inputs.len()],
            by_path: vec![false; spec.inputs.len()],
            outputs: vec![None; spec.outputs.len()],
            ..Resolved::default()
        };
        // Legacy fixed paths first, as kfp registers them.
        for (name, path) in container.file_outputs.iter().flatten() {
            match spec.outputs.iter().position(|output| output.name == *name) {
                Some(index) => resolved.outputs[index] = Some(path.clone()),
                None => problems.push(format!(
                    "component `{}` (task `{}`): `fileOutputs` names an output `{name}` it does not declare",
                    spec.display_name(),
                    self.task
                )),
            }
        }
        if self.command {
            resolved.command = self.list(&container.command, &mut resolved, problems);
        }
        resolved.args = self.list(container.args.as_deref().unwrap_or_default(), &mut resolved, problems);
        if let Some(clash) = first_clash(spec, &resolved.by_path, &resolved.outputs, Some(self.task)) {
            problems.push(format!("component `{}` (task `{}`): {clash}", spec.display_name(), self.task));
        }
        resolved
    }

    fn list(&self, items: &[Placeholder], resolved: &mut Resolved, problems: &mut Vec<String>) -> Vec<Element> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match self.part(item, resolved, problems) {
                Part::None => {}
                Part::One(text) => out.push(text),
                Part::Many(texts) => out.extend(texts),
            }
        }
        out
    }

    fn input_index(&self, name: &str, problems: &mut Vec<String>) -> Option<usize> {
        let index = self.spec.inputs.iter().position(|input| input.name == name);
        if index.is_none() {
            problems.push(format!(
                "component `{}` (task `{}`) refers to an input `{name}` it does not declare",
                self.spec.display_name(),
                self.task
            ));
        }
        index
    }

    fn output_index(&self, name: &str, problems: &mut Vec<String>) -> Option<usize> {
        let index = self.spec.outputs.iter().position(|output| output.name == name);
        if index.is_none() {
            problems.push(format!(
                "component `{}` (task `{}`) refers to an output `{name}` it does not declare",
                self.spec.display_name(),
                self.task
            ));
        }
        index
    }

    /// The index of the input's argument, or `None` (a problem when the input is required).
    fn argument(&self, name: &str, what: &str, problems: &mut Vec<String>) -> Option<usize> {
        let index = self.input_index(name, problems)?;
        match &self.values[index] {
            Some(_) => Some(index),
            None => {
                if !self.spec.inputs[index].optional {
                    problems.push(format!(
                        "task `{}` needs {what} for input `{name}` of `{}`",
                        self.task,
                        self.spec.display_name()
                    ));
                }
                None
            }
        }
    }

    fn register_output(&self, name: &str, resolved: &mut Resolved, problems: &mut Vec<String>) {
        let Some(index) = self.output_index(name, problems) else { return };
        let path = output_path(name);
        match &resolved.outputs[index] {
            Some(existing) if *existing != path => problems.push(format!(
                "component `{}` (task `{}`): output `{name}` is written to `{existing}` (`fileOutputs`) and to `{path}` (a placeholder); kfp refuses conflicting output files",
                self.spec.display_name(),
                self.task
            )),
            _ => resolved.outputs[index] = Some(path),
        }
    }

    fn part(&self, placeholder: &Placeholder, resolved: &mut Resolved, problems: &mut Vec<String>) -> Part {
        match placeholder {
            Placeholder::Literal(text) => Part::One(vec![Piece::Text(text.clone())]),
            Placeholder::InputValue { input_value } => match self.argument(input_value, "a value", problems) {
                Some(index) => {
                    resolved.by_value[index] = true;
                    Part::One(vec![Piece::Value(index)])
                }
                None => Part::None,
            },
            Placeholder::InputPath { input_path: name } => match self.argument(name, "a file", problems) {
                Some(index) => {
                    resolved.by_path[index] = true;
                    Part::One(vec![Piece::Text(input_path(name))])
                }
                None => Part::None,
            },
            Placeholder::InputUri { input_uri: name } => match self.argument(name, "an artifact", problems) {
                Some(index) => {
                    resolved.by_path[index] = true;
                    Part::One(vec![Piece::Text(format!("{{{{$.inputs.artifacts['{name}'].uri}}}}"))])
                }
                None => Part::None,
            },
            Placeholder::OutputPath { output_path: name } => {
                self.register_output(name, resolved, problems);
                Part::One(vec![Piece::Text(output_path(name))])
            }
            Placeholder::OutputUri { output_uri: name } => {
                self.register_output(name, resolved, problems);
                Part::One(vec![Piece::Text(format!("{{{{$.outputs.artifacts['{name}'].uri}}}}"))])
            }
            Placeholder::OutputMetadata { output_metadata: name } => {
                problems.push(format!(
                    "task `{}`: `{{outputMetadata: {name}}}` in `{}` is output artifact `{name}`'s metadata, which only KFP v2 has (compile with `--target v2`); KFP v1 has no artifact metadata: write what KFP's UI shows to an `mlpipeline-ui-metadata` or `mlpipeline-metrics` output file",
                    self.task,
                    self.spec.display_name()
                ));
                Part::None
            }
            Placeholder::Concat { concat } => {
                Part::One(self.list(concat, resolved, problems).into_iter().flatten().collect())
            }
            Placeholder::If { if_ } => {
                let holds = self.condition(&if_.cond, resolved, problems);
                match if holds { Some(&if_.then) } else { if_.else_.as_ref() } {
                    None => Part::None,
                    Some(Branch::List(items)) => Part::Many(self.list(items, resolved, problems)),
                    Some(Branch::One(item)) => self.part(item, resolved, problems),
                }
            }
        }
    }

    fn condition(&self, condition: &Condition, resolved: &mut Resolved, problems: &mut Vec<String>) -> bool {
        let text = match condition {
            Condition::Bool(value) => return *value,
            Condition::IsPresent(name) => {
                return self.input_index(name, problems).is_some_and(|index| self.values[index].is_some())
            }
            Condition::Text(text) => text.clone(),
            Condition::InputValue(name) => {
                let Some(index) = self.input_index(name, problems) else { return false };
                let Some(text) = &self.values[index] else { return false };
                resolved.by_value[index] = true;
                if text.contains("{{") {
                    problems.push(format!(
                        "task `{}`: the `if` condition of `{}` reads input `{name}`, which gets a pipeline parameter or a task output; a condition must be known when the pipeline compiles, so pass a constant",
                        self.task,
                        self.spec.display_name()
                    ));
                    return false;
                }
                text.clone()
            }
        };
        strtobool(&text).unwrap_or_else(|| {
            problems.push(format!(
                "task `{}`: the `if` condition of `{}` is `{text}`, which is not a boolean (true/false, yes/no, on/off, 1/0)",
                self.task,
                self.spec.display_name()
            ));
            false
        })
    }
}

/// Python's `distutils.util.strtobool`.
pub(crate) fn strtobool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "y" | "yes" | "t" | "true" | "on" | "1" => Some(true),
        "n" | "no" | "f" | "false" | "off" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtobool_is_pythons() {
        assert_eq!(strtobool("True"), Some(true));
        assert_eq!(strtobool("OFF"), Some(false));
        assert_eq!(strtobool("maybe"), None);
    }
}
