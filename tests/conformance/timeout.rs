//! `timeout.yaml`: a step's timeout and the whole pipeline's.

use kfp::dsl::{get_pipeline_conf, ContainerOp, FileOutputs};
use kfp::prelude::*;

fn random_failure(exit_codes: &str) -> Task<FileOutputs> {
    ContainerOp::new("random-failure", "python:alpine3.6")
        .command(["python", "-c"])
        .arguments([format!(
            "import random; import sys; exit_code = random.choice([{exit_codes}]); print(exit_code); sys.exit(exit_code)"
        )])
        .add()
}

#[pipeline(
    name = "pipeline includes two steps which fail randomly.",
    description = "shows how to use ContainerOp set_retry()."
)]
fn retry_sample_pipeline() {
    random_failure("0,1,2,3").set_timeout(10);
    random_failure("0,1");
    get_pipeline_conf().set_timeout(50);
}

#[test]
fn timeout_matches_kfp() {
    super::check("timeout", retry_sample_pipeline);
}
