//! Descriptions from a doc comment, as kfp reads a function's docstring (docstring_parser's Google
//! style, which kfp 2's `component_factory` uses): the text before the first section describes the
//! component or pipeline, each entry of an `Args:` section one of its inputs, each entry of a
//! `Returns:` section one of its outputs. rustdoc's headings (`# Arguments`, `# Returns`, with
//! `` * `name` - text `` items) are read the same way, so one doc comment serves both readers.

use crate::spec::ComponentSpec;

/// A doc comment split as kfp splits a docstring.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Docstring {
    /// The text before the first section, common indent removed; `None` when empty.
    pub description: Option<String>,
    /// `Args:` (`Arguments:`, `Parameters:`, `# Arguments`) entries: name and text, in order.
    pub args: Vec<(String, String)>,
    /// `Returns:` (`# Returns`) entries: output name and text, in order.
    pub returns: Vec<(String, String)>,
}

impl Docstring {
    /// The text of the `Args:` entry for `name`.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args.iter().find(|(arg, _)| arg == name).map(|(_, text)| text.as_str())
    }

    /// The text of the `Returns:` entry for `name`.
    pub fn returned(&self, name: &str) -> Option<&str> {
        self.returns.iter().find(|(output, _)| output == name).map(|(_, text)| text.as_str())
    }

    /// Gives `spec`'s inputs the text of their `Args:` entries and its outputs that of their
    /// `Args:` (a file the function writes) or `Returns:` entries, as kfp 2 does. An entry names
    /// the Rust parameter (`data_path`) or the spec's name (`data`): `rust_names` pairs them.
    pub(crate) fn describe(&self, spec: &mut ComponentSpec, rust_names: &[(&str, &str)]) {
        fn rust_name<'a>(rust_names: &[(&str, &'a str)], name: &'a str) -> &'a str {
            rust_names.iter().find(|(io, _)| *io == name).map_or(name, |(_, rust)| *rust)
        }
        for input in &mut spec.inputs {
            let text = self.arg(rust_name(rust_names, &input.name)).or_else(|| self.arg(&input.name));
            input.description = input.description.take().or_else(|| text.map(str::to_owned));
        }
        for output in &mut spec.outputs {
            let rust = rust_name(rust_names, &output.name);
            let text = (self.arg(rust).or_else(|| self.arg(&output.name)))
                .or_else(|| self.returned(&output.name))
                .or_else(|| self.returned(rust));
            output.description = output.description.take().or_else(|| text.map(str::to_owned));
        }
    }
}

/// The description kfp takes from a docstring: lines joined, common indent removed.
pub(crate) fn text(lines: &[&str]) -> Option<String> {
    let indent = lines
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    let text: Vec<&str> = lines.iter().map(|line| line.get(indent..).unwrap_or("").trim_end()).collect();
    let text = text.join("\n");
    let text = text.trim_matches('\n');
    (!text.is_empty()).then(|| text.to_owned())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Args,
    Returns,
    /// A section kfp reads nothing from (`Raises:`, `# Examples`): it only ends the description.
    Other,
}

/// docstring_parser's Google section titles, and rustdoc's usual headings.
fn section(title: &str) -> Option<Section> {
    Some(match title.trim().to_ascii_lowercase().as_str() {
        "args" | "arguments" | "parameters" | "params" => Section::Args,
        "returns" | "return" => Section::Returns,
        "raises" | "exceptions" | "except" | "attributes" | "example" | "examples" | "yields" | "errors" | "panics"
        | "safety" => Section::Other,
        _ => return None,
    })
}

/// The section a line opens: `Args:` (Google) or `# Arguments` (rustdoc; any `#` heading ends
/// the description). `#` without a space after it is no heading: `#[derive]`, `#![...]`.
fn heading(line: &str) -> Option<Section> {
    let line = line.trim();
    if let Some(title) = line.strip_prefix('#').map(|rest| rest.trim_start_matches('#')) {
        return title.starts_with(' ').then(|| section(title).unwrap_or(Section::Other));
    }
    line.strip_suffix(':').and_then(section)
}

/// The section each line opens; none inside a fenced code block, whose `# use ...` lines rustdoc
/// hides and whose `Args:` is code.
fn headings(lines: &[&str]) -> Vec<Option<Section>> {
    let mut fenced = false;
    let fence = |line: &str| line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~");
    lines
        .iter()
        .map(|line| {
            let inside = fenced;
            fenced ^= fence(line);
            (!inside && !fence(line)).then(|| heading(line)).flatten()
        })
        .collect()
}

