//! `kfp run-local FILE.ir.yaml`: KFP v2 pipeline IR run on this machine by the real binary, on
//! kfp 2.17.3's own IR of container components and on IR we compile from a Rust pipeline; what
//! this slice cannot run yet is refused before anything starts, naming the task and the feature.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::run::Scratch;
use kfp::components::{arg, load_component_from_text};
use kfp::dsl::Compare;
use kfp::prelude::*;
use kfp::run::RunOptions;
use kfp::{Compiler, Target};
use serde_json::Value;

fn golden(name: &str) -> String {
    format!("{}/tests/fixtures/kfp-2.17.3/{name}.yaml", env!("CARGO_MANIFEST_DIR"))
}

/// `kfp run-local FILE --json --run-dir DIR/run ARGS...`.
fn run_local(file: &str, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(["run-local", file, "--json", "--run-dir"])
        .arg(dir.join("run"))
        .args(args)
        .output()
        .unwrap()
}

/// The JSON report of a run that succeeded.
fn succeeded(output: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let report: Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    report
}

fn task<'r>(report: &'r Value, id: &str) -> &'r Value {
    let tasks = report["tasks"].as_array().unwrap();
    tasks.iter().find(|task| task["id"] == id).unwrap_or_else(|| panic!("no task `{id}` in {report:#}"))
}

fn log(task: &Value) -> String {
    std::fs::read_to_string(task["log"].as_str().expect("the task has a log")).unwrap()
}

#[test]
fn kfps_hello_world_runs_its_echo() {
    let dir = Scratch::new("ir-hello-world");
    let report = succeeded(&run_local(&golden("hello_world"), &dir, &[]));
    let echo = task(&report, "echo");
    assert_eq!(echo["exit_code"], 0);
    assert_eq!(log(echo).trim(), "hello world");
}

#[test]
fn output_parameters_pass_between_tasks_and_parameters_take_defaults_or_values() {
    let file = golden("critical__producer_consumer_param");
    let dir = Scratch::new("ir-producer-consumer-default");
    let report = succeeded(&run_local(&file, &dir, &[]));
    // The launcher makes the output file's folder; the default is the pipeline's.
    assert_eq!(task(&report, "producer")["outputs"]["output_value"], "Hello world, this is an output parameter\n");
    assert!(log(task(&report, "consumer")).contains("Hello world, this is an output parameter"));
    assert_eq!(report["parameters"]["text"], "Hello world");

    let dir = Scratch::new("ir-producer-consumer-given");
    let report = succeeded(&run_local(&file, &dir, &["-p", "text=Grüß dich"]));
    assert!(log(task(&report, "consumer")).contains("Grüß dich, this is an output parameter"));
}

#[test]
fn output_artifacts_pass_as_files() {
    let dir = Scratch::new("ir-two-step-containerized");
    let report = succeeded(&run_local(&golden("critical__two_step_pipeline_containerized"), &dir, &[]));
    let first = task(&report, "component1");
    assert_eq!(first["outputs"]["output_gcs"], "Hello KFP Containerized!\n");
    // run.json, the full report, says where the file is.
    let full: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("run/run.json")).unwrap()).unwrap();
    assert!(Path::new(task(&full, "component1")["artifacts"]["output_gcs"].as_str().unwrap()).is_file());
    assert_eq!(log(task(&report, "component2")), "Hello KFP Containerized!\n");
}

