//! A component with a macro error still gets its op, with the outputs it
//! declares, so the pipeline using it shows no follow-on errors.

use kfp::prelude::*;

#[derive(ComponentOutputs)]
pub struct Stats {
    pub sum: f64,
    pub mean: f64,
}

#[component(base_image = 3)]
fn stats(values: Vec<f64>) -> Stats {
    let sum: f64 = values.iter().sum();
    Stats { sum, mean: sum / values.len() as f64 }
}

#[component(output_file = "train.yaml")]
fn train(rate: f64, data: InputPath, model_path: OutputPath) -> Result<f64, String> {
    std::fs::write(model_path.path(), format!("{rate} {}", data.display())).map_err(|error| error.to_string())?;
    Ok(rate)
}

#[component]
fn report(mean: f64, model: InputPath) {
    println!("{mean} {}", model.display());
}

#[pipeline]
fn my_pipeline(rate: f64) {
    let summary: StatsHandles = stats_op(vec![1.0, 2.0]).outputs();
    let trained: TrainOutputs = train_op(rate, "data").outputs();
    report_op(summary.mean, trained.model);
    report_op(trained.output, trained.model).set_retry(2);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
    let _ = stats_component();
}
