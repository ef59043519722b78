use kfp::prelude::*;

#[component]
fn make_dataset(data_path: OutputPath<Dataset>, count_path: OutputPath<i64>) {
    std::fs::write(&data_path, "rows").unwrap();
    std::fs::write(&count_path, "1").unwrap();
}

#[component]
fn load_model(model_path: InputPath<Model>) -> String {
    std::fs::read_to_string(&model_path).unwrap()
}

#[component]
fn read_text(text_path: InputPath<String>) -> String {
    std::fs::read_to_string(&text_path).unwrap()
}

#[pipeline]
fn my_pipeline() {
    let made = make_dataset_op().outputs();
    // A Dataset is not a Model, an Integer is not a String.
    load_model_op(made.data);
    read_text_op(made.count);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
