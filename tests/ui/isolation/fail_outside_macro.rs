use kfp::prelude::*;

macro_rules! square {
    ($value:expr) => {
        $value * $value
    };
}

#[component]
fn area(side: i64) -> i64 {
    square!(side)
}

#[pipeline]
fn my_pipeline(side: i64) {
    area_op(side);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
