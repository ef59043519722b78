//! `kfp::run`: Workflows executed on this machine. The golden kfp 1.8.22 add
//! example (python3 steps) and our compiled Rust add example (rustc steps);
//! conditions, loops over a task's JSON output, exit handlers, retries,
//! deadlines, Ctrl-C, artifacts and parallelism on small `sh` Workflows; and
//! the errors that stop a run before anything runs.

mod common;

#[path = "../examples/add_pipeline.rs"]
#[allow(dead_code)]
mod add_pipeline;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::run::Scratch;
use kfp::run::{parse_workflow, run_workflow, Cancel, Observer, Phase, RunError, RunOptions, TaskReport};

fn have(program: &str) -> bool {
    std::process::Command::new(program).arg("--version").output().is_ok_and(|out| out.status.success())
}

/// A Workflow whose entrypoint is the DAG `main`, with `templates` (YAML list items) added.
fn workflow(params: &str, dag_tasks: &str, templates: &str, extra_spec: &str) -> String {
    format!(
        "apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: test-
spec:
  entrypoint: main
  arguments:
    parameters: [{params}]
{extra_spec}  templates:
  - name: main
    dag:
      tasks:
{dag_tasks}
{templates}"
    )
}

fn run(yaml: &str, dir: &Path, params: &[(&str, &str)]) -> kfp::run::RunReport {
    let workflow = parse_workflow(yaml).unwrap();
    let mut options = RunOptions::new(dir).parallelism(4);
    for (name, value) in params {
        options = options.param(*name, *value);
    }
    run_workflow(&workflow, &options).unwrap_or_else(|error| panic!("{error}"))
}

fn phase(report: &kfp::run::RunReport, id: &str) -> Phase {
    report.task(id).unwrap_or_else(|| panic!("no task {id} in {:#?}", report.tasks)).phase
}

#[test]
fn golden_kfp_add_example_gives_minus_seven() {
    let yaml = common::read_golden("add_example");
    if !have("python3") {
        common::skip("python3 is not on PATH; the golden's steps run it");
        return;
    }
    let dir = Scratch::new("run-golden-add");
    let report = run(&yaml, &dir, &[("value_1", "3"), ("value_2", "4")]);
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("add", "add-Output"), Some("7"));
    assert_eq!(report.output("subtract", "subtract-Output"), Some("-1"));
    assert_eq!(report.output("multiply", "multiply-Output"), Some("-7"));
    assert!(dir.join("run.json").is_file());
    assert!(dir.join("logs/multiply.log").is_file());
}

#[test]
fn compiled_rust_add_example_gives_minus_seven() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH; the component programs are built with it");
        return;
    }
    let yaml = kfp::Compiler::new().compile_to_string(add_pipeline::my_pipeline).unwrap();
    let dir = Scratch::new("run-rust-add");
    let report = run(&yaml, &dir, &[("value_1", "3"), ("value_2", "4")]);
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("multiply", "multiply-Output"), Some("-7"));
}

const ECHO: &str = "
  - name: echo
    inputs:
      parameters: [{name: text}]
    container:
      image: alpine
      command: [sh, -c, 'mkdir -p /tmp/outputs/out && printf %s \"$0\" > /tmp/outputs/out/data', '{{inputs.parameters.text}}']
    outputs:
      parameters:
      - name: out
        valueFrom: {path: /tmp/outputs/out/data}
      artifacts:
      - {name: out, path: /tmp/outputs/out/data}
";

