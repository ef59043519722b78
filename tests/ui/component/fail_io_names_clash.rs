use kfp::prelude::*;

// `model_path` and `model_file` are both the output `model`, and both `model`
// inputs take the flag `--model`: each would lose a value.
#[component]
fn train(model: String, data_path: InputPath, data_file: InputPath, model_path: OutputPath, model_file: OutputPath) {
    let _ = (model, data_path, data_file, model_path, model_file);
}

// The file output `output` would hide the task's return value, `output`.
#[component]
fn score(output_path: OutputPath) -> i64 {
    let _ = output_path;
    1
}

// Its flag would be the one the returned outputs' paths follow.
#[component]
fn double(__output_paths: i64) -> i64 {
    __output_paths * 2
}

#[pipeline]
fn uses(model: String) {
    let trained = train_op(model, "a", "b");
    let _ = trained.outputs().model;
    let _ = score_op().output();
    let _ = double_op(2).output();
}

fn main() {}
