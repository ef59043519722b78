use kfp::dsl::{collected, parallel_for};
use kfp::prelude::*;

#[component]
fn double(num: i64) -> i64 {
    2 * num
}

#[derive(ComponentOutputs)]
pub struct Words {
    first: i64,
    words: Vec<String>,
}

#[pipeline]
fn my_pipeline() -> WordsReturns {
    let doubled = parallel_for(vec![1, 2, 3], |x| double_op(x));
    // The collected integers are no list of strings, and one integer is no list.
    WordsReturns { first: collected(doubled.output()).into(), words: collected(doubled.output()).into() }
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
