//! Local runs of what needs more than one container: kfp's VolumeOp,
//! VolumeSnapshotOp and PipelineVolume (claims and snapshots as directories of
//! the run, mounts as rewritten paths), kfp's data passing through a volume,
//! sidecars and init containers; and what stays refused before anything runs.

mod common;

use std::path::Path;
use std::process::Command;

use common::run::Scratch;
use kfp::dsl::VolumeOp;
use kfp::prelude::*;
use kfp::run::{parse_workflow, run_workflow, Phase, RunError, RunOptions, RunReport};

fn run(yaml: &str, dir: &Path, params: &[(&str, &str)]) -> RunReport {
    let workflow = parse_workflow(yaml).unwrap();
    let mut options = RunOptions::new(dir);
    for (name, value) in params {
        options = options.param(*name, *value);
    }
    run_workflow(&workflow, &options).unwrap_or_else(|error| panic!("{error}"))
}

fn refused(yaml: &str, params: &[(&str, &str)]) -> String {
    let dir = Scratch::new("volumes-refused");
    let workflow = parse_workflow(yaml).unwrap();
    let mut options = RunOptions::new(dir.join("run"));
    for (name, value) in params {
        options = options.param(*name, *value);
    }
    let error = run_workflow(&workflow, &options).expect_err("the run must not start");
    assert!(matches!(error, RunError::Unsupported(_)), "{error}");
    assert!(!dir.join("run").exists(), "nothing may run before the checks pass");
    error.to_string()
}

fn log(report: &RunReport, task: &str) -> String {
    std::fs::read_to_string(report.run_dir.join("logs").join(format!("{task}.log"))).unwrap()
}

#[test]
fn kfp_volumeop_sequential_shares_files_through_the_claim_with_the_kfp_binary() {
    let dir = Scratch::new("volumes-cli");
    let golden = common::golden_dir().join("volumeop_sequential.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(["run-local", &golden.to_string_lossy(), "--run-dir", &dir.join("run").to_string_lossy(), "--json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let task = |id: &str| report["tasks"].as_array().unwrap().iter().find(|task| task["id"] == id).unwrap().clone();
    let claim = task("mypvc")["outputs"]["mypvc-name"].as_str().unwrap().to_owned();
    let workflow = report["workflow"].as_str().unwrap();
    assert_eq!(claim, format!("{workflow}-newpvc"), "the claim's name is substituted as Argo does");
    assert_eq!(task("mypvc")["outputs"]["mypvc-size"], "10Gi");
    let manifest: serde_json::Value =
        serde_json::from_str(task("mypvc")["outputs"]["mypvc-manifest"].as_str().unwrap()).unwrap();
    assert_eq!(manifest["kind"], "PersistentVolumeClaim");
    assert_eq!(manifest["metadata"]["name"], claim.as_str());
    // step1 wrote /data/file1, step2 copied it to /data/file2, step3 read both at /mnt.
    let volume = dir.join("run").join("volumes").join(&claim);
    assert_eq!(std::fs::read_to_string(volume.join("file2")).unwrap(), "1\n");
    let step3 = std::fs::read_to_string(dir.join("run/logs/step3.log")).unwrap();
    assert_eq!(step3, "1\n1\n");
}

#[test]
fn kfp_snapshots_copy_the_claim_and_a_claim_from_a_snapshot_starts_as_its_copy() {
    let dir = Scratch::new("volumes-snapshots");
    // The ingest step downloads with gsutil; here it writes the URL instead.
    let yaml = common::read_golden("volume_snapshotop_sequential")
        .replace("gsutil cat {{inputs.parameters.url}}", "echo {{inputs.parameters.url}}");
    let report = run(&yaml, &dir, &[("url", "gs://bucket/data")]);
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(log(&report, "step4-output"), "gs://bucket/data\ngs://bucket/data\n");
    // Each snapshot holds the claim as it was when taken: at least what its step wrote. (Whether
    // step1's snapshot also holds step2's output is a race, in Argo as here: both wait only for step1.)
    let snapshot = |task: &str| {
        let name = report.output(task, &format!("{task}-name")).unwrap();
        dir.join("snapshots").join(name)
    };
    assert!(snapshot("step1-snap").join("step1/file1.gz").is_file());
    assert!(snapshot("step2-snap").join("step2/file1").is_file());
    assert!(snapshot("step3-snap").join("step3/file3").is_file());
    assert_eq!(report.output("step2-snap", "step2-snap-size"), Some("1Gi"));

    let dir = Scratch::new("volumes-rokurl");
    let yaml = common::read_golden("volume_snapshotop_rokurl").replace(
        "args: [cat /data/file*| gzip -c >/data/full.gz]",
        "args: [echo restored > /data/file1 && cat /data/file*| gzip -c >/data/full.gz]",
    );
    let report = run(&yaml, &dir, &[("rok_url", "rok://x")]);
    assert!(report.succeeded(), "{report:#?}");
    // vol2 starts as snapshot 1 of vol1 (full.gz, which step2 unzips there); vol3 from a snapshot of vol2.
    assert_eq!(log(&report, "step3-output"), "restored\n");
    let vol3 = report.output("create-volume-3", "create-volume-3-name").unwrap();
    assert_eq!(std::fs::read_to_string(dir.join("volumes").join(vol3).join("full")).unwrap(), "restored\n");
}

#[test]
fn kfp_data_passing_through_a_volume_uses_the_claim_and_sub_paths() {
    let dir = Scratch::new("volumes-data-passing");
    let report = run(&common::read_golden("artifact_passing_using_volume"), &dir, &[]);
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(log(&report, "consumer"), "Input parameter = Data 1\nInput artifact = \nData 2\n");
    // A claim the run did not create (`data-volume`) is an empty directory of the run.
    let subpath = report.output("processor", "processor-Output-2-subpath").unwrap();
    let file = dir.join("volumes/data-volume").join(subpath).join("data");
    assert_eq!(std::fs::read_to_string(file).unwrap(), "Data 2\n");
}

const SIDECAR: &str = "apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: sidecars-
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: serve, template: serve}
  - name: serve
    activeDeadlineSeconds: 20
    initContainers:
    - name: setup
      image: alpine
      command: [sh, -c, 'echo configured > /work/config']
      volumeMounts: [{name: work, mountPath: /work}]
    sidecars:
    - name: server
      image: alpine
      command: [sh, -c, 'echo $$ > /work/server.pid; echo ready > /work/ready.tmp; mv /work/ready.tmp /work/ready; while true; do sleep 1; done']
    container:
      image: alpine
      command: [sh, -c, 'while [ ! -f /work/ready ]; do sleep 0.05; done; cat /work/config /work/ready | tee /tmp/out']
      volumeMounts: [{name: work, mountPath: /work}]
    volumes:
    - {name: work, emptyDir: {}}
    outputs:
      parameters:
      - {name: seen, valueFrom: {path: /tmp/out}}
