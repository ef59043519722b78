//! The names the generated code gives things, from the user's names: below
//! `ast`, `expand` and `fallback`, which all name outputs alike.

/// kfp 1.8's input/output name of a file parameter, and its flag's: `model_path` ->
/// `model` (kfp 2 keeps `model_path`, which the IR compiler writes).
pub fn io_name(name: &str) -> &str {
    ["_path", "_file"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .filter(|stem| !stem.is_empty())
        .unwrap_or(name)
}

/// A type's name from a function's: `train_model` -> `TrainModel`.
pub fn camel_case(name: &str) -> String {
    name.split('_')
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
        .collect()
}
