//! Locating the `shared/` folder (conformance goldens, Argo schema) beside the repo.
//!
//! Lookup order:
//! 1. `$KFP_SHARED_DIR`, if set and non-empty. It must then be a directory: a set but
//!    wrong variable panics instead of silently skipping every conformance test.
//! 2. `<CARGO_MANIFEST_DIR>/../shared`, if it is a directory (CI clones the repo into a
//!    folder that has `shared/` beside it).
//! 3. Otherwise `None`: tests that need it call [`skip`] and return.

use std::path::{Path, PathBuf};

/// Version of the reference compiler whose output is the conformance corpus.
pub const GOLDEN_KFP_VERSION: &str = "1.8.22";

/// The `shared/` folder beside the repo, or `None` when it is absent.
pub fn shared_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("KFP_SHARED_DIR").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        assert!(dir.is_dir(), "KFP_SHARED_DIR={} is set but is not a directory", dir.display());
        return Some(dir);
    }
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("shared");
    beside.is_dir().then_some(beside)
}

/// `shared/conformance/kfp-1.8.22`: the goldens compiled by the Python kfp compiler.
pub fn golden_dir() -> Option<PathBuf> {
    shared_dir().map(|d| d.join("conformance").join(format!("kfp-{GOLDEN_KFP_VERSION}")))
}

/// `shared/argo/workflow.strict.schema.json`: the strict Argo Workflow JSON schema.
pub fn schema_path() -> Option<PathBuf> {
    shared_dir().map(|d| d.join("argo").join("workflow.strict.schema.json"))
}

/// Prints a `SKIPPED: ...` line to stderr (naming the running test). Tests call it and
/// return when something they need (usually `shared/`) is absent.
pub fn skip(reason: &str) {
    use std::io::Write as _;
    let current = std::thread::current();
    let line = match current.name() {
        Some(test) if test != "main" => format!("SKIPPED: {reason} (test {test})\n"),
        _ => format!("SKIPPED: {reason}\n"),
    };
    // Written to the stream itself, not through eprintln!, which the test
    // harness captures: a skip must be visible in a plain `cargo test`.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

fn no_shared_reason() -> String {
    format!(
        "shared/ folder not found (set KFP_SHARED_DIR or put shared/ beside the repo at {})",
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..").display()
    )
}

/// [`golden_dir`], or prints a `SKIPPED` line and returns `None`:
/// `let Some(dir) = common::golden_dir_or_skip() else { return };`
pub fn golden_dir_or_skip() -> Option<PathBuf> {
    let dir = golden_dir();
    if dir.is_none() {
        skip(&no_shared_reason());
    }
    dir
}

/// The golden Workflow files (`*.yaml` directly in [`golden_dir`]), sorted by file name.
/// Empty when `shared/` is absent.
pub fn golden_files() -> Vec<PathBuf> {
    let Some(dir) = golden_dir() else {
        return Vec::new();
    };
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read golden dir {}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("golden dir entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// The text of golden `<name>.yaml` (`name` without extension, e.g. `"add_example"`),
/// or `None` when `shared/` is absent. Panics if `shared/` is there but the file is not.
pub fn read_golden(name: &str) -> Option<String> {
    let path = golden_dir()?.join(format!("{name}.yaml"));
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read golden {}: {e}", path.display())))
}

/// [`read_golden`], or prints a `SKIPPED` line and returns `None`:
/// `let Some(golden) = common::golden_or_skip("add_example") else { return };`
pub fn golden_or_skip(name: &str) -> Option<String> {
    if golden_dir().is_none() {
        skip(&no_shared_reason());
        return None;
    }
    read_golden(name)
}
