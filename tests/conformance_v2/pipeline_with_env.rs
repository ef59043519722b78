//! `critical__pipeline_with_env.yaml`: env variables set on tasks, after those a
//! loaded component sets itself.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const PRINT_ENV: &str = r#"
name: Print env
implementation:
  container:
    image: alpine
    command:
    - sh
    - -c
    - |
      set -e -x
      echo "$ENV1"
      echo "$ENV2"
      echo "$ENV3"
    env:
      ENV1: val0
      ENV2: val0
"#;

#[component(name = "print_env_op")]
pub fn print_env() {
    println!("ENV1 {:?}", std::env::var("ENV1").ok());
    println!("ENV2 {:?}", std::env::var("ENV2").ok());
}

#[pipeline(name = "pipeline-with-env")]
fn my_pipeline() {
    print_env_op().set_env_variable("ENV1", "val1");
    let component = load_component_from_text(PRINT_ENV).expect("the component loads");
    component.call(Vec::<(&str, &str)>::new()).set_env_variable("ENV2", "val2").set_env_variable("ENV3", "val3");
}

#[test]
fn pipeline_with_env() {
    super::check("critical__pipeline_with_env", my_pipeline);
}
