//! `param_op_transform.yaml`: an op transformer adds a pod label whose value is
//! a pipeline parameter; the parameter becomes an input of the step.

use kfp::dsl::{get_pipeline_conf, ContainerOp, Task};
use kfp::prelude::*;
use kfp::Untyped;

fn add_common_labels(param: Param<Untyped>) -> impl Fn(&Task<()>) {
    move |op| {
        op.add_pod_label("param", param.to_string());
    }
}

#[pipeline(
    name = "Parameters in Op transformation functions",
    description = "Test that parameters used in Op transformation functions as pod labels would be correcly identified and set as arguments in he generated yaml"
)]
fn param_op_transform(param: Untyped) {
    get_pipeline_conf().add_op_transformer(add_common_labels(param));
    ContainerOp::new("cop", "image").add();
}

#[test]
fn param_op_transform_matches_kfp() {
    super::check("param_op_transform", param_op_transform);
}
