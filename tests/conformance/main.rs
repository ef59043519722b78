//! kfp 1.8.22's own compiler test pipelines, written with kfp-rs.
//!
//! One module per golden in `shared/conformance/kfp-1.8.22/`; each builds the same
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

use kfp::dsl::Pipeline;
use kfp::Compiler;

/// Compiles `pipeline`, writes it out when `KFP_CONFORMANCE_OUT` is set, checks it
/// against the strict Argo schema, and against golden `name` when `shared/` is there.
pub fn check(name: &str, pipeline: impl Pipeline) {
    check_deviating(name, pipeline, &[]);
}

/// [`check`] for a golden kfp got wrong: differences under each of `deviations`
/// (paths as the equivalence check prints them) are expected, and must be there;
/// README.md in this folder gives the reason for each.
pub fn check_deviating(name: &str, pipeline: impl Pipeline, deviations: &[&str]) {
    let yaml = Compiler::new().compile_to_string(pipeline).unwrap_or_else(|error| panic!("{name}: {error}"));
    if let Some(dir) = std::env::var_os("KFP_CONFORMANCE_OUT").filter(|dir| !dir.is_empty()) {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        let path = dir.join(format!("{name}.yaml"));
        std::fs::write(&path, &yaml).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
    common::assert_schema_valid(&yaml, name);
    let Some(golden) = common::golden_or_skip(name) else { return };
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
