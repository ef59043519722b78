//! `pipeline_with_utils.yaml`: a component calling helper functions (kfp's
//! `additional_funcs`): in Rust, functions defined inside the component's body,
//! which travel with it.

use kfp::prelude::*;

#[component]
pub fn echo(msg: String) {
    fn util_func(msg: &str) -> String {
        format!("{msg} from util_func")
    }
    fn util_func2(msg: &str) -> String {
        format!("{msg} from util_func2")
    }
    assert_eq!(util_func(&msg), format!("{msg} from util_func"));
    assert_eq!(util_func2(&msg), format!("{msg} from util_func2"));
}

#[pipeline(name = "pipeline-with-utils", description = "A simple hello world pipeline")]
fn my_pipeline(#[default("Hello, World!")] msg: String) {
    echo_op(msg);
}

#[test]
fn pipeline_with_utils() {
    super::check("pipeline_with_utils", my_pipeline);
}
