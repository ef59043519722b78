//! `essential__iris_pipeline.yaml`: a dataset made, normalized and trained on,
//! passing `Dataset` artifacts, writing a `Model` and `ClassificationMetrics`,
//! every task with caching off; parameters with defaults.

use kfp::prelude::*;

/// Writes the iris samples as CSV with a header.
#[component]
pub fn create_dataset(iris_dataset: OutputPath<Dataset>) -> Result<(), String> {
    const DATA: &str = "5.1,3.5,1.4,0.2,Iris-setosa\n4.9,3.0,1.4,0.2,Iris-setosa\n4.7,3.2,1.3,0.2,Iris-setosa\n4.6,3.1,1.5,0.2,Iris-setosa\n5.0,3.6,1.4,0.2,Iris-setosa\n5.7,3.8,1.7,0.3,Iris-setosa\n5.1,3.8,1.5,0.3,Iris-setosa\n5.4,3.4,1.7,0.2,Iris-setosa\n5.1,3.7,1.5,0.4,Iris-setosa\n5.1,3.4,1.5,0.2,Iris-setosa\n5.0,3.5,1.3,0.3,Iris-setosa\n4.5,2.3,1.3,0.3,Iris-setosa\n4.4,3.2,1.3,0.2,Iris-setosa\n5.0,3.5,1.6,0.6,Iris-setosa\n5.1,3.8,1.9,0.4,Iris-setosa\n4.8,3.0,1.4,0.3,Iris-setosa\n5.1,3.8,1.6,0.2,Iris-setosa\n4.6,3.2,1.4,0.2,Iris-setosa\n5.3,3.7,1.5,0.2,Iris-setosa\n5.0,3.3,1.4,0.2,Iris-setosa\n7.0,3.2,4.7,1.4,Iris-versicolor\n6.4,3.2,4.5,1.5,Iris-versicolor\n6.9,3.1,4.9,1.5,Iris-versicolor\n5.5,2.3,4.0,1.3,Iris-versicolor\n6.5,2.8,4.6,1.5,Iris-versicolor\n6.2,2.2,4.5,1.5,Iris-versicolor\n5.6,2.5,3.9,1.1,Iris-versicolor\n5.9,3.2,4.8,1.8,Iris-versicolor\n6.1,2.8,4.0,1.3,Iris-versicolor\n6.3,2.5,4.9,1.5,Iris-versicolor\n6.1,2.8,4.7,1.2,Iris-versicolor\n6.4,2.9,4.3,1.3,Iris-versicolor\n6.6,3.0,4.4,1.4,Iris-versicolor\n5.6,2.7,4.2,1.3,Iris-versicolor\n5.7,3.0,4.2,1.2,Iris-versicolor\n5.7,2.9,4.2,1.3,Iris-versicolor\n6.2,2.9,4.3,1.3,Iris-versicolor\n5.1,2.5,3.0,1.1,Iris-versicolor\n5.7,2.8,4.1,1.3,Iris-versicolor\n6.3,3.3,6.0,2.5,Iris-virginica\n5.8,2.7,5.1,1.9,Iris-virginica\n7.1,3.0,5.9,2.1,Iris-virginica\n6.3,2.9,5.6,1.8,Iris-virginica\n6.5,3.0,5.8,2.2,Iris-virginica\n6.9,3.1,5.1,2.3,Iris-virginica\n5.8,2.7,5.1,1.9,Iris-virginica\n6.8,3.2,5.9,2.3,Iris-virginica\n6.7,3.3,5.7,2.5,Iris-virginica\n6.7,3.0,5.2,2.3,Iris-virginica\n6.3,2.5,5.0,1.9,Iris-virginica\n6.5,3.0,5.2,2.0,Iris-virginica\n6.2,3.4,5.4,2.3,Iris-virginica\n5.9,3.0,5.1,1.8,Iris-virginica";
    let csv = format!("Sepal_Length,Sepal_Width,Petal_Length,Petal_Width,Labels\n{DATA}\n");
    std::fs::write(&iris_dataset, csv).map_err(|e| format!("cannot write {}: {e}", iris_dataset.display()))
}

