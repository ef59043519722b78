use kfp::prelude::*;

fn helper() -> i64 {
    1
}

#[component(docker_image = "rust:1.83-slim", packages_to_install = ["serde json"])]
async unsafe fn add<T>(value_1: &mut i64, (a, b): (i64, i64)) -> i64 {
    *value_1 + a + b + crate::helper() + rand::random::<i64>()
}

#[pipeline]
fn my_pipeline(value_1: i64) {
    let sum = add_op(value_1, (1, 2));
    add_op(sum.output(), (3, 4));
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
