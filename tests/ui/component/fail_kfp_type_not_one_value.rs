use kfp::prelude::*;

#[derive(ComponentOutputs)]
struct Scores {
    best: i64,
    count: i64,
}

// The return value's type is declared on the function only for one value:
// named outputs declare theirs on their fields.
#[component]
#[kfp(type = "Score")]
fn stats() -> Scores {
    Scores { best: 1, count: 2 }
}

#[component]
#[kfp(type = "Nothing")]
fn log() {}

fn main() {}
