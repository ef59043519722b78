//! `default_value.yaml`: an untyped pipeline parameter with a default, read by container ops.

use kfp::dsl::ContainerOp;
use kfp::prelude::*;
use kfp::Untyped;

#[pipeline(name = "Default Value", description = "A pipeline with parameter and default value.")]
fn default_value(#[default("gs://ml-pipeline/shakespeare1.txt")] url: Untyped
) {
    let download = ContainerOp::new("download", "google/cloud-sdk")
        .command(["sh", "-c"])
        .arguments([format!("gsutil cat {url} | tee /tmp/results.txt")])
        .file_output("downloaded", "/tmp/results.txt")
        .add();
    ContainerOp::new("echo", "library/bash")
        .command(["sh", "-c"])
        .arguments([format!("echo {}", download.file_output("downloaded"))])
        .add();
}

#[test]
fn default_value_golden() {
    super::check("default_value", default_value);
}
