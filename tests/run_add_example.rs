//! Runs every container command of the compiled add example on this machine
//! (sh + rustc, image ignored): value_1=3, value_2=4 gives (3+4)*(3-4) = -7.

mod common;

#[path = "../examples/add_pipeline.rs"]
#[allow(dead_code)]
mod add_pipeline;

#[test]
fn compiled_containers_compute_minus_seven() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH; the component programs are built with it");
        return;
    }
    let workflow = kfp::Compiler::new().compile_to_workflow(add_pipeline::my_pipeline).unwrap();
    let outputs = common::run::run_workflow(&workflow, &[("value_1", "3"), ("value_2", "4")], "add");
    assert_eq!(outputs["add-Output"], "7");
    assert_eq!(outputs["subtract-Output"], "-1");
    assert_eq!(outputs["multiply-Output"], "-7");
}
