//! `param_substitutions.yaml`: a VolumeOp's name output used both as an
//! argument and as the claim of the volume the step mounts.

use kfp::dsl::{ContainerOp, VolumeOp};
use kfp::prelude::*;

#[pipeline(
    name = "Param Substitutions",
    description = "Test the same PipelineParam getting substituted in multiple places"
)]
fn param_substitutions() {
    let vop = VolumeOp::new("create_volume", "data", "1Gi").add();
    ContainerOp::new("cop", "image")
        .arguments(["--param".to_owned(), vop.output().to_string()])
        .pvolume("/mnt", vop.volume())
        .add();
}

#[test]
fn param_substitutions_matches_kfp() {
    super::check("param_substitutions", param_substitutions);
}
