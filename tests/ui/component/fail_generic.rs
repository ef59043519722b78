use kfp::prelude::*;

#[component]
fn add<T: std::ops::Add<Output = T>>(value_1: T, value_2: T) -> T {
    value_1 + value_2
}

#[component]
fn scale(value: f64, factor: f64) -> f64
where
    f64: Copy,
{
    value * factor
}

#[pipeline]
fn my_pipeline(value_1: i64) {
    let sum = add_op(value_1, 1);
    add_op(sum.output(), 2);
    scale_op(1.5, 2.0);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
