//! `pipeline_with_parallelfor_pipeline_param.yaml`: pipeline parameters and an
//! outer task's output passed into loops, nested loops, loop parallelism.

use kfp::dsl::ParallelFor;
use kfp::prelude::*;

#[component]
pub fn print_with_prefix(prefix: String, item: String) -> String {
    let result = format!("{prefix}: {item}");
    println!("{result}");
    result
}

#[component]
pub fn make_prefix() -> String {
    "dynamic-prefix".to_owned()
}

#[pipeline(
    name = "pipeline-parallelfor-pipeline-param",
    description = "Pipeline parameter used alongside loop item inside ParallelFor."
)]
fn my_pipeline(prefix: String, #[kfp(type = "typing.List[str]")] loop_parameter: Vec<String>) {
    ParallelFor::new(loop_parameter).parallelism(1).run(|item| {
        print_with_prefix_op(prefix, item);
    });
    let prefix_task = make_prefix_op();
    ParallelFor::new(loop_parameter).run(|item| {
        print_with_prefix_op(prefix_task.output(), item);
    });
    ParallelFor::new(vec!["x".to_owned(), "y".to_owned()]).parallelism(2).run(|_outer_item| {
        ParallelFor::new(loop_parameter).run(|inner_item| {
            print_with_prefix_op(prefix, inner_item);
        });
    });
}

#[test]
fn parallelfor_pipeline_param() {
    super::check("pipeline_with_parallelfor_pipeline_param", my_pipeline);
}
