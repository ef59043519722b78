//! Shared helpers for the root crate's integration tests (`mod common;` in each test file).
//!
//! - [`fixtures`]: the vendored reference files (goldens, Argo schema, KFP API, KFP UI) and `skip`;
//! - [`equiv`]: `equivalence_diffs` / `assert_equivalent`, the README's "Equivalent means";
//! - [`ir_equiv`]: `ir_equivalence_diffs` / `assert_ir_equivalent`, the KFP v2 IR's "Equivalent means (IR)";
//! - [`schema`]: `schema_violations` / `assert_schema_valid` against the strict Argo schema;
//! - [`swagger`], [`api_server`]: the KFP API's swagger and a local server built from it.
//! - [`kfp_local`]: kfp 2's local runner (`kfp.local`) running a Python pipeline, and its values compared.
//!
//! Everything is re-exported here: `common::assert_equivalent(...)`.
#![allow(dead_code)]

pub mod equiv;
pub mod fixtures;
pub mod ir_equiv;
pub mod schema;

#[allow(unused_imports)]
pub use equiv::{assert_component_file_matches_kfp, assert_equivalent, equivalence_diffs, format_diffs, parse_yaml};
#[allow(unused_imports)]
pub use fixtures::{
    fixtures_dir, golden_dir, golden_files, ir_golden_dir, ir_golden_files, kfp2_python, kfp_ui_dir, read_fixture,
    read_golden, schema_path, skip, swagger_path, KFP2_NOT_INSTALLED, KFP_NOT_INSTALLED,
};
#[allow(unused_imports)]
pub use ir_equiv::{assert_ir_equivalent, ir_equivalence_diffs, parse_ir_documents};
#[allow(unused_imports)]
pub use schema::{assert_schema_valid, schema_violations};
pub mod api_server;
pub mod kfp_local;
pub mod run;
pub mod swagger;
