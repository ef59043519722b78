//! The build.rs pattern of `examples/build_rs`, built as a user builds it (a
//! nested `cargo build`, own target directory under target/tmp, offline):
//! pipelines compile into OUT_DIR and optionally a checked-in directory; the
//! script does not rerun for unrelated changes but does when a pipeline changes;
//! an invalid pipeline fails the build with the compiler's message.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// Shared by runs of this test, so only the first build compiles the dependencies.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("build_rs_target")
}

fn cargo(dir: &Path, args: &[&str], envs: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command.current_dir(dir).args(args).arg("--offline").env("CARGO_TARGET_DIR", target_dir());
    // Not the outer build's settings: the nested build is a user's build.
    command.env_remove("RUSTFLAGS").env_remove("CARGO_ENCODED_RUSTFLAGS");
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().expect("run cargo")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A copy of the example workspace in a fresh directory, with `lib.rs` replaced.
fn copy_example(name: &str, lib_rs: Option<&str>) -> PathBuf {
    let example = Path::new(REPO).join("examples/build_rs");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("build_rs_{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    for file in [
        "Cargo.toml",
        "pipelines/Cargo.toml",
        "pipelines/src/lib.rs",
        "app/Cargo.toml",
        "app/build.rs",
        "app/src/main.rs",
    ] {
        let to = dir.join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        let text = std::fs::read_to_string(example.join(file)).unwrap();
        // The copy lives elsewhere: point its kfp dependency at this repository.
        let text = text.replace("path = \"../../..\"", &format!("path = {:?}", REPO));
        std::fs::write(&to, text).unwrap();
    }
    // The repository's lock file: the same versions, nothing to download.
    std::fs::copy(Path::new(REPO).join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    if let Some(lib_rs) = lib_rs {
        std::fs::write(dir.join("pipelines/src/lib.rs"), lib_rs).unwrap();
    }
    dir
}

/// One test: both cases share the target directory (and the build script's
/// artifact name), so they must not build at the same time.
#[test]
fn build_rs_example() {
    build_script_compiles_pipelines_and_reruns_only_when_they_change();
    invalid_pipeline_fails_the_build_with_the_compilers_message();
}

fn build_script_compiles_pipelines_and_reruns_only_when_they_change() {
    let dir = copy_example("ok", None);
    let checked_in = dir.join("checked-in");
    let build = cargo(&dir, &["build", "-p", "build-rs-app"], &[("KFP_PIPELINES_DIR", &checked_in)]);
    assert!(build.status.success(), "{}", stderr(&build));
    for name in ["add_then_multiply", "double"] {
        let yaml = std::fs::read_to_string(checked_in.join(format!("{name}.yaml"))).unwrap();
        let workflow = kfp::argo::Workflow::from_yaml(&yaml).unwrap();
        assert!(kfp::argo::rules::check(&workflow).is_empty());
    }
    let app = target_dir().join("debug").join(format!("build-rs-app{}", std::env::consts::EXE_SUFFIX));
    let shipped = Command::new(&app).arg("add_then_multiply").output().unwrap();
    assert!(String::from_utf8_lossy(&shipped.stdout).contains("generateName: add-then-multiply-"));

    // An unrelated file of the app: the build script does not run again.
    std::fs::write(dir.join("app/src/notes.txt"), "unrelated").unwrap();
    let again = cargo(&dir, &["build", "-p", "build-rs-app", "-v"], &[("KFP_PIPELINES_DIR", &checked_in)]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!stderr(&again).contains("build-script-build`"), "build script reran:\n{}", stderr(&again));

    // A changed pipeline: it runs again and the YAML follows.
    let lib = dir.join("pipelines/src/lib.rs");
    let changed = std::fs::read_to_string(&lib).unwrap().replace("name = \"double\"", "name = \"twice\"");
    std::fs::write(&lib, changed).unwrap();
    let rebuilt = cargo(&dir, &["build", "-p", "build-rs-app"], &[("KFP_PIPELINES_DIR", &checked_in)]);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    let yaml = std::fs::read_to_string(checked_in.join("double.yaml")).unwrap();
    assert!(yaml.contains("generateName: twice-"), "{yaml}");

    // KFP_TARGET=v2: the same pipelines as KFP v2 pipeline IR.
    let ir_dir = dir.join("checked-in-v2");
    let v2 = cargo(
        &dir,
        &["build", "-p", "build-rs-app"],
        &[("KFP_PIPELINES_DIR", &ir_dir), ("KFP_TARGET", Path::new("v2"))],
    );
    assert!(v2.status.success(), "{}", stderr(&v2));
    let ir = std::fs::read_to_string(ir_dir.join("double.yaml")).unwrap();
    let file = kfp::ir::PipelineFile::from_yaml(&ir).unwrap();
    assert_eq!(file.spec.pipeline_info.unwrap().name, "twice", "{ir}");
}

fn invalid_pipeline_fails_the_build_with_the_compilers_message() {
    let long_name = "a pipeline name much too long to be a kubernetes generate name prefix";
    let lib_rs = format!(
        "use kfp::prelude::*;\n\
         #[component]\npub fn add(a: i64, b: i64) -> i64 {{ a + b }}\n\
         #[pipeline(name = {long_name:?})]\npub fn add_then_multiply(a: i64) {{ add_op(a, a); }}\n\
         #[pipeline]\npub fn double(a: i64) {{ add_op(a, a); }}\n"
    );
    let dir = copy_example("invalid", Some(&lib_rs));
    let build = cargo(&dir, &["build", "-p", "build-rs-app"], &[]);
    assert!(!build.status.success(), "an invalid pipeline built");
    let message = stderr(&build);
    assert!(message.contains("error: cannot compile build_rs_pipelines::add_then_multiply"), "{message}");
    assert!(
        message.contains("metadata.generateName: `a-pipeline-name-much-too-long")
            && message.contains("rejected by Argo"),
        "the compiler's message is missing:\n{message}"
    );
}
