//! `artifacts_complex.yaml`: a pipeline taking lists of artifacts as parameters
//! (`in_datasets1: ArtifactList<Dataset>`, kfp's `Input[List[Dataset]]` on a pipeline), each
//! given to a component taking `Vec<InputPath<Dataset>>`, called as a task with loops' `Dataset`s
//! collected (one loop's, and one collected over two nested loops and a condition: a list of
//! artifacts is flat); the outer pipeline returns named outputs holding an artifact and a
//! collected list of artifacts (kfp's `NamedTuple` with a `List[Dataset]` field).

use kfp::dsl::{collected, condition, parallel_for, ArtifactList, Compare};
use kfp::prelude::*;

#[component]
pub fn double(num: i64, out_dataset: OutputPath<Dataset>) {
    std::fs::write(&out_dataset, (2 * num).to_string()).expect("the dataset is writable");
}

#[component]
pub fn add(in_datasets: Vec<InputPath<Dataset>>, out_dataset: OutputPath<Dataset>) {
    let read = |dataset: &InputPath<Dataset>| std::fs::read_to_string(dataset).expect("the dataset is readable");
    let nums: Vec<i64> = in_datasets.iter().map(|dataset| read(dataset).trim().parse().expect("a number")).collect();
    std::fs::write(&out_dataset, nums.iter().sum::<i64>().to_string()).expect("the dataset is writable");
}

#[component]
pub fn add_two_ints(
    in_dataset1: InputPath<Dataset>,
    in_dataset2: InputPath<Dataset>,
    out_dataset: OutputPath<Dataset>,
) {
    let read = |dataset: &InputPath<Dataset>| -> i64 {
        std::fs::read_to_string(dataset).expect("the dataset is readable").trim().parse().expect("a number")
    };
    std::fs::write(&out_dataset, (read(&in_dataset1) + read(&in_dataset2)).to_string())
        .expect("the dataset is writable");
}

#[pipeline]
pub fn add_two_lists_of_datasets(
    in_datasets1: ArtifactList<Dataset>,
    in_datasets2: ArtifactList<Dataset>,
) -> Output<Dataset> {
    let sum1 = add_op(in_datasets1);
    let sum2 = add_op(in_datasets2);
    add_two_ints_op(sum1.outputs().out_dataset, sum2.outputs().out_dataset).outputs().out_dataset
}

/// `math_pipeline`'s outputs (kfp's `NamedTuple('Outputs', [('sum', Dataset), ('datasets', List[Dataset])])`).
#[derive(ComponentOutputs)]
pub struct Outputs {
    sum: Dataset,
    datasets: ArtifactList<Dataset>,
}

#[pipeline(name = "math-pipeline")]
pub fn math_pipeline(#[default(2)] threshold: i64) -> OutputsReturns {
    let (double_task1, double_task2) = parallel_for(vec![1, 2, 3], |x| {
        let double_task1 = double_op(x);
        let double_task2 = parallel_for(vec![1, 2, 3], |y| condition(y.ge(threshold), || double_op(y)));
        (double_task1, double_task2)
    });
    let sum_task = add_two_lists_of_datasets_op(
        collected(double_task1.outputs().out_dataset),
        collected(double_task2.outputs().out_dataset),
    );
    OutputsReturns { sum: sum_task.output().into(), datasets: collected(double_task1.outputs().out_dataset).into() }
}

#[test]
fn artifacts_complex() {
    super::check("artifacts_complex", math_pipeline);
}

/// Run locally: the first list holds the doubles of 1, 2, 3 (12 in all), the second those of 2
/// and 3 for each of the outer loop's 3 iterations, gathered over both loops into one list (30);
/// the pipeline returns their sum and the first loop's 3 datasets.
#[test]
fn artifacts_complex_runs_locally() {
    if !super::common::run::have_rustc() {
        super::common::skip("rustc is not on PATH (the components' programs are built with it)");
        return;
    }
    let dir = super::common::run::Scratch::new("artifacts-complex");
    let report = math_pipeline.run_local_v2(&kfp::run::RunOptions::new(&*dir)).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.outputs.get("sum").map(String::as_str), Some("42"), "{report:#?}");
}
