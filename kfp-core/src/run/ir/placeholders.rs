//! kfp 2's structured placeholders in a container's command and args, resolved as kfp's local
//! runner resolves them (`kfp.local`'s `placeholder_utils.resolve_struct_placeholders`), before
//! the `{{$...}}` placeholders inside them: `IfPresent` (`{"IfPresent": {"InputName": ..., "Then":
//! ..., "Else": ...}}`) stands for its `Then` when the task has the input and for its `Else` (nothing
//! without one) when not, each a word, a list of words or another placeholder; `Concat`
//! (`{"Concat": [...]}`, kfp's `ConcatPlaceholder` and a loaded component's `concat`) is its items
//! joined into one word, an `IfPresent` among them giving one word or none.

use serde_json::Value;

/// The words a command or args word stands for, `present` telling which inputs the task has.
pub(super) fn expand(word: &str, present: &dyn Fn(&str) -> bool) -> Result<Vec<String>, String> {
    match structured(word) {
        Some(value) => words(&value, present),
        None => Ok(vec![word.to_owned()]),
    }
}

/// The placeholder `word` holds: a JSON object whose one key is `Concat` or `IfPresent`.
fn structured(word: &str) -> Option<Value> {
    if !word.trim_start().starts_with('{') {
        return None;
    }
    let value: Value = serde_json::from_str(word).ok()?;
    let object = value.as_object()?;
    (object.len() == 1 && object.keys().all(|key| key == "Concat" || key == "IfPresent")).then_some(value)
}

/// The words `value` (a word, or a placeholder as JSON) stands for.
fn words(value: &Value, present: &dyn Fn(&str) -> bool) -> Result<Vec<String>, String> {
    match value {
        Value::String(text) => Ok(vec![text.clone()]),
        Value::Object(object) if object.contains_key("Concat") => Ok(vec![concat(&object["Concat"], present)?]),
        Value::Object(object) if object.contains_key("IfPresent") => match branch(&object["IfPresent"], present)? {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::String(_) | Value::Object(_) => out.extend(words(item, present)?),
                        other => return Err(format!("an `IfPresent` branch holds `{other}`, which is no argument")),
                    }
                }
                Ok(out)
            }
            Some(other) => words(other, present),
        },
        other => Err(format!("`{other}` is no argument (a word, `Concat` or `IfPresent`)")),
    }
}

/// The word a `Concat`'s `items` make, joined.
fn concat(items: &Value, present: &dyn Fn(&str) -> bool) -> Result<String, String> {
    let items = items.as_array().ok_or_else(|| format!("a `Concat` placeholder's items are `{items}`, not a list"))?;
    let mut out = String::new();
    for item in items {
        out.push_str(&one(item, present)?.unwrap_or_default());
    }
    Ok(out)
}

/// The word an item of a `Concat` stands for; none for an `IfPresent` without the branch taken.
fn one(value: &Value, present: &dyn Fn(&str) -> bool) -> Result<Option<String>, String> {
    match value {
        Value::String(text) => Ok(Some(text.clone())),
        Value::Object(object) if object.contains_key("Concat") => Ok(Some(concat(&object["Concat"], present)?)),
        Value::Object(object) if object.contains_key("IfPresent") => {
            // As kfp's `IfPresentPlaceholder` refuses it, whichever branch the task takes: a list
            // cannot be part of one word.
            let body = &object["IfPresent"];
            if ["Then", "Else"].iter().any(|key| body.get(key).is_some_and(Value::is_array)) {
                return Err(format!(
                    "an `IfPresent` inside a `Concat` has a list for `Then` or `Else` (`{value}`): inside a `Concat` each branch is one word or placeholder"
                ));
            }
            branch(body, present)?.map_or(Ok(None), |taken| one(taken, present))
        }
        other => Err(format!("a `Concat` placeholder holds `{other}`, which is no word or placeholder")),
    }
}

/// The branch of an `IfPresent`'s body that applies: its `Then` when the task has its input, else
/// its `Else`, if any.
fn branch<'v>(body: &'v Value, present: &dyn Fn(&str) -> bool) -> Result<Option<&'v Value>, String> {
    let input = body
        .get("InputName")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("an `IfPresent` placeholder without its `InputName`: `{body}`"))?;
    Ok(body.get(if present(input) { "Then" } else { "Else" }).filter(|value| !value.is_null()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(input: &str) -> bool {
        input == "x"
    }

    #[test]
    fn if_present_takes_the_branch_of_the_input() {
        let word =
            r#"{"IfPresent": {"InputName": "x", "Then": ["--x", "{{$.inputs.parameters['x']}}"], "Else": ["none"]}}"#;
        assert_eq!(expand(word, &|_| true).unwrap(), ["--x", "{{$.inputs.parameters['x']}}"]);
        assert_eq!(expand(word, &|_| false).unwrap(), ["none"]);
        let without_else = r#"{"IfPresent": {"InputName": "x", "Then": ["--x"]}}"#;
        assert!(expand(without_else, &|_| false).unwrap().is_empty());
        assert_eq!(expand("plain", &|_| false).unwrap(), ["plain"]);
        assert!(expand(r#"{"IfPresent": {"Then": []}}"#, &|_| true).unwrap_err().contains("InputName"));
        // kfp writes a single `then` as itself, not a list.
        let single = r#"{"IfPresent": {"InputName": "y", "Then": "--y", "Else": "no-y"}}"#;
        assert_eq!(expand(single, &given).unwrap(), ["no-y"]);
    }

    #[test]
    fn concat_joins_its_items_into_one_word_with_if_present_and_concat_inside() {
        let word = r#"{"Concat": ["prefix-", "{{$.inputs.parameters['text1']}}", "-", "Grüß"]}"#;
        assert_eq!(expand(word, &given).unwrap(), ["prefix-{{$.inputs.parameters['text1']}}-Grüß"]);
        let nested = r#"{"Concat": ["--x=", {"IfPresent": {"InputName": "x", "Then": {"Concat": ["a", "b"]}}},
            {"IfPresent": {"InputName": "y", "Then": "y"}}, {"IfPresent": {"InputName": "y", "Then": "y", "Else": "!"}}]}"#;
        assert_eq!(expand(nested, &given).unwrap(), ["--x=ab!"]);
        let in_branch = r#"{"IfPresent": {"InputName": "x", "Then": ["--x", {"Concat": ["=", "1"]},
            {"IfPresent": {"InputName": "x", "Then": ["in"]}}]}}"#;
        assert_eq!(expand(in_branch, &given).unwrap(), ["--x", "=1", "in"]);
        let list_in_concat = r#"{"Concat": [{"IfPresent": {"InputName": "x", "Then": ["a", "b"]}}]}"#;
        assert!(expand(list_in_concat, &given).unwrap_err().contains("inside a `Concat`"));
        // Refused whether or not the task has the input.
        assert!(expand(list_in_concat, &|_| false).unwrap_err().contains("inside a `Concat`"));
        assert!(expand(r#"{"Concat": "a"}"#, &given).unwrap_err().contains("not a list"));
        assert!(expand(r#"{"Concat": [1]}"#, &given).unwrap_err().contains("no word"));
        // JSON that is no placeholder is a word like any other.
        assert_eq!(expand(r#"{"a": 1}"#, &given).unwrap(), [r#"{"a": 1}"#]);
    }
}