#[test]
fn kfps_nested_conditions_run_the_branch_the_coin_and_the_number_pick() {
    if Command::new("python3").arg("--version").output().is_err() {
        common::skip("python3 is not on PATH (the components flip a coin with it)");
        return;
    }
    let dir = Scratch::new("ir-nested-conditions");
    let report = succeeded(&run_local(&golden("essential__pipeline_with_nested_conditions_yaml"), &dir, &[]));
    let side = task(&report, "flip-coin")["outputs"]["output"].as_str().unwrap().to_owned();
    let (ran, skipped, number_task) = match side.as_str() {
        "heads" => ("condition-1", "condition-4", "condition-1.generate-random-number"),
        "tails" => ("condition-4", "condition-1", "condition-4.generate-random-number-2"),
        other => panic!("the coin shows `{other}`"),
    };
    assert_eq!(task(&report, ran)["status"], "Succeeded", "{report:#}");
    assert_eq!(task(&report, skipped)["status"], "Skipped", "{report:#}");
    let number: i64 = task(&report, number_task)["outputs"]["output"].as_str().unwrap().parse().unwrap();
    let printed: Vec<String> = report["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|task| task["id"].as_str().unwrap().rsplit('.').next().unwrap().starts_with("print"))
        .map(log)
        .collect();
    assert_eq!(printed.len(), 1, "{report:#}");
    let limit = if side == "heads" { 5 } else { 15 };
    let expected = if number > limit {
        format!("{side} and {number} > {limit}!")
    } else {
        format!("{side} and {number} <= {limit}!")
    };
    assert_eq!(printed[0].trim(), expected);
}

const SHOUT: &str = r#"
name: Shout
inputs:
- {name: text, type: String}
- {name: times, type: Integer}
outputs:
- {name: loud, type: String}
- {name: page, type: Artifact}
implementation:
  container:
    image: alpine
    command:
    - sh
    - -c
    - |
      text=$(echo "$0" | tr a-z A-Z)
      printf '%s' "$text!" > "$2"
      for i in $(seq "$1"); do echo "$text"; done > "$3"
    - {inputValue: text}
    - {inputValue: times}
    - {outputPath: loud}
    - {outputPath: page}
"#;

const COUNT: &str = r#"
name: Count lines
inputs:
- {name: page, type: Artifact}
- {name: title, type: String}
outputs:
- {name: lines, type: Integer}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'echo "$1"; wc -l < "$0" | tr -d " " > "$2"']
    args: [{inputPath: page}, {inputValue: title}, {outputPath: lines}]
"#;

/// Container components in a Rust pipeline, compiled for KFP v2
#[pipeline(name = "shout and count")]
pub fn shout_and_count(#[default("hello")] text: String, #[default(2)] times: i64) {
    let shout = load_component_from_text(SHOUT).unwrap();
    let count = load_component_from_text(COUNT).unwrap();
    let shouted = shout.call([("text", arg(text)), ("times", arg(times))]);
    count.call([("page", arg(shouted.output_named("page"))), ("title", arg(shouted.output_named("loud")))]);
}

#[test]
fn ir_compiled_from_a_rust_pipeline_runs_with_its_parameters() {
    let dir = Scratch::new("ir-ours");
    let file = dir.join("shout.ir.yaml");
    Compiler::new().target(Target::V2).compile(shout_and_count, &file).unwrap();
    let file = file.to_string_lossy().into_owned();
    let report = succeeded(&run_local(&file, &dir, &["-p", "times=3", "-p", "text=héllo"]));
    assert_eq!(task(&report, "shout")["outputs"]["loud"], "HéLLO!");
    assert_eq!(task(&report, "shout")["outputs"]["page"], "HéLLO\nHéLLO\nHéLLO\n");
    let count = task(&report, "count-lines");
    assert_eq!(count["outputs"]["lines"], "3\n");
    assert_eq!(log(count).trim(), "HéLLO!");
    assert_eq!(report["parameters"]["times"], "3");
    assert!(dir.join("run/run.json").is_file());
}

/// A loop over a list and a condition on a pipeline parameter, in IR we compile
#[pipeline(name = "loop and branch")]
pub fn loop_and_branch(#[default("yes")] go: String, #[default(1)] times: i64) {
    let shout = load_component_from_text(SHOUT).unwrap();
    let words: Vec<serde_json::Value> = vec!["ab".into(), "cd".into(), "ef".into()];
    kfp::dsl::ParallelFor::new(words).parallelism(2).run(|word| {
        shout.call([("text", arg(word)), ("times", arg(times))]);
    });
    kfp::dsl::condition(go.eq("yes"), || {
        shout.call([("text", arg("branch")), ("times", arg(times))]);
    });
}