";
// (The deadline makes a sidecar that never starts a failure, not a hang.)

#[test]
fn sidecars_run_beside_the_main_container_and_init_containers_before_it() {
    let dir = Scratch::new("volumes-sidecars");
    let report = run(SIDECAR, &dir, &[]);
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("serve", "seen"), Some("configured\nready"));
    // The sidecar, which never ends by itself, is stopped with the task.
    let pid = std::fs::read_to_string(dir.join("tasks/serve/volumes/work/server.pid")).unwrap();
    if Path::new("/proc/self/stat").exists() {
        assert!(common::run::gone(&pid), "the sidecar {pid} survived its task");
    }
    assert!(dir.join("logs/serve.server.log").is_file() && dir.join("logs/serve.setup.log").is_file());

    let failing = SIDECAR.replace("'echo configured > /work/config'", "'echo no config >&2; exit 3'");
    let report = run(&failing, &Scratch::new("volumes-init-fails"), &[]);
    let serve = report.task("serve").unwrap();
    assert_eq!(serve.phase, Phase::Failed);
    let message = serve.message.as_deref().unwrap_or_default();
    assert!(message.contains("init container `setup` failed with exit code 3"), "{message}");
}

#[test]
fn what_cannot_run_here_is_refused_before_anything_runs() {
    let secret = refused(&common::read_golden("resourceop_basic"), &[("username", "u"), ("password", "p")]);
    assert!(secret.contains("template `create-my-secret` is a resource template for a `Secret`"), "{secret}");
    assert!(secret.contains("mounts volume `my-secret` (a `secret` volume) at /etc/secret-volume"), "{secret}");

    let job = SIDECAR.replace(
        "  - name: serve\n",
        "  - name: serve\n    resource: {action: create, manifest: 'apiVersion: batch/v1\n\n      kind: Job'}\n  - name: unused\n",
    );
    let job = refused(&job, &[]);
    assert!(job.contains("template `serve` is a resource template for a `Job` (action create)"), "{job}");

    let patch = common::read_golden("volumeop_sequential").replacen("action: create", "action: patch", 1);
    let patch = refused(&patch, &[]);
    assert!(patch.contains("action `patch` on a PersistentVolumeClaim"), "{patch}");

    // kfp's sidecar example relies on its image's entrypoint.
    let sidecar = refused(&common::read_golden("sidecar"), &[]);
    assert!(sidecar.contains("sidecar `echo` of template `download` has no `command`"), "{sidecar}");
}

