//! kfp 2's "pythonic artifacts", components returning artifacts (`-> Dataset`, a
//! `NamedTuple` with artifact fields): `critical__pythonic_artifacts_test_pipeline.yaml`,
//! `essential__lightweight_python_functions_with_outputs.yaml` and
//! `pythonic_artifact_with_single_return.yaml`, `pythonic_artifacts_with_multiple_returns.yaml`
//! (through a pipeline called as a task). A Rust component returns an
//! `OutputArtifact<T>` (the output `Output`) or a `#[derive(ComponentOutputs)]` struct with
//! `OutputArtifact<T>` fields.

mod pythonic_artifacts_test {
    use kfp::prelude::*;

    #[component]
    fn gen_data() -> std::io::Result<OutputArtifact<Dataset>> {
        let dataset = OutputArtifact::new(get_uri("Output")?);
        std::fs::write(&dataset, "some data")?;
        Ok(dataset)
    }

    #[component]
    fn train_model(dataset: InputPath<Dataset>) -> Result<OutputArtifact<Model>, String> {
        let lines = std::fs::read_to_string(&dataset).map_err(|e| e.to_string())?;
        if lines != "some data" {
            return Err(format!("unexpected dataset {lines:?}"));
        }
        let model = OutputArtifact::new(get_uri("model").map_err(|e| e.to_string())?);
        std::fs::write(&model, "model trained").map_err(|e| e.to_string())?;
        Ok(model)
    }

    #[pipeline(name = "pythonic-artifacts-test")]
    pub fn pythonic_artifacts_test_pipeline() {
        let t1 = gen_data_op().set_caching_options(false);
        train_model_op(t1.output()).set_caching_options(false);
    }
}

#[test]
fn pythonic_artifacts_test_pipeline() {
    super::check(
        "critical__pythonic_artifacts_test_pipeline",
        pythonic_artifacts_test::pythonic_artifacts_test_pipeline,
    );
}

mod functions_with_outputs {
    use kfp::prelude::*;

    #[component]
    fn concat_message(first: String, second: String) -> String {
        first + &second
    }

    #[component]
    fn add_numbers(first: i64, second: i64) -> i64 {
        first + second
    }

    /// kfp's function returns the text, which its executor writes: here the function writes it.
    #[component]
    fn output_artifact(number: i64, message: String) -> std::io::Result<OutputArtifact<Dataset>> {
        let dataset = OutputArtifact::new(get_uri("Output")?);
        let lines: Vec<&str> = (0..number).map(|_| message.as_str()).collect();
        std::fs::write(&dataset, lines.join("\n"))?;
        Ok(dataset)
    }

    /// kfp's `NamedTuple('Outputs', [('scalar', str), ('metrics', Metrics), ('model', Model)])`.
    #[derive(ComponentOutputs)]
    struct Outputs {
        scalar: String,
        metrics: OutputArtifact<Metrics>,
        model: OutputArtifact<Model>,
    }

    #[component]
    fn output_named_tuple(artifact: InputPath<Dataset>) -> std::io::Result<Outputs> {
        let metrics = OutputArtifact::new(get_uri("metrics")?);
        std::fs::write(&metrics, r#"{"metrics": [{"name": "accuracy", "numberValue": 0.9, "format": "PERCENTAGE"}]}"#)?;
        let model = OutputArtifact::new(get_uri("model")?);
        std::fs::write(&model, format!("Model contents: {}", std::fs::read_to_string(&artifact)?))?;
        Ok(Outputs { scalar: "123".to_owned(), metrics, model })
    }

    #[pipeline(name = "functions-with-outputs")]
    pub fn pipeline(first_message: String, second_message: String, first_number: i64, second_number: i64) {
        let concat = concat_message_op(first_message, second_message);
        let add_numbers = add_numbers_op(first_number, second_number);
        let output_artifact = output_artifact_op(add_numbers.output(), concat.output());
        output_named_tuple_op(output_artifact.output());
    }
}

#[test]
fn lightweight_python_functions_with_outputs() {
    super::check("essential__lightweight_python_functions_with_outputs", functions_with_outputs::pipeline);
}

mod single_return {
    use kfp::dsl::importer;
    use kfp::prelude::*;
    use serde_json::json;

    /// kfp's pickles a function with dill; here the model is the text it was trained on.
    #[component]
    fn make_language_model(text_dataset: InputPath<Dataset>) -> std::io::Result<OutputArtifact<Model>> {
        let text = std::fs::read_to_string(&text_dataset)?;
        let model = OutputArtifact::new(get_uri("model")?);
        std::fs::write(&model, text)?;
        Ok(model)
    }

    #[pipeline(name = "make-language-model-pipeline")]
    pub fn make_language_model_pipeline() -> Output<Model> {
        let importer = importer::<Dataset>("gs://ml-pipeline-playground/shakespeare1.txt")
            .reimport(false)
            .metadata([("key", json!("value"))])
            .call();
        make_language_model_op(importer.output()).output()
    }
}

#[test]
fn pythonic_artifact_with_single_return() {
    super::check("pythonic_artifact_with_single_return", single_return::make_language_model_pipeline);
}

mod multiple_returns {
    use kfp::artifacts::Artifact;
    use kfp::prelude::*;

    /// kfp's `NamedTuple('outputs', dataset1=Dataset, dataset2=Dataset)`.
    #[derive(ComponentOutputs)]
    struct Split {
        dataset1: OutputArtifact<Dataset>,
        dataset2: OutputArtifact<Dataset>,
    }

    /// Writes each half of the dataset's text to an artifact of its own.
    #[component]
    fn dataset_splitter(in_dataset: InputPath<Dataset>) -> std::io::Result<Split> {
        let in_data = std::fs::read_to_string(&in_dataset)?;
        let (out_data1, out_data2) = in_data.split_at(in_data.len() / 2);
        let dataset1 = OutputArtifact::new(get_uri("dataset1")?);
        std::fs::write(&dataset1, out_data1)?;
        let dataset2 = OutputArtifact::new(get_uri("dataset2")?);
        std::fs::write(&dataset2, out_data2)?;
        Ok(Split { dataset1, dataset2 })
    }

    /// The pipeline's outputs, as kfp's pipeline returns them.
    #[derive(ComponentOutputs)]
    struct Outputs {
        dataset1: Dataset,
        dataset2: Dataset,
    }

    /// kfp's pipeline returns `dataset1` twice.
    #[pipeline]
    fn splitter_pipeline(in_dataset: Dataset) -> OutputsHandles {
        let task = dataset_splitter_op(in_dataset);
        OutputsHandles { dataset1: task.outputs().dataset1, dataset2: task.outputs().dataset1 }
    }

    #[component]
    fn make_dataset() -> std::io::Result<OutputArtifact<Artifact>> {
        let artifact = OutputArtifact::new(get_uri("dataset")?);
        std::fs::write(&artifact, "Hello, world")?;
        Ok(artifact)
    }

    #[pipeline]
    pub fn split_datasets_and_return_first() -> Output<Dataset> {
        let t1 = make_dataset_op();
        splitter_pipeline_op(t1.output()).outputs().dataset1
    }
}

#[test]
fn pythonic_artifacts_with_multiple_returns() {
    super::check("pythonic_artifacts_with_multiple_returns", multiple_returns::split_datasets_and_return_first);
}
