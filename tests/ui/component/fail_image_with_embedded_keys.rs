use kfp::prelude::*;

fn helper(value: i64) -> i64 {
    value * 2
}

// `base_image` and `packages_to_install` are for embedded-source components;
// the body's use of the crate is fine for a prebuilt image and not reported.
#[component(image = "registry.example.com/app:1", base_image = "rust:1.83-slim", packages_to_install = ["rand@0.8"])]
fn double(value: i64) -> i64 {
    crate::helper(value)
}

#[pipeline]
fn my_pipeline(value: i64) {
    double_op(value);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
