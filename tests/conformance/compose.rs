//! `compose.yaml`: two container ops, the second reading the first's output.

use kfp::dsl::ContainerOp;
use kfp::prelude::*;
use kfp::types::{family, Kind};

/// kfp's test annotates its parameters with `dsl.PipelineParam`, which kfp
/// writes as the type name; a kfp type of that name, holding text.
#[derive(Clone, Debug)]
pub struct PipelineParamText(String);

impl kfp::KfpType for PipelineParamText {
    const TYPE_NAME: &'static str = "PipelineParam";
    const KIND: Kind = Kind::String;
    type Family = family::String;
    fn to_kfp_string(&self) -> String {
        self.0.clone()
    }
    fn from_kfp_str(text: &str) -> Result<Self, String> {
        Ok(PipelineParamText(text.to_owned()))
    }
}

#[pipeline(name = "Save Most Frequent", description = "Get Most Frequent Word and Save to GCS")]
fn save_most_frequent(message: PipelineParamText, outputpath: PipelineParamText) {
    let counter = ContainerOp::new("get-Frequent", "python:3.5-jessie")
        .command(["sh", "-c"])
        .arguments([format!(
            "python -c \"from collections import Counter; words = Counter('{message}'.split()); print(max(words, key=words.get))\" | tee /tmp/message.txt"
        )])
        .file_output("word", "/tmp/message.txt")
        .add();
    ContainerOp::new("Save", "google/cloud-sdk")
        .command(["sh", "-c"])
        .arguments([format!(
            "echo {} | tee /tmp/results.txt | gsutil cp /tmp/results.txt {outputpath}",
            counter.output()
        )])
        .add();
}

#[test]
fn compose() {
    super::check("compose", save_most_frequent);
}
