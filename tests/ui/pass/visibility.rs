//! `pub` and `pub(crate)` components in one module, used from another.

#![deny(warnings)]

mod components {
    use kfp::prelude::*;

    #[component]
    pub fn add(value_1: i64, value_2: i64) -> i64 {
        value_1 + value_2
    }

    #[component]
    pub(crate) fn subtract(value_1: i64, value_2: i64) -> i64 {
        value_1 - value_2
    }

    #[derive(ComponentOutputs)]
    pub struct Pair {
        pub low: i64,
        pub high: i64,
    }

    #[component]
    pub(crate) fn order(value_1: i64, value_2: i64) -> Pair {
        Pair { low: value_1.min(value_2), high: value_1.max(value_2) }
    }

    #[component]
    pub fn save(value: i64, out_path: OutputPath) {
        std::fs::write(out_path.path(), value.to_string()).unwrap();
    }
}

mod pipelines {
    use kfp::prelude::*;

    use crate::components::{add_op, order_op, save_op, subtract_op, PairHandles, SaveOutputs};

    #[pipeline]
    pub fn my_pipeline(value_1: i64, value_2: i64) {
        let pair: PairHandles = order_op(value_1, value_2).outputs();
        let sum = add_op(pair.low, pair.high);
        let saved: SaveOutputs = save_op(subtract_op(sum.output(), 1).output()).outputs();
        let _ = saved.out;
    }
}

fn main() {
    assert_eq!(components::add(1, 2), 3);
    assert_eq!(components::subtract(3, 2), 1);
    kfp::Compiler::new().compile_to_string(pipelines::my_pipeline).unwrap();
}
