use kfp::prelude::*;

mod util {
    pub fn double(value: i64) -> i64 {
        value * 2
    }
}

#[component]
fn double_it(value: i64) -> i64 {
    use crate::util::double;
    double(value)
}

#[pipeline]
fn my_pipeline(value: i64) {
    double_it_op(value);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
