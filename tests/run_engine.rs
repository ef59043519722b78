//! `kfp run-local --engine docker|podman`: each container task runs as
//! `docker run` in its image, its directory mounted at the same path. No
//! engine is installed here: a fake `docker` first on PATH records its argv and
//! runs the command locally, so the run still succeeds and the argv can be
//! checked; a missing engine is an error before anything runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const WORKFLOW: &str = r#"apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: engine-
spec:
  entrypoint: main
  arguments:
    parameters: [{name: who}]
  templates:
  - name: main
    dag:
      tasks:
      - name: produce
        template: produce
        arguments:
          parameters: [{name: who, value: "{{workflow.parameters.who}}"}]
      - name: consume
        template: consume
        dependencies: [produce]
        arguments:
          artifacts: [{name: msg, from: "{{tasks.produce.outputs.artifacts.msg}}"}]
  - name: produce
    inputs:
      parameters: [{name: who}]
    container:
      image: alpine:3
      command: [sh, -c]
      args: ['mkdir -p /tmp/outputs/msg && echo "$GREETING {{inputs.parameters.who}}" > /tmp/outputs/msg/data']
      env: [{name: GREETING, value: hello}]
    outputs:
      artifacts: [{name: msg, path: /tmp/outputs/msg/data}]
  - name: consume
    inputs:
      artifacts: [{name: msg, path: /tmp/inputs/msg/data}]
    container:
      image: busybox:1
      command: [sh, -c, 'mkdir -p /tmp/outputs/upper && tr a-z A-Z < "$0" > /tmp/outputs/upper/data', /tmp/inputs/msg/data]
    outputs:
      parameters: [{name: upper, valueFrom: {path: /tmp/outputs/upper/data}}]
"#;

/// Records each call's argv, parses `docker run` options as the real one does, then runs the command here.
const FAKE_DOCKER: &str = include_str!("common/fake_docker.sh");

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("run-engine-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn kfp(args: &[&str], path: &std::ffi::OsStr, envs: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kfp"));
    command.args(args).env("PATH", path);
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(unix)]
#[test]
fn docker_runs_each_container_in_its_image_with_its_directory_mounted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("fake");
    let bin = dir.join("bin");
    let calls = dir.join("calls");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&calls).unwrap();
    let docker = bin.join("docker");
    std::fs::write(&docker, FAKE_DOCKER).unwrap();
    std::fs::set_permissions(&docker, std::fs::Permissions::from_mode(0o755)).unwrap();
    let workflow = dir.join("engine.yaml");
    std::fs::write(&workflow, WORKFLOW).unwrap();
    let mut path = vec![bin.clone()];
    path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    let path = std::env::join_paths(path).unwrap();

    let run_dir = dir.join("run");
    let args = ["run-local", workflow.to_str().unwrap(), "-p", "who=world", "--engine", "docker", "--json"];
    let ran =
        kfp(&[&args[..], &["--run-dir", run_dir.to_str().unwrap()]].concat(), &path, &[("FAKE_DOCKER_LOG", &calls)]);
    assert!(ran.status.success(), "{}\n{}", text(&ran.stdout), text(&ran.stderr));
    let report: serde_json::Value = serde_json::from_str(&text(&ran.stdout)).unwrap();
    let consume = report["tasks"].as_array().unwrap().iter().find(|task| task["id"] == "consume").unwrap();
    assert_eq!(consume["outputs"]["upper"], "HELLO WORLD");

    let mut argvs: Vec<Vec<String>> = std::fs::read_dir(&calls)
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap().lines().map(str::to_owned).collect())
        .collect();
    argvs.sort_by_key(|argv| argv.iter().any(|arg| arg == "busybox:1"));
    assert_eq!(argvs.len(), 2, "{argvs:?}");
    let (produce, consume) = (&argvs[0], &argvs[1]);
    let after = |argv: &[String], flag: &str| argv.iter().position(|arg| arg == flag).map(|i| argv[i + 1].clone());

    assert_eq!(produce[..3], ["run", "--rm", "--init"]);
    // The task's directory, mounted at the same path, is where the command's paths point.
    let root = std::fs::canonicalize(&run_dir).unwrap().join("tasks/produce");
    let root = root.to_str().unwrap();
    assert_eq!(after(produce, "-v").unwrap(), format!("{root}:{root}"));
    assert_eq!(after(produce, "-w").unwrap(), root);
    let envs: Vec<&String> = produce.windows(2).filter(|pair| pair[0] == "-e").map(|pair| &pair[1]).collect();
    assert_eq!(envs, ["TMPDIR", "GREETING"]);
    assert_eq!(after(produce, "--entrypoint").unwrap(), "sh");
    let image = produce.iter().position(|arg| arg == "alpine:3").unwrap();
    assert_eq!(produce[image + 1], "-c");
    assert!(produce[image + 2].contains(&format!("> {root}/fs/tmp/outputs/msg/data")), "{produce:?}");
    assert!(produce[image + 2].contains("$GREETING world"), "{produce:?}");

    let root = std::fs::canonicalize(&run_dir).unwrap().join("tasks/consume");
    let image = consume.iter().position(|arg| arg == "busybox:1").unwrap();
    assert_eq!(consume[image + 3], format!("{}/fs/tmp/inputs/msg/data", root.display()));
}

#[test]
fn a_missing_engine_is_an_error_before_anything_runs() {
    let dir = scratch("missing");
    let empty = dir.join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let workflow = dir.join("engine.yaml");
    std::fs::write(&workflow, WORKFLOW).unwrap();
    let run_dir = dir.join("run");
    let ran = kfp(
        &[
            "run-local",
            workflow.to_str().unwrap(),
            "-p",
            "who=x",
            "--engine",
            "podman",
            "--run-dir",
            run_dir.to_str().unwrap(),
        ],
        empty.as_os_str(),
        &[],
    );
    assert_eq!(ran.status.code(), Some(1));
    let stderr = text(&ran.stderr);
    assert!(
        stderr.contains("the `podman` program is not on PATH")
            && stderr.contains("install Podman")
            && stderr.contains("leave out --engine"),
        "{stderr}"
    );
    assert!(!run_dir.exists(), "something ran");

    let wrong = kfp(&["run-local", workflow.to_str().unwrap(), "--engine", "kubectl"], empty.as_os_str(), &[]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(text(&wrong.stderr).contains("possible values: docker, podman, local"), "{}", text(&wrong.stderr));
}
