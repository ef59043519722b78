use kfp::prelude::*;

#[derive(ComponentOutputs)]
struct Stats {
    sum: f64,
    taken: std::time::Duration,
}

fn main() {}
