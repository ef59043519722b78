//! `compile`: the program's pipelines to Workflow YAML (kfp's `dsl-compile`), or
//! with `--target v2` to KFP v2 pipeline IR.

use std::io::Write;
use std::path::{Path, PathBuf};

use kfp_core::compiler::names::sanitize;
use kfp_core::{Compiler, RegisteredPipeline, Target};

use super::CliError;

/// Arguments of `compile`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  compile                          every pipeline into ./<name>.yaml\n  compile -o build/                every pipeline into build/<name>.yaml\n  compile \"add example\" -o add.yaml  one pipeline, by name or Rust name\n  compile --target v2 -o build/    every pipeline as KFP v2 pipeline IR"
)]
pub struct Args {
    /// The pipeline: its name, its Rust function name or Rust path (see `list`). All when absent.
    name: Option<String>,
    /// Output: the YAML file for one pipeline (default `<name>.yaml`); the directory for all (default `.`).
    /// Component files (`output_component_file`) go beside the YAML.
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    /// The cluster to compile for: `v1`, an Argo Workflow for KFP v1 (kfp 1.8's `dsl-compile`), or
    /// `v2`, pipeline IR for KFP v2 (kfp 2's compiler); component files follow the target's format.
    #[arg(long, value_name = "v1|v2", default_value_t = Target::V1)]
    target: Target,
    /// One template per component (with the same settings) instead of one per task, each task
    /// passing its values as arguments: thousands of tasks fit in Argo's 1 MiB. Default: kfp's shape.
    #[arg(long)]
    share_templates: bool,
    /// Build each Rust component's program once per run, in a step at the start, and pass the
    /// binary to its tasks as an artifact, instead of building it in every task's pod. Default: kfp's shape.
    #[arg(long)]
    build_once: bool,
    /// Refuse a Workflow over this many bytes of JSON (Argo's MAX_WORKFLOW_SIZE on your cluster).
    #[arg(long, value_name = "BYTES", default_value_t = kfp_core::argo::size::DEFAULT_MAX_WORKFLOW_BYTES)]
    max_workflow_bytes: usize,
}

pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let all = kfp_core::pipelines();
    if args.target == Target::V2 && (args.share_templates || args.build_once) {
        return Err(CliError::Invalid(
            "--share-templates and --build-once shape an Argo Workflow: leave them out with --target v2".to_owned(),
        ));
    }
    let compiler = Compiler::new()
        .target(args.target)
        .share_templates(args.share_templates)
        .build_once(args.build_once)
        .max_workflow_bytes(args.max_workflow_bytes);
    match &args.name {
        Some(name) => {
            let entry = find(name)?;
            let path = args.output.clone().unwrap_or_else(|| PathBuf::from(file_name(entry)));
            compile_one(&compiler, entry, &path, out)
        }
        None => {
            if all.is_empty() {
                return Err(CliError::Invalid(
                    "this program has no pipelines: define a `#[pipeline]` function in its crate".to_owned(),
                ));
            }
            let dir = args.output.clone().unwrap_or_else(|| PathBuf::from("."));
            if names_a_file(&dir) {
                return match all.as_slice() {
                    [only] => compile_one(&compiler, only, &dir, out),
                    several => Err(CliError::Invalid(format!(
                        "-o {} names a file, and this program has {} pipelines: name the one to write there \
                         (`compile NAME -o {}`), or give -o a directory, which gets one YAML per pipeline",
                        dir.display(),
                        several.len(),
                        dir.display()
                    ))),
                };
            }
            check_distinct_files(&all)?;
            // Compile every pipeline even when one fails, then report all failures.
            let mut failures = Vec::new();
            for entry in &all {
                if let Err(error) = compile_one(&compiler, entry, &dir.join(file_name(entry)), out) {
                    failures.push(error.to_string());
                }
            }
            if failures.is_empty() {
                Ok(())
            } else {
                Err(CliError::Problems(failures.join("\n")))
            }
        }
    }
}

fn compile_one(
    compiler: &Compiler,
    entry: &RegisteredPipeline,
    path: &Path,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let compiled = compiler.compile(entry.pipeline(), path)?;
    writeln!(out, "wrote {}", compiled.workflow.display()).map_err(CliError::stdout)?;
    for file in &compiled.component_files {
        writeln!(out, "wrote {}", file.display()).map_err(CliError::stdout)?;
    }
    Ok(())
}

/// An existing file, or a path ending in `.yaml`/`.yml` that is not a directory.
fn names_a_file(path: &Path) -> bool {
    path.is_file()
        || (!path.is_dir()
            && path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml")))
}

/// The one pipeline `name` names, or an error listing what there is.
pub(super) fn find(name: &str) -> Result<&'static RegisteredPipeline, CliError> {
    let found = kfp_core::registry::find(name);
    match found.as_slice() {
        [one] => Ok(one),
        [] => {
            let known: Vec<String> = kfp_core::pipelines().iter().map(|entry| format!("`{}`", entry.name())).collect();
            let known = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
            Err(CliError::Invalid(format!("no pipeline is named `{name}`; this program has: {known}")))
        }
        several => {
            let paths: Vec<String> = several.iter().map(|entry| entry.rust_path()).collect();
            Err(CliError::Invalid(format!(
                "`{name}` names several pipelines ({}); give the Rust path instead",
                paths.join(", ")
            )))
        }
    }
}

/// `<sanitized name>.yaml`, as the Workflow's `generateName` (`add example` -> `add-example.yaml`).
fn file_name(entry: &RegisteredPipeline) -> String {
    format!("{}.yaml", sanitize(&entry.name()).unwrap_or_else(|| "pipeline".to_owned()))
}

fn check_distinct_files(all: &[&RegisteredPipeline]) -> Result<(), CliError> {
    let mut seen: Vec<(String, String)> = Vec::new();
    for entry in all {
        let file = file_name(entry);
        if let Some((_, other)) = seen.iter().find(|(name, _)| *name == file) {
            return Err(CliError::Invalid(format!(
                "pipelines {other} and {} would both be written to {file}: give them distinct names, or compile them one at a time with -o",
                entry.rust_path()
            )));
        }
        seen.push((file, entry.rust_path()));
    }
    Ok(())
}
