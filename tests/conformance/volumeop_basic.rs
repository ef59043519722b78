//! `volumeop_basic.yaml`: a VolumeOp whose size is a pipeline parameter, mounted by one step.

use kfp::dsl::{ContainerOp, VolumeOp, VOLUME_MODE_RWM};
use kfp::prelude::*;
use kfp::types::Untyped;

#[pipeline(name = "VolumeOp Basic", description = "A Basic Example on VolumeOp Usage.")]
fn volumeop_basic(size: Untyped) {
    let vop = VolumeOp::new("create-pvc", "my-pvc", size).modes(VOLUME_MODE_RWM).add();
    ContainerOp::new("cop", "library/bash:4.4.23")
        .command(["sh", "-c"])
        .arguments(["echo foo > /mnt/file1"])
        .pvolume("/mnt", vop.volume())
        .add();
}

#[test]
fn volumeop_basic_matches_kfp() {
    super::check("volumeop_basic", volumeop_basic);
}