/// One entry's name and the start of its text: `name: text`, `name (type): text`,
/// `` * `name` - text ``, `- name: text`.
fn entry(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    let line = line.strip_prefix("* ").or_else(|| line.strip_prefix("- ")).unwrap_or(line).trim_start();
    let (name, rest) = if let Some(quoted) = line.strip_prefix('`') {
        let end = quoted.find('`')?;
        (&quoted[..end], quoted[end + 1..].trim_start())
    } else {
        let end = line.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
        (&line[..end], line[end..].trim_start())
    };
    if name.is_empty() {
        return None;
    }
    // A type in parentheses after the name, as Google style allows (`x (int): ...`).
    let rest = match rest.strip_prefix('(') {
        Some(typed) => typed.split_once(')').map_or(typed, |(_, after)| after).trim_start(),
        None => rest,
    };
    let text = rest.strip_prefix(':').or_else(|| rest.strip_prefix("- ")).or_else(|| rest.strip_prefix('-'))?;
    Some((name.to_owned(), text.trim().to_owned()))
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Splits doc comment `lines` (one per `///` line, as rustc gives them) into description,
/// arguments and returns.
///
/// ```
/// use kfp_core::docstring::parse;
///
/// let doc = parse(&[" Joins two datasets.", "", " Args:", "     a: First dataset.", "", " # Returns", "", " * `Output` - The text."]);
/// assert_eq!(doc.description.as_deref(), Some("Joins two datasets."));
/// assert_eq!(doc.arg("a"), Some("First dataset."));
/// assert_eq!(doc.returned("Output"), Some("The text."));
/// ```
pub fn parse(lines: &[&str]) -> Docstring {
    let headings = headings(lines);
    let start = headings.iter().position(Option::is_some).unwrap_or(lines.len());
    let mut doc = Docstring { description: text(&lines[..start]), ..Docstring::default() };
    let mut current = Section::Other;
    // The entry being read, with the indent of its first line: deeper lines continue it.
    let mut open: Option<(usize, String, Vec<String>)> = None;
    let close = |open: &mut Option<(usize, String, Vec<String>)>, section: Section, doc: &mut Docstring| {
        if let Some((_, name, text)) = open.take() {
            let text = text.join("\n").trim().to_owned();
            match section {
                Section::Args => doc.args.push((name, text)),
                Section::Returns => doc.returns.push((name, text)),
                Section::Other => {}
            }
        }
    };
    for (line, heading) in lines[start..].iter().zip(&headings[start..]) {
        if let Some(next) = *heading {
            close(&mut open, current, &mut doc);
            current = next;
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let continues = open.as_ref().is_some_and(|(depth, _, _)| indent(line) > *depth);
        if continues {
            if let Some((_, _, text)) = open.as_mut() {
                text.push(line.trim().to_owned());
            }
            continue;
        }
        close(&mut open, current, &mut doc);
        if current != Section::Other {
            open = entry(line).map(|(name, text)| (indent(line), name, vec![text]));
        }
    }
    close(&mut open, current, &mut doc);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kfps_google_style_sections() {
        let lines = [
            " Concatenate dataset_a and dataset_b.",
            "",
            " Also returns the concatenated string.",
            "",
            " Args:",
            "     dataset_a: First dataset.",
            "     dataset_b (Dataset): Second",
            "         dataset.",
            "",
            " Returns:",
            "     out_dataset: The concatenated dataset.",
            "     Output: The concatenated string.",
        ];
        let doc = parse(&lines);
        assert_eq!(
            doc.description.as_deref(),
            Some("Concatenate dataset_a and dataset_b.\n\nAlso returns the concatenated string.")
        );
        assert_eq!(
            doc.args,
            [
                ("dataset_a".to_owned(), "First dataset.".to_owned()),
                ("dataset_b".to_owned(), "Second\ndataset.".to_owned())
            ]
        );
        assert_eq!(doc.returned("out_dataset"), Some("The concatenated dataset."));
        assert_eq!(doc.returned("Output"), Some("The concatenated string."));
    }

    #[test]
    fn rustdoc_headings_and_items() {
        let lines = [
            " Trains a model.",
            "",
            " # Arguments",
            "",
            " * `rate` - The learning rate.",
            " * `epochs`: How many passes.",
            "",
            " # Examples",
            "",
            " rate: not an argument",
        ];
        let doc = parse(&lines);
        assert_eq!(doc.description.as_deref(), Some("Trains a model."));
        assert_eq!(doc.arg("rate"), Some("The learning rate."));
        assert_eq!(doc.arg("epochs"), Some("How many passes."));
        assert_eq!(doc.args.len(), 2, "an Examples section describes nothing");
    }

    #[test]
    fn code_blocks_and_attributes_open_no_section() {
        let lines = [
            " Counts words.",
            "",
            " ```",
            " # use kfp::prelude::*;",
            " #[derive(Debug)]",
            " struct Words;",
            " Args:",
            " ```",
            " #not a heading either",
            "",
            " # Arguments",
            "",
            " * `text` - What to count.",
        ];
        let doc = parse(&lines);
        let description = "Counts words.\n\n```\n# use kfp::prelude::*;\n#[derive(Debug)]\nstruct Words;\nArgs:\n```\n#not a heading either";
        assert_eq!(doc.description.as_deref(), Some(description));
        assert_eq!(doc.arg("text"), Some("What to count."));
    }

    #[test]
    fn a_doc_without_sections_is_all_description() {
        let doc = parse(&[" One line.", "", " Note: not a section."]);
        assert_eq!(doc.description.as_deref(), Some("One line.\n\nNote: not a section."));
        assert!(doc.args.is_empty() && doc.returns.is_empty());
        assert_eq!(parse(&[]), Docstring::default());
    }
}
