//! `input_artifact_raw_value.yaml`: container ops reading constant text as input files.

use kfp::dsl::ContainerOp;
use kfp::prelude::*;

fn cat(name: &str, text: &str) {
    ContainerOp::new(name, "alpine")
        .command(["cat", "/tmp/inputs/text/data"])
        .artifact_argument("text", text, "/tmp/inputs/text/data")
        .add();
}

#[pipeline(
    name = "Pipeline with artifact input raw argument value.",
    description = "Pipeline shows how to define artifact inputs and pass raw artifacts to them."
)]
fn raw_values() {
    cat("component_with_inline_input_artifact", "Constant artifact value");
    cat("component_with_input_artifact", "Constant artifact value");
    cat("component_with_input_artifact", "hard-coded artifact value");
    cat("component_with_input_artifact", "Text from a file with hard-coded artifact value");
}

#[test]
fn input_artifact_raw_value() {
    super::check("input_artifact_raw_value", raw_values);
}
