//! `critical__pipeline_with_secret_as_env.yaml`: secrets' keys as env variables, the
//! secret named by a pipeline parameter, a constant and a task output
//! (kfp-kubernetes `use_secret_as_env`).

use kfp::argo::{EnvVar, SecretKeySelector};
use kfp::components::load_component_from_text;
use kfp::k8s_openapi::api::core::v1::EnvVarSource;
use kfp::prelude::*;

#[component]
pub fn comp() {
    println!("{:?}", std::env::var("USER_NAME").ok());
}

const GENERATE_SECRET_NAME: &str = r#"
name: generate_secret_name
outputs:
- {name: some_output, type: String}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'echo -n test-secret-3 > "$0"', {outputPath: some_output}]
"#;

fn from_secret(env: &str, secret: impl ToString, key: &str) -> EnvVar {
    EnvVar {
        name: env.into(),
        value_from: Some(EnvVarSource {
            secret_key_ref: Some(SecretKeySelector { name: secret.to_string(), key: key.into(), optional: None }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[pipeline(name = "pipeline-secret-env")]
fn my_pipeline(#[default("test-secret-1")] secret_parm: String) {
    let task = comp_op();
    task.add_env_variable(from_secret("USER_NAME", secret_parm, "username"));
    task.add_env_variable(from_secret("PASSWORD_VAR1", "test-secret-2", "password"));
    let generate = load_component_from_text(GENERATE_SECRET_NAME).expect("the component loads");
    let task2 = generate.call(Vec::<(&str, &str)>::new());
    task.add_env_variable(from_secret("PASSWORD_VAR2", task2.output(), "password"));
}

#[test]
fn secret_as_env() {
    super::check("critical__pipeline_with_secret_as_env", my_pipeline);
}
