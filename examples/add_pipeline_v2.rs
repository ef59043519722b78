//! KFP's quick-start "add example" compiled for KFP v2: the pipeline of
//! `add_pipeline.rs`, written as pipeline IR.
//!
//! `cargo run --example add_pipeline_v2` writes add_pipeline.ir.yaml (upload it to
//! a KFP v2 cluster) and add.component.yaml, the add component as kfp 2 writes a
//! component (load it in kfp 2 with `components.load_component_from_file`).

#[path = "add_pipeline.rs"]
#[allow(dead_code)]
mod add_pipeline;

use kfp::Target;

fn main() -> kfp::Result<()> {
    let compiled =
        kfp::Compiler::new().target(Target::V2).compile(add_pipeline::my_pipeline, "add_pipeline.ir.yaml")?;
    println!("wrote {}", compiled.workflow.display());
    for file in &compiled.component_files {
        println!("wrote {}", file.display());
    }
    Ok(())
}
