//! Task settings chain like kfp's `ContainerOp` methods.

#![deny(warnings)]

use kfp::prelude::*;

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[pipeline]
fn my_pipeline(value_1: i64) {
    let first = add_op(value_1, 1);
    first.set_cpu_limit("1").set_retry(3);
    add_op(first.output(), 2)
        .set_display_name("second")
        .set_cpu_request("500m")
        .set_memory_request("256Mi")
        .set_memory_limit("1Gi")
        .set_gpu_limit(1)
        .set_env_variable("RUST_LOG", "debug")
        .set_timeout(600)
        .set_caching_options(false)
        .set_max_cache_staleness("P0D")
        .add_node_selector_constraint("cloud.google.com/gke-accelerator", "nvidia-tesla-t4")
        .after(&first);
}

fn main() {
    let workflow = kfp::Compiler::new().compile_to_workflow(my_pipeline).unwrap();
    let retries: Vec<String> = workflow
        .spec
        .templates
        .iter()
        .filter_map(|template| Some(format!("{:?}", template.retry_strategy.as_ref()?.limit.as_ref()?)))
        .collect();
    assert_eq!(retries, ["Int(3)"]);
    let cpu_limits: Vec<&str> = workflow
        .spec
        .templates
        .iter()
        .filter_map(|template| template.container.as_ref()?.resources.as_ref()?.limits.as_ref()?.get("cpu"))
        .map(|quantity| quantity.0.as_str())
        .collect();
    assert_eq!(cpu_limits, ["1"]);
}
