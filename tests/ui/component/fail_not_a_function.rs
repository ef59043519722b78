use kfp::prelude::*;

#[component]
struct Add {
    value_1: i64,
    value_2: i64,
}

fn main() {
    let _ = Add { value_1: 1, value_2: 2 };
}
