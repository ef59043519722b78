use kfp::prelude::*;

const OFFSET: i64 = 10;

fn helper(value: i64) -> i64 {
    value * 2
}

mod inner {
    pub fn triple(value: i64) -> i64 {
        value * 3
    }
}

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    crate::helper(value_1) + super::OFFSET + self::inner::triple(value_2)
}

#[pipeline]
fn my_pipeline(value_1: i64) {
    let sum = add_op(value_1, 1);
    add_op(sum.output(), 2);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
