//! Artifacts' metadata in local runs of KFP v2 IR, as kfp's local runner (`kfp.local`) carries
//! it: what a task's executor output records for an output artifact follows the artifact to each
//! task taking it, in that task's executor input and in its input artifact metadata placeholders
//! (`{{$.inputs.artifacts['x'].metadata}}`, `{{$.inputs.artifacts['x'].metadata['key']}}`); for
//! an input that is a list of artifacts, the first artifact's, as kfp.local's
//! `placeholder_utils` reads `artifacts[0]` of every input artifact.
//! kfp.local keeps metadata as a protobuf `Struct`, so its numbers are doubles (`5` is `5.0`), and
//! writes a placeholder's value with Python's `json.dumps`; both are done here the same way.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{Map, Value};

use super::vars::Scope;

/// The metadata recorded for each artifact of the run, by the file the artifact is.
#[derive(Debug, Default)]
pub(crate) struct ArtifactMetadata {
    recorded: Mutex<HashMap<PathBuf, Value>>,
}

impl ArtifactMetadata {
    /// Records `metadata` (a JSON object) for the artifact at `path`, replacing what was there (a
    /// retried task writes its artifact again).
    pub(crate) fn record(&self, path: &Path, metadata: Value) {
        self.recorded.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(path.to_path_buf(), metadata);
    }

    /// The metadata of the artifact at `path`, as kfp.local gives it to a task taking it: its numbers
    /// doubles; an artifact none was recorded for has the empty object.
    pub(crate) fn of(&self, path: &Path) -> Value {
        let recorded = self.recorded.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        recorded.get(path).cloned().map_or_else(|| Value::Object(Map::new()), doubles)
    }
}

/// The variable a task's scope holds input artifact `name`'s metadata in, as JSON.
pub(crate) fn variable(name: &str) -> String {
    format!("inputs.artifacts.{name}.metadata")
}

/// `value` with every number a double, as a protobuf `Struct` holds it.
fn doubles(value: Value) -> Value {
    match value {
        Value::Number(number) => {
            number.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(doubles).collect()),
        Value::Object(fields) => Value::Object(fields.into_iter().map(|(key, value)| (key, doubles(value))).collect()),
        other => other,
    }
}

/// `argv` with each input artifact metadata placeholder filled from the task's `scope` (and, for
/// an input that is a list of artifacts, the metadata `recorded` for its first artifact), as
/// kfp.local fills it: the whole metadata, or one key's value (a string as it is, anything else as
/// JSON), each written by Python's `json.dumps`; `null` for an artifact the task is not given or a
/// key its metadata has not. `Err` names an empty list's placeholder, which kfp.local fails on.
pub(crate) fn fill(argv: &mut [String], scope: &Scope, recorded: &ArtifactMetadata) -> Result<(), String> {
    const START: &str = "{{$.inputs.artifacts[";
    for word in argv.iter_mut().filter(|word| word.contains(START)) {
        let mut out = String::new();
        let mut rest = word.as_str();
        while let Some(start) = rest.find(START) {
            out.push_str(&rest[..start]);
            let after = &rest[start..];
            let resolved = match after.find("}}") {
                Some(end) => resolve(&after[START.len()..end], scope, recorded)?.map(|value| (end, value)),
                None => None,
            };
            match resolved {
                Some((end, value)) => {
                    out.push_str(&value);
                    rest = &after[end + 2..];
                }
                None => {
                    out.push_str(START);
                    rest = &after[START.len()..];
                }
            }
        }
        out.push_str(rest);
        *word = out;
    }
    Ok(())
}

