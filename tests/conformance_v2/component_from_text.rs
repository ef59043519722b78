//! `pipeline_with_component_from_text.yaml`: a Rust component and a loaded one,
//! each with env set on the task, one over the component's own.

use kfp::components::load_component_from_text;
use kfp::prelude::*;

const CHECK_ENV: &str = r#"
name: Check env
implementation:
  container:
    image: alpine
    command:
    - sh
    - -c
    - |
      set -e -x
      if [ "$ENV2" == "val2" ]
      then
        echo "$ENV2" 
      else 
        echo "ENV2 does not equal val2"
        exit 1
      fi
      echo "$ENV3"
    env:
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
    let check_env = load_component_from_text(CHECK_ENV).expect("the component loads");
    check_env.call(Vec::<(&str, &str)>::new()).set_env_variable("ENV2", "val2").set_env_variable("ENV3", "val3");
}

#[test]
fn pipeline_with_component_from_text() {
    super::check("pipeline_with_component_from_text", my_pipeline);
}
