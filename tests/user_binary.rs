//! A user's program, run as a user runs it: a binary of its own (this test has
//! no harness), started as a child process with real stdout and stderr. Its
//! `main` is `kfp::cli::main()`, or the README's `fn main() -> kfp::Result<()>`
//! compiling an invalid pipeline, as `USER_BINARY_MAIN` says; without it, the
//! checks below run, each starting this binary again.
//!
//! Why a real process: `run-local NAME` once held the stdout lock while the
//! components ran, so a component's `println!` hung the run; a `Vec` given to
//! `kfp::cli::try_run` cannot show that.

mod common;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::api_server::Server;
use serde_json::{json, Value};

use kfp::dsl::{exit_handler, parallel_for};
use kfp::prelude::*;

/// Which `main` the child runs.
const MAIN: &str = "USER_BINARY_MAIN";
/// A run that has not ended after this is hung.
const HUNG_AFTER: Duration = Duration::from_secs(120);

#[component]
fn greet(name: String) -> String {
    println!("greet prints: hello {name}");
    format!("hello {name}")
}

#[component]
fn numbers(count: i64) -> Vec<i64> {
    (1..=count).collect()
}

#[component]
fn square(x: i64) -> i64 {
    x * x
}

#[component]
fn cleanup(note: String) -> String {
    format!("cleaned up after {note}")
}

#[pipeline(name = "greeting")]
fn greeting(name: String) {
    greet_op(name);
}

#[pipeline(name = "greeting with timeout")]
fn greeting_with_timeout(name: String) {
    greet_op(name).set_timeout(60);
}

#[pipeline(name = "squares")]
fn squares(count: i64) {
    let exit = cleanup_op("squares");
    exit_handler(&exit, || {
        let listed = numbers_op(count);
        parallel_for(listed.output(), |item| {
            square_op(item);
        });
    });
}

/// A label key Kubernetes refuses: the compiler reports it.
#[pipeline(name = "bad label")]
fn bad_label() {
    greet_op("x").add_pod_label("not a key!", "yes");
}

fn main() -> kfp::Result<()> {
    match std::env::var(MAIN).as_deref() {
        Ok("cli") => {
            kfp::cli::main();
            Ok(())
        }
        Ok("compile") => {
            let path = std::env::args().nth(1).expect("the Workflow path");
            kfp::Compiler::new().compile(bad_label, path)?;
            Ok(())
        }
        _ => {
            let checks: [(&str, fn()); 7] = [
                ("a component's println! reaches stdout and the run ends", println_reaches_stdout),
                ("a component with a timeout that prints succeeds", println_with_a_timeout),
                ("--json: stdout holds the document, the prints go to stderr", json_stays_parseable),
                ("the table shows each iteration's item and the exit handler", table_names_items_and_exit_handler),
                ("fn main() -> kfp::Result<()> prints the error's message", main_returning_an_error_reads_well),
                (
                    "submit compiles a pipeline, runs it inline on KFP and --wait follows it",
                    submit_runs_inline_and_waits,
                ),
                ("schedule creates a recurring run of a pipeline", schedule_creates_a_recurring_run),
            ];
            for (name, check) in checks {
                check();
                println!("test {name} ... ok");
            }
            Ok(())
        }
    }
}

