//! kfp 1.8.22's own compiler test pipelines, written with kfp-rs.
//!
//! One module per golden in `tests/fixtures/kfp-1.8.22/`; each builds the same
//! pipeline with the public API and checks the compiled Workflow against the golden
//! (`check`). `KFP_CONFORMANCE_OUT=<dir>` also writes every compiled Workflow to
//! `<dir>/<golden name>.yaml`. Where kfp's own output breaks Argo's rules, the port
//! matches Argo instead: README.md in this folder lists each case.

#[path = "../common/mod.rs"]
mod common;

mod add_example;
mod add_pod_env;
mod artifact_passing_using_volume;
mod basic;
mod coin;
mod compose;
mod default_value;
mod input_artifact_raw_value;
mod loop_over_lightweight_output;
mod parallelfor_args;
mod parallelfor_items;
mod param_op_transform;
mod param_substitutions;
mod pipelineparams;
mod recursion;
mod resourceop_basic;
mod sidecar;
mod timeout;
mod two_step;
mod volume;
mod volume_snapshotop_rokurl;
mod volume_snapshotop_sequential;
mod volumeop_basic;
mod volumeop_dag;
mod volumeop_parallel;
mod volumeop_sequential;
mod withitem_basic;
mod withitem_nested;
mod withparam_global;
mod withparam_output;
mod withparam_output_dict;

use std::collections::BTreeMap;

use kfp::dsl::Pipeline;
use kfp::run::{run_pipeline_with, RunOptions};
use kfp::Compiler;

/// Compiles `pipeline`, writes it out when `KFP_CONFORMANCE_OUT` is set, checks it
/// against the strict Argo schema and against golden `name`.
pub fn check(name: &str, pipeline: impl Pipeline) {
    check_deviating(name, pipeline, &[]);
}

/// [`check`] for a golden kfp got wrong: differences under each of `deviations`
/// (paths as the equivalence check prints them) are expected, and must be there;
/// README.md in this folder gives the reason for each.
pub fn check_deviating(name: &str, pipeline: impl Pipeline, deviations: &[&str]) {
    let yaml = Compiler::new().compile_to_string(&pipeline).unwrap_or_else(|error| panic!("{name}: {error}"));
    check_shared(name, &pipeline);
    check_build_once(name, &pipeline);
    if let Some(dir) = std::env::var_os("KFP_CONFORMANCE_OUT").filter(|dir| !dir.is_empty()) {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        let path = dir.join(format!("{name}.yaml"));
        std::fs::write(&path, &yaml).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
    common::assert_schema_valid(&yaml, name);
    let golden = common::read_golden(name);
    let diffs = common::equivalence_diffs(&yaml, &golden);
    for deviation in deviations {
        assert!(
            diffs.iter().any(|diff| diff.starts_with(deviation)),
            "{name}: expected a deviation from kfp at {deviation}, found none; update tests/conformance/README.md"
        );
    }
    let unexpected: Vec<String> =
        diffs.into_iter().filter(|diff| !deviations.iter().any(|deviation| diff.starts_with(deviation))).collect();
    if !unexpected.is_empty() {
        panic!("{}", common::format_diffs(name, &unexpected));
    }
}

/// The pipeline with shared templates: a valid Workflow, and where it differs
/// from kfp's shape, a local run of each gives every task the same phase and outputs.
fn check_shared(name: &str, pipeline: &impl Pipeline) {
    let kfp_shaped = Compiler::new().compilation_time(std::time::UNIX_EPOCH);
    let sharing = kfp_shaped.clone().share_templates(true);
    let compile = |compiler: &Compiler| compiler.compile_to_string(pipeline).unwrap_or_else(|e| panic!("{name}: {e}"));
    let yaml = compile(&sharing);
    common::assert_schema_valid(&yaml, &format!("{name}, shared"));
    if yaml == compile(&kfp_shaped) {
        return; // no two tasks of one component, or none that may share
    }
    let kfp_run = local_run(name, pipeline, &kfp_shaped, "kfp");
    assert_eq!(
        local_run(name, pipeline, &sharing, "shared"),
        kfp_run,
        "{name}: the shared templates' run differs from the kfp-shaped one"
    );
}

/// The pipeline with build steps (`Compiler::build_once`): a valid Workflow,
/// and where it has build steps, a local run of it (the steps build, the tasks
/// run the binaries, as local processes) gives every task of the pipeline the
/// phase and outputs of the kfp-shaped run.
fn check_build_once(name: &str, pipeline: &impl Pipeline) {
    let kfp_shaped = Compiler::new().compilation_time(std::time::UNIX_EPOCH);
    let building = kfp_shaped.clone().build_once(true);
    let workflow = building.compile_to_workflow(pipeline).unwrap_or_else(|e| panic!("{name}: {e}"));
    common::assert_schema_valid(&kfp::compiler::to_yaml(&workflow).unwrap(), &format!("{name}, build once"));
    if workflow == kfp_shaped.compile_to_workflow(pipeline).unwrap() {
        return; // no Rust function component
    }
    let is_build = |id: &str| id.rsplit('.').next().is_some_and(|task| task.starts_with("build-"));
    // Volume data passing names each output's place on the volume after the run's uid.
    let same_in_every_run = |(phase, mut results): Results| {
        for (_, outputs) in results.values_mut() {
            outputs.retain(|output, _| !output.ends_with("-subpath"));
        }
        (phase, results)
    };
    let (phase, mut results) = same_in_every_run(local_run(name, pipeline, &building, "build-once"));
    assert!(results.keys().any(|id| is_build(id)), "{name}: the build steps ran");
    results.retain(|id, _| !is_build(id));
    let kfp_run = same_in_every_run(local_run(name, pipeline, &kfp_shaped, "kfp"));
    assert_eq!((phase, results), kfp_run, "{name}: the build-once run differs");
}

/// A run's phase, and by task id its phase and outputs ([`common::run::run_results`]).
type Results = (kfp::run::Phase, BTreeMap<String, (String, BTreeMap<String, Vec<u8>>)>);

/// A local run of `pipeline` compiled by `compiler` (components in process
/// where the container runs their program, containers as local processes):
/// its phase and each task's results. Parameters without a default get a
/// value of their type.
fn local_run(name: &str, pipeline: &impl Pipeline, compiler: &Compiler, label: &str) -> Results {
    let mut params = Vec::new();
    for param in pipeline.info().params.iter().filter(|param| param.default.is_none()) {
        let value = match param.ty.type_name {
            "Integer" => "3",
            "Float" => "2.5",
            "Boolean" => "True",
            "JsonArray" | "List" => "[1, 2]",
            "JsonObject" | "Dict" => "{\"a\": 1}",
            _ => "text",
        };
        params.push((param.name.clone(), value));
    }
    let runs = common::run::Scratch::new(&format!("{label}-{name}"));
    let options = (params.iter())
        .fold(RunOptions::new(runs.join(label)), |options, (name, value)| options.param(name.clone(), *value));
    let report = run_pipeline_with(pipeline, compiler, &options)
        .unwrap_or_else(|error| panic!("{name}: the {label} run did not start: {error}"));
    (report.phase, common::run::run_results(&report))
}
