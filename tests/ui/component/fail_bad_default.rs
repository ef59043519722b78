use kfp::prelude::*;

#[component]
fn scale(#[default] x: f64, #[default(1, 2)] y: f64, #[default(4)] #[default(5)] z: i64) -> f64 {
    x * y * z as f64
}

fn main() {}
