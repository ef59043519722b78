//! Resolving a component's command-line placeholders for one task.

use crate::spec::{ComponentSpec, Placeholder};

use super::ops::file_name;

/// Resolves placeholders of one task's command line.
pub(super) struct Resolver<'a> {
    pub(super) task: &'a str,
    pub(super) spec: &'a ComponentSpec,
    pub(super) values: &'a [Option<String>],
    pub(super) paths: &'a [Option<String>],
}

impl Resolver<'_> {
    pub(super) fn all(&self, placeholders: &[Placeholder], problems: &mut Vec<String>) -> Vec<String> {
        let mut out = Vec::with_capacity(placeholders.len());
        for placeholder in placeholders {
            self.one(placeholder, &mut out, problems);
        }
        out
    }

    fn input_index(&self, name: &str, problems: &mut Vec<String>) -> Option<usize> {
        let index = self.spec.inputs.iter().position(|input| input.name == name);
        if index.is_none() {
            problems.push(format!(
                "component `{}` (task `{}`) refers to an input `{name}` it does not declare",
                self.spec.name, self.task
            ));
        }
        index
    }

    /// The value or path (from `resolved`) that input `name` stands for.
    fn input(
        &self,
        name: &str,
        resolved: &[Option<String>],
        what: &str,
        out: &mut Vec<String>,
        problems: &mut Vec<String>,
    ) {
        if let Some(index) = self.input_index(name, problems) {
            match &resolved[index] {
                Some(text) => out.push(text.clone()),
                None => problems
                    .push(format!("task `{}` needs {what} for input `{name}` of `{}`", self.task, self.spec.name)),
            }
        }
    }

    fn one(&self, placeholder: &Placeholder, out: &mut Vec<String>, problems: &mut Vec<String>) {
        match placeholder {
            Placeholder::Literal(text) => out.push(text.clone()),
            Placeholder::InputValue { input_value } => self.input(input_value, self.values, "a value", out, problems),
            Placeholder::InputPath { input_path } => self.input(input_path, self.paths, "a file", out, problems),
            Placeholder::OutputPath { output_path } => {
                out.push(format!("/tmp/outputs/{}/data", file_name(output_path)))
            }
            Placeholder::If { if_ } => {
                let present =
                    self.input_index(&if_.cond.is_present, problems).is_some_and(|index| self.values[index].is_some());
                let branch = if present { &if_.then } else { &if_.else_ };
                for inner in branch {
                    self.one(inner, out, problems);
                }
            }
        }
    }
}