#[test]
fn loops_run_each_item_and_conditions_skip_or_run_their_branch() {
    let dir = Scratch::new("ir-loop-branch");
    let file = dir.join("loop.ir.yaml");
    Compiler::new().target(Target::V2).compile(loop_and_branch, &file).unwrap();
    let file = file.to_string_lossy().into_owned();
    let report = succeeded(&run_local(&file, &dir, &[]));
    let tasks = report["tasks"].as_array().unwrap();
    let mut loud: Vec<&str> = tasks
        .iter()
        .filter(|task| task["kind"] == "container")
        .map(|task| task["outputs"]["loud"].as_str().unwrap())
        .collect();
    loud.sort();
    assert_eq!(loud, ["AB!", "BRANCH!", "CD!", "EF!"], "{report:#}");

    let dir = Scratch::new("ir-loop-branch-no");
    let report = succeeded(&run_local(&file, &dir, &["-p", "go=no"]));
    let tasks = report["tasks"].as_array().unwrap();
    let skipped: Vec<&Value> = tasks.iter().filter(|task| task["status"] == "Skipped").collect();
    assert_eq!(skipped.len(), 1, "{report:#}");
    assert!(skipped[0]["message"].as_str().unwrap().contains("'no' == 'yes'"), "{report:#}");
    assert!(!tasks.iter().any(|task| task["outputs"]["loud"] == "BRANCH!"), "{report:#}");
}

const SAY: &str = r#"
name: Say
inputs:
- {name: text, type: String}
- {name: code, type: Integer}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'echo "$0"; exit "$1"', {inputValue: text}, {inputValue: code}]
"#;

/// A step that may fail inside an exit handler, in IR we compile
#[pipeline(name = "exit handler")]
pub fn with_exit_handler(#[default(0)] code: i64) {
    let say = load_component_from_text(SAY).unwrap();
    let bye = say.call([("text", arg("bye")), ("code", arg(0))]);
    kfp::dsl::exit_handler(&bye, || {
        say.call([("text", arg("working")), ("code", arg(code))]);
    });
}

#[test]
fn the_exit_task_runs_after_its_group_however_it_ends_and_a_failure_fails_the_run() {
    let dir = Scratch::new("ir-exit-handler");
    let file = dir.join("exit.ir.yaml");
    Compiler::new().target(Target::V2).compile(with_exit_handler, &file).unwrap();
    let file = file.to_string_lossy().into_owned();
    let report = succeeded(&run_local(&file, &dir, &[]));
    let tasks = report["tasks"].as_array().unwrap();
    let bye = tasks.iter().find(|task| task["kind"] == "container" && log(task).trim() == "bye").unwrap();
    assert_eq!(bye["exit_handler"], true, "{report:#}");

    let dir = Scratch::new("ir-exit-handler-failing");
    let output = run_local(&file, &dir, &["-p", "code=3"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["status"], "Failed", "{report:#}");
    let tasks = report["tasks"].as_array().unwrap();
    let failed = tasks.iter().find(|task| task["kind"] == "container" && task["status"] == "Failed").unwrap();
    assert_eq!((log(failed).trim(), &failed["exit_code"]), ("working", &Value::from(3)));
    let bye = tasks.iter().find(|task| task["kind"] == "container" && log(task).trim() == "bye").unwrap();
    assert_eq!(bye["status"], "Succeeded", "{report:#}");
}

#[component]
pub fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// A Rust component, run as KFP v2 runs it
#[pipeline(name = "add in v2")]
pub fn add_in_v2(#[default(1)] a: i64) {
    let sum = add_op(a, 2);
    add_op(sum.output(), 10);
}

#[test]
fn a_rust_pipeline_runs_locally_as_kfp_v2_runs_it() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH (the component's program is built with it)");
        return;
    }
    let dir = Scratch::new("ir-run-local-v2");
    let report = add_in_v2.run_local_v2(&RunOptions::new(dir.join("run")).arg("a", 5)).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("add", "Output"), Some("7"));
    assert_eq!(report.output("add-2", "Output"), Some("17"));
}

/// A task that fails until its third attempt, counting attempts in a file the run is given.
const FLAKY: &str = r#"# PIPELINE DEFINITION
# Name: flaky
components:
  comp-flaky:
    executorLabel: exec-flaky
    inputDefinitions:
      parameters:
        counter:
          parameterType: STRING
deploymentSpec:
  executors:
    exec-flaky:
      container:
        command: [sh, -c, 'echo x >> "$0"; test "$(wc -l < "$0")" -ge 3', "{{$.inputs.parameters['counter']}}"]
        image: alpine
pipelineInfo:
  name: flaky
root:
  dag:
    tasks:
      flaky:
        componentRef:
          name: comp-flaky
        inputs:
          parameters:
            counter:
              componentInputParameter: counter
        retryPolicy:
          backoffDuration: 0s
          backoffFactor: 2.0
          backoffMaxDuration: 3600s
          maxRetryCount: RETRIES
        taskInfo:
          name: flaky
  inputDefinitions:
    parameters:
      counter:
        parameterType: STRING
