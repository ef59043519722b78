//! Components and a pipeline. `count_matches` is a prebuilt-image component:
//! it uses this crate's `words` helper and the `regex-lite` dependency, which
//! an embedded-source component could not; its container runs this crate's
//! binary (`word-stats component "Count matches" ...`). `double` is an
//! embedded-source component: its source travels in the Workflow and is built
//! in a stock Rust image.

use kfp::prelude::*;

/// The words of `text`, lowercased: an ordinary helper of the crate.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_lowercase)
}

/// Counts the words of a text that match a regular expression.
///
/// The image is the one `Dockerfile` builds; push it where your cluster pulls from.
#[component(image = "ghcr.io/example/word-stats:0.1.0")]
pub fn count_matches(text: String, pattern: String) -> Result<i64, String> {
    let regex = regex_lite::Regex::new(&pattern).map_err(|error| format!("pattern `{pattern}`: {error}"))?;
    Ok(crate::words(&text).filter(|word| regex.is_match(word)).count() as i64)
}

/// Doubles a number.
#[component]
pub fn double(value: i64) -> i64 {
    value * 2
}

/// Counts the words that match, then doubles the count.
#[pipeline(name = "word stats")]
pub fn word_stats(text: String, #[default("^[a-z]+$")] pattern: String) {
    let count = count_matches_op(text, pattern);
    double_op(count.output());
}
