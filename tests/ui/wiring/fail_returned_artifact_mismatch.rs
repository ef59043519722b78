use kfp::prelude::*;

#[derive(ComponentOutputs)]
struct Split {
    train: OutputArtifact<Dataset>,
    rows: i64,
}

#[component]
fn make_dataset() -> std::io::Result<OutputArtifact<Dataset>> {
    let dataset = OutputArtifact::new(get_uri("Output")?);
    std::fs::write(&dataset, "rows")?;
    Ok(dataset)
}

#[component]
fn split(data: InputPath<Dataset>) -> std::io::Result<Split> {
    let train = OutputArtifact::new(get_uri("train")?);
    std::fs::copy(&data, &train)?;
    Ok(Split { train, rows: 1 })
}

#[component]
fn load_model(model_path: InputPath<Model>) -> String {
    std::fs::read_to_string(&model_path).unwrap()
}

#[pipeline]
fn my_pipeline() {
    // A returned Dataset is not a Model, neither alone nor as a field.
    load_model_op(make_dataset_op().output());
    load_model_op(split_op(make_dataset_op().output()).outputs().train);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
