//! kfp 2.17.3's own test pipelines (kubeflow/pipelines'
//! `test_data/sdk_compiled_pipelines/valid/`), written with kfp-rs and compiled to
//! KFP v2 pipeline IR.
//!
//! One module per golden in `tests/fixtures/kfp-2.17.3/`; each builds the same
//! pipeline with the public API and checks the compiled IR against the golden
//! (`check`). `KFP_CONFORMANCE_OUT=<dir>` also writes every compiled IR file to
//! `<dir>/<golden name>.yaml`. README.md in this folder lists the goldens not
//! ported yet and each deliberate difference.

#[path = "../common/mod.rs"]
mod common;

mod arguments_parameters;
mod artifact_components_alone;
mod artifact_custom_path;
mod artifact_upload_download;
mod artifacts_complex;
mod artifacts_simple;
mod collected_artifacts;
mod component_as_pipeline;
mod component_from_text;
mod components_with_optional_artifacts;
mod concat_placeholder;
mod conditional_producer_and_consumers;
mod container_component_with_no_inputs;
mod container_components;
mod container_no_input;
mod container_with_artifact_output;
mod cross_loop_after_topology;
mod echo_backend_settings;
mod embedded_artifact;
mod exit_handler;
mod fail_v2;
mod flip_coin;
mod google_artifact_type;
mod gpu_scheduling;
mod hello_world;
mod if_elif_else_complex;
mod if_else_with_oneof_artifacts;
mod if_else_with_oneof_parameters;
mod if_placeholder;
mod ignore_upstream_failure;
mod importer;
mod iris_pipeline;
mod kfp_local_runs;
mod lightweight_python_functions_pipeline;
mod log_streaming;
mod loop_consume_upstream;
mod metadata_fields;
mod metrics_visualization_v2;
mod missing_kubernetes_optional_inputs;
mod multiple_exit_handlers;
mod nested_conditions;
mod nested_conditions_yaml;
mod nested_parallel_for_secret;
mod nested_pipeline_opt_inputs;
mod nested_pipeline_opt_inputs_nil;
mod nested_pipeline_opt_inputs_parent_level;
mod nested_with_parameters;
mod optional_inputs;
mod parallel_for_mount_pvc;
mod parallel_for_secret;
mod parallelfor_list_artifacts;
mod parallelfor_pipeline_param;
mod parameters_complex;
mod parameters_simple;
mod params_containing_format;
mod pip_index_urls;
mod pipeline_in_pipeline;
mod pipeline_outputs;
mod pipeline_producer_consumer;
mod pipeline_root;
mod pipeline_with_after;
mod pipeline_with_condition;
mod pipeline_with_env;
mod pipeline_with_loops;
mod pipeline_with_loops_and_conditions;
mod pipeline_with_metrics_outputs;
mod pipeline_with_nested_loops;
mod pipeline_with_oneof;
mod pipeline_with_retry;
mod pipeline_with_utils;
mod pipeline_with_various_io_types;
mod pipeline_with_volume;
mod pipeline_with_volume_long_name;
mod pipeline_with_workspace;
mod placeholders;
mod pod_metadata;
mod pod_metadata_complex;
mod preprocess;
mod producer_consumer_param;
mod pvc_mount;
mod pvc_mount_subpath;
mod pythonic_artifacts;
mod pythonic_artifacts_list;
mod ray_integration;
mod secret_as_env;
mod secret_as_volume;
mod sequential_v2;
mod string_machine_fields;
mod submit_request;
mod take_nap;
mod task_final_status;
mod two_step_pipeline;
mod two_step_pipeline_containerized;

use kfp::dsl::Pipeline;
use kfp::{Compiler, Target};

/// Compiles `pipeline` to IR, writes it out when `KFP_CONFORMANCE_OUT` is set, and
/// checks it against golden `name`.
pub fn check(name: &str, pipeline: impl Pipeline) {
    check_deviating(name, pipeline, &[]);
}

/// [`check`] where kfp-rs differs from kfp on purpose: differences under each of
/// `deviations` (paths as the equivalence check prints them) are expected, and must
/// be there; README.md in this folder gives the reason for each.
pub fn check_deviating(name: &str, pipeline: impl Pipeline, deviations: &[&str]) {
    let yaml = Compiler::new()
        .target(Target::V2)
        .compile_to_string(&pipeline)
        .unwrap_or_else(|error| panic!("{name}: {error}"));
    if let Some(dir) = std::env::var_os("KFP_CONFORMANCE_OUT").filter(|dir| !dir.is_empty()) {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        let path = dir.join(format!("{name}.yaml"));
        std::fs::write(&path, &yaml).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
    let golden = common::read_fixture(&common::ir_golden_dir().join(format!("{name}.yaml")));
    let diffs = common::ir_equivalence_diffs(&yaml, &golden);
    for deviation in deviations {
        assert!(
            diffs.iter().any(|diff| diff.starts_with(deviation)),
            "{name}: expected a deviation from kfp at {deviation}, found none; update tests/conformance_v2/README.md"
        );
    }
    let unexpected: Vec<String> =
        diffs.into_iter().filter(|diff| !deviations.iter().any(|deviation| diff.starts_with(deviation))).collect();
    if !unexpected.is_empty() {
        panic!("{}", common::format_diffs(name, &unexpected));
    }
}
