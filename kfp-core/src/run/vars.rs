//! `{{...}}` substitution: Argo's variable tags replaced by their values.
//!
//! Only tags that are variable paths are touched (`inputs.parameters.x`,
//! `item`, `tasks.t.outputs.parameters.p`), as Argo does: a tag with spaces or
//! quotes, or a bare word such as `{{x}}`, is text (source code inside a
//! command often has them) and stays as written.

use std::collections::BTreeMap;

/// The values of the variables visible at one place of the workflow.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scope {
    values: BTreeMap<String, String>,
}

impl Scope {
    /// Sets variable `name` (`inputs.parameters.x`) to `value`.
    pub(crate) fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.values.insert(name.into(), value.into());
    }

    /// The value of variable `name`, if set.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// `text` with every variable tag replaced; `Err` names the first tag that has no value.
    pub(crate) fn substitute(&self, text: &str) -> Result<String, String> {
        self.replace(text, true)
    }

    /// `text` with the variable tags that have a value here replaced, and the
    /// others left as written (Argo's substitution of globals alone).
    pub(crate) fn substitute_known(&self, text: &str) -> String {
        self.replace(text, false).unwrap_or_else(|_| text.to_owned())
    }

    /// `strict`: a variable without a value is an error, else it stays as written.
    fn replace(&self, text: &str, strict: bool) -> Result<String, String> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else { break };
            out.push_str(&rest[..start]);
            let raw = &after[..end];
            let tag = raw.trim();
            let value = if is_variable(tag) { self.get(tag) } else { None };
            if let Some(value) = value {
                out.push_str(value);
            } else if strict && is_variable(tag) {
                return Err(format!("`{{{{{tag}}}}}` has no value here"));
            } else {
                out.push_str("{{");
                out.push_str(raw);
                out.push_str("}}");
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// Whether a tag's text is a variable Argo substitutes: a dotted path, or one
/// of the variables that are a single word.
pub(crate) fn is_variable(tag: &str) -> bool {
    let Some(first) = tag.chars().next() else { return false };
    let path_like = (first.is_ascii_alphabetic() || first == '_')
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '[' | ']'));
    path_like && (tag.contains('.') || matches!(tag, "item" | "retries"))
}

/// Every variable tag in `text` (trimmed), and `{{=...}}` expression tags as written.
pub(crate) fn tags(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || loop {
        let start = rest.find("{{")?;
        let after = &rest[start + 2..];
        let end = after.find("}}")?;
        let tag = after[..end].trim();
        rest = &after[end + 2..];
        if is_variable(tag) || tag.starts_with('=') {
            return Some(tag);
        }
    })
}

/// The text Argo substitutes for a JSON value: strings as they are, anything
/// else as compact JSON (`100`, `true`, `{"a":1}`).
pub(crate) fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
