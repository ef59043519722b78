//! `pipeline_producer_consumer.yaml`: a pipeline called as a task inside two
//! nested loops, its outputs collected as a list of lists into another pipeline,
//! which returns named outputs, one of them a collected list (kfp's
//! `NamedTuple` holding a `dsl.Collected`: a `...Returns` struct of `ReturnValue`s).

use kfp::dsl::{collected, parallel_for};
use kfp::prelude::*;

#[component]
fn double(num: i64) -> i64 {
    2 * num
}

#[component]
fn add(nums: Vec<Vec<i64>>) -> i64 {
    nums.iter().flatten().sum()
}

#[pipeline]
fn double_pipeline(num: i64) -> Output<i64> {
    double_op(num).output()
}

#[component]
fn echo_and_return(string: String) -> String {
    println!("{string}");
    string
}

#[component]
fn join_and_print(strings: Vec<String>) {
    println!("{}", strings.concat());
}

/// `add_pipeline`'s outputs (kfp's `NamedTuple('Outpus', ...)`).
#[derive(ComponentOutputs)]
pub struct Outpus {
    out1: i64,
    out2: Vec<String>,
}

#[pipeline]
fn add_pipeline(nums: Vec<Vec<i64>>) -> OutpusReturns {
    let id_task = parallel_for(vec!["m", "a", "t", "h"], echo_and_return_op);
    OutpusReturns { out1: add_op(nums).output().into(), out2: collected(id_task.output()).into() }
}

#[pipeline]
pub(crate) fn math_pipeline() -> Output<i64> {
    let t1 = parallel_for(vec![1, 2, 3], |_| parallel_for(vec![1, 2, 3], double_pipeline_op));
    let t2 = add_pipeline_op(collected(t1.output()).nested());
    join_and_print_op(t2.outputs().out2);
    t2.outputs().out1
}

#[test]
fn pipeline_producer_consumer() {
    super::check("pipeline_producer_consumer", math_pipeline);
}

/// The doubles of 1, 2, 3, three times, sum to 36; the letters are joined in order.
#[test]
fn pipeline_producer_consumer_runs_locally() {
    let dir = crate::common::run::Scratch::new("producer-consumer");
    let report = math_pipeline.run_local_v2(&kfp::run::RunOptions::new(&*dir)).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.outputs.get("Output").map(String::as_str), Some("36"));
}