/// The text of the placeholder whose inside after `inputs.artifacts[` is `inner`
/// (`'x'].metadata['key']`), if it is an input artifact metadata placeholder.
fn resolve(inner: &str, scope: &Scope, recorded: &ArtifactMetadata) -> Result<Option<String>, String> {
    let Some((name, tail)) = quoted(inner) else { return Ok(None) };
    let Some(tail) = tail.strip_prefix(']').and_then(|tail| tail.strip_prefix(".metadata")) else { return Ok(None) };
    let metadata = match scope.get(&variable(name)) {
        Some(text) => serde_json::from_str(text).ok(),
        // A list input is the JSON list of its artifacts' paths (`run::ir::artifact_list`).
        None => match scope.get(&format!("inputs.parameters.{name}")) {
            Some(listed) => Some(first_of_list(name, listed, recorded)?),
            None => None,
        },
    };
    if tail.is_empty() {
        return Ok(Some(metadata.as_ref().map_or_else(|| "null".to_owned(), python_json)));
    }
    let Some((key, "]")) = tail.strip_prefix('[').and_then(quoted) else { return Ok(None) };
    Ok(Some(match metadata.as_ref().and_then(|metadata| metadata.get(key)) {
        Some(Value::String(text)) => text.clone(),
        Some(value) => python_json(value),
        None => "null".to_owned(),
    }))
}

/// The metadata of the first artifact of list input `name`, `listed` as the engine carries it.
fn first_of_list(name: &str, listed: &str, recorded: &ArtifactMetadata) -> Result<Value, String> {
    let paths = list_paths(listed).map_err(|problem| format!("input `{name}`: {problem}"))?;
    let first = paths.first().ok_or_else(|| {
        format!(
            "input `{name}` is an empty list of artifacts, and its metadata placeholder reads the first artifact's \
             metadata (kfp.local fails on it too): give the list at least one artifact, or read each artifact's \
             metadata in the component from the executor input"
        )
    })?;
    Ok(recorded.of(Path::new(first)))
}

/// The paths of a list of artifacts the engine carries as JSON: a loop's list, or a list of lists
/// gathered over nested loops, which is one list (kfp 2's lists of artifacts are flat), in order.
pub(crate) fn list_paths(listed: &str) -> Result<Vec<String>, String> {
    fn flatten(value: Value, paths: &mut Vec<String>) -> Result<(), String> {
        match value {
            Value::String(path) => paths.push(path),
            Value::Array(items) => items.into_iter().try_for_each(|item| flatten(item, paths))?,
            other => return Err(format!("the list of artifacts holds `{other}`, which is no path")),
        }
        Ok(())
    }
    let value: Value = serde_json::from_str(listed)
        .map_err(|error| format!("the list of artifacts is not a JSON list of paths ({error})"))?;
    if !value.is_array() {
        return Err(format!("the list of artifacts `{listed}` is not a JSON list of paths"));
    }
    let mut paths = Vec::new();
    flatten(value, &mut paths)?;
    Ok(paths)
}

/// The text inside the quotes `text` starts with, and what follows the closing quote.
fn quoted(text: &str) -> Option<(&str, &str)> {
    let quote = text.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let end = text[1..].find(quote)? + 1;
    Some((&text[1..end], &text[end + 1..]))
}

/// `value` as Python's `json.dumps` writes it: `", "` and `": "` between items, text beyond ASCII
/// as `\u` escapes, and numbers as Python writes a float (`5.0`, `1e+16`).
fn python_json(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.as_f64().map_or_else(|| number.to_string(), python_float),
        Value::String(text) => python_string(text),
        Value::Array(items) => format!("[{}]", items.iter().map(python_json).collect::<Vec<_>>().join(", ")),
        Value::Object(fields) => {
            let fields = fields.iter().map(|(key, value)| format!("{}: {}", python_string(key), python_json(value)));
            format!("{{{}}}", fields.collect::<Vec<_>>().join(", "))
        }
    }
}

/// A string as `json.dumps` quotes it (`ensure_ascii`: UTF-16 escapes beyond ASCII).
fn python_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