#[test]
fn tasks_writing_the_same_path_do_not_collide_and_pass_values() {
    let tasks = "
      - {name: a, template: echo, arguments: {parameters: [{name: text, value: 'from a'}]}}
      - {name: b, template: echo, arguments: {parameters: [{name: text, value: 'from b'}]}}
      - name: c
        template: echo
        dependencies: [a, b]
        arguments: {parameters: [{name: text, value: '{{tasks.a.outputs.parameters.out}} + {{tasks.b.outputs.parameters.out}}'}]}
";
    let dir = Scratch::new("run-collide");
    let report = run(&workflow("", tasks, ECHO, ""), &dir, &[]);
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("a", "out"), Some("from a"));
    assert_eq!(report.output("b", "out"), Some("from b"));
    assert_eq!(report.output("c", "out"), Some("from a + from b"));
    let (a, b) = (&report.task("a").unwrap().artifacts["out"], &report.task("b").unwrap().artifacts["out"]);
    assert!(a != b && a.starts_with(&*dir) && b.starts_with(&*dir), "{a:?} {b:?}");
}

#[test]
fn conditions_run_one_branch_and_skip_the_other() {
    let tasks = "
      - {name: flip, template: echo, arguments: {parameters: [{name: text, value: '{{workflow.parameters.side}}'}]}}
      - name: heads
        template: echo
        dependencies: [flip]
        when: '\"{{tasks.flip.outputs.parameters.out}}\" == \"heads\"'
        arguments: {parameters: [{name: text, value: 'it was heads'}]}
      - name: tails
        template: echo
        dependencies: [flip]
        when: '\"{{tasks.flip.outputs.parameters.out}}\" == \"tails\"'
        arguments: {parameters: [{name: text, value: 'it was tails'}]}
      - name: after
        template: echo
        dependencies: [heads, tails]
        arguments: {parameters: [{name: text, value: done}]}
";
    let dir = Scratch::new("run-condition");
    let report = run(&workflow("{name: side}", tasks, ECHO, ""), &dir, &[("side", "tails")]);
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(phase(&report, "heads"), Phase::Skipped);
    assert_eq!(report.output("tails", "out"), Some("it was tails"));
    // A skipped dependency lets its dependents run, as in Argo.
    assert_eq!(report.output("after", "out"), Some("done"));
}

