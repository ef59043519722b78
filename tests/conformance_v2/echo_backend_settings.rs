//! `mounted_cabundle_configmap.yaml`, `mounted_cabundle_secret.yaml`,
//! `run_as_user_cache_disabled.yaml`, `run_as_user_cache_enabled.yaml`: kfp's
//! tests of the KFP backend's own settings (a CA bundle, the user pods run as,
//! caching) run one container component; the IR carries none of those settings,
//! so each golden is that component compiled as a pipeline of its own.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const ECHO: &str = r#"name: echo
implementation:
  container:
    image: registry.access.redhat.com/ubi9/python-311:latest
    command: [echo]
    args: [hello world]
"#;

#[pipeline(name = "echo")]
fn echo_pipeline() {
    let component = load_component_from_text(ECHO).expect("the component loads");
    component.call(Vec::<(&str, &str)>::new());
}

#[test]
fn mounted_cabundle_configmap() {
    super::check("mounted_cabundle_configmap", echo_pipeline);
}

#[test]
fn mounted_cabundle_secret() {
    super::check("mounted_cabundle_secret", echo_pipeline);
}

#[test]
fn run_as_user_cache_disabled() {
    super::check("run_as_user_cache_disabled", echo_pipeline);
}

#[test]
fn run_as_user_cache_enabled() {
    super::check("run_as_user_cache_enabled", echo_pipeline);
}
