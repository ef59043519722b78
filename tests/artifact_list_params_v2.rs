//! Lists of artifacts as pipeline parameters (`datasets: ArtifactList<Dataset>`, kfp 2's
//! `datasets: Input[List[Dataset]]` on a `@dsl.pipeline`): what a user sees compiling one for
//! each target, and running its IR with `kfp run-local`, each artifact a file given with `-p`.
//! The IR of a pipeline taking them called as a task is checked against kfp's golden in
//! `tests/conformance_v2/artifacts_complex.rs`.

mod common;

use kfp::dsl::{condition, ArtifactList, Compare};
use kfp::prelude::*;
use kfp::{Compiler, Target};

#[component]
fn join(datasets: Vec<InputPath<Dataset>>) -> String {
    datasets.iter().map(|dataset| std::fs::read_to_string(dataset).expect("the dataset is readable")).collect()
}

#[pipeline(name = "join-datasets")]
fn join_datasets(datasets: ArtifactList<Dataset>, #[default(1)] times: i64) -> Output<String> {
    // Inside a condition too: the condition's DAG takes the list as an input of its own.
    condition(times.ge(2), || join_op(datasets));
    join_op(datasets).output()
}

#[test]
fn kfp_v1_refuses_a_list_of_artifacts_parameter_naming_the_v1_way() {
    let error = Compiler::new().compile_to_string(join_datasets).expect_err("v1 refuses it").to_string();
    assert!(
        error.contains(
            "pipeline parameter `datasets` is a list of artifacts (List[Dataset]), which only KFP v2 takes (kfp 2's \
             `Input[List[Dataset]]`): KFP v1 pipelines take parameters only; pass the artifacts' URIs as a \
             `Vec<String>` parameter and read them in a task, or compile for KFP v2 (`Target::V2`)"
        ),
        "{error}"
    );
}

#[test]
fn kfp_v2_declares_the_parameter_a_list_and_passes_it_down_as_one() {
    let ir = Compiler::new().target(Target::V2).compile_to_string(join_datasets).unwrap();
    let ir: serde_json::Value = serde_yaml::from_str(&ir).unwrap();
    let input = &ir["root"]["inputDefinitions"]["artifacts"]["datasets"];
    assert_eq!(input["isArtifactList"], true, "{input}");
    assert_eq!(input["artifactType"]["schemaTitle"], "system.Dataset", "{input}");
    let given = &ir["root"]["dag"]["tasks"]["join-2"]["inputs"]["artifacts"]["datasets"];
    assert_eq!(given["componentInputArtifact"], "datasets", "{given}");
    // The condition's DAG declares the list it is handed as a list, as its task does.
    let condition = &ir["components"]["comp-condition-1"]["inputDefinitions"]["artifacts"]["pipelinechannel--datasets"];
    assert_eq!(condition["isArtifactList"], true, "{ir:#}");
}

/// `kfp run-local` of the pipeline's IR with `params`; its exit status, stdout and stderr.
fn run_local(dir: &std::path::Path, params: &[String]) -> (bool, String, String) {
    let file = dir.join("join-datasets.ir.yaml");
    Compiler::new().target(Target::V2).compile(join_datasets, &file).expect("it compiles");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_kfp"));
    command.arg("run-local").arg(&file).args(["--json", "--run-dir"]).arg(dir.join("run")).current_dir(dir);
    for param in params {
        command.args(["-p", param]);
    }
    let output = command.output().unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.success(), text(&output.stdout), text(&output.stderr))
}

#[test]
fn a_local_run_takes_each_artifact_of_the_list_as_a_file_in_order() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH (the components' programs are built with it)");
        return;
    }
    let dir = common::run::Scratch::new("artifact-list-param");
    std::fs::write(dir.join("a.txt"), "Grüße, ").unwrap();
    std::fs::write(dir.join("b.txt"), "world").unwrap();
    // Repeated, relative to where the run starts; then one JSON list, a `file://` URI in it.
    let b = format!("file://{}", dir.join("b.txt").display());
    for params in [
        vec!["datasets=a.txt".to_owned(), "datasets=b.txt".to_owned(), "times=2".to_owned()],
        vec![format!(r#"datasets=["a.txt", "{b}"]"#), "times=2".to_owned()],
    ] {
        let (ok, stdout, stderr) = run_local(&dir, &params);
        assert!(ok, "{params:?}\n{stdout}\n{stderr}");
        let report: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
        assert_eq!(report["outputs"]["Output"], "Grüße, world", "{report:#}");
        let joined = report["tasks"].as_array().unwrap().iter();
        let joined = joined.filter(|task| task["name"].as_str().is_some_and(|name| name.starts_with("join")));
        assert_eq!(joined.count(), 2, "the condition's task ran too: {report:#}");
    }
}

#[test]
fn a_local_run_refuses_a_missing_list_or_a_path_with_no_file_before_anything_starts() {
    let dir = common::run::Scratch::new("artifact-list-param-missing");
    let (ok, _, stderr) = run_local(&dir, &[]);
    assert!(!ok);
    assert!(
        stderr.contains(
            "pipeline input `datasets` (a list of system.Dataset) is required: give each artifact with `-p \
             datasets=PATH` (repeated, in order)"
        ),
        "{stderr}"
    );
    let (ok, _, stderr) = run_local(&dir, &["datasets=nowhere.txt".to_owned()]);
    assert!(!ok);
    assert!(stderr.contains("no file or directory at `nowhere.txt`"), "{stderr}");
    let (ok, _, stderr) = run_local(&dir, &["datasets=[1".to_owned()]);
    assert!(!ok);
    assert!(stderr.contains("`[1` is not a JSON list of paths"), "{stderr}");
}
