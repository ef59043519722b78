//! `volumeop_parallel.yaml`: three steps mount one claim at different paths, in parallel.

use kfp::dsl::{ContainerOp, VolumeOp, VOLUME_MODE_RWM};
use kfp::prelude::*;

#[pipeline(name = "VolumeOp Parallel", description = "The first example of the design doc.")]
fn volumeop_parallel() {
    let vop = VolumeOp::new("create_pvc", "my-pvc", "10Gi").modes(VOLUME_MODE_RWM).add();
    for (name, path, script) in [
        ("step1", "/mnt", "echo 1 | tee /mnt/file1"),
        ("step2", "/common", "echo 2 | tee /common/file2"),
        ("step3", "/mnt3", "echo 3 | tee /mnt3/file3"),
    ] {
        ContainerOp::new(name, "library/bash:4.4.23")
            .command(["sh", "-c"])
            .arguments([script])
            .pvolume(path, vop.volume())
            .add();
    }
}

#[test]
fn volumeop_parallel_matches_kfp() {
    super::check("volumeop_parallel", volumeop_parallel);
}
