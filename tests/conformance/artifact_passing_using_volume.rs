//! `artifact_passing_using_volume.yaml`: component files and a Rust component
//! whose outputs KFP's UI reads (`mlpipeline_ui_metadata`, `mlpipeline_metrics`),
//! with files passed through one shared volume instead of Argo artifacts.

use kfp::argo::Volume;
use kfp::components::{arg, load_component_from_file, LoadedComponent};
use kfp::dsl::{get_pipeline_conf, KubernetesVolume};
use kfp::k8s_openapi::api::core::v1::PersistentVolumeClaimVolumeSource;
use kfp::prelude::*;

#[derive(ComponentOutputs)]
pub struct MetadataAndMetrics {
    #[kfp(type = "UI_metadata")]
    mlpipeline_ui_metadata: String,
    #[kfp(type = "Metrics")]
    mlpipeline_metrics: String,
}

#[component]
pub fn metadata_and_metrics() -> MetadataAndMetrics {
    let metadata = serde_json::json!({
        "outputs": [{"storage": "inline", "source": "*this should be bold*", "type": "markdown"}]
    });
    let metrics = serde_json::json!({"metrics": [{"name": "train-accuracy", "numberValue": 0.9}]});
    MetadataAndMetrics { mlpipeline_ui_metadata: metadata.to_string(), mlpipeline_metrics: metrics.to_string() }
}

/// The component files kfp's test loads, vendored beside the goldens.
fn component(file: &str) -> LoadedComponent {
    let path = super::common::golden_dir().join("components").join(file);
    load_component_from_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[pipeline(name = "Artifact passing pipeline")]
fn artifact_passing_pipeline() {
    let producer_op = component("produce_2.component.yaml");
    let processor_op = component("process_2_2.component.yaml");
    let consumer_op = component("consume_2.component.yaml");
    let producer = producer_op.call::<&str, kfp::components::AnyArg>([]);
    let processor = processor_op.call([
        ("Input parameter", arg(producer.output_named("Output 1"))),
        ("Input artifact", arg(producer.output_named("Output 2"))),
    ]);
    consumer_op.call([
        ("Input parameter", arg(processor.output_named("Output 1"))),
        ("Input artifact", arg(processor.output_named("Output 2"))),
    ]);
    metadata_and_metrics_op();
    get_pipeline_conf().set_data_passing_method(KubernetesVolume::new(Volume {
        persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
            claim_name: "data-volume".to_owned(),
            ..Default::default()
        }),
        ..Default::default()
    }));
}

#[test]
fn artifact_passing_using_volume_matches_kfp() {
    // `component_ref.url` is where the file was loaded from: kfp's checkout there, tests/fixtures here.
    let url = |template: &str| {
        format!("spec.templates[name={template}].metadata.annotations[\"pipelines.kubeflow.org/component_ref\"].url")
    };
    let deviations = [url("consumer"), url("processor"), url("producer")];
    let deviations: Vec<&str> = deviations.iter().map(String::as_str).collect();
    super::check_deviating("artifact_passing_using_volume", artifact_passing_pipeline, &deviations);
}
