use kfp::prelude::*;

// kfp gives defaults to value inputs only; an `Option` input already has one (`None`).
#[component]
fn train(
    #[default(3)] epochs: Option<i64>,
    #[default("data.csv")] data_path: InputPath<Dataset>,
    #[default("model.bin")] model_path: OutputPath<Model>,
) {
    println!("{epochs:?} {} {}", data_path.display(), model_path.display());
}

fn main() {}
