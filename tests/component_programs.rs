//! Component programs built with rustc and run as their containers would run
//! them: every kind of input and output, files between tasks, and failures.

// A component takes as many parameters as its kfp inputs.
#![allow(clippy::too_many_arguments)]

mod common;

use kfp::prelude::*;

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
    Untyped(text.to_uppercase())
}

/// The README's add example: its program ships only the wire code it uses.
#[component]
pub fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[derive(ComponentOutputs)]
pub struct Summary {
    total: f64,
    all: bool,
    label: String,
    small: f32,
    count: u64,
}

/// Every kind of scalar, by value and by reference, optional and with defaults,
/// untyped, and typed files in and out: the most wire pieces a program without
/// JSON ships.
#[component]
pub fn summarize(
    count: u8,
    ratio: f32,
    flag: bool,
    name: &str,
    tag: Untyped,
    note: Option<String>,
    limit: Option<i32>,
    #[default(2.5)] scale: f64,
    #[default(true)] strict: bool,
    data_path: InputPath<Dataset>,
    model_path: OutputPath<Model>,
) -> Summary {
    let data = std::fs::read_to_string(&data_path).unwrap();
    std::fs::write(&model_path, format!("{name}:{data}")).unwrap();
    let limit = limit.map_or(0.0, f64::from);
    Summary {
        total: f64::from(count) + f64::from(ratio) * scale + limit,
        all: flag && strict,
        label: format!("{}/{}", tag.0, note.unwrap_or_default()),
        small: ratio / 4.0,
        count: data.len() as u64,
    }
}

/// Uses `u32::midpoint`, stable since Rust 1.85: newer than the base image's rustc.
#[component]
pub fn newer_std(a: u32, b: u32) -> u32 {
    a.midpoint(b)
}

/// The same, in a program built with cargo (its body names serde_json).
#[component]
pub fn newer_std_with_cargo(a: u32, b: u32) -> String {
    serde_json::to_string(&a.midpoint(b)).unwrap()
}

