//! `kfp run-local` builds each distinct Rust component program once per run
//! (the other tasks wait and reuse it) and keeps it in the user's program cache
//! (`$XDG_CACHE_HOME/kfp-rs/programs`) for later runs; `--no-cache` builds in
//! the run directory instead. The outputs are the same either way, a corrupted
//! cache entry is built again, a failed build fails every task that needs it and
//! is not kept, two runs at once build a program once, and the size limit
//! removes the programs used least recently. Checked through the real binary:
//! its `--json` report, the tasks' logs and the cache directory.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kfp::prelude::*;
use serde_json::Value;

use common::run::{have_rustc, Scratch};

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

/// JSON: built by cargo.
#[component]
fn numbers(count: i64) -> Vec<i64> {
    (1..=count).collect()
}

#[component]
fn shout(text: String) -> String {
    text.to_uppercase()
}

#[pipeline(name = "many adds")]
fn many_adds(a: i64) {
    let one = add_op(a, 1);
    let two = add_op(one.output(), 2);
    add_op(two.output(), one.output());
    add_op(a, 10);
}

#[pipeline(name = "adds and lists")]
fn adds_and_lists(a: i64) {
    let one = add_op(a, 1);
    add_op(one.output(), 2);
    numbers_op(one.output());
    numbers_op(a);
}

#[pipeline(name = "shouts")]
fn shouts() {
    shout_op("a");
    shout_op("b");
}

/// `pipeline` compiled to `<dir>/<name>.yaml`.
fn workflow_file(pipeline: impl kfp::Pipeline, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, kfp::Compiler::new().compile_to_string(pipeline).unwrap()).unwrap();
    path
}

/// `kfp run-local FILE --json --run-dir RUN ARGS...` with `cache` as `XDG_CACHE_HOME`, offline.
fn run_local(file: &Path, run_dir: &Path, cache: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kfp"));
    command
        .arg("run-local")
        .arg(file)
        .arg("--json")
        .arg("--run-dir")
        .arg(run_dir)
        .args(args)
        .env("XDG_CACHE_HOME", cache)
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("KFP_PROGRAM_CACHE_SIZE");
    command
}

