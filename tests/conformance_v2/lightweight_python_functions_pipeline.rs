//! `essential__lightweight_python_functions_pipeline.yaml`: parameters and artifacts
//! passed as files (`OutputPath`, `InputPath`) beside plain values, a dict and a list.
//! KFP v2 names each file parameter as written (`output_dataset_two_path`); the task's
//! outputs struct has kfp 1.8's names (`output_dataset_two`), the same on both
//! targets. kfp's `model.metadata['accuracy']` is written at run time, which the IR
//! does not show.

use std::collections::BTreeMap;

use kfp::prelude::*;

/// Dummy preprocessing step.
#[component(packages_to_install = ["serde_json"])]
#[allow(clippy::too_many_arguments)]
pub fn preprocess(
    message: String,
    input_dict_parameter: std::collections::BTreeMap<String, i64>,
    input_list_parameter: Vec<String>,
    output_dataset_one: OutputPath<Dataset>,
    output_dataset_two_path: OutputPath<Dataset>,
    output_parameter_path: OutputPath<String>,
    output_bool_parameter_path: OutputPath<bool>,
    output_dict_parameter_path: OutputPath<std::collections::BTreeMap<String, i64>>,
    output_list_parameter_path: OutputPath<Vec<String>>,
) -> Result<(), String> {
    let dict = serde_json::to_string(&input_dict_parameter).map_err(|e| e.to_string())?;
    let list = serde_json::to_string(&input_list_parameter).map_err(|e| e.to_string())?;
    let files = [
        (output_dataset_one.path(), message.as_str()),
        (output_dataset_two_path.path(), &message),
        (output_parameter_path.path(), &message),
        (output_bool_parameter_path.path(), "true"),
        (output_dict_parameter_path.path(), &dict),
        (output_list_parameter_path.path(), &list),
    ];
    for (path, text) in files {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Dummy Training step.
#[component]
#[allow(clippy::too_many_arguments)]
pub fn train(
    dataset_one_path: InputPath<Dataset>,
    dataset_two: InputPath<Dataset>,
    message: String,
    model: OutputPath<Model>,
    input_bool: bool,
    input_dict: std::collections::BTreeMap<String, i64>,
    input_list: Vec<String>,
    #[default(100)] num_steps: i64,
) -> Result<(), String> {
    let read = |path: &std::path::Path| {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let line = format!(
        "dataset_one_contents: {} || dataset_two_contents: {} || message: {message} || input_bool: {input_bool} || \
         input_dict: {input_dict:?} || input_list: {input_list:?} \n",
        read(dataset_one_path.path())?,
        read(dataset_two.path())?,
    );
    let text: String = (0..num_steps).map(|i| format!("Step {i}\n{line}\n=====\n")).collect();
    std::fs::write(model.path(), text).map_err(|e| format!("cannot write {}: {e}", model.path().display()))
}

#[pipeline(name = "my-test-pipeline-beta")]
pub fn my_pipeline(
    message: String,
    #[default(BTreeMap::from([("A".to_owned(), 1), ("B".to_owned(), 2)]))] input_dict: BTreeMap<String, i64>,
) {
    let preprocess = preprocess_op(message, input_dict, vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]);
    let files = preprocess.outputs();
    train_op(
        files.output_dataset_one,
        files.output_dataset_two,
        files.output_parameter,
        files.output_bool_parameter,
        files.output_dict_parameter,
        files.output_list_parameter,
        None,
    );
}

#[test]
fn lightweight_python_functions_pipeline() {
    super::check("essential__lightweight_python_functions_pipeline", my_pipeline);
}
