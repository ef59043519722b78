//! `basic.yaml` and `basic_no_decorator.yaml`: an exit handler around two steps
//! with resources, a GPU and a TPU limit, a node selector and a pod annotation.

use kfp::dsl::{exit_handler, ContainerOp};
use kfp::prelude::*;

fn save_most_frequent_word(message: Param<String>, outputpath: Param<String>) {
    let exit_op =
        ContainerOp::new("exiting", "python:3.5-jessie").command(["sh", "-c"]).arguments(["echo exit!"]).add();
    exit_handler(&exit_op, || {
        let counter = ContainerOp::new("get-frequent", "python:3.5-jessie")
            .command(["sh", "-c"])
            .arguments([format!(
                "python -c \"from collections import Counter; words = Counter('{message}'.split()); \
                 print(max(words, key=words.get))\" | tee /tmp/message.txt"
            )])
            .file_output("word", "/tmp/message.txt")
            .add();
        counter.set_memory_request("200M");
        let saver = ContainerOp::new("save", "google/cloud-sdk")
            .command(["sh", "-c"])
            .arguments([format!(
                "echo {} | tee /tmp/results.txt | gsutil cp /tmp/results.txt {outputpath}",
                counter.output()
            )])
            .add();
        saver
            .set_cpu_limit("0.5")
            .set_gpu_limit("2")
            .add_resource_limit("cloud-tpus.google.com/v2", "8")
            .add_node_selector_constraint("cloud.google.com/gke-accelerator", "nvidia-tesla-k80")
            .add_pod_annotation("tf-version.cloud-tpus.google.com", "1.12");
    });
}

#[pipeline(name = "Save Most Frequent", description = "Get Most Frequent Word and Save to GCS")]
fn save_most_frequent(message: String, outputpath: String) {
    save_most_frequent_word(message, outputpath);
}

#[pipeline(name = "Save most frequent word")]
fn save_most_frequent_no_decorator(message: String, outputpath: String) {
    save_most_frequent_word(message, outputpath);
}

#[test]
fn basic_matches_kfp() {
    super::check("basic", save_most_frequent);
}

/// kfp compiled this one from an undecorated function: it leaves the two
/// parameters out of the Workflow's arguments and the pipeline spec, though the
/// entrypoint reads them, so Argo refuses to start it (`inputs.parameters.message
/// was not supplied`). Ours declares them.
#[test]
fn basic_no_decorator_matches_kfp_but_declares_its_parameters() {
    super::check_deviating(
        "basic_no_decorator",
        save_most_frequent_no_decorator,
        &["metadata.annotations[\"pipelines.kubeflow.org/pipeline_spec\"]", "spec.arguments.parameters"],
    );
}