/// What the child printed and how it ended.
struct Ran {
    success: bool,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs this binary with `main` and `args`; fails the check if it does not end in time.
fn run(main: &str, args: &[&str], dir: &Path) -> Ran {
    let (out_path, err_path) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(args)
        .env(MAIN, main)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HUNG_AFTER {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`{}` hung ({}s); stdout:\n{}\nstderr:\n{}",
                args.join(" "),
                HUNG_AFTER.as_secs(),
                std::fs::read_to_string(&out_path).unwrap_or_default(),
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ran {
        success: status.success(),
        code: status.code(),
        stdout: std::fs::read_to_string(&out_path).unwrap(),
        stderr: std::fs::read_to_string(&err_path).unwrap(),
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("user-binary-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run_local(dir: &Path, args: &[&str]) -> Ran {
    let run_dir = dir.join("run");
    let mut all = vec!["run-local"];
    all.extend_from_slice(args);
    all.extend(["--run-dir", run_dir.to_str().unwrap()]);
    run("cli", &all, dir)
}

fn println_reaches_stdout() {
    let dir = scratch("println");
    let ran = run_local(&dir, &["greeting", "-p", "name=Ada"]);
    assert!(ran.success, "stdout:\n{}\nstderr:\n{}", ran.stdout, ran.stderr);
    assert!(ran.stdout.contains("greet prints: hello Ada\n"), "{}", ran.stdout);
    assert!(
        ran.stdout.lines().any(|line| line.starts_with("greeting-") && line.contains(" Succeeded in ")),
        "{}",
        ran.stdout
    );
}

fn println_with_a_timeout() {
    let dir = scratch("timeout");
    let ran = run_local(&dir, &["greeting with timeout", "-p", "name=Grace"]);
    assert!(ran.success, "stdout:\n{}\nstderr:\n{}", ran.stdout, ran.stderr);
    assert!(ran.stdout.contains("greet prints: hello Grace\n"), "{}", ran.stdout);
    assert!(!ran.stderr.contains("Failed"), "{}", ran.stderr);
}

fn json_stays_parseable() {
    let dir = scratch("json");
    let ran = run_local(&dir, &["greeting", "-p", "name=Lin", "--json"]);
    assert!(ran.success, "stdout:\n{}\nstderr:\n{}", ran.stdout, ran.stderr);
    let document: serde_json::Value = serde_json::from_str(&ran.stdout)
        .unwrap_or_else(|error| panic!("stdout is not one JSON document ({error}):\n{}", ran.stdout));
    assert_eq!(document["status"], "Succeeded");
    let greet = document["tasks"].as_array().unwrap().iter().find(|task| task["template"] == "greet").unwrap();
    assert_eq!(greet["outputs"]["greet-Output"], "hello Lin");
    assert!(ran.stderr.contains("greet prints: hello Lin\n"), "{}", ran.stderr);
}

fn table_names_items_and_exit_handler() {
    let dir = scratch("table");
    let ran = run_local(&dir, &["squares", "-p", "count=3"]);
    assert!(ran.success, "stdout:\n{}\nstderr:\n{}", ran.stdout, ran.stderr);
    let rows: Vec<&str> = ran.stdout.lines().collect();
    for (item, square) in [(1, 1), (2, 4), (3, 9)] {
        let wanted = format!("square [item {item}]");
        let row = rows
            .iter()
            .find(|row| row.starts_with(&wanted))
            .unwrap_or_else(|| panic!("no `{wanted}` row in\n{}", ran.stdout));
        assert!(row.ends_with(&format!("square-Output={square}")), "{row}");
    }
    let exit =
        rows.iter().find(|row| row.starts_with("cleanup (exit handler)")).unwrap_or_else(|| panic!("{}", ran.stdout));
    assert!(exit.contains("Succeeded"), "{exit}");
}

fn main_returning_an_error_reads_well() {
    let dir = scratch("error");
    let ran = run("compile", &["bad.yaml"], &dir);
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    let error = kfp::Compiler::new().compile_to_workflow(bad_label).unwrap_err();
    assert_eq!(ran.stderr, format!("Error: {error}\n"));
    assert!(!ran.stderr.contains("InvalidWorkflow {"), "{}", ran.stderr);
    assert!(
        ran.stderr.contains("task `greet` (add_pod_label): invalid label key `not a key!`"),
        "the problem names the task and the setter:\n{}",
        ran.stderr
    );
    assert!(!dir.join("bad.yaml").exists());
}

/// The run requests the server saw, as JSON; no request may stray from the swagger.
fn posted(server: &Server, path: &str) -> Vec<Value> {
    let violations = server.violations();
    assert!(violations.is_empty(), "requests that do not match the swagger:\n{}", violations.join("\n"));
    server.seen().iter().filter(|seen| seen.method == "POST" && seen.path == path).map(|seen| seen.json()).collect()
}

fn submit_runs_inline_and_waits() {
    let dir = scratch("submit");
    let detail = |id: &str, status: &str| (200, json!({"run": {"id": id, "name": "greeting", "status": status}}));
    let server = Server::start(
        common::swagger::load_swagger(),
        vec![
            (
                "POST /apis/v1beta1/runs".into(),
                VecDeque::from([detail("run-1", "Pending"), detail("run-2", "Pending"), detail("run-3", "Pending")]),
            ),
            ("GET /apis/v1beta1/runs/run-1".into(), VecDeque::from([detail("run-1", "Succeeded")])),
            ("GET /apis/v1beta1/runs/run-2".into(), VecDeque::from([detail("run-2", "Failed")])),
        ],
    );
    let submit = |extra: &[&str]| {
        let mut args = vec!["submit", "greeting", "-p", "name=Ada", "--host", &server.url];
        args.extend_from_slice(extra);
        run("cli", &args, &dir)
    };
    let ran = submit(&["--experiment", "demo", "--wait"]);
    assert!(ran.success, "stdout:\n{}\nstderr:\n{}", ran.stdout, ran.stderr);
    assert_eq!(ran.stdout, "created run run-1\tgreeting\tPending\t-\nrun run-1: Succeeded\n");
    let failed = submit(&["--wait", "--name", "second"]);
    assert_eq!((failed.code, failed.stderr.as_str()), (Some(1), "error: run run-2 ended Failed\n"));
    let quick = submit(&[]);
    assert_eq!(quick.stdout, "created run run-3\tgreeting\tPending\t-\n", "{}", quick.stderr);

    let runs = posted(&server, "/apis/v1beta1/runs");
    assert_eq!(runs.len(), 3);
    let manifest: Value =
        serde_json::from_str(runs[0]["pipeline_spec"]["workflow_manifest"].as_str().unwrap()).unwrap();
    let compiled: Value = serde_yaml::from_str(&kfp::Compiler::new().compile_to_string(greeting).unwrap()).unwrap();
    assert_eq!(manifest["spec"], compiled["spec"], "the pipeline travels inline, compiled as `compile` writes it");
    assert_eq!(runs[0]["pipeline_spec"]["parameters"], json!([{"name": "name", "value": "Ada"}]));
    assert!(runs[0]["name"].as_str().unwrap().starts_with("greeting 20"), "{}", runs[0]["name"]);
    assert_eq!(runs[1]["name"], "second");
    // `demo` is in the example answer of the experiment lookup; without --experiment kfp's `Default` is looked up.
    let lookups: Vec<String> = server
        .seen()
        .iter()
        .filter(|seen| seen.path == "/apis/v1beta1/experiments")
        .map(|seen| seen.query.iter().find(|(key, _)| key == "filter").unwrap().1.clone())
        .collect();
    assert!(lookups[0].contains("\"demo\"") && lookups[1].contains("\"Default\""), "{lookups:?}");

    let seen_before = server.seen().len();
    let unknown = submit(&["-p", "age=3"]);
    assert_eq!(unknown.code, Some(1));
    assert!(
        unknown.stderr.contains("unknown parameter `age`: the pipeline's parameters are name"),
        "{}",
        unknown.stderr
    );
    let ill_typed = run("cli", &["submit", "squares", "-p", "count=three", "--host", &server.url], &dir);
    assert!(ill_typed.stderr.contains("parameter `count`: `three` is not a valid Integer"), "{}", ill_typed.stderr);
    let missing = run("cli", &["submit", "nope", "--host", &server.url], &dir);
    assert!(
        missing.stderr.contains("no pipeline is named `nope`; this program has: ")
            && missing.stderr.contains("`greeting`")
    );
    // submit sends an Argo Workflow, which the v2beta1 API does not run.
    let v2 = run("cli", &["submit", "greeting", "-p", "name=Ada", "--api", "v2", "--host", &server.url], &dir);
    assert!(
        v2.stderr.contains(
            "submit (it sends the pipeline compiled to an Argo Workflow) uses the v1beta1 API: drop --api v2"
        ),
        "{}",
        v2.stderr
    );
    assert_eq!(server.seen().len(), seen_before, "nothing is sent for a pipeline or parameter that does not exist");
}

fn schedule_creates_a_recurring_run() {
    let dir = scratch("schedule");
    let server = Server::start(common::swagger::load_swagger(), Vec::new());
    let args =
        ["schedule", "greeting", "--name", "nightly", "--cron", "0 0 3 * * *", "-p", "name=Ada", "--host", &server.url];
    let ran = run("cli", &args, &dir);
    assert!(ran.success, "stdout:\n{}\nstderr:\n{}", ran.stdout, ran.stderr);
    assert!(ran.stdout.starts_with("created recurring run id-text\tname-text\tEnabled\t"), "{}", ran.stdout);
    let jobs = posted(&server, "/apis/v1beta1/jobs");
    assert_eq!(jobs.len(), 1);
    assert_eq!(
        (jobs[0]["name"].as_str(), jobs[0]["trigger"]["cron_schedule"]["cron"].as_str()),
        (Some("nightly"), Some("0 0 3 * * *"))
    );
    let manifest: Value =
        serde_json::from_str(jobs[0]["pipeline_spec"]["workflow_manifest"].as_str().unwrap()).unwrap();
    assert_eq!(manifest["metadata"]["generateName"], "greeting-");
    let bad = run("cli", &["schedule", "greeting", "--name", "n", "--cron", "0 3 * * *", "--host", &server.url], &dir);
    assert_eq!(bad.code, Some(1));
    assert!(bad.stderr.contains("write `0 0 3 * * *`"), "{}", bad.stderr);
    assert_eq!(server.seen().len(), 1);
}
