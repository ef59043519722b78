//! `kfp run-local`: the binary on the golden add example (`--json`), a failing
//! step (exit status, log tail, summary), signals (exit status 128 + the
//! signal, the exit handler runs, no process left, even a detached one), and
//! parameter errors before anything runs.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::run::Scratch;

fn kfp() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kfp"))
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn json_reports_every_task_of_the_golden_add_example() {
    // `kfp run FILE` is `kfp run-local FILE` (`kfp run create|get|list|wait` talk to a cluster).
    for command in ["run-local", "run"] {
        json_reports_every_task_of_the_golden_add_example_with(command);
    }
}

fn json_reports_every_task_of_the_golden_add_example_with(command: &str) {
    let yaml = common::read_golden("add_example");
    let dir = Scratch::new(&format!("cli-{command}-golden"));
    let file = write(&dir, "add.yaml", &yaml);
    let output = kfp()
        .args([command, &file, "-p", "value_1=3", "--param", "value_2=4", "--json", "--run-dir"])
        .arg(dir.join("run"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    assert_eq!(json["status"], "Succeeded");
    let tasks = json["tasks"].as_array().unwrap();
    let multiply = tasks.iter().find(|task| task["id"] == "multiply").unwrap();
    assert_eq!(multiply["outputs"]["multiply-Output"], "-7");
    assert_eq!(multiply["exit_code"], 0);
    assert_eq!(multiply["status"], "Succeeded");
    assert!(multiply["duration"].as_f64().unwrap() > 0.0);
    assert!(dir.join("run/logs/multiply.log").is_file());
}

const FAILING: &str = "apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: failing-}
spec:
  entrypoint: main
  arguments: {parameters: []}
  templates:
  - name: main
    dag:
      tasks:
      - {name: ok, template: ok}
      - {name: broken, template: broken, dependencies: [ok]}
  - name: ok
    container: {image: alpine, command: [sh, -c, 'echo fine']}
  - name: broken
    retryStrategy: {limit: 1}
    container: {image: alpine, command: [sh, -c, 'echo first line; echo the reason it broke >&2; exit 4']}
";

#[test]
fn a_failed_run_exits_1_and_prints_the_log_tail_and_the_table() {
    let dir = Scratch::new("cli-run-failing");
    let file = write(&dir, "failing.yaml", FAILING);
    let output = kfp().args(["run-local", &file, "--run-dir"]).arg(dir.join("run")).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("--- broken Failed: last") && stdout.contains("the reason it broke"), "{stdout}");
    assert!(stdout.contains("TASK") && stdout.contains("ok ") && stdout.contains("Succeeded"), "{stdout}");
    assert!(stdout.contains("broken") && stdout.contains("Failed") && stdout.contains(" 4 "), "{stdout}");
    // Not a terminal: plain lines, one per start and end.
    assert!(stderr.contains("Running   broken") && stderr.contains("Failed    broken"), "{stderr}");
    assert!(stderr.contains("error: run failing-") && stderr.contains("ended Failed"), "{stderr}");
    let log = std::fs::read_to_string(dir.join("run/logs/broken.log")).unwrap();
    assert_eq!(log.matches("first line").count(), 2, "both attempts are in the log: {log}");
}

#[test]
fn parameter_errors_stop_the_run_before_it_starts() {
    let yaml = common::read_golden("add_example");
    let dir = Scratch::new("cli-run-params");
    let file = write(&dir, "add.yaml", &yaml);
    let output = kfp()
        .args(["run-local", &file, "-p", "value_1=3", "-p", "value_3=4", "--run-dir"])
        .arg(dir.join("run"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("unknown parameter `value_3`") && stderr.contains("missing required parameter `value_2`"),
        "{stderr}"
    );
    assert!(!dir.join("run").exists());

    let output = kfp().args(["run-local", &file, "-p", "value_1"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("write it as NAME=VALUE"));
}

/// A Workflow whose `work` task runs `command`, with an exit handler that runs
/// `handler`; both may name files of `dir` as `{dir}`.
fn workflow_with_exit_handler(dir: &Path, work: &str, handler: &str) -> String {
    let dir = dir.display().to_string();
    format!(
        "apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {{generateName: slow-}}
spec:
  entrypoint: main
  onExit: cleanup
  arguments: {{parameters: []}}
  templates:
  - name: main
    dag:
      tasks:
      - {{name: work, template: work}}
  - name: work
    container: {{image: alpine, command: [sh, -c, '{work}']}}
  - name: cleanup
    container: {{image: alpine, command: [sh, -c, '{handler}']}}
",
        work = work.replace("{dir}", &dir),
        handler = handler.replace("{dir}", &dir),
    )
}

/// Starts `kfp run-local FILE` in `dir`, its output piped.
fn start_run(dir: &Path, yaml: &str) -> std::process::Child {
    let file = write(dir, "slow.yaml", yaml);
    kfp()
        .args(["run-local", &file, "--run-dir"])
        .arg(dir.join("run"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until every file holds a pid (the task wrote it), then returns them.
fn wait_for_pids(child: &mut std::process::Child, files: &[std::path::PathBuf]) -> Vec<String> {
    let started = Instant::now();
    loop {
        let pids: Vec<String> =
            files.iter().map(|file| std::fs::read_to_string(file).unwrap_or_default().trim().to_owned()).collect();
        if pids.iter().all(|pid| !pid.is_empty()) {
            return pids;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("the task did not write {files:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &std::process::Child, name: &str) {
    let status = Command::new("kill").args([&format!("-{name}"), &child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

/// Waits (at most 30 s) for `kfp` to exit; its exit code and stderr.
fn wait_for_exit(mut child: std::process::Child) -> (Option<i32>, String) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("kfp run-local did not stop");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// The background processes a task starts: one in its process group, and one
/// that leaves it with setsid() (the pid written is the detached process's own).
const BACKGROUND: &str = "sleep 300 & echo $! > {dir}/grouped.pid; \
setsid sh -c \"echo \\$\\$ > {dir}/detached.pid; exec sleep 300\" & wait";

#[cfg(target_os = "linux")]
#[test]
fn sigterm_sighup_and_ctrl_c_stop_the_run_run_the_exit_handler_and_leave_no_process() {
    for (name, code) in [("TERM", 143), ("HUP", 129), ("INT", 130)] {
        let dir = Scratch::new(&format!("cli-run-sig{name}"));
        let yaml = workflow_with_exit_handler(&dir, BACKGROUND, "echo {{workflow.status}} > {dir}/exit-handler-ran");
        let mut child = start_run(&dir, &yaml);
        let pids = wait_for_pids(&mut child, &[dir.join("grouped.pid"), dir.join("detached.pid")]);
        signal(&child, name);
        let (exit, stderr) = wait_for_exit(child);
        assert_eq!(exit, Some(code), "SIG{name}: {stderr}");
        assert!(stderr.contains(&format!("SIG{name}: stopping the tasks, then the exit handler runs")), "{stderr}");
        assert!(stderr.contains(&format!("ended Failed (stopped by SIG{name})")), "{stderr}");
        let marker = std::fs::read_to_string(dir.join("exit-handler-ran")).unwrap_or_default();
        assert_eq!(marker.trim(), "Failed", "SIG{name}: the exit handler did not run: {stderr}");
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("run/run.json")).unwrap()).unwrap();
        assert_eq!(report["phase"], "Failed");
        let work = report["tasks"].as_array().unwrap().iter().find(|task| task["id"] == "work").unwrap();
        assert_eq!(work["message"], format!("stopped by SIG{name}"), "{report}");
        assert!(dir.join("run/logs/work.log").is_file());
        for pid in &pids {
            assert!(common::run::gone(pid), "SIG{name}: the task's background process {pid} survived");
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_second_signal_stops_the_exit_handler() {
    let dir = Scratch::new("cli-run-second-signal");
    let yaml = workflow_with_exit_handler(
        &dir,
        "sleep 300 & echo $! > {dir}/work.pid; wait",
        "sleep 300 & echo $! > {dir}/handler.pid; wait",
    );
    let mut child = start_run(&dir, &yaml);
    let work = wait_for_pids(&mut child, &[dir.join("work.pid")]);
    signal(&child, "TERM");
    let handler = wait_for_pids(&mut child, &[dir.join("handler.pid")]);
    signal(&child, "TERM");
    let (exit, stderr) = wait_for_exit(child);
    assert_eq!(exit, Some(143), "{stderr}");
    assert!(stderr.contains("SIGTERM: stopping the exit handler"), "{stderr}");
    let report = std::fs::read_to_string(dir.join("run/run.json")).unwrap();
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let on_exit = report["tasks"].as_array().unwrap().iter().find(|task| task["id"] == "onExit").unwrap();
    assert_eq!(on_exit["phase"], "Failed", "{report}");
    assert!(common::run::gone(&work[0]) && common::run::gone(&handler[0]), "a sleep survived: {work:?} {handler:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_process_a_task_detaches_with_setsid_ends_with_its_task() {
    let dir = Scratch::new("cli-run-setsid");
    let detached = dir.join("detached.pid");
    // `check` runs after `detach` ended: it fails if the detached sleep still runs.
    let yaml = format!(
        "apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {{generateName: detach-}}
spec:
  entrypoint: main
  arguments: {{parameters: []}}
  templates:
  - name: main
    dag:
      tasks:
      - {{name: detach, template: detach}}
      - {{name: check, template: check, dependencies: [detach]}}
  - name: detach
    container: {{image: alpine, command: [sh, -c, 'setsid sh -c \"echo \\$\\$ > {pid}; exec sleep 300\" &
      while [ ! -s {pid} ]; do sleep 0.01; done']}}
  - name: check
    container: {{image: alpine, command: [sh, -c, 'if kill -0 $(cat {pid}); then echo still running; exit 1; fi']}}
",
        pid = detached.display()
    );
    let file = write(&dir, "detach.yaml", &yaml);
    let output = kfp().args(["run-local", &file, "--run-dir"]).arg(dir.join("run")).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let pid = std::fs::read_to_string(&detached).unwrap();
    assert!(common::run::gone(&pid), "the detached sleep {pid} outlived the run");
}

/// Three iterations of a 0.3 s task; `main_extra` is added to the `main` DAG template.
fn naps(main_extra: &str) -> String {
    format!(
        "apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {{generateName: naps-}}
spec:
  entrypoint: main
  templates:
  - name: main
{main_extra}    dag:
      tasks:
      - {{name: nap, template: nap, withItems: [1, 2, 3]}}
  - name: nap
    container: {{image: alpine, command: [sh, -c, 'sleep 0.3']}}
"
    )
}

#[test]
fn tasks_waiting_for_a_slot_show_pending_and_their_time_starts_when_they_run() {
    // One process slot (`--parallelism 1`), or a loop of parallelism 1 (the DAG's `parallelism`).
    for (label, main_extra, flags) in
        [("flag", "", &["--parallelism", "1"][..]), ("template", "    parallelism: 1\n", &[][..])]
    {
        let dir = Scratch::new(&format!("cli-run-pending-{label}"));
        let file = write(&dir, "naps.yaml", &naps(main_extra));
        let output =
            kfp().args(["run-local", &file, "--json", "--run-dir"]).arg(dir.join("run")).args(flags).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{label}: {stdout}\n{stderr}");
        let line = |phase: &str, task: &str| {
            let text = format!("] {phase:<9} {task}");
            stderr.lines().position(|line| line.contains(&text))
        };
        let pending: Vec<&str> = stderr.lines().filter(|line| line.contains("] Pending")).collect();
        assert_eq!(pending.len(), 2, "{label}: two iterations wait for the first:\n{stderr}");
        for task in ["nap(0:1)", "nap(1:2)", "nap(2:3)"] {
            let running = line("Running", task).unwrap_or_else(|| panic!("{label}: {task} never ran:\n{stderr}"));
            if let Some(pending) = line("Pending", task) {
                assert!(pending < running, "{label}: {task} is pending before it runs:\n{stderr}");
            }
            assert!(running < line("Succeeded", task).unwrap(), "{label}:\n{stderr}");
        }

        // The iterations ran one after the other, so their durations (from when each
        // started, not from when it was ready) add up to no more than the run's.
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let tasks = json["tasks"].as_array().unwrap();
        let iterations: Vec<f64> = tasks
            .iter()
            .filter(|task| task["id"].as_str().unwrap().starts_with("nap-"))
            .map(|task| task["duration"].as_f64().unwrap())
            .collect();
        assert_eq!(iterations.len(), 3, "{stdout}");
        let rounding = 0.0005 * 4.0; // each duration is rounded to the millisecond
        let whole = json["duration"].as_f64().unwrap();
        assert!(iterations.iter().sum::<f64>() <= whole + rounding, "{label}: {iterations:?} in a run of {whole}");
    }
}

/// Passes its parameter `text` through as its output.
const ECHO: &str = "apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: echo-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: text}]}
  templates:
  - name: main
    dag:
      tasks:
      - {name: echo, template: echo, arguments: {parameters: [{name: text, value: '{{workflow.parameters.text}}'}]}}
  - name: echo
    inputs: {parameters: [{name: text}]}
    container: {image: alpine, command: [sh, -c, 'printf %s \"$0\" > /tmp/out', '{{inputs.parameters.text}}']}
    outputs: {parameters: [{name: out, valueFrom: {path: /tmp/out}}]}
";

/// `kfp run-local echo.yaml -p PARAM --json`: the exit code, the output `out`, stderr.
fn echo(dir: &Path, param: &str) -> (Option<i32>, Option<String>, String) {
    let file = write(dir, "echo.yaml", ECHO);
    let output =
        kfp().args(["run-local", &file, "--json", "-p", param, "--run-dir"]).arg(dir.join("run")).output().unwrap();
    let json: Option<serde_json::Value> = serde_json::from_slice(&output.stdout).ok();
    let out = json.and_then(|json| json["tasks"][0]["outputs"]["out"].as_str().map(str::to_owned));
    (output.status.code(), out, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn a_parameter_value_comes_from_a_file_with_at_and_is_held_to_kfps_limit() {
    let dir = Scratch::new("cli-run-param-file");
    // Long for a command line, within KFP's 10,000 characters; the file's last newline is not part of it.
    let text = "ünïcödé ".repeat(1200);
    let file = write(&dir, "text.txt", &format!("{text}\n"));
    let (code, out, stderr) = echo(&dir, &format!("text=@{file}"));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(out.as_deref(), Some(text.as_str()));

    // `@@` starts a value with a literal `@`.
    let (code, out, stderr) = echo(&dir, "text=@@home");
    assert_eq!((code, out.as_deref()), (Some(0), Some("@home")), "{stderr}");

    // Over KFP's limit, as `kfp validate` says of a default value; nothing runs.
    let run = dir.join("run");
    std::fs::remove_dir_all(&run).unwrap();
    let file = write(&dir, "big.txt", &"é".repeat(10_001));
    let (code, _, stderr) = echo(&dir, &format!("text=@{file}"));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("parameter `text` is 10001 characters long; the KFP backend refuses run parameters over 10000")
            && stderr.contains("pass large data as an artifact"),
        "{stderr}"
    );
    assert!(!run.exists(), "nothing runs");

    // A file that cannot be read, or is not text, is named, with the fix.
    let missing = dir.join("missing.txt");
    let (code, _, stderr) = echo(&dir, &format!("text=@{}", missing.display()));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(&format!("cannot read {}", missing.display())) && stderr.contains("write @@"), "{stderr}");
    let binary = dir.join("binary.bin");
    std::fs::write(&binary, [b'a', 0xc3, 0x28]).unwrap();
    let (code, _, stderr) = echo(&dir, &format!("text=@{}", binary.display()));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(&format!("{} is not UTF-8 text (byte 1 is not)", binary.display())), "{stderr}");
    assert!(!run.exists(), "nothing runs");

    // `run create` takes the same -p, and refuses what the KFP API would before it is asked.
    let big = dir.join("big.txt");
    let workflow = dir.join("echo.yaml");
    let output = kfp()
        .args(["run", "create", "--package", workflow.to_str().unwrap(), "-p"])
        .arg(format!("text=@{}", big.display()))
        .env_remove("KFP_HOST")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("--param text is 10001 characters long; the KFP backend refuses"), "{stderr}");
    let output = kfp()
        .args(["run", "create", "--package", workflow.to_str().unwrap(), "-p"])
        .arg(format!("text=@{}", missing.display()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("cannot read {}", missing.display())), "{stderr}");
}
