//! `essential__component_with_pip_index_urls.yaml`: a component with packages to
//! install in a pipeline. kfp's pip packages are crates here; the pip index URL has
//! no Rust counterpart (a crate registry is Cargo's configuration), and the IR
//! compared does not carry it.

use kfp::prelude::*;

#[component(name = "component_op", packages_to_install = ["serde_json"])]
pub fn component() {
    println!("{}", serde_json::json!({"installed": true}));
}

#[pipeline(name = "v2-component-pip-index-urls")]
fn my_pipeline() {
    component_op();
}

#[test]
fn component_with_pip_index_urls() {
    super::check("essential__component_with_pip_index_urls", my_pipeline);
}
