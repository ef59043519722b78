//! `cross_loop_after_topology.yaml`: `.after()` across loops: into a loop, out
//! of one, from an outer loop into an inner one and from an inner one out.

use kfp::dsl::parallel_for;
use kfp::prelude::*;

#[component(name = "print_op")]
pub fn print(message: String) {
    println!("{message}");
}

#[pipeline(name = "my-pipeline")]
fn my_pipeline() {
    let one = parallel_for(vec![1i64, 2], |_| print_op("one"));
    parallel_for(vec![1i64, 2], |_| {
        print_op("two").after(&one);
    });
    parallel_for(vec![1i64, 2], |_| {
        let three = print_op("three");
        parallel_for(vec![1i64, 2], |_| {
            print_op("four").after(&three);
        });
    });
    let five = parallel_for(vec![1i64, 2], |_| print_op("five"));
    print_op("six").after(&five);
    parallel_for(vec![1i64, 2], |_| {
        let seven = parallel_for(vec![1i64, 2], |_| print_op("seven"));
        print_op("eight").after(&seven);
    });
}

#[test]
fn cross_loop_after_topology() {
    super::check("cross_loop_after_topology", my_pipeline);
}