/// Parameters named by Rust keywords, written as raw identifiers.
#[component]
pub fn keywords(r#type: String, r#struct: i64) -> String {
    format!("{type}:{struct}", type = r#type, struct = r#struct)
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
        .literal_command()
        .expect("function components have literal commands")
        .into_iter()
        .map(str::to_owned)
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

#[test]
fn the_add_program_is_at_most_3250_bytes() {
    let workflow = kfp::Compiler::new().compile_to_workflow(programs_with_add).unwrap();
    let template = workflow.spec.templates.iter().find(|template| template.name == "add").unwrap();
    let program = &template.container.as_ref().unwrap().command.as_ref().unwrap()[3];
    // 350 of them (it was 2,900) read the command line apart from writing the outputs, which a
    // function returning artifacts does its own way (the wire's `call_with`).
    assert!(program.len() <= 3_250, "{} bytes:\n{program}", program.len());
    assert!(program.contains("pub fn parse_int") && !program.contains("parse_float"), "{program}");
}

#[pipeline(name = "add")]
pub fn programs_with_add(a: i64) {
    add_op(a, 4);
}

/// Runs `component`'s container program and its in-process program on `args`
/// (`{dir}` is a scratch directory): both succeed with the same output files, or
/// fail with the same message.
fn run_both(component: &kfp::__private::Component, args: &[&str], label: &str) -> Result<Vec<String>, String> {
    let mut results = Vec::new();
    for way in ["container", "in-process"] {
        let dir = common::run::Scratch::new(&format!("{label}-{way}"));
        std::fs::write(dir.join("data"), "abc").unwrap();
        let dir_text = dir.to_str().unwrap();
        let args: Vec<String> = args.iter().map(|arg| arg.replace("{dir}", dir_text)).collect();
        let result = if way == "container" {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let output = run_component(component, &args);
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            match output.status.code() {
                Some(0) => Ok(()),
                Some(1) => Err(stderr.trim_end().to_owned()),
                other => panic!("exit status {other:?}: {stderr}"),
            }
        } else {
            component.local.as_ref().unwrap().run(args).map_err(|error| format!("{}: {error}", component.spec.name))
        };
        let mut files: Vec<String> = Vec::new();
        for name in ["out/model", "total", "all", "label", "small", "count"] {
            files.push(std::fs::read_to_string(dir.join(name)).unwrap_or_else(|_| "(none)".to_owned()));
        }
        results.push(result.map(|()| files));
    }
    assert_eq!(results[0], results[1], "the container and the in-process program differ");
    results.remove(0)
}

#[test]
fn a_program_of_every_kind_of_scalar_and_file_runs_like_the_local_one() {
    if !rustc_or_skip() {
        return;
    }
    let component = summarize_component();
    let program = match &component.spec.implementation.container.command[3] {
        kfp::spec::Placeholder::Literal(text) => text.clone(),
        other => panic!("{other:?}"),
    };
    for piece in [
        "fn get_or",
        "fn optional",
        "fn parse_int",
        "fn parse_float",
        "fn parse_bool",
        "trait PyFloat",
        "struct Untyped",
        "OutputPath",
    ] {
        assert!(program.contains(piece), "{piece} missing:\n{program}");
    }
    assert!(!program.contains("fn quote") && !program.contains("mod json"), "{program}");
    let outputs = ["----output-paths", "{dir}/total", "{dir}/all", "{dir}/label", "{dir}/small", "{dir}/count"];
    let mut args =
        vec!["--count", "7", "--ratio", "0.5", "--flag", "yes", "--name", "--n", "--tag", "t", "--data", "{dir}/data"];
    args.extend(["--model", "{dir}/out/model"]);
    let given =
        [args.clone(), vec!["--note", "hi", "--limit", " -1_0 ", "--scale=4", "--strict", "False"], outputs.to_vec()];
    let files = run_both(component, &given.concat(), "summarize-given").unwrap();
    assert_eq!(files, ["--n:abc", "-1.0", "False", "t/hi", "0.125", "3"].map(str::to_owned));
    let defaults = run_both(component, &[args.clone(), outputs.to_vec()].concat(), "summarize-defaults").unwrap();
    assert_eq!(defaults, ["--n:abc", "8.25", "True", "t/", "0.125", "3"].map(str::to_owned));

    // Bad command lines fail both ways with the same message.
    for (label, bad, expected) in [
        ("count", vec!["--count", "300"], "Summarize: input count: invalid integer \"300\" for u8"),
        ("ratio", vec!["--ratio", "x"], "Summarize: input ratio: invalid float \"x\""),
        ("limit", vec!["--limit", "1__0"], "Summarize: input limit: invalid integer \"1__0\" for i32"),
        ("strict", vec!["--strict", "maybe"], "Summarize: input strict: invalid boolean \"maybe\""),
        (
            "typo",
            vec!["--cuont", "1"],
            "Summarize: unexpected argument \"--cuont\"; this component accepts [\"--count\"",
        ),
        ("bare", vec!["--note"], "Summarize: argument --note needs a value"),
    ] {
        let error = run_both(component, &[args.clone(), outputs.to_vec(), bad].concat(), label).unwrap_err();
        assert!(error.starts_with(expected), "{label}: {error}");
    }
    let missing: Vec<&str> = args[2..].to_vec();
    let error = run_both(component, &[missing, outputs.to_vec()].concat(), "missing").unwrap_err();
    assert_eq!(error, "Summarize: missing required argument --count: pass --count <value>");
    let error = run_both(component, &args, "no-outputs").unwrap_err();
    assert_eq!(error, "Summarize: ----output-paths needs 5 path(s), got []");
}

#[test]
fn a_program_using_std_newer_than_the_image_rust_fails_to_build_here_as_in_the_pod() {
    if !rustc_or_skip() || !common::run::check_builds_against_image_rust() {
        return;
    }
    let dir = common::run::Scratch::new("newer-std");
    let out = dir.join("out/data");
    for component in [newer_std_component(), newer_std_with_cargo_component()] {
        let output = run_component(component, &["--a", "1", "--b", "3", "----output-paths", out.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{}: built and ran: {stderr}", component.spec.name);
        let expected = format!(
            "current MSRV (Minimum Supported Rust Version) is `{}` but this item is stable since `1.85.0`",
            kfp::component::DEFAULT_RUST_VERSION
        );
        assert!(stderr.contains(&expected) && stderr.contains("midpoint"), "{}: {stderr}", component.spec.name);
        assert!(!out.exists());
    }
}

#[test]
fn raw_identifier_parameters_are_kfp_inputs_without_r_hash_and_their_program_runs() {
    let component = keywords_component();
    let inputs: Vec<&str> = component.spec.inputs.iter().map(|input| input.name.as_str()).collect();
    assert_eq!(inputs, ["type", "struct"]);
    if !rustc_or_skip() {
        return;
    }
    for way in ["container", "in-process"] {
        let dir = common::run::Scratch::new(&format!("keywords-{way}"));
        let out = dir.join("out");
        let args = ["--type", "t", "--struct", "7", "----output-paths", out.to_str().unwrap()];
        if way == "container" {
            let output = run_component(component, &args);
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        } else {
            let args = args.iter().map(|arg| arg.to_string()).collect();
            component.local.as_ref().unwrap().run(args).expect("the in-process program runs");
        }
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "t:7", "{way}");
    }
}
