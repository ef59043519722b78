//! Source files have one job each (ARCHITECTURE.md, "Files have one job").
//!
//! Walks the sources of kfp-core, kfp-macros and kfp (test files left out: `tests.rs` and anything under a `tests/`
//! directory) and fails naming each file over 1,200 lines, and each file over 800 lines whose first line is not a
//! `//!` comment saying why it is long (the word "long" in it).

use std::path::{Path, PathBuf};

/// A file over this many lines needs a first line saying why.
const EXPLAINED_ABOVE: usize = 800;
/// No file may be longer than this.
const MAX_LINES: usize = 1200;

/// What is wrong with one file (`shown` is its path for the message), if anything.
fn problem(shown: &str, text: &str) -> Option<String> {
    let lines = text.lines().count();
    let first = text.lines().next().unwrap_or_default();
    let explained = first.starts_with("//!") && first.to_lowercase().contains("long");
    if lines > MAX_LINES {
        Some(format!(
            "{shown}: {lines} lines, over {MAX_LINES}: split it into modules by job (re-export from the old module \
             to keep public paths)"
        ))
    } else if lines > EXPLAINED_ABOVE && !explained {
        Some(format!(
            "{shown}: {lines} lines, over {EXPLAINED_ABOVE}: split it into modules by job, or, where a split would \
             scatter one job, make its first line a `//!` comment saying why it is long"
        ))
    } else {
        None
    }
}

fn is_test_file(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == "tests.rs") || path.components().any(|c| c.as_os_str() == "tests")
}

/// The `.rs` files under `dir`, test files left out, sorted.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())).path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_source_file_is_too_long() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for root in ["kfp-core/src", "kfp-macros/src", "src"] {
        sources(&workspace.join(root), &mut files);
    }
    files.sort();
    let problems: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let shown = path.strip_prefix(workspace).unwrap_or(path);
            if is_test_file(shown) {
                return None;
            }
            let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            problem(&shown.display().to_string(), &text)
        })
        .collect();
    assert!(files.len() > 100, "found only {} source files: is the walk looking in the right place?", files.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn lines(first: &str, count: usize) -> String {
    std::iter::once(first).chain(std::iter::repeat_n("fn f() {}", count - 1)).collect::<Vec<_>>().join("\n") + "\n"
}

#[test]
fn long_files_are_named_unless_their_first_line_says_why() {
    assert_eq!(problem("a.rs", &lines("//! Parsing.", 800)), None);
    let unexplained = problem("a.rs", &lines("//! Parsing.", 801)).unwrap_or_default();
    assert!(unexplained.starts_with("a.rs: 801 lines, over 800:"), "{unexplained}");
    assert_eq!(problem("a.rs", &lines("//! Long: one state machine, which a split would scatter.", 1200)), None);
    // The reason must be the file's doc comment, on its first line.
    assert!(problem("a.rs", &lines("// long", 900)).is_some());
    assert!(problem("a.rs", &lines("use std::fmt; // long", 900)).is_some());
    let over = problem("a.rs", &lines("//! Long: one state machine.", 1201)).unwrap_or_default();
    assert!(over.starts_with("a.rs: 1201 lines, over 1200:"), "{over}");
}

#[test]
fn test_files_are_left_out() {
    assert!(is_test_file(Path::new("kfp-core/src/argo/tests.rs")));
    assert!(is_test_file(Path::new("kfp-core/src/input/tests/limits.rs")));
    assert!(!is_test_file(Path::new("kfp-core/src/argo/tests_support.rs")));
    assert!(!is_test_file(Path::new("kfp-core/src/run/engine.rs")));
}