/// The run's report (stdout), checked to have succeeded.
fn succeeded(output: &Output) -> Value {
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("JSON on stdout; stderr:\n{}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(report["status"], "Succeeded", "{report:#}\n{}", String::from_utf8_lossy(&output.stderr));
    report
}

/// Each task's outputs, by task id.
fn outputs(report: &Value) -> BTreeMap<String, Value> {
    let tasks = report["tasks"].as_array().unwrap();
    tasks.iter().map(|task| (task["id"].as_str().unwrap().to_owned(), task["outputs"].clone())).collect()
}

/// How many lines of the run's task logs end with `what` (`: building`, `from …`), over all tasks.
fn log_lines(run_dir: &Path, what: &str) -> usize {
    let logs = std::fs::read_dir(run_dir.join("logs")).unwrap();
    logs.map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .map(|log| log.lines().filter(|line| line.starts_with("[kfp] program ") && line.contains(what)).count())
        .sum()
}

/// The program entries of a program directory (a cache, or a run's `programs/`).
fn entries(dir: &Path) -> Vec<PathBuf> {
    let Ok(listing) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut entries: Vec<PathBuf> = listing
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() && !path.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    entries.sort();
    entries
}

fn programs(cache: &Path) -> PathBuf {
    cache.join("kfp-rs/programs")
}

fn have_cargo() -> bool {
    let cargo = Command::new("cargo").arg("--version").output().is_ok_and(|out| out.status.success());
    if !cargo {
        common::skip("cargo is not on PATH; it builds programs that pass JSON");
    }
    cargo
}

#[test]
fn each_program_builds_once_and_the_cache_and_no_cache_give_the_same_outputs() {
    if !have_rustc() || !have_cargo() {
        return;
    }
    let scratch = Scratch::new("program-cache-same");
    let cache = scratch.join("cache");
    let file = workflow_file(adds_and_lists, &scratch, "adds");

    // A cold cache: two programs (rustc's `add`, cargo's `numbers`), each built once for two tasks.
    let cold = scratch.join("cold");
    let first = succeeded(&run_local(&file, &cold, &cache, &["-p", "a=3"]).output().unwrap());
    assert_eq!(log_lines(&cold, ": building"), 2);
    assert_eq!(log_lines(&cold, ": built in "), 2);
    assert_eq!(log_lines(&cold, "reused (ready earlier in this run)"), 2);
    assert_eq!(entries(&programs(&cache)).len(), 2);
    let expected = outputs(&first);
    assert_eq!(expected["add"]["add-Output"], "4");
    assert_eq!(expected["numbers"]["numbers-Output"], "[1, 2, 3, 4]");
    assert_eq!(expected["numbers-2"]["numbers-2-Output"], "[1, 2, 3]");

    // A warm cache: nothing is built.
    let warm = scratch.join("warm");
    let second = succeeded(&run_local(&file, &warm, &cache, &["-p", "a=3"]).output().unwrap());
    assert_eq!(log_lines(&warm, ": building"), 0);
    assert_eq!(log_lines(&warm, "reused from "), 2);
    assert_eq!(outputs(&second), expected);

    // --no-cache: built once each in the run directory, the cache untouched.
    let own = scratch.join("own");
    let third = succeeded(&run_local(&file, &own, &cache, &["-p", "a=3", "--no-cache"]).output().unwrap());
    assert_eq!(log_lines(&own, ": built in "), 2);
    assert_eq!(log_lines(&own, "reused (ready earlier in this run)"), 2);
    assert_eq!(entries(&own.join("programs")).len(), 2);
    assert_eq!(entries(&programs(&cache)).len(), 2);
    assert_eq!(outputs(&third), expected);
}

#[test]
fn a_corrupted_entry_is_built_again_not_run() {
    if !have_rustc() {
        return;
    }
    let scratch = Scratch::new("program-cache-corrupt");
    let cache = scratch.join("cache");
    let file = workflow_file(many_adds, &scratch, "adds");
    let first = scratch.join("first");
    let expected = outputs(&succeeded(&run_local(&file, &first, &cache, &["-p", "a=5"]).output().unwrap()));
    assert_eq!(log_lines(&first, ": built in "), 1);
    assert_eq!(log_lines(&first, "reused (ready earlier in this run)"), 3);

    // A binary cut short (a full disk, a copy interrupted) no longer matches its checksum.
    let [entry] = entries(&programs(&cache)).try_into().unwrap();
    let binary = entry.join("program");
    let length = std::fs::metadata(&binary).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&binary).unwrap().set_len(length / 2).unwrap();
    let again = scratch.join("again");
    let report = succeeded(&run_local(&file, &again, &cache, &["-p", "a=5"]).output().unwrap());
    assert_eq!(log_lines(&again, ": built in "), 1);
    assert_eq!(outputs(&report), expected);
    assert_eq!(std::fs::metadata(&binary).unwrap().len(), length);

    // An entry without its checksum (a partial entry) is built again too.
    std::fs::remove_file(entry.join("sha256")).unwrap();
    let partial = scratch.join("partial");
    let report = succeeded(&run_local(&file, &partial, &cache, &["-p", "a=5"]).output().unwrap());
    assert_eq!(log_lines(&partial, ": built in "), 1);
    assert_eq!(outputs(&report), expected);
}

#[test]
fn a_failed_build_fails_every_task_that_needs_it_and_is_not_kept() {
    if !have_rustc() {
        return;
    }
    let scratch = Scratch::new("program-cache-failed");
    let cache = scratch.join("cache");
    let file = workflow_file(shouts, &scratch, "shouts");
    // The program's source (the command's `$0`) made not to compile: same script, another program.
    let text = std::fs::read_to_string(&file).unwrap();
    let broken = text.replace("text.to_uppercase()", "text.to_uppercas()");
    assert!(broken != text, "the source is in the Workflow");
    std::fs::write(&file, broken).unwrap();

    for attempt in ["first", "second"] {
        let run_dir = scratch.join(attempt);
        let output = run_local(&file, &run_dir, &cache, &[]).output().unwrap();
        assert!(!output.status.success());
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["status"], "Failed");
        let tasks = report["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), 2);
        for task in tasks {
            assert_eq!(task["status"], "Failed", "{task:#}");
            let message = task["message"].as_str().unwrap();
            let error = "the component's program did not build (error[E0599]: no method named `to_uppercas` found";
            assert!(message.starts_with(error), "{message}");
            let log = std::fs::read_to_string(task["log"].as_str().unwrap()).unwrap();
            assert!(log.contains("help: there is a method `to_uppercase` with a similar name"), "{log}");
        }
        // Built once per run, by one task; never kept, so the second run tries again.
        assert_eq!(log_lines(&run_dir, ": building"), 1, "{attempt} run");
        assert_eq!(log_lines(&run_dir, "its build failed:"), 1, "{attempt} run");
        assert!(entries(&programs(&cache)).is_empty());
    }
}

#[test]
fn two_runs_at_once_build_a_program_once() {
    if !have_rustc() {
        return;
    }
    let scratch = Scratch::new("program-cache-two-runs");
    let cache = scratch.join("cache");
    let file = workflow_file(many_adds, &scratch, "adds");
    let runs = [scratch.join("one"), scratch.join("two")];
    let children: Vec<_> = runs
        .iter()
        .map(|run_dir| {
            run_local(&file, run_dir, &cache, &["-p", "a=1"]).stdout(std::process::Stdio::piped()).spawn().unwrap()
        })
        .collect();
    let reports: Vec<Value> = children.into_iter().map(|child| succeeded(&child.wait_with_output().unwrap())).collect();
    assert_eq!(outputs(&reports[0]), outputs(&reports[1]));
    let built: usize = runs.iter().map(|run_dir| log_lines(run_dir, ": built in ")).sum();
    let from_cache: usize = runs.iter().map(|run_dir| log_lines(run_dir, "reused from ")).sum();
    assert_eq!((built, from_cache), (1, 1), "one run builds, the other waits and takes its program");
    assert_eq!(entries(&programs(&cache)).len(), 1);
}

#[test]
fn the_size_limit_removes_the_programs_used_least_recently() {
    if !have_rustc() {
        return;
    }
    let scratch = Scratch::new("program-cache-limit");
    let cache = scratch.join("cache");
    let adds = workflow_file(many_adds, &scratch, "adds");
    let shouting = workflow_file(shouts, &scratch, "shouts");
    // A limit smaller than any program: each run keeps only the program it uses.
    let first =
        run_local(&adds, &scratch.join("adds"), &cache, &["-p", "a=1"]).env("KFP_PROGRAM_CACHE_SIZE", "1").output();
    succeeded(&first.unwrap());
    let [add_entry] = entries(&programs(&cache)).try_into().unwrap();
    let second = run_local(&shouting, &scratch.join("shouts"), &cache, &["--program-cache-size", "1"]).output();
    succeeded(&second.unwrap());
    let [shout_entry] = entries(&programs(&cache)).try_into().unwrap();
    assert_ne!(add_entry, shout_entry);

    // Under the default limit (1 GiB) both stay.
    succeeded(&run_local(&adds, &scratch.join("adds-again"), &cache, &["-p", "a=1"]).output().unwrap());
    assert_eq!(entries(&programs(&cache)).len(), 2);
}

#[test]
fn a_size_that_is_not_one_is_refused_with_the_forms_it_takes() {
    let scratch = Scratch::new("program-cache-size");
    let file = scratch.join("missing.yaml");
    let output = run_local(&file, &scratch.join("run"), &scratch, &["--program-cache-size", "12X"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`12X` has an unknown unit: use bytes, or a number with K, M, G or T (512M, 1G)"),
        "{stderr}"
    );
}

/// Records each call's argv, parses `docker run` options as the real one does, then runs the command here.
#[cfg(unix)]
const FAKE_DOCKER: &str = include_str!("common/fake_docker.sh");

#[cfg(unix)]
#[test]
fn with_docker_a_program_builds_once_per_run_in_its_image_and_the_tasks_mount_it() {
    use std::os::unix::fs::PermissionsExt;
    if !have_rustc() {
        return;
    }
    let scratch = Scratch::new("program-cache-docker");
    let (bin, calls, cache) = (scratch.join("bin"), scratch.join("calls"), scratch.join("cache"));
    for dir in [&bin, &calls] {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(bin.join("docker"), FAKE_DOCKER).unwrap();
    std::fs::set_permissions(bin.join("docker"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin.clone()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let file = workflow_file(many_adds, &scratch, "adds");
    let local =
        outputs(&succeeded(&run_local(&file, &scratch.join("local"), &cache, &["-p", "a=2"]).output().unwrap()));

    let run_dir = scratch.join("docker");
    let ran = run_local(&file, &run_dir, &cache, &["-p", "a=2", "--engine", "docker"])
        .env("PATH", &path)
        .env("FAKE_DOCKER_LOG", &calls)
        .output()
        .unwrap();
    assert_eq!(outputs(&succeeded(&ran)), local);
    assert_eq!(log_lines(&run_dir, ": built in "), 1);
    assert_eq!(log_lines(&run_dir, "reused (ready earlier in this run)"), 3);
    // Built into the run directory, with the image's toolchain: not kept in the cache.
    let [entry] = entries(&run_dir.join("programs")).try_into().unwrap();
    assert_eq!(entries(&programs(&cache)).len(), 1, "only the local run's program");

    let argvs: Vec<Vec<String>> = std::fs::read_dir(&calls)
        .unwrap()
        .map(|call| std::fs::read_to_string(call.unwrap().path()).unwrap().lines().map(str::to_owned).collect())
        .collect();
    let after = |argv: &[String], flag: &str| argv.iter().position(|arg| arg == flag).map(|i| argv[i + 1].clone());
    let (builds, tasks): (Vec<_>, Vec<_>) = argvs.iter().partition(|argv| after(argv, "--entrypoint").unwrap() == "sh");
    assert_eq!((builds.len(), tasks.len()), (1, 4), "{argvs:?}");
    assert!(builds[0].iter().any(|arg| arg == kfp::component::DEFAULT_BASE_IMAGE), "{:?}", builds[0]);
    let entry = std::fs::canonicalize(entry).unwrap();
    let entry = entry.to_str().unwrap();
    for task in tasks {
        assert_eq!(after(task, "--entrypoint").unwrap(), format!("{entry}/program"), "{task:?}");
        assert!(
            task.iter().any(|arg| *arg == format!("{entry}:{entry}")),
            "the program's directory is mounted: {task:?}"
        );
    }
}