/// Scales each feature column to mean 0 and deviation 1 (`standard_scaler`) or to [0, 1].
#[component]
pub fn normalize_dataset(
    input_iris_dataset: InputPath<Dataset>,
    normalized_iris_dataset: OutputPath<Dataset>,
    standard_scaler: bool,
) -> Result<(), String> {
    let text = std::fs::read_to_string(&input_iris_dataset)
        .map_err(|e| format!("cannot read {}: {e}", input_iris_dataset.display()))?;
    let mut lines = text.lines();
    let header = lines.next().ok_or("the dataset is empty")?;
    let mut rows: Vec<(Vec<f64>, &str)> = Vec::new();
    for line in lines {
        let (features, label) = line.rsplit_once(',').ok_or_else(|| format!("a row without a label: `{line}`"))?;
        let features: Result<Vec<f64>, _> = features.split(',').map(str::parse).collect();
        rows.push((features.map_err(|e| format!("`{line}`: {e}"))?, label));
    }
    let columns = rows.first().map_or(0, |(features, _)| features.len());
    for column in 0..columns {
        let values: Vec<f64> = rows.iter().map(|(features, _)| features[column]).collect();
        let n = values.len() as f64;
        let (shift, scale) = if standard_scaler {
            let mean = values.iter().sum::<f64>() / n;
            (mean, (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt())
        } else {
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            (min, values.iter().copied().fold(f64::NEG_INFINITY, f64::max) - min)
        };
        for (features, _) in &mut rows {
            features[column] = if scale == 0.0 { 0.0 } else { (features[column] - shift) / scale };
        }
    }
    let mut csv = format!("{header}\n");
    for (features, label) in rows {
        let features: Vec<String> = features.iter().map(f64::to_string).collect();
        csv += &format!("{},{label}\n", features.join(","));
    }
    std::fs::write(&normalized_iris_dataset, csv)
        .map_err(|e| format!("cannot write {}: {e}", normalized_iris_dataset.display()))
}

/// A k-nearest-neighbours classifier: the model is the samples and `n_neighbors`;
/// the metrics are the confusion matrix of each sample classified by the others.
#[component]
pub fn train_model(
    normalized_iris_dataset: InputPath<Dataset>,
    model: OutputPath<Model>,
    metrics: OutputPath<ClassificationMetrics>,
    n_neighbors: i64,
) -> Result<(), String> {
    const LABELS: [&str; 3] = ["Iris-setosa", "Iris-versicolor", "Iris-virginica"];
    let text = std::fs::read_to_string(&normalized_iris_dataset)
        .map_err(|e| format!("cannot read {}: {e}", normalized_iris_dataset.display()))?;
    let mut samples: Vec<(Vec<f64>, usize)> = Vec::new();
    for line in text.lines().skip(1) {
        let (features, label) = line.rsplit_once(',').ok_or_else(|| format!("a row without a label: `{line}`"))?;
        let label =
            LABELS.iter().position(|known| *known == label).ok_or_else(|| format!("unknown label `{label}`"))?;
        let features: Result<Vec<f64>, _> = features.split(',').map(str::parse).collect();
        samples.push((features.map_err(|e| format!("`{line}`: {e}"))?, label));
    }
    let k = usize::try_from(n_neighbors).ok().filter(|k| *k > 0).ok_or("n_neighbors must be positive")?;
    let mut matrix = [[0u32; 3]; 3];
    for (index, (features, label)) in samples.iter().enumerate() {
        let mut neighbours: Vec<(f64, usize)> = (samples.iter().enumerate())
            .filter(|(other, _)| *other != index)
            .map(|(_, (other, other_label))| {
                (features.iter().zip(other).map(|(a, b)| (a - b).powi(2)).sum::<f64>(), *other_label)
            })
            .collect();
        neighbours.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut votes = [0usize; 3];
        neighbours.iter().take(k).for_each(|(_, label)| votes[*label] += 1);
        let predicted = (0..3).max_by_key(|label| votes[*label]).unwrap_or(0);
        matrix[*label][predicted] += 1;
    }
    let specs: Vec<String> = LABELS.iter().map(|label| format!(r#"{{"displayName": "{label}"}}"#)).collect();
    let rows: Vec<String> = matrix.iter().map(|row| format!(r#"{{"row": {row:?}}}"#)).collect();
    let confusion = format!(
        r#"{{"confusionMatrix": {{"annotationSpecs": [{}], "rows": [{}]}}}}"#,
        specs.join(", "),
        rows.join(", ")
    );
    std::fs::write(&metrics, confusion).map_err(|e| format!("cannot write {}: {e}", metrics.display()))?;
    std::fs::write(&model, format!("k={k}\n{text}")).map_err(|e| format!("cannot write {}: {e}", model.display()))
}

#[pipeline(name = "iris-training-pipeline")]
fn my_pipeline(#[default(true)] standard_scaler: bool, #[default(3)] neighbors: i64) {
    let create_dataset_task = create_dataset_op().set_caching_options(false);
    let normalize_dataset_task =
        normalize_dataset_op(create_dataset_task.outputs().iris_dataset, standard_scaler).set_caching_options(false);
    train_model_op(normalize_dataset_task.outputs().normalized_iris_dataset, neighbors).set_caching_options(false);
}

#[test]
fn iris_pipeline() {
    super::check("essential__iris_pipeline", my_pipeline);
}
