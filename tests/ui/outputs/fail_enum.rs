use kfp::prelude::*;

#[derive(ComponentOutputs)]
enum Verdict {
    Pass { score: f64 },
    Fail { reason: String },
}

fn main() {}
