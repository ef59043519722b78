use kfp::prelude::*;

#[derive(ComponentOutputs)]
struct Stats(f64, f64);

#[derive(ComponentOutputs)]
struct Nothing;

#[derive(ComponentOutputs)]
struct Empty {}

fn main() {}