#[component]
fn write_note(dir: String, text: String) {
    std::fs::write(format!("{dir}/note.txt"), text).expect("the volume is writable");
}

#[component]
fn read_note(dir: String) -> String {
    std::fs::read_to_string(format!("{dir}/note.txt")).expect("the note is on the volume")
}

#[pipeline(name = "shared volume")]
fn shared_volume(text: String) {
    let vop = VolumeOp::new("create-pvc", "notes", "1Gi").add();
    let write = write_note_op("/data", text).add_pvolume("/data", &vop.volume());
    read_note_op("/data").add_pvolume("/data", &write.pvolume());
}

#[test]
fn a_rust_pipeline_shares_a_file_between_two_steps_through_a_volume_op_in_process() {
    let dir = Scratch::new("volumes-in-process");
    let report = shared_volume.run_local(&RunOptions::new(&*dir).arg("text", "kept on the claim".to_owned())).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("read-note", "read-note-Output"), Some("kept on the claim"));
    let claim = report.output("create-pvc", "create-pvc-name").unwrap();
    assert!(claim.ends_with("-notes"), "{claim}");
    assert_eq!(std::fs::read_to_string(dir.join("volumes").join(claim).join("note.txt")).unwrap(), "kept on the claim");
}

/// Records each call's argv, then runs `docker run`'s command here (no engine is installed).
const FAKE_DOCKER: &str = include_str!("common/fake_docker.sh");

#[cfg(unix)]
#[test]
fn with_docker_claims_are_bound_and_sidecars_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Scratch::new("volumes-docker");
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("docker"), FAKE_DOCKER).unwrap();
    std::fs::set_permissions(bin.join("docker"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let calls = dir.join("calls");
    std::fs::create_dir_all(&calls).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let kfp = |workflow: &Path, run: &str| {
        Command::new(env!("CARGO_BIN_EXE_kfp"))
            .args(["run-local", &workflow.to_string_lossy(), "--engine", "docker", "--run-dir"])
            .arg(dir.join(run))
            .env("PATH", &path)
            .env("FAKE_DOCKER_LOG", &calls)
            .output()
            .unwrap()
    };

    let out = kfp(&common::golden_dir().join("volumeop_sequential.yaml"), "seq");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let claims: Vec<_> =
        std::fs::read_dir(dir.join("seq/volumes")).unwrap().map(|entry| entry.unwrap().path()).collect();
    let [claim] = &claims[..] else { panic!("one claim: {claims:?}") };
    let bind = format!("{0}:{0}", claim.display());
    let bound = std::fs::read_dir(&calls)
        .unwrap()
        .map(|call| std::fs::read_to_string(call.unwrap().path()).unwrap())
        .filter(|argv| argv.lines().any(|line| line == bind))
        .count();
    assert_eq!(bound, 3, "step1, step2 and step3 bind the claim");
    assert_eq!(std::fs::read_to_string(claim.join("file2")).unwrap(), "1\n");

    let sidecar = dir.join("sidecar.yaml");
    std::fs::write(&sidecar, SIDECAR).unwrap();
    let out = kfp(&sidecar, "sidecar");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && !dir.join("sidecar").exists(), "{stderr}");
    assert!(stderr.contains("template `serve` has sidecar `server`, which --engine docker does not start"), "{stderr}");
}

#[test]
fn a_claim_can_be_deleted_and_an_unmet_success_condition_fails_the_task() {
    let workflow = |condition: &str| {
        format!(
            "apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: claims
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {{name: create, template: create}}
      - {{name: delete, template: delete, dependencies: [create]}}
  - name: create
    resource:
      action: create
      {condition}
      manifest: |
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {{name: '{{{{workflow.name}}}}-scratch'}}
        spec: {{resources: {{requests: {{storage: 1Gi}}}}}}
  - name: delete
    resource:
      action: delete
      manifest: |
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {{name: claims-scratch}}
"
        )
    };
    let dir = Scratch::new("volumes-delete");
    let report = run(&workflow(""), &dir, &[]);
    assert!(report.succeeded(), "{report:#?}");
    assert!(dir.join("volumes").is_dir() && !dir.join("volumes/claims-scratch").exists());
    assert!(!dir.join("resources/PersistentVolumeClaim.claims-scratch.json").exists());

    let report = run(&workflow("successCondition: status.phase == Pending"), &Scratch::new("volumes-condition"), &[]);
    let create = report.task("create").unwrap();
    assert_eq!(create.phase, Phase::Failed);
    let message = create.message.as_deref().unwrap_or_default();
    assert!(message.contains("successCondition `status.phase == Pending` does not hold"), "{message}");
}
