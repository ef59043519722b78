//! `critical__pipeline_with_submit_request.yaml`: one component with a package
//! to install and a base image, called twice with caching off.

use kfp::prelude::*;

#[component(base_image = "registry.access.redhat.com/ubi9/python-311:latest")]
pub fn submit_request(url: String) -> Result<(), String> {
    // As the Python component: only multi-user clusters submit the request.
    if !std::env::var("MULTI_USER").unwrap_or_default().eq_ignore_ascii_case("true") {
        return Ok(());
    }
    let scheme = std::env::var("SCHEME").unwrap_or_else(|_| "http".to_owned());
    if scheme != "http" && scheme != "https" {
        return Err(format!("Invalid scheme: {scheme}"));
    }
    println!("would request {scheme}://{url}");
    Ok(())
}

#[pipeline(
    name = "pipeline-with-external-request",
    description = "A pipeline that requests both in-cluster & external URLs."
)]
fn my_pipeline() {
    submit_request_op("httpbin.org/get").set_caching_options(false);
    submit_request_op("ml-pipeline:8888/apis/v2beta1/healthz").set_caching_options(false);
}

#[test]
fn pipeline_with_submit_request() {
    super::check("critical__pipeline_with_submit_request", my_pipeline);
}
