use kfp::prelude::*;

#[pipeline]
const MY_PIPELINE: i64 = 1;

fn main() {
    let _ = MY_PIPELINE;
}
