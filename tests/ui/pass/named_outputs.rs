//! `#[derive(ComponentOutputs)]` with its generated `<Struct>Handles`, and
//! files: `InputPath`/`OutputPath` with the generated `<Fn>Outputs` struct.

#![deny(warnings)]

use kfp::prelude::*;

/// Sum and mean of some values.
#[derive(ComponentOutputs)]
pub struct Stats {
    pub sum: f64,
    pub mean: f64,
}

#[component]
fn stats(values: Vec<f64>) -> Stats {
    let sum: f64 = values.iter().sum();
    Stats { sum, mean: sum / values.len() as f64 }
}

#[component]
fn train(rate: f64, data_path: InputPath, model_path: OutputPath, metrics_file: OutputPath) -> Result<f64, String> {
    let data = std::fs::read_to_string(data_path.path()).map_err(|error| error.to_string())?;
    std::fs::write(model_path.path(), format!("{rate} {data}")).map_err(|error| error.to_string())?;
    std::fs::write(metrics_file.path(), "{}").map_err(|error| error.to_string())?;
    Ok(rate)
}

#[component]
fn write_only(report_path: OutputPath) {
    std::fs::write(report_path.path(), "done").unwrap();
}

#[component]
fn evaluate(model_file: InputPath, metrics: InputPath, mean: f64) -> bool {
    model_file.path().exists() && metrics.path().exists() && mean > 0.0
}

#[pipeline]
fn training(rate: f64) {
    let summary: StatsHandles = stats_op(vec![1.0, 2.0, 3.0]).outputs();
    let trained: TrainOutputs = train_op(rate, "1,2,3").outputs();
    let _: Output<f64> = trained.output;
    let report: WriteOnlyOutputs = write_only_op().outputs();
    let _: () = report.output;
    evaluate_op(trained.model, trained.metrics, summary.mean);
    evaluate_op(report.report, trained.model, summary.sum);
    evaluate_op(stats_op(vec![1.0]).outputs().sum, "raw text", trained.output);
}

fn main() {
    let yaml = kfp::Compiler::new().compile_to_string(training).unwrap();
    assert!(yaml.contains("name: train-model"), "{yaml}");
    assert!(yaml.contains("name: stats-mean"), "{yaml}");
}
