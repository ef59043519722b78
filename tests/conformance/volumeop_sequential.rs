//! `volumeop_sequential.yaml`: each step mounts the volume the previous one
//! mounted, so runs after it.

use kfp::dsl::{ContainerOp, VolumeOp, VOLUME_MODE_RWM};
use kfp::prelude::*;

#[pipeline(name = "VolumeOp Sequential", description = "The third example of the design doc.")]
fn volumeop_sequential() {
    let vop = VolumeOp::new("mypvc", "newpvc", "10Gi").modes(VOLUME_MODE_RWM).add();
    let step1 = ContainerOp::new("step1", "library/bash:4.4.23")
        .command(["sh", "-c"])
        .arguments(["echo 1|tee /data/file1"])
        .pvolume("/data", vop.volume())
        .add();
    let step2 = ContainerOp::new("step2", "library/bash:4.4.23")
        .command(["sh", "-c"])
        .arguments(["cp /data/file1 /data/file2"])
        .pvolume("/data", step1.pvolume())
        .add();
    ContainerOp::new("step3", "library/bash:4.4.23")
        .command(["cat", "/mnt/file1", "/mnt/file2"])
        .pvolume("/mnt", step2.pvolume())
        .add();
}

#[test]
fn volumeop_sequential_matches_kfp() {
    super::check("volumeop_sequential", volumeop_sequential);
}
