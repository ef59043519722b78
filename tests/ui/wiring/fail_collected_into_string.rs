use kfp::dsl::{collected, parallel_for};
use kfp::prelude::*;

#[component]
fn double(num: i64) -> i64 {
    2 * num
}

#[component]
fn shout(text: String) -> String {
    text.to_uppercase()
}

#[component]
fn join(words: Vec<String>) -> String {
    words.join(" ")
}

#[pipeline]
fn my_pipeline() {
    let doubled = parallel_for(vec![1, 2, 3], |x| double_op(x));
    // A collected list is a list: not a string.
    shout_op(collected(doubled.output()));
    // Its items are integers: not strings.
    join_op(collected(doubled.output()));
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
