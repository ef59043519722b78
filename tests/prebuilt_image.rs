//! `examples/prebuilt_image`, built as a user builds it (a nested `cargo build`,
//! own target directory under target/tmp, offline): its binary compiles the
//! pipeline, whose prebuilt-image component runs that very binary
//! (`word-stats component "Count matches" ...`) with the arguments an
//! embedded-source component gets; the Workflow runs with the binary on PATH
//! (the runner ignores images); the dispatch writes its outputs or fails with
//! the component's message; `run-local NAME` runs the pipeline in process.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kfp::argo::Workflow;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn work_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("prebuilt_image")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A copy of the example pointing at this repository, built; its binary.
fn build_example() -> PathBuf {
    let example = Path::new(REPO).join("examples/prebuilt_image");
    let dir = work_dir().join("crate");
    let _ = std::fs::remove_dir_all(&dir);
    for file in ["Cargo.toml", "src/lib.rs", "src/main.rs"] {
        let to = dir.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        let text = std::fs::read_to_string(example.join(file)).unwrap();
        // The copy lives elsewhere: point its kfp dependency at this repository.
        let text = text.replace("path = \"../..\"", &format!("path = {REPO:?}"));
        std::fs::write(&to, text).unwrap();
    }
    // The repository's lock file: the same versions, nothing to download.
    std::fs::copy(Path::new(REPO).join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = work_dir().join("target");
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    cargo.current_dir(&dir).args(["build", "--offline"]).env("CARGO_TARGET_DIR", &target);
    // Not the outer build's settings: the nested build is a user's build.
    cargo.env_remove("RUSTFLAGS").env_remove("CARGO_ENCODED_RUSTFLAGS");
    let built = cargo.output().expect("run cargo");
    assert!(built.status.success(), "{}", stderr(&built));
    target.join("debug").join(format!("word-stats{}", std::env::consts::EXE_SUFFIX))
}

/// PATH with the binary's directory first, as in the image.
fn path_with(binary: &Path) -> std::ffi::OsString {
    let mut dirs = vec![binary.parent().unwrap().to_path_buf()];
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(dirs).unwrap()
}

/// One test: the cases share the built binary.
#[test]
fn prebuilt_image_example() {
    let binary = build_example();
    let workflow = compiled_pipeline_runs_the_binary(&binary);
    workflow_runs_with_the_binary_on_path(&binary, &workflow);
    dispatch_writes_outputs_and_fails_with_the_message(&binary);
    pipeline_runs_in_process_by_name(&binary);
}

fn compiled_pipeline_runs_the_binary(binary: &Path) -> PathBuf {
    let file = work_dir().join("word-stats.yaml");
    let compiled = Command::new(binary).args(["compile", "word stats", "-o"]).arg(&file).output().unwrap();
    assert!(compiled.status.success(), "{}", stderr(&compiled));
    let workflow = Workflow::from_yaml(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let template =
        |name: &str| workflow.spec.templates.iter().find(|t| t.name == name).unwrap().container.clone().unwrap();

    let prebuilt = template("count-matches");
    assert_eq!(prebuilt.image.as_deref(), Some("ghcr.io/example/word-stats:0.1.0"));
    assert_eq!(prebuilt.command.as_deref().unwrap(), ["word-stats", "component", "Count matches"]);
    assert_eq!(
        prebuilt.args.as_deref().unwrap(),
        [
            "--text",
            "{{inputs.parameters.text}}",
            "--pattern",
            "{{inputs.parameters.pattern}}",
            "----output-paths",
            "/tmp/outputs/Output/data"
        ]
    );
    // The embedded-source component of the same pipeline ships its program.
    let embedded = template("double");
    assert_eq!(embedded.command.as_deref().unwrap()[..2], ["sh", "-ec"]);
    assert_eq!(embedded.args.as_deref().unwrap()[0], "--value");
    file
}

fn workflow_runs_with_the_binary_on_path(binary: &Path, workflow: &Path) {
    let run_dir = work_dir().join("workflow-run");
    let _ = std::fs::remove_dir_all(&run_dir);
    let ran = Command::new(binary)
        .args(["run-local"])
        .arg(workflow)
        .args(["-p", "text=The cat and THE dog, 42 times", "--json", "--run-dir"])
        .arg(&run_dir)
        .env("PATH", path_with(binary))
        .output()
        .unwrap();
    assert!(ran.status.success(), "{}\n{}", stdout(&ran), stderr(&ran));
    let report: serde_json::Value = serde_json::from_str(&stdout(&ran)).unwrap();
    let output = |task: &str, name: &str| {
        let tasks = report["tasks"].as_array().unwrap();
        let task = tasks.iter().find(|t| t["id"] == task).unwrap_or_else(|| panic!("no task {task}: {report}"));
        task["outputs"][name].as_str().unwrap().to_owned()
    };
    // The, cat, and, the, dog, times: six words of letters only.
    assert_eq!(output("count-matches", "count-matches-Output"), "6");
    assert_eq!(output("double", "double-Output"), "12");
}

fn dispatch_writes_outputs_and_fails_with_the_message(binary: &Path) {
    let out = work_dir().join("dispatch/outputs/Output/data");
    let _ = std::fs::remove_dir_all(work_dir().join("dispatch"));
    let ran = Command::new(binary)
        .args(["component", "Count matches", "--text", "one two 3", "--pattern", "^[a-z]+$", "----output-paths"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(ran.status.success(), "{}", stderr(&ran));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "2");

    // By Rust name too; a bad pattern fails with the component's error, as its container would.
    let failed = Command::new(binary)
        .args(["component", "count_matches", "--text", "x", "--pattern", "(", "----output-paths"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(stderr(&failed).contains("Count matches: pattern `(`"), "{}", stderr(&failed));

    // A missing input is the wire code's error.
    let missing = Command::new(binary)
        .args(["component", "Count matches", "--text", "x", "----output-paths"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("--pattern"), "{}", stderr(&missing));

    // An unknown component names the known ones.
    let unknown = Command::new(binary).args(["component", "nope"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("this program has: `Count matches`"), "{}", stderr(&unknown));
    let listed = Command::new(binary).arg("component").output().unwrap();
    assert_eq!(stdout(&listed), "Count matches\tword_stats::count_matches\tghcr.io/example/word-stats:0.1.0\n");
}

fn pipeline_runs_in_process_by_name(binary: &Path) {
    let run_dir = work_dir().join("in-process-run");
    let _ = std::fs::remove_dir_all(&run_dir);
    let ran = Command::new(binary)
        .args(["run-local", "word stats", "-p", "text=a b c", "-p", "pattern=^[ab]$", "--run-dir"])
        .arg(&run_dir)
        .output()
        .unwrap();
    assert!(ran.status.success(), "{}\n{}", stdout(&ran), stderr(&ran));
    assert!(stdout(&ran).contains("double-Output=4"), "{}", stdout(&ran));
}
