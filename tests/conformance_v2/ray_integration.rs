//! `integration__ray_integration.yaml`: a pipeline named with spaces and
//! capitals (kfp writes it sanitized), one task returning an integer, caching off.

use kfp::prelude::*;

#[component(base_image = "registry.access.redhat.com/ubi9/python-311:latest")]
pub fn ray_fn() -> i64 {
    100
}

#[pipeline(name = "Ray Integration Test", description = "Ray Integration Test")]
fn ray_integration() {
    ray_fn_op().set_caching_options(false);
}

#[test]
fn ray_integration_test() {
    super::check("integration__ray_integration", ray_integration);
}
