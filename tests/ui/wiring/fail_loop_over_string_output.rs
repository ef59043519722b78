use kfp::dsl::parallel_for;
use kfp::prelude::*;

/// Returns a JSON list as text.
#[component]
fn list_numbers() -> String {
    "[1, 2, 3]".to_owned()
}

#[component]
fn square(value: i64) -> i64 {
    value * value
}

#[pipeline]
fn my_pipeline() {
    let numbers = list_numbers_op();
    parallel_for(numbers.output(), |item| {
        square_op(item);
    });
}

fn main() {}
