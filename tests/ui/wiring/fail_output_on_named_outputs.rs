use kfp::prelude::*;

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
fn train(rate: f64, model_path: OutputPath) -> i64 {
    std::fs::write(model_path.path(), rate.to_string()).unwrap();
    1
}

#[component]
fn show(value: f64) {
    println!("{value}");
}

#[pipeline]
fn my_pipeline() {
    let summary = stats_op(vec![1.0, 2.0]);
    show_op(summary.output());
    let model = train_op(0.1);
    show_op(model.output());
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
