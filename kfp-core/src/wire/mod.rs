//! kfp 1.8's wire format: how values are written to and read from command
//! lines and output files.
//!
//! `support.rs` (std only) and `json.rs` (serde_json) are compiled here and
//! also shipped, as text, inside function component programs, so the host and
//! the container read and write values with the same code. A program ships
//! only the pieces of them its signature needs (`// piece:` lines).

pub mod json;
pub mod support;
#[cfg(test)]
mod tests;

// In a program, json's parent module is support's pieces; here it reads them alike.
use support::{quote, PyFloat};

/// The text of [`support`], embedded in component programs.
pub const SUPPORT_SOURCE: &str = include_str!("support.rs");
/// The text of [`json`], embedded in component programs that pass JSON.
pub const JSON_SOURCE: &str = include_str!("json.rs");
