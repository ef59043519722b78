//! `metrics_visualization_v2.yaml`: components writing each artifact type KFP's UI
//! shows: `Metrics`, `ClassificationMetrics`, `HTML` and `Markdown`.

use kfp::prelude::*;

#[component]
pub fn digit_classification(metrics: OutputPath<Metrics>) {
    metrics.log_metric("accuracy", 97.5);
}

#[component]
pub fn wine_classification(metrics: OutputPath<ClassificationMetrics>) {
    let roc = r#"{"confidenceMetrics": [{"confidenceThreshold": 0.5, "recall": 0.9, "falsePositiveRate": 0.1}]}"#;
    std::fs::write(&metrics, roc).expect("the metrics file is writable");
}

#[component]
pub fn iris_sgdclassifier(test_samples_fraction: f64, metrics: OutputPath<ClassificationMetrics>) {
    let matrix = format!(
        r#"{{"confusionMatrix": {{"annotationSpecs": [{{"displayName": "Setosa"}}], "rows": [{{"row": [{}]}}]}}}}"#,
        (test_samples_fraction * 100.0).round()
    );
    std::fs::write(&metrics, matrix).expect("the metrics file is writable");
}

#[component]
pub fn html_visualization(html_artifact: OutputPath<Html>) {
    let html = "<!DOCTYPE html><html><body><h1>Hello world</h1></body></html>";
    std::fs::write(&html_artifact, html).expect("the HTML file is writable");
}

#[component]
pub fn markdown_visualization(markdown_artifact: OutputPath<Markdown>) {
    std::fs::write(&markdown_artifact, "## Hello world \n\n Markdown content").expect("the Markdown file is writable");
}

#[pipeline(name = "metrics-visualization-pipeline")]
fn metrics_visualization_pipeline() {
    wine_classification_op();
    iris_sgdclassifier_op(0.3);
    digit_classification_op();
    html_visualization_op();
    markdown_visualization_op();
}

#[test]
fn metrics_visualization_v2() {
    super::check("metrics_visualization_v2", metrics_visualization_pipeline);
}
