use kfp::prelude::*;

struct Calculator;

impl Calculator {
    #[component]
    fn add(&self, value_1: i64, value_2: i64) -> i64 {
        value_1 + value_2
    }
}

fn main() {
    let _ = Calculator.add(1, 2);
}
