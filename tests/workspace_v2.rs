//! kfp 2's pipeline workspace (`get_pipeline_conf().set_workspace`, kfp's
//! `PipelineConfig(workspace=...)`, and `WORKSPACE_PATH_PLACEHOLDER`): refused where
//! kfp refuses it and for KFP v1 (naming the v1 way), and run locally, the
//! workspace a folder of the run, from a Rust pipeline and by the real
//! `kfp run-local` from kfp's own IR. The IR itself is checked against kfp's
//! goldens in `tests/conformance_v2/pipeline_with_workspace.rs`.

mod common;

use std::process::Command;

use common::run::Scratch;
use kfp::dsl::{get_pipeline_conf, importer, WorkspaceConfig, WORKSPACE_PATH_PLACEHOLDER};
use kfp::prelude::*;
use kfp::run::RunOptions;
use kfp::{Compiler, Target};
use serde_json::Value;

#[component]
fn write_note(workspace_path: String, text: String) -> String {
    let path = std::path::Path::new(&workspace_path).join("notes").join("note.txt");
    std::fs::create_dir_all(path.parent().expect("in a folder")).expect("the workspace is writable");
    std::fs::write(&path, text).expect("the workspace is writable");
    path.display().to_string()
}

#[component]
fn read_note(path: String) -> String {
    std::fs::read_to_string(path).expect("the note is in the workspace")
}

#[pipeline(name = "notes")]
fn notes(text: String) -> Output<String> {
    get_pipeline_conf().set_workspace(WorkspaceConfig::new("1Gi"));
    let written = write_note_op(WORKSPACE_PATH_PLACEHOLDER, text);
    read_note_op(written.output()).output()
}

fn v2_error(pipeline: impl Pipeline) -> String {
    Compiler::new().target(Target::V2).compile_to_string(pipeline).expect_err("v2 refuses it").to_string()
}

#[test]
fn the_workspace_is_written_as_kfp_writes_it_with_an_empty_patch() {
    let ir = Compiler::new().target(Target::V2).compile_to_string(notes).unwrap();
    let platform: Value = serde_yaml::from_str(ir.split("\n---\n").nth(1).expect("a platform spec")).unwrap();
    assert_eq!(
        platform["platforms"]["kubernetes"]["pipelineConfig"]["workspace"],
        serde_json::json!({"size": "1Gi", "kubernetes": {"pvcSpecPatch": {}}}),
        "{ir}"
    );
    let spec: Value = serde_yaml::from_str(ir.split("\n---\n").next().unwrap()).unwrap();
    let argument = &spec["root"]["dag"]["tasks"]["write-note"]["inputs"]["parameters"]["workspace_path"];
    assert_eq!(argument["runtimeValue"]["constant"], "{{$.workspace_path}}", "{ir}");
}

#[test]
fn what_reads_a_workspace_the_pipeline_has_not_is_refused() {
    #[pipeline(name = "no workspace")]
    fn no_workspace() {
        write_note_op(WORKSPACE_PATH_PLACEHOLDER, "lost");
    }
    let error = v2_error(no_workspace);
    assert!(error.contains("`WORKSPACE_PATH_PLACEHOLDER`, but the pipeline has no workspace"), "{error}");
    assert!(error.contains("set_workspace(WorkspaceConfig::new(\"1Gi\"))"), "{error}");

    #[pipeline(name = "no workspace to download to")]
    fn no_download() {
        importer::<Dataset>("gs://bucket/data.csv").download_to_workspace(true).call();
    }
    let error = v2_error(no_download);
    assert!(error.contains("importer `importer` downloads to the workspace"), "{error}");

    #[pipeline(name = "bad size")]
    fn bad_size() {
        get_pipeline_conf().set_workspace(WorkspaceConfig::new("1 GB"));
    }
    let error = v2_error(bad_size);
    assert!(error.contains("workspace size `1 GB` is not a Kubernetes quantity"), "{error}");

    #[pipeline(name = "bad patch")]
    fn bad_patch() {
        get_pipeline_conf().set_workspace(WorkspaceConfig::new("1Gi").pvc_spec_patch(serde_json::json!(["standard"])));
    }
    let error = v2_error(bad_patch);
    assert!(error.contains("pvc_spec_patch is `[\"standard\"]`, not a JSON object"), "{error}");
}

#[test]
fn kfp_v1_refuses_the_workspace_naming_a_shared_volume_op() {
    let error = Compiler::new().compile_to_string(notes).expect_err("v1 refuses it").to_string();
    assert!(error.contains("the pipeline has a workspace"), "{error}");
    assert!(error.contains("`VolumeOp`") && error.contains("`add_pvolumes`"), "{error}");

    #[pipeline(name = "placeholder only")]
    fn placeholder_only() {
        write_note_op(WORKSPACE_PATH_PLACEHOLDER, "lost");
    }
    let error = Compiler::new().compile_to_string(placeholder_only).expect_err("v1 refuses it").to_string();
    assert!(error.contains("kfp 2's `WORKSPACE_PATH_PLACEHOLDER` has no KFP v1 counterpart"), "{error}");
    assert!(error.contains("`VolumeOp`"), "{error}");
}

#[test]
fn a_local_run_gives_the_workspace_a_folder_of_the_run() {
    let dir = Scratch::new("workspace-v2-local");
    let report = notes.run_local_v2(&RunOptions::new(&*dir).arg("text", "kept in the workspace".to_owned())).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.outputs.get("Output").map(String::as_str), Some("kept in the workspace"));
    let note = dir.join("workspace").join("notes").join("note.txt");
    assert_eq!(std::fs::read_to_string(&note).unwrap(), "kept in the workspace");
}

#[test]
fn kfps_own_workspace_pipeline_runs_locally() {
    let Some(python) = common::kfp2_python() else {
        common::skip(common::KFP2_NOT_INSTALLED);
        return;
    };
    let dir = Scratch::new("workspace-v2-kfp");
    let golden = common::ir_golden_dir().join("critical__pipeline_with_workspace.yaml");
    let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .arg("run-local")
        .arg(&golden)
        .args(["--json", "--python", &python, "--run-dir"])
        .arg(dir.join("run"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    // kfp's reader asserts the text its writer left in the workspace, and returns it.
    assert_eq!(report["outputs"]["Output"], "Hello from workspace!", "{report:#}");
    let file = dir.join("run").join("workspace").join("data").join("test_file.txt");
    assert_eq!(std::fs::read_to_string(file).unwrap(), "Hello from workspace!");
}