/// A float as Python's `repr` writes it: the shortest digits that read back the same, with a
/// point (`5.0`), and in exponent form below 1e-4 or from 1e16 (`1e-05`, `1.5e+16`).
fn python_float(float: f64) -> String {
    if !float.is_finite() {
        return if float.is_nan() {
            "NaN"
        } else if float > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }
        .to_owned();
    }
    // `{:e}` gives the shortest digits: `-1.5e-5`, `5e0`.
    let shortest = format!("{float:e}");
    let (mantissa, exponent) = shortest.split_once('e').unwrap_or((&shortest, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = mantissa.strip_prefix('-').map_or(("", mantissa), |m| ("-", m));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if !(-4..16).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{point}e{exp_sign}{:02}", exponent.abs());
    }
    if exponent < 0 {
        return format!("{sign}0.{}{digits}", "0".repeat((-exponent - 1) as usize));
    }
    let whole = exponent as usize + 1;
    if digits.len() <= whole {
        format!("{sign}{digits}{}.0", "0".repeat(whole - digits.len()))
    } else {
        format!("{sign}{}.{}", &digits[..whole], &digits[whole..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_are_written_as_python_writes_them() {
        let cases = [
            (5.0, "5.0"),
            (0.9, "0.9"),
            (-2.5, "-2.5"),
            (0.0, "0.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (123456789012345.0, "123456789012345.0"),
            (1e16, "1e+16"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (1e100, "1e+100"),
            (0.1 + 0.2, "0.30000000000000004"),
        ];
        for (float, python) in cases {
            assert_eq!(python_float(float), python, "{float}");
        }
    }

    #[test]
    fn a_list_of_artifacts_gathered_over_nested_loops_is_one_list_in_order() {
        assert_eq!(list_paths(r#"["/a", "/b"]"#).unwrap(), ["/a", "/b"]);
        assert_eq!(list_paths(r#"[["/a", "/b"], [], ["/c"]]"#).unwrap(), ["/a", "/b", "/c"]);
        assert!(list_paths(r#"[1]"#).unwrap_err().contains("`1`, which is no path"));
        assert!(list_paths("/a").unwrap_err().contains("not a JSON list of paths"));
    }

    #[test]
    fn metadata_placeholders_are_filled_as_kfp_local_fills_them() {
        let metadata = ArtifactMetadata::default();
        metadata.record(Path::new("/runs/a/data"), json!({"length": 5, "name": "Grüß 😀", "tags": ["a", true]}));
        let mut scope = Scope::default();
        scope.set(variable("data"), metadata.of(Path::new("/runs/a/data")).to_string());
        scope.set(variable("empty"), metadata.of(Path::new("/runs/b/data")).to_string());
        let mut argv = [
            "--all={{$.inputs.artifacts['data'].metadata}}",
            "{{$.inputs.artifacts['data'].metadata['length']}}/{{$.inputs.artifacts[\"data\"].metadata['name']}}",
            "{{$.inputs.artifacts['data'].metadata['missing']}} {{$.inputs.artifacts['data'].metadata['tags']}}",
            "{{$.inputs.artifacts['empty'].metadata}} {{$.inputs.artifacts['absent'].metadata}}",
            "{{$.inputs.artifacts['data'].path}}",
        ]
        .map(String::from);
        fill(&mut argv, &scope, &metadata).unwrap();
        assert_eq!(
            argv,
            [
                r#"--all={"length": 5.0, "name": "Gr\u00fc\u00df \ud83d\ude00", "tags": ["a", true]}"#,
                "5.0/Grüß 😀",
                r#"null ["a", true]"#,
                "{} null",
                "{{$.inputs.artifacts['data'].path}}",
            ]
        );
    }

    #[test]
    fn a_list_inputs_metadata_is_its_first_artifacts_as_under_kfp_local() {
        let metadata = ArtifactMetadata::default();
        metadata.record(Path::new("/runs/a/data"), json!({"n": 1}));
        metadata.record(Path::new("/runs/b/data"), json!({"n": 2}));
        let mut scope = Scope::default();
        scope.set("inputs.parameters.xs", r#"[["/runs/a/data"], ["/runs/b/data"]]"#);
        scope.set("inputs.parameters.none", "[]");
        let mut argv = ["{{$.inputs.artifacts['xs'].metadata}} {{$.inputs.artifacts['xs'].metadata['n']}}".to_owned()];
        fill(&mut argv, &scope, &metadata).unwrap();
        assert_eq!(argv, [r#"{"n": 1.0} 1.0"#]);
        let mut argv = ["{{$.inputs.artifacts['none'].metadata['n']}}".to_owned()];
        let error = fill(&mut argv, &scope, &metadata).unwrap_err();
        assert!(error.contains("input `none` is an empty list of artifacts"), "{error}");
    }
}
