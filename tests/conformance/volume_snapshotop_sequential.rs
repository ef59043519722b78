//! `volume_snapshotop_sequential.yaml`: steps in sequence on one claim, a
//! snapshot after each.

use kfp::dsl::{ContainerOp, VolumeOp, VolumeSnapshotOp, VOLUME_MODE_RWM};
use kfp::prelude::*;
use kfp::types::Untyped;

#[pipeline(name = "VolumeSnapshotOp Sequential", description = "The fourth example of the design doc.")]
fn volume_snapshotop_sequential(url: Untyped) {
    let vop = VolumeOp::new("create_volume", "vol1", "1Gi").modes(VOLUME_MODE_RWM).add();
    let step1 = ContainerOp::new("step1_ingest", "google/cloud-sdk:279.0.0")
        .command(["sh", "-c"])
        .arguments([format!("mkdir /data/step1 && gsutil cat {url} | gzip -c >/data/step1/file1.gz")])
        .pvolume("/data", vop.volume())
        .add();
    VolumeSnapshotOp::new("step1_snap", "step1_snap", step1.pvolume()).add();
    let step2 = ContainerOp::new("step2_gunzip", "library/bash:4.4.23")
        .command(["sh", "-c"])
        .arguments(["mkdir /data/step2 && gunzip /data/step1/file1.gz -c >/data/step2/file1"])
        .pvolume("/data", step1.pvolume())
        .add();
    VolumeSnapshotOp::new("step2_snap", "step2_snap", step2.pvolume()).add();
    let step3 = ContainerOp::new("step3_copy", "library/bash:4.4.23")
        .command(["sh", "-c"])
        .arguments(["mkdir /data/step3 && cp -av /data/step2/file1 /data/step3/file3"])
        .pvolume("/data", step2.pvolume())
        .add();
    VolumeSnapshotOp::new("step3_snap", "step3_snap", step3.pvolume()).add();
    ContainerOp::new("step4_output", "library/bash:4.4.23")
        .command(["cat", "/data/step2/file1", "/data/step3/file3"])
        .pvolume("/data", step3.pvolume())
        .add();
}

#[test]
fn volume_snapshotop_sequential_matches_kfp() {
    super::check("volume_snapshotop_sequential", volume_snapshotop_sequential);
}
