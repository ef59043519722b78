//! KFP's quick-start "add example" in Rust: three components, one pipeline.
//!
//! `cargo run --example add_pipeline` writes add_pipeline.yaml (upload it in the
//! KFP UI) and add.component.yaml (load it in kfp with `load_component_from_file`).

use kfp::prelude::*;

/// 더하기 (adds two numbers)
#[component(base_image = "rust:1.83-slim", output_component_file = "add.component.yaml")]
pub fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[component]
pub fn subtract(value_1: i64, value_2: i64) -> i64 {
    value_1 - value_2
}

#[component]
pub fn multiply(value_1: i64, value_2: i64) -> i64 {
    value_1 * value_2
}

#[pipeline(name = "add example")]
pub fn my_pipeline(value_1: i64, value_2: i64) {
    let task_1 = add_op(value_1, value_2);
    let task_2 = subtract_op(value_1, value_2);
    multiply_op(task_1.output(), task_2.output());
}

fn main() -> kfp::Result<()> {
    let compiled = kfp::Compiler::new().compile(my_pipeline, "add_pipeline.yaml")?;
    println!("wrote {}", compiled.workflow.display());
    for file in &compiled.component_files {
        println!("wrote {}", file.display());
    }
    Ok(())
}
