use kfp::prelude::*;

#[derive(ComponentOutputs)]
struct Stats<T> {
    sum: T,
    mean: f64,
}

fn main() {}
