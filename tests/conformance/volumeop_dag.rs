//! `volumeop_dag.yaml`: two steps share a claim, a third mounts it after both.

use kfp::dsl::{ContainerOp, VolumeOp, VOLUME_MODE_RWM};
use kfp::prelude::*;

fn step(name: &str, script: &str) -> ContainerOp {
    ContainerOp::new(name, "library/bash:4.4.23").command(["sh", "-c"]).arguments([script])
}

#[pipeline(name = "Volume Op DAG", description = "The second example of the design doc.")]
fn volume_op_dag() {
    let vop = VolumeOp::new("create_pvc", "my-pvc", "10Gi").modes(VOLUME_MODE_RWM).add();
    let step1 = step("step1", "echo 1 | tee /mnt/file1").pvolume("/mnt", vop.volume()).add();
    let step2 = step("step2", "echo 2 | tee /mnt2/file2").pvolume("/mnt2", vop.volume()).add();
    step("step3", "cat /mnt/file1 /mnt/file2").pvolume("/mnt", vop.volume().after(&step1).after(&step2)).add();
}

#[test]
fn volumeop_dag_matches_kfp() {
    super::check("volumeop_dag", volume_op_dag);
}