#[test]
fn loops_over_a_tasks_json_output_and_aggregate() {
    let templates = format!(
        "{ECHO}
  - name: produce
    container:
      image: alpine
      command: [sh, -c, 'echo ''[{{\"n\": 1, \"w\": \"one\"}}, {{\"n\": 2, \"w\": \"two\"}}]'' > /tmp/list.json']
    outputs:
      parameters:
      - name: list
        valueFrom: {{path: /tmp/list.json}}
"
    );
    let tasks = "
      - {name: produce, template: produce}
      - name: each
        template: echo
        dependencies: [produce]
        withParam: '{{tasks.produce.outputs.parameters.list}}'
        arguments: {parameters: [{name: text, value: '{{item.n}}={{item.w}}'}]}
      - name: items
        template: echo
        withItems: [x, 7]
        arguments: {parameters: [{name: text, value: 'item {{item}}'}]}
      - name: all
        template: echo
        dependencies: [each]
        arguments: {parameters: [{name: text, value: '{{tasks.each.outputs.parameters}}'}]}
";
    let dir = Scratch::new("run-loop");
    let report = run(&workflow("", tasks, &templates, ""), &dir, &[]);
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("each-0", "out"), Some("1=one"));
    assert_eq!(report.output("each-1", "out"), Some("2=two"));
    assert_eq!(report.task("each-1").unwrap().display_name, r#"each(1:{"n":2,"w":"two"})"#);
    assert_eq!(report.output("each", "out"), Some(r#"["1=one","2=two"]"#));
    assert_eq!(report.output("all", "out"), Some(r#"[{"out":"1=one"},{"out":"2=two"}]"#));
    assert_eq!(report.output("items-0", "out"), Some("item x"));
    assert_eq!(report.output("items-1", "out"), Some("item 7"));
}

#[test]
fn artifacts_are_copied_between_tasks() {
    let templates = "
  - name: write
    container:
      image: alpine
      command: [sh, -c, 'mkdir -p /data/dir && echo hello > /data/dir/a.txt && echo world > /data/dir/b.txt']
    outputs:
      artifacts:
      - {name: dir, path: /data/dir}
  - name: read
    inputs:
      artifacts:
      - {name: dir, path: /in/dir}
      - name: note
        path: /in/note
        raw: {data: 'note for {{workflow.parameters.who}}'}
    container:
      image: alpine
      command: [sh, -c, 'mkdir -p /tmp/outputs/out && cat /in/dir/a.txt /in/dir/b.txt /in/note > /tmp/outputs/out/data']
    outputs:
      artifacts:
      - {name: out, path: /tmp/outputs/out/data}
";
    let tasks = "
      - {name: write, template: write}
      - name: read
        template: read
        dependencies: [write]
        arguments: {artifacts: [{name: dir, from: '{{tasks.write.outputs.artifacts.dir}}'}]}
";
    let dir = Scratch::new("run-artifacts");
    let report = run(&workflow("{name: who, value: me}", tasks, templates, ""), &dir, &[]);
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("read", "out"), Some("hello\nworld\nnote for me"));
}

#[test]
fn a_dag_hands_its_input_artifact_on_to_its_tasks() {
    // As kfp passes a task's file output into a condition or loop group: the
    // group's DAG takes it as an input artifact and its task reads `{{inputs.artifacts.NAME}}`.
    let templates = "
  - name: write
    container:
      image: alpine
      command: [sh, -c, 'mkdir -p /tmp/outputs/text && printf handed-on > /tmp/outputs/text/data']
    outputs:
      artifacts:
      - {name: write-text, path: /tmp/outputs/text/data}
  - name: group
    inputs:
      artifacts:
      - {name: write-text}
    dag:
      tasks:
      - name: read
        template: read
        arguments: {artifacts: [{name: write-text, from: '{{inputs.artifacts.write-text}}'}]}
  - name: read
    inputs:
      artifacts:
      - {name: write-text, path: /in/text}
    container:
      image: alpine
      command: [sh, -c, 'mkdir -p /tmp/outputs/out && cat /in/text > /tmp/outputs/out/data']
    outputs:
      artifacts:
      - {name: out, path: /tmp/outputs/out/data}
";
    let tasks = "
      - {name: write, template: write}
      - name: group
        template: group
        dependencies: [write]
        arguments: {artifacts: [{name: write-text, from: '{{tasks.write.outputs.artifacts.write-text}}'}]}
";
    let dir = Scratch::new("run-artifacts-into-dag");
    let report = run(&workflow("", tasks, templates, ""), &dir, &[]);
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("group.read", "out"), Some("handed-on"));
}

const FAIL_TWICE: &str = "
  - name: flaky
    inputs:
      parameters: [{name: counter}]
    retryStrategy: {limit: 3}
    container:
      image: alpine
      command: [sh, -c, 'echo x >> \"$0\"; n=$(wc -l < \"$0\"); echo attempt $n; [ $n -ge 3 ]', '{{inputs.parameters.counter}}']
";

#[test]
fn a_failing_step_is_retried_and_then_succeeds() {
    let dir = Scratch::new("run-retry");
    let counter = dir.join("counter");
    let tasks = "      - {name: flaky, template: flaky, arguments: {parameters: [{name: counter, value: '{{workflow.parameters.counter}}'}]}}\n";
    let report =
        run(&workflow("{name: counter}", tasks, FAIL_TWICE, ""), &dir, &[("counter", counter.to_str().unwrap())]);
    assert!(report.succeeded(), "{report:#?}");
    let flaky = report.task("flaky").unwrap();
    assert_eq!(flaky.attempts, 3);
    let log = std::fs::read_to_string(flaky.log.as_ref().unwrap()).unwrap();
    assert!(log.contains("attempt 1") && log.contains("--- retry 2 of 3 ---") && log.contains("attempt 3"), "{log}");
}

#[test]
fn a_step_failing_after_its_retries_fails_the_run_and_the_exit_handler_sees_it() {
    let dir = Scratch::new("run-fail");
    let templates = "
  - name: fail
    retryStrategy: {limit: 1}
    container: {image: alpine, command: [sh, -c, 'echo failing; exit 3']}
  - name: never
    container: {image: alpine, command: [sh, -c, 'exit 0']}
  - name: exit-handler
    container:
      image: alpine
      command: [sh, -c, 'mkdir -p /tmp/outputs/s && printf %s \"$0\" > /tmp/outputs/s/data', '{{workflow.status}}']
    outputs:
      artifacts:
      - {name: status, path: /tmp/outputs/s/data}
";
    let tasks = "
      - {name: fail, template: fail}
      - {name: never, template: never, dependencies: [fail]}
";
    let report = run(&workflow("", tasks, templates, "  onExit: exit-handler\n"), &dir, &[]);
    assert_eq!(report.phase, Phase::Failed);
    let fail = report.task("fail").unwrap();
    assert_eq!((fail.phase, fail.exit_code, fail.attempts), (Phase::Failed, Some(3), 2));
    assert_eq!(phase(&report, "never"), Phase::Omitted);
    assert_eq!(report.output("onExit", "status"), Some("Failed"));
    assert!(report.message.as_deref().unwrap_or_default().contains("fail"), "{:?}", report.message);
}

#[test]
fn a_task_past_its_deadline_is_killed_with_its_process_group() {
    let dir = Scratch::new("run-deadline");
    let pid_file = dir.join("child.pid");
    let templates = "
  - name: slow
    inputs:
      parameters: [{name: pidfile}]
    activeDeadlineSeconds: 1
    container:
      image: alpine
      command: [sh, -c, 'sleep 300 & echo $! > \"$0\"; wait', '{{inputs.parameters.pidfile}}']
";
    let tasks = "      - {name: slow, template: slow, arguments: {parameters: [{name: pidfile, value: '{{workflow.parameters.pidfile}}'}]}}\n";
    let started = Instant::now();
    let report =
        run(&workflow("{name: pidfile}", tasks, templates, ""), &dir, &[("pidfile", pid_file.to_str().unwrap())]);
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert_eq!(report.phase, Phase::Failed);
    let slow = report.task("slow").unwrap();
    assert_eq!(slow.phase, Phase::Failed);
    assert!(slow.message.as_deref().unwrap_or_default().contains("deadline"), "{slow:?}");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    assert!(common::run::gone(&pid), "the background sleep {pid} survived");
}

#[test]
fn independent_tasks_run_at_the_same_time() {
    let dir = Scratch::new("run-parallel");
    // Each task waits for the other's file: only concurrent tasks both finish.
    let templates = "
  - name: meet
    inputs:
      parameters: [{name: mine}, {name: theirs}]
    container:
      image: alpine
      command: [sh, -c, 'touch \"$0\"; i=0; while [ ! -e \"$1\" ]; do i=$((i+1)); [ $i -gt 200 ] && exit 1; sleep 0.05; done', '{{inputs.parameters.mine}}', '{{inputs.parameters.theirs}}']
";
    let a = dir.join("a").to_string_lossy().into_owned();
    let b = dir.join("b").to_string_lossy().into_owned();
    let tasks = format!(
        "      - {{name: x, template: meet, arguments: {{parameters: [{{name: mine, value: '{a}'}}, {{name: theirs, value: '{b}'}}]}}}}
      - {{name: y, template: meet, arguments: {{parameters: [{{name: mine, value: '{b}'}}, {{name: theirs, value: '{a}'}}]}}}}
"
    );
    let report = run(&workflow("", &tasks, templates, ""), &dir, &[]);
    assert!(report.succeeded(), "{report:#?}");
}

/// Every event an observer hears, in order, with when it heard it.
#[derive(Default)]
struct Events(Mutex<Vec<(&'static str, String, Instant)>>);

impl Events {
    fn push(&self, what: &'static str, id: &str) {
        self.0.lock().unwrap().push((what, id.to_owned(), Instant::now()));
    }

    /// Where event `what` of task `id` is in the order, and how many there were.
    fn find(&self, what: &str, id: &str) -> (Option<usize>, usize) {
        let events = self.0.lock().unwrap();
        let mut found = events.iter().enumerate().filter(|(_, (w, i, _))| *w == what && i == id);
        let first = found.next().map(|(at, _)| at);
        (first, first.map_or(0, |_| 1 + found.count()))
    }
}

impl Observer for Events {
    fn task_pending(&self, id: &str, _display_name: &str) {
        self.push("pending", id);
    }
    fn task_started(&self, id: &str, _display_name: &str) {
        self.push("started", id);
    }
    fn task_finished(&self, report: &TaskReport) {
        self.push("finished", &report.id);
    }
}

#[test]
fn a_task_waiting_for_a_slot_is_pending_and_its_duration_starts_when_it_runs() {
    let dir = Scratch::new("run-pending");
    let templates = "
  - name: nap
    container: {image: alpine, command: [sh, -c, 'sleep 0.5']}
";
    let tasks = "      - {name: a, template: nap}\n      - {name: b, template: nap}\n";
    let events = Arc::new(Events::default());
    let options = RunOptions::new(&*dir).parallelism(1).observer(events.clone());
    let before = Instant::now();
    let report = run_workflow(&parse_workflow(&workflow("", tasks, templates, "")).unwrap(), &options).unwrap();
    let whole = before.elapsed();
    assert!(report.succeeded(), "{report:#?}");

    let (waited, ran) = match (events.find("pending", "a"), events.find("pending", "b")) {
        ((Some(_), 1), (None, 0)) => ("a", "b"),
        ((None, 0), (Some(_), 1)) => ("b", "a"),
        other => panic!("exactly one task is pending once with one slot, not {other:?}"),
    };
    let at = |what, id| events.find(what, id).0.unwrap_or_else(|| panic!("no {what} event for {id}"));
    // Pending while the other runs, then running when the other's slot is free.
    assert!(at("pending", waited) < at("finished", ran));
    assert!(at("pending", waited) < at("started", waited));
    assert!(at("started", waited) < at("finished", waited));
    // One slot: the two runs do not overlap, so their durations fit in the whole run
    // (counting the wait in the second task's duration would exceed it).
    let durations = report.task("a").unwrap().duration + report.task("b").unwrap().duration;
    assert!(durations <= whole, "{durations:?} of running in a run of {whole:?}: {report:#?}");
}

/// Cancels the run as soon as task `slow` has started.
struct CancelOnStart(Cancel, Mutex<Vec<String>>);

impl Observer for CancelOnStart {
    fn task_started(&self, id: &str, _display_name: &str) {
        self.1.lock().unwrap().push(id.to_owned());
        if id == "slow" {
            self.0.cancel();
        }
    }
    fn task_finished(&self, _report: &TaskReport) {}
}

#[test]
fn cancelling_stops_every_task_runs_the_exit_handler_and_leaves_no_process() {
    let dir = Scratch::new("run-cancel");
    let pid_file = dir.join("child.pid");
    let templates = "
  - name: slow
    inputs:
      parameters: [{name: pidfile}]
    container:
      image: alpine
      command: [sh, -c, 'sleep 300 & echo $! > \"$0\"; wait', '{{inputs.parameters.pidfile}}']
  - name: exit-handler
    container: {image: alpine, command: [sh, -c, 'echo cleaning up']}
";
    let tasks = "      - {name: slow, template: slow, arguments: {parameters: [{name: pidfile, value: '{{workflow.parameters.pidfile}}'}]}}\n";
    let yaml = workflow("{name: pidfile}", tasks, templates, "  onExit: exit-handler\n");
    let cancel = Cancel::new();
    let observer = Arc::new(CancelOnStart(cancel.clone(), Mutex::new(Vec::new())));
    let options =
        RunOptions::new(&*dir).param("pidfile", pid_file.to_str().unwrap()).cancel(cancel).observer(observer.clone());
    let started = Instant::now();
    let report = run_workflow(&parse_workflow(&yaml).unwrap(), &options).unwrap();
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(report.phase, Phase::Failed);
    assert_eq!(report.task("slow").unwrap().message.as_deref(), Some("interrupted"));
    assert_eq!(phase(&report, "onExit"), Phase::Succeeded);
    if let Ok(pid) = std::fs::read_to_string(&pid_file) {
        assert!(common::run::gone(&pid), "the background sleep {pid} survived");
    }
}

fn preflight(yaml: &str, params: &[(&str, &str)]) -> RunError {
    let dir = Scratch::new("run-preflight");
    let workflow = match parse_workflow(yaml) {
        Ok(workflow) => workflow,
        Err(error) => return error,
    };
    let mut options = RunOptions::new(dir.join("run"));
    for (name, value) in params {
        options = options.param(*name, *value);
    }
    let error = run_workflow(&workflow, &options).expect_err("the run must not start");
    assert!(!dir.join("run").exists(), "nothing may run or be created before the checks pass");
    error
}

#[test]
fn errors_before_anything_runs() {
    let tasks = "      - {name: a, template: echo, arguments: {parameters: [{name: text, value: '{{workflow.parameters.p}}'}]}}\n";
    let yaml = workflow("{name: p}", tasks, ECHO, "");

    let missing = preflight(&yaml, &[]).to_string();
    assert!(missing.contains("missing required parameter `p`") && missing.contains("--param p=VALUE"), "{missing}");

    let unknown = preflight(&yaml, &[("p", "1"), ("q", "2")]).to_string();
    assert!(unknown.contains("unknown parameter `q`") && unknown.contains("its parameters are p"), "{unknown}");

    let malformed = preflight(&yaml.replace("entrypoint:", "entrypointt:"), &[("p", "1")]);
    assert!(matches!(malformed, RunError::Malformed(_)), "{malformed}");
    assert!(malformed.to_string().contains("entrypointt"), "{malformed}");

    let unresolved = preflight(&yaml.replace("workflow.parameters.p", "workflow.parameters.nope"), &[("p", "1")]);
    assert!(matches!(unresolved, RunError::Invalid(_)), "{unresolved}");
    assert!(unresolved.to_string().contains("{{workflow.parameters.nope}}"), "{unresolved}");

    let resource = workflow(
        "",
        "      - {name: r, template: make}\n",
        "  - name: make\n    resource: {action: create, manifest: 'kind: ConfigMap'}\n",
        "",
    );
    let unsupported = preflight(&resource, &[]).to_string();
    assert!(unsupported.contains("template `make` is a resource template"), "{unsupported}");
}

#[test]
fn the_workflow_deadline_stops_the_run_and_the_exit_handler_still_runs() {
    let dir = Scratch::new("run-workflow-deadline");
    let templates = "
  - name: slow
    container: {image: alpine, command: [sh, -c, 'sleep 30']}
  - name: exit-handler
    container: {image: alpine, command: [sh, -c, 'echo done']}
";
    let tasks = "
      - {name: first, template: slow}
      - {name: second, template: slow, dependencies: [first]}
";
    let started = Instant::now();
    let yaml = workflow("", tasks, templates, "  activeDeadlineSeconds: 1\n  onExit: exit-handler\n");
    let report = run(&yaml, &dir, &[]);
    assert!(started.elapsed() < Duration::from_secs(15), "took {:?}", started.elapsed());
    assert_eq!(report.phase, Phase::Failed);
    let first = report.task("first").unwrap();
    assert!(first.message.as_deref().unwrap_or_default().contains("activeDeadlineSeconds"), "{first:?}");
    assert_eq!(phase(&report, "second"), Phase::Omitted);
    assert_eq!(phase(&report, "onExit"), Phase::Succeeded);
}
