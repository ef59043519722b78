use kfp::prelude::*;

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

// Every problem is reported at once, and the body is still checked.
#[pipeline(title = "add example")]
async fn my_pipeline(#[defualt(4)] value_1: i64, #[default] value_2: i64) -> i64 {
    let sum = add_op(value_1, value_2);
    add_op(sum.output(), "3");
    0
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
