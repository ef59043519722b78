//! `volume_snapshotop_rokurl.yaml`: a claim annotated with a Rok URL, snapshots,
//! and claims restored from them.

use kfp::dsl::{ContainerOp, VolumeOp, VolumeSnapshotOp, VOLUME_MODE_RWM};
use kfp::prelude::*;
use kfp::types::Untyped;

#[pipeline(name = "VolumeSnapshotOp RokURL", description = "The fifth example of the design doc.")]
fn volumesnapshotop_rokurl(rok_url: Untyped) {
    let vop1 =
        VolumeOp::new("create_volume_1", "vol1", "1Gi").annotation("rok/origin", rok_url).modes(VOLUME_MODE_RWM).add();
    let step1 = ContainerOp::new("step1_concat", "library/bash:4.4.23")
        .command(["sh", "-c"])
        .arguments(["cat /data/file*| gzip -c >/data/full.gz"])
        .pvolume("/data", vop1.volume())
        .add();
    let snap1 = VolumeSnapshotOp::new("create_snapshot_1", "snap1", step1.pvolume()).add();
    let vop2 = VolumeOp::new("create_volume_2", "vol2", snap1.outputs().size()).data_source(snap1.snapshot()).add();
    let step2 = ContainerOp::new("step2_gunzip", "library/bash:4.4.23")
        .command(["gunzip", "-k", "/data/full.gz"])
        .pvolume("/data", vop2.volume())
        .add();
    let snap2 = VolumeSnapshotOp::new("create_snapshot_2", "snap2", step2.pvolume()).add();
    let vop3 = VolumeOp::new("create_volume_3", "vol3", snap2.outputs().size()).data_source(snap2.snapshot()).add();
    ContainerOp::new("step3_output", "library/bash:4.4.23")
        .command(["cat", "/data/full"])
        .pvolume("/data", vop3.volume())
        .add();
}

#[test]
fn volume_snapshotop_rokurl_matches_kfp() {
    super::check("volume_snapshotop_rokurl", volumesnapshotop_rokurl);
}
