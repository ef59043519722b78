//! `pythonic_artifacts_with_list_of_artifacts.yaml`: a loop's returned `Dataset`s, each made
//! with metadata (`OutputArtifact::set_metadata`, kfp's `Dataset(uri=dsl.get_uri(),
//! metadata={...})`), collected into a component taking a list of them
//! (`Vec<InputPath<Dataset>>`, kfp's `List[Dataset]`), whose returned `Dataset` the pipeline
//! returns.

use kfp::dsl::{collected, parallel_for};
use kfp::prelude::*;

#[component]
fn make_dataset(text: String) -> std::io::Result<OutputArtifact<Dataset>> {
    let dataset = OutputArtifact::new(get_uri("Output")?);
    dataset.set_metadata("length", text.chars().count());
    std::fs::write(&dataset, text)?;
    Ok(dataset)
}

/// kfp's function returns the joined text, which its executor writes: here the function writes it.
#[component]
fn join_datasets(datasets: Vec<InputPath<Dataset>>) -> std::io::Result<OutputArtifact<Dataset>> {
    let texts = datasets.iter().map(std::fs::read_to_string).collect::<std::io::Result<Vec<_>>>()?;
    let joined = OutputArtifact::new(get_uri("Output")?);
    std::fs::write(&joined, texts.concat())?;
    Ok(joined)
}

#[pipeline(name = "make-and-join-datasets")]
fn make_and_join_datasets(
    #[default(vec!["Hello".to_owned(), ",".to_owned(), " ".to_owned(), "world!".to_owned()])] texts: Vec<String>,
) -> Output<Dataset> {
    let t1 = parallel_for(texts, make_dataset_op);
    join_datasets_op(collected(t1.output())).output()
}

#[test]
fn pythonic_artifacts_with_list_of_artifacts() {
    super::check("pythonic_artifacts_with_list_of_artifacts", make_and_join_datasets);
}

/// `kfp run-local` of the port's IR: each loop iteration's dataset carries its length as
/// metadata, as kfp's executor records it, and the pipeline returns the joined text.
#[test]
fn a_local_run_of_the_port_records_each_datasets_length() {
    if !super::common::run::have_rustc() {
        super::common::skip("rustc is not on PATH (the components' programs are built with it)");
        return;
    }
    let dir = super::common::run::Scratch::new("port-list-of-artifacts");
    let file = dir.join("make-and-join-datasets.ir.yaml");
    kfp::Compiler::new().target(kfp::Target::V2).compile(make_and_join_datasets, &file).expect("it compiles");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_kfp"))
        .arg("run-local")
        .arg(&file)
        .args(["--json", "--run-dir"])
        .arg(dir.join("run"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    assert_eq!(report["outputs"]["Output"], "Hello, world!", "{report:#}");
    let made: Vec<&serde_json::Value> =
        report["tasks"].as_array().unwrap().iter().filter(|task| task["name"] == "make-dataset").collect();
    assert_eq!(made.len(), 4, "{report:#}");
    for task in made {
        let text = task["items"][0].as_str().unwrap();
        assert_eq!(task["metadata"]["Output"], serde_json::json!({"length": text.chars().count()}), "{report:#}");
    }
}
