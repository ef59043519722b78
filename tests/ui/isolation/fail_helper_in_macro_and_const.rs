use kfp::prelude::*;

const LIMIT: i64 = 10;

fn twice(value: i64) -> i64 {
    value * 2
}

/// Bindings, nested items, closures and prelude values are the body's own;
/// the crate's function inside `println!` and its constant are not.
#[component]
fn clamp(value: i64) -> i64 {
    const FLOOR: i64 = 0;
    fn half(value: i64) -> i64 {
        value / 2
    }
    let scale = |x: i64| x * 3;
    let checked: Option<i64> = Some(scale(half(value)));
    println!("{} {doubled}", twice(value), doubled = checked.map_or(0, |found| found));
    drop(checked);
    value.clamp(FLOOR, LIMIT)
}

fn main() {
    let _ = twice(1);
}
