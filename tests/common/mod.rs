//! Shared helpers for the root crate's integration tests (`mod common;` in each test file).
//!
//! - [`shared`]: finding `shared/` (goldens, Argo schema) and skipping when it is absent;
//! - [`equiv`]: `equivalence_diffs` / `assert_equivalent`, the README's "Equivalent means";
//! - [`schema`]: `schema_violations` / `assert_schema_valid` against the strict Argo schema.
//!
//! Everything is re-exported here: `common::assert_equivalent(...)`.
#![allow(dead_code)]

pub mod equiv;
pub mod schema;
pub mod shared;

#[allow(unused_imports)]
pub use equiv::{assert_equivalent, equivalence_diffs, format_diffs, parse_yaml};
#[allow(unused_imports)]
pub use schema::{assert_schema_valid, schema_available, schema_violations, try_schema_violations};
#[allow(unused_imports)]
pub use shared::{
    golden_dir, golden_dir_or_skip, golden_files, golden_or_skip, read_golden, schema_path, shared_dir, skip,
};
pub mod run;
pub mod swagger;