schemaVersion: 2.1.0
sdkVersion: kfp-2.17.3
"#;

#[test]
fn a_retry_policy_retries_the_task() {
    for (retries, ok, attempts) in [("3", true, 3), ("1", false, 2)] {
        let dir = Scratch::new(&format!("ir-retry-{retries}"));
        let file = dir.join("flaky.ir.yaml");
        std::fs::write(&file, FLAKY.replace("RETRIES", retries)).unwrap();
        let counter = dir.join("counter").to_string_lossy().into_owned();
        let output = run_local(&file.to_string_lossy(), &dir, &["-p", &format!("counter={counter}")]);
        assert_eq!(output.status.success(), ok, "{}", String::from_utf8_lossy(&output.stderr));
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(task(&report, "flaky")["attempts"], attempts, "{report:#}");
    }
}

/// An exit handler around a task that runs until it is stopped, its background process's pid in
/// `{dir}/work.pid`; the exit task writes `{dir}/exit-ran`.
const STOPPED: &str = r#"# PIPELINE DEFINITION
# Name: stopped
components:
  comp-exit-handler-1:
    dag:
      tasks:
        work:
          componentRef:
            name: comp-work
          taskInfo:
            name: work
  comp-note:
    executorLabel: exec-note
  comp-work:
    executorLabel: exec-work
deploymentSpec:
  executors:
    exec-note:
      container:
        command: [sh, -c, 'echo ran > {dir}/exit-ran']
        image: alpine
    exec-work:
      container:
        command: [sh, -c, 'sleep 300 & echo $! > {dir}/work.pid; wait']
        image: alpine
pipelineInfo:
  name: stopped
root:
  dag:
    tasks:
      exit-handler-1:
        componentRef:
          name: comp-exit-handler-1
        taskInfo:
          name: exit-handler-1
      note:
        componentRef:
          name: comp-note
        dependentTasks:
        - exit-handler-1
        taskInfo:
          name: note
        triggerPolicy:
          strategy: ALL_UPSTREAM_TASKS_COMPLETED
schemaVersion: 2.1.0
sdkVersion: kfp-2.17.3
"#;

#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_stops_the_tasks_runs_the_exit_task_and_leaves_no_process() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let dir = Scratch::new("ir-ctrl-c");
    let file = dir.join("stopped.ir.yaml");
    std::fs::write(&file, STOPPED.replace("{dir}", &dir.to_string_lossy())).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(["run-local", &file.to_string_lossy(), "--run-dir"])
        .arg(dir.join("run"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let pid = loop {
        let pid = std::fs::read_to_string(dir.join("work.pid")).unwrap_or_default().trim().to_owned();
        if !pid.is_empty() {
            break pid;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the task did not start");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("kfp run-local did not stop");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert_eq!(std::fs::read_to_string(dir.join("exit-ran")).unwrap_or_default().trim(), "ran", "{stderr}");
    assert!(common::run::gone(&pid), "the task's background process {pid} survived");
}

/// A refusal: exit status 1, every problem on stderr, and no task started.
fn refused(name: &str) -> String {
    let dir = Scratch::new(&format!("ir-refused-{name}"));
    let output = run_local(&golden(name), &dir, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the pipeline IR cannot run on this machine"), "{stderr}");
    assert!(!dir.join("run/logs").exists(), "nothing starts: {stderr}");
    stderr
}

#[test]
fn what_this_slice_cannot_run_is_refused_naming_the_task_and_the_feature() {
    let stderr = refused("pipeline_with_importer");
    assert!(
        stderr.contains(
            "importer `importer` imports `gs://ml-pipeline-playground/shakespeare1.txt`, which is not a local file"
        ),
        "{stderr}"
    );

    // A broken file is named by the IR's rules, before the Workflow's.
    let dir = Scratch::new("ir-invalid");
    let file = dir.join("broken.ir.yaml");
    std::fs::write(
        &file,
        FLAKY.replace("RETRIES", "1").replace("componentInputParameter: counter", "componentInputParameter: nothing"),
    )
    .unwrap();
    let output = run_local(&file.to_string_lossy(), &dir, &["-p", "counter=x"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the pipeline IR is invalid") && stderr.contains("nothing"), "{stderr}");
}
