//! Reading YAML and JSON text you cannot trust (Workflows, component.yaml,
//! pipeline packages) in time linear in its size.
//!
//! serde_yaml's parser (libyaml) keeps a possible key per open flow collection
//! (`[`, `{`) and walks all of them on every token, so `[[[[...` costs the
//! square of its depth: 100 KB of it took 28 s. serde_yaml's own nesting limit
//! applies only after that whole scan. And serde_yaml copies an alias's node
//! each time it is used, so aliases of aliases (a "billion laughs") grow the
//! text exponentially. [`check_yaml`] runs before the parser: a scanner that
//! finds the tokens exactly where libyaml does (quoted and block scalars,
//! comments and plain scalars are skipped as libyaml reads them, so a program
//! in a `|` block is never read as structure) and refuses
//!
//! - nesting deeper than [`MAX_NESTING`] lists and mappings;
//! - aliases that repeat more nodes than [`MIN_ALIAS_NODES`] or one per byte
//!   of the text, whichever is more, or more text than [`MIN_ALIAS_BYTES`] or
//!   [`ALIAS_BYTES_PER_BYTE`] times the text, whichever is more.
//!
//! Where libyaml would stop with a syntax error the scan stops too and leaves
//! the message to the parser. JSON read with serde_json needs no check: it is
//! linear and stops at 128 levels itself.

mod scanner;
#[cfg(test)]
mod tests;

use serde::de::DeserializeOwned;

use scanner::{Halt, Scanner};

/// The deepest nesting of lists and mappings accepted (serde_json's and
/// serde_yaml's own limit; kfp's files nest about 20 deep).
pub const MAX_NESTING: usize = 128;

/// Aliases may always repeat this many nodes in all, however short the text.
pub const MIN_ALIAS_NODES: u64 = 100_000;

/// Aliases may always repeat this many bytes of scalar text in all.
pub const MIN_ALIAS_BYTES: u64 = 64 << 20;

/// Aliases may repeat this many bytes of scalar text per byte of the text (a
/// compiled Workflow repeats each component's program through aliases, about 5
/// times its size in kfp's shape).
pub const ALIAS_BYTES_PER_BYTE: u64 = 16;

/// Text refused before parsing: where (1-based, as serde_yaml counts) and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{problem} at line {line} column {column}")]
pub struct InputError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and what is accepted.
    pub problem: String,
}

/// A YAML (or JSON) text that cannot be read: refused by [`check_yaml`] or by
/// serde_yaml. Displays as serde_yaml's errors do, `message at line L column C`.
#[derive(Debug, thiserror::Error)]
pub enum YamlError {
    /// Refused before parsing.
    #[error(transparent)]
    Refused(#[from] InputError),
    /// serde_yaml's error: syntax, or not the expected shape.
    #[error(transparent)]
    Parse(#[from] serde_yaml::Error),
}

impl YamlError {
    /// 1-based line and column, when known.
    pub fn location(&self) -> Option<(usize, usize)> {
        match self {
            YamlError::Refused(error) => Some((error.line, error.column)),
            YamlError::Parse(error) => error.location().map(|location| (location.line(), location.column())),
        }
    }
}

/// [`check_yaml`], then `serde_yaml::from_str`.
pub fn from_yaml<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    check_yaml(text)?;
    Ok(serde_yaml::from_str(text)?)
}

/// Refuses YAML (or JSON) text whose parsing would not be linear in its size:
/// nesting deeper than [`MAX_NESTING`], or aliases repeating more than the
/// limits above. Syntax errors are left to the parser.
pub fn check_yaml(text: &str) -> Result<(), InputError> {
    match Scanner::new(text.as_bytes(), MAX_NESTING).run() {
        Ok(()) | Err(Halt::SyntaxError) => Ok(()),
        Err(Halt::Refused(error)) => Err(error),
    }
}
