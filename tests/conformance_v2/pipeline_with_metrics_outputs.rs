//! `essential__pipeline_with_metrics_outputs.yaml`: a component writing a `Metrics`
//! artifact, called once and in a loop over a static list.

use kfp::dsl::parallel_for;
use kfp::prelude::*;

/// Dummy component that outputs metrics with a random accuracy.
#[component]
pub fn output_metrics(metrics: OutputPath<Metrics>) {
    metrics.log_metric("accuracy", f64::from(std::process::id() % 101));
}

#[pipeline(name = "pipeline-with-metrics-outputs")]
fn my_pipeline() {
    output_metrics_op();
    parallel_for(vec![1, 2], |_item| {
        output_metrics_op();
    });
}

#[test]
fn pipeline_with_metrics_outputs() {
    super::check("essential__pipeline_with_metrics_outputs", my_pipeline);
}
