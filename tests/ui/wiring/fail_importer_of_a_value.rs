use kfp::dsl::importer;
use kfp::prelude::*;

#[pipeline(name = "p")]
fn p() {
    importer::<i64>("gs://bucket/number").call();
}

fn main() {}
