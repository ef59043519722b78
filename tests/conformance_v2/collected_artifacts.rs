//! `local_execution__pipeline_with_collected_artifacts.yaml`: a loop's artifact outputs collected
//! (`collected`, kfp's `dsl.Collected`) into a component taking a list of artifacts
//! (`Vec<InputPath<Artifact>>`, kfp's `List[Artifact]`), whose output the pipeline returns.

use kfp::artifacts::Artifact;
use kfp::dsl::{collected, parallel_for};
use kfp::prelude::*;

#[component]
pub fn write_artifact(index: i64, out: OutputPath<Artifact>) {
    std::fs::write(&out, index.to_string()).expect("the artifact is writable");
}

#[component]
pub fn read_and_join(artifacts: Vec<InputPath<Artifact>>) -> String {
    let mut parts: Vec<String> = artifacts
        .iter()
        .map(|artifact| std::fs::read_to_string(artifact).expect("the artifact is readable").trim().to_owned())
        .collect();
    parts.sort();
    parts.join(",")
}

#[pipeline(name = "pipeline-with-collected-artifacts")]
pub fn pipeline_with_collected_artifacts() -> Output<String> {
    let producer = parallel_for(vec![0, 1, 2], write_artifact_op);
    read_and_join_op(collected(producer.outputs().out)).output()
}

#[test]
fn pipeline_with_collected_artifacts_compiles_as_kfp() {
    super::check("local_execution__pipeline_with_collected_artifacts", pipeline_with_collected_artifacts);
}
