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
            let value = if is_variable(tag) {
                Some(self.get(tag).map(str::to_owned).ok_or_else(|| format!("`{{{{{tag}}}}}` has no value here")))
            } else {
                json_field(tag).map(|(variable, field)| {
                    self.field(&variable, field).map_err(|why| format!("`{{{{{tag}}}}}`: {why}"))
                })
            };
            match value {
                Some(Ok(value)) => out.push_str(&value),
                Some(Err(why)) if strict => return Err(why),
                // Text that is no tag, or a tag without a value where that is allowed: as written.
                _ => {
                    out.push_str("{{");
                    out.push_str(raw);
                    out.push_str("}}");
                }
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// Field `field` of the JSON object variable `variable` holds, as Argo substitutes it.
    fn field(&self, variable: &str, field: &str) -> Result<String, String> {
        let text = self.get(variable).ok_or_else(|| format!("`{variable}` has no value here"))?;
        let object: serde_json::Value =
            serde_json::from_str(text).map_err(|_| format!("`{variable}` is not JSON: {text}"))?;
        (object.get(field).map(json_text)).ok_or_else(|| format!("`{variable}` has no field `{field}`: {text}"))
    }
}

/// The one Argo expression local runs evaluate, `=jsonpath(inputs.parameters['x'], '$.a')`: field
/// `a` of a JSON object input (how KFP v2 IR's loop item fields are lowered); the variable and the field.
pub(crate) fn json_field(tag: &str) -> Option<(String, &str)> {
    let inner = tag.strip_prefix('=')?.trim().strip_prefix("jsonpath(")?.strip_suffix(')')?;
    let (variable, path) = inner.split_once(',')?;
    let name = variable.trim().strip_prefix("inputs.parameters['")?.strip_suffix("']")?;
    let field = path.trim().strip_prefix("'$.")?.strip_suffix('\'')?;
    is_field_name(field).then(|| (format!("inputs.parameters.{name}"), field))
}

/// Whether `name` is a field `json_field` reads: a name kfp 2 allows for a loop item's field.
pub(crate) fn is_field_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
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
