//! Component programs built with rustc and run as their containers would run
//! them: every kind of input and output, files between tasks, and failures.

mod common;

use kfp::prelude::*;
use kfp::types::Untyped;

#[derive(ComponentOutputs)]
pub struct Stats {
    sum: f64,
    product: f64,
}

/// Sum and product, as named outputs.
#[component]
pub fn stats(a: f64, b: f64, flag: bool, note: Option<String>) -> Stats {
    let bonus = if flag { 0.0 } else { 1.0 } + note.map_or(0.0, |note| note.len() as f64);
    Stats { sum: a + b + bonus, product: a * b }
}

/// Writes a greeting file.
#[component]
pub fn write_text(text: &str, out_path: OutputPath) {
    std::fs::write(&out_path, format!("{text}, hello")).unwrap();
}

#[component]
pub fn read_text(data_path: InputPath) -> String {
    std::fs::read_to_string(&data_path).unwrap()
}

/// Fails for negative values.
#[component]
pub fn check(value: i64) -> Result<i64, String> {
    if value < 0 {
        return Err(format!("value {value} is negative"));
    }
    Ok(value * 2)
}

#[component]
pub fn count_chars(text: String, upper: bool) -> u32 {
    let text = if upper { text.to_uppercase() } else { text };
    text.chars().count() as u32
}

/// An untyped input and output (kfp's unannotated Python parameters).
#[component]
pub fn shout(text: Untyped) -> Untyped {
    Untyped(text.0.to_uppercase())
}

#[pipeline(name = "programs")]
pub fn programs(a: f64, #[default(true)] flag: bool) {
    let first = stats_op(a, 1.5, flag, None);
    let second = stats_op(first.outputs().sum, first.outputs().product, false, "note");
    let written = write_text_op("안녕 kfp");
    let read = read_text_op(written.outputs().out);
    count_chars_op(read.output(), true);
    shout_op(read.output());
    check_op(5).after(&second);
}

fn rustc_or_skip() -> bool {
    let ok = common::run::have_rustc();
    if !ok {
        common::skip("rustc is not on PATH; the component programs are built with it");
    }
    ok
}

#[test]
fn every_kind_of_value_crosses_the_command_line() {
    if !rustc_or_skip() {
        return;
    }
    let workflow = kfp::Compiler::new().compile_to_workflow(programs).unwrap();
    let outputs = common::run::run_workflow(&workflow, &[("a", "2.0"), ("flag", "True")], "programs");
    assert_eq!(outputs["stats-sum"], "3.5");
    assert_eq!(outputs["stats-product"], "3.0", "floats are written as Python writes them");
    assert_eq!(outputs["stats-2-sum"], "11.5", "3.5 + 3.0 + 1 (flag false) + 4 (note)");
    assert_eq!(outputs["stats-2-product"], "10.5");
    assert_eq!(outputs["write-text-out"], "안녕 kfp, hello");
    assert_eq!(outputs["read-text-Output"], "안녕 kfp, hello");
    assert_eq!(outputs["count-chars-Output"], "13");
    assert_eq!(outputs["check-Output"], "10");
    assert_eq!(outputs["shout-Output"], "안녕 KFP, HELLO");
}

/// Runs one task of `programs` alone with `args` replacing the compiled ones.
fn run_component(component: &kfp::__private::Component, args: &[&str]) -> std::process::Output {
    let command: Vec<String> = component
        .spec
        .implementation
        .container
        .command
        .iter()
        .map(|part| match part {
            kfp::spec::Placeholder::Literal(text) => text.clone(),
            other => panic!("function components have literal commands, got {other:?}"),
        })
        .collect();
    let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
    common::run::run_container(&command, &args)
}

#[test]
fn an_err_fails_the_step_with_its_message() {
    if !rustc_or_skip() {
        return;
    }
    let dir = common::run::Scratch::new("check-err");
    let out = dir.join("out/data");
    let output = run_component(check_component(), &["--value", "-1", "----output-paths", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Check: value -1 is negative"), "{stderr}");
    assert!(!out.exists(), "no output is written when the function fails");
}

#[test]
fn bad_input_fails_with_a_clear_message() {
    if !rustc_or_skip() {
        return;
    }
    let dir = common::run::Scratch::new("check-bad");
    let out = dir.join("out/data");
    let output = run_component(check_component(), &["--value", "3.0", "----output-paths", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("input value") && stderr.contains("3.0"), "{stderr}");

    let output = run_component(check_component(), &["----output-paths", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--value"), "names the missing argument: {stderr}");
}

#[test]
fn python_style_inputs_are_accepted() {
    if !rustc_or_skip() {
        return;
    }
    let dir = common::run::Scratch::new("check-python");
    let out = dir.join("out/data");
    // kfp passes integers as Python's str(int); int() also takes spaces, `+` and `_`.
    let output = run_component(check_component(), &["--value", " +1_000 ", "----output-paths", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "2000");
}
