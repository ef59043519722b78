//! The reference files the tests hold the project against, vendored in `tests/fixtures/`
//! (each folder's README names its origin, license and how to refresh it), and [`skip`]
//! for the tests that need a tool this machine may not have.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Version of the reference compiler whose output is the conformance corpus.
pub const GOLDEN_KFP_VERSION: &str = "1.8.22";

/// Why the tests that run the Python SDK skip without it.
pub const KFP_NOT_INSTALLED: &str = "kfp 1.8.22 is not installed (set KFP_PYTHON=/path/to/python with kfp==1.8.22: \
     `python3 -m venv /tmp/kfp1 && /tmp/kfp1/bin/pip install kfp==1.8.22`, or run .ci/run)";

/// Why the tests that run the KFP v2 Python SDK skip without it.
pub const KFP2_NOT_INSTALLED: &str = "kfp 2.17.3 is not installed (set KFP2_PYTHON=/path/to/python with kfp==2.17.3 \
     and kfp-kubernetes==2.17.3: `python3 -m venv /tmp/kfp2 && /tmp/kfp2/bin/pip install kfp==2.17.3 \
     kfp-kubernetes==2.17.3`, or run .ci/run)";

/// A Python interpreter with kfp 2.17.3 and kfp-kubernetes: `$KFP2_PYTHON`, else `python3` if it has them.
pub fn kfp2_python() -> Option<String> {
    let candidates = std::env::var("KFP2_PYTHON").into_iter().chain(["python3".to_owned()]);
    candidates.into_iter().find(|python| {
        std::process::Command::new(python)
            .args(["-c", "import kfp, kfp.kubernetes, sys; sys.exit(kfp.__version__ != '2.17.3')"])
            .output()
            .is_ok_and(|out| out.status.success())
    })
}

/// `tests/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

/// `tests/fixtures/kfp-1.8.22`: the goldens compiled by the Python kfp compiler.
pub fn golden_dir() -> PathBuf {
    fixtures_dir().join(format!("kfp-{GOLDEN_KFP_VERSION}"))
}

/// `tests/fixtures/argo/workflow.strict.schema.json`: the strict Argo Workflow JSON schema.
pub fn schema_path() -> PathBuf {
    fixtures_dir().join("argo").join("workflow.strict.schema.json")
}

/// `tests/fixtures/kfp-api/kfp_api_single_file.swagger.json`: the KFP v1beta1 REST API.
pub fn swagger_path() -> PathBuf {
    fixtures_dir().join("kfp-api").join("kfp_api_single_file.swagger.json")
}

/// `tests/fixtures/kfp-ui`: the KFP UI's graph parser, to be built with npm.
pub fn kfp_ui_dir() -> PathBuf {
    fixtures_dir().join("kfp-ui")
}

/// The text of a fixture, or a panic naming the file and where the fixtures come from.
pub fn read_fixture(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (tests/fixtures is part of the repository; its README files say how to refresh it)",
            path.display()
        )
    })
}

/// The golden Workflow files (`*.yaml` directly in [`golden_dir`]), sorted by file name.
pub fn golden_files() -> Vec<PathBuf> {
    let dir = golden_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read golden dir {}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("golden dir entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no golden *.yaml in {}", dir.display());
    files
}

/// Version of the reference compiler of KFP v2's pipeline IR, whose output is in [`ir_golden_dir`].
pub const IR_GOLDEN_KFP_VERSION: &str = "2.17.3";

/// `tests/fixtures/kfp-2.17.3`: pipeline IR files compiled by the Python kfp 2 compiler, each
/// beside the `.py` it was compiled from.
pub fn ir_golden_dir() -> PathBuf {
    fixtures_dir().join(format!("kfp-{IR_GOLDEN_KFP_VERSION}"))
}

/// The pipeline IR goldens (`*.yaml` in [`ir_golden_dir`]), sorted by file name.
pub fn ir_golden_files() -> Vec<PathBuf> {
    let dir = ir_golden_dir();
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read IR golden dir {}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("IR golden dir entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no IR golden *.yaml in {}", dir.display());
    files
}

/// The text of golden `<name>.yaml` (`name` without extension, e.g. `"add_example"`).
pub fn read_golden(name: &str) -> String {
    read_fixture(&golden_dir().join(format!("{name}.yaml")))
}

/// Prints a `SKIPPED: ...` line to stderr (naming the running test) and, when
/// `KFP_SKIP_LOG` names a file (scripts/test sets it), appends the reason to it for the
/// run's summary. Tests call it and return when a tool they need is absent.
pub fn skip(reason: &str) {
    let current = std::thread::current();
    let test = current.name().filter(|name| *name != "main");
    let line = match test {
        Some(test) => format!("SKIPPED: {reason} (test {test})\n"),
        None => format!("SKIPPED: {reason}\n"),
    };
    // Written to the stream itself, not through eprintln!, which the test
    // harness captures: a skip must be visible in a plain `cargo test`.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
    if let Some(log) = std::env::var_os("KFP_SKIP_LOG").filter(|log| !log.is_empty()) {
        let binary = std::env::args().next().unwrap_or_default();
        let binary = Path::new(&binary).file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let flat = |text: &str| text.replace(['\t', '\n'], " ");
        // One line per write, appended: the tests of a binary skip from several threads.
        let record = format!("{}\t{} {}\n", flat(reason), binary, test.unwrap_or(""));
        let written = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&log)
            .and_then(|mut file| file.write_all(record.as_bytes()));
        if let Err(e) = written {
            panic!("KFP_SKIP_LOG={}: cannot record a skip: {e}", Path::new(&log).display());
        }
    }
}
