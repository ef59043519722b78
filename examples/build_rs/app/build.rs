//! Compiles every pipeline of `build-rs-pipelines` to Argo Workflow YAML in
//! OUT_DIR (and, when KFP_PIPELINES_DIR is set, into that directory too, for a
//! checked-in copy); with KFP_TARGET=v2, to KFP v2 pipeline IR instead. An invalid
//! pipeline fails the build with the compiler's message.
//!
//! Reruns only when the pipelines change: cargo rebuilds this script when its
//! build-dependency `build-rs-pipelines` changes, and `rerun-if-changed=build.rs`
//! stops cargo from rerunning it for every other file of this package.

use std::path::PathBuf;

// Link the pipeline library: its `#[pipeline]`s register themselves.
use build_rs_pipelines as _;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=KFP_PIPELINES_DIR");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    println!("cargo:rerun-if-env-changed=KFP_TARGET");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let checked_in = std::env::var_os("KFP_PIPELINES_DIR").map(PathBuf::from);
    let pipelines = kfp::pipelines();
    if pipelines.is_empty() {
        fail("no pipelines found: is build-rs-pipelines linked?".to_owned());
    }
    let target = match std::env::var("KFP_TARGET") {
        Ok(target) => target.parse().unwrap_or_else(|error: String| fail(format!("KFP_TARGET: {error}"))),
        Err(_) => kfp::Target::V1,
    };
    let compiler = kfp::Compiler::new().target(target);
    for entry in pipelines {
        let file = format!("{}.yaml", entry.ident());
        let yaml = match compiler.compile_to_string(entry.pipeline()) {
            Ok(yaml) => yaml,
            Err(error) => fail(format!("cannot compile {}: {error}", entry.rust_path())),
        };
        write(&out_dir.join(&file), &yaml);
        if let Some(dir) = &checked_in {
            write(&dir.join(&file), &yaml);
        }
    }
}

fn write(path: &std::path::Path, text: &str) {
    if let Some(dir) = path.parent() {
        if let Err(error) = std::fs::create_dir_all(dir) {
            fail(format!("cannot create {}: {error}", dir.display()));
        }
    }
    if let Err(error) = std::fs::write(path, text) {
        fail(format!("cannot write {}: {error}", path.display()));
    }
}

/// Stops the build; cargo shows this script's stderr under "failed to run custom build command".
fn fail(message: String) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}
