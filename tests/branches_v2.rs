//! kfp 2's `dsl.If`/`dsl.Elif`/`dsl.Else` and `dsl.OneOf` (`if_`, `.elif`, `.else_`,
//! `one_of`): compiled to pipeline IR as kfp 2.17.3 writes them
//! (`tests/fixtures/branches_v2.py`), run locally from that IR and by
//! `kfp run-local` from kfp's own IR (the OneOf is the output of the branch that
//! ran), lowered for KFP v1 to conditions with the
//! earlier branches' comparisons negated (run in process, exactly one branch
//! runs), and refused with a clear error where the chain or the OneOf is wrong.

mod common;

use common::run::Scratch;
use kfp::dsl::{if_, one_of, Compare};
use kfp::prelude::*;
use kfp::run::{Phase, RunOptions, RunReport};
use kfp::{Compiler, Target};

#[component]
pub fn flip_three_sided_coin() -> String {
    ["heads", "tails", "edge"][std::process::id() as usize % 3].to_owned()
}

#[component]
pub fn random_num(low: i64, high: i64) -> i64 {
    low + i64::from(std::process::id()) % (high - low + 1)
}

#[component]
pub fn print_and_return(text: String) -> String {
    println!("{text}");
    text
}

#[component]
pub fn param_to_artifact(val: String, a: OutputPath) {
    std::fs::write(&a, val).expect("the artifact's file is writable");
}

#[component]
pub fn print_artifact(a: InputPath) {
    println!("{}", std::fs::read_to_string(&a).expect("the artifact's file is readable"));
}

#[pipeline(name = "branches-with-oneof")]
fn branches(#[default(5)] threshold: i64) {
    let flip = flip_three_sided_coin_op();
    let say_and_make =
        |text: &str, val: &str| (print_and_return_op(text).output(), param_to_artifact_op(val).outputs().a);
    let made = if_(flip.output().eq("heads"), || say_and_make("Got heads!", "heads"))
        .elif(flip.output().eq("tails"), || say_and_make("Got tails!", "tails"))
        .else_(|| say_and_make("On its edge!", "edge"));
    let said = one_of(made.iter().map(|(said, _)| *said));
    let artifact = one_of(made.iter().map(|(_, artifact)| *artifact));
    print_and_return_op(said);
    print_artifact_op(artifact);
    if_(flip.output().ne("edge"), || {
        print_and_return_op(said);
    });

    let num = random_num_op(0, 9);
    if_(num.output().gt(threshold), || {
        print_and_return_op("big");
    })
    .else_(|| {
        print_and_return_op("small");
    });
}

#[test]
fn if_elif_else_and_one_of_compile_as_kfp_writes_them() {
    let ours = Compiler::new().target(Target::V2).compile_to_string(branches).expect("the pipeline compiles");
    let golden = common::read_fixture(&common::fixtures_dir().join("branches_v2.kfp.yaml"));
    common::assert_ir_equivalent(&ours, &golden, "branches_v2");
}

/// The same chain on a parameter, so that a test picks the branch.
#[pipeline(name = "three ways")]
fn three_ways(side: String) {
    let said = if_(side.eq("heads"), || print_and_return_op("Got heads!").output())
        .elif(side.eq("tails"), || print_and_return_op("Got tails!").output())
        .else_(|| print_and_return_op("On its edge!").output());
    print_and_return_op(one_of(said));
}

/// Which of the three branches' tasks ran, by the text each printed.
fn ran(report: &RunReport) -> Vec<String> {
    let mut ran: Vec<String> = (report.tasks.iter())
        .filter(|task| task.phase == Phase::Succeeded && task.template.contains("print-and-return"))
        .filter_map(|task| task.outputs.values().next().cloned())
        .collect();
    ran.sort();
    ran
}

#[test]
fn for_kfp_v1_exactly_one_branch_runs() {
    let workflow = Compiler::new().compile_to_workflow(elif_else_v1).expect("Elif and Else compile for KFP v1");
    let yaml = kfp::compiler::to_yaml(&workflow).unwrap();
    common::assert_schema_valid(&yaml, "elif and else for v1");
    for (side, expected) in [("heads", "Got heads!"), ("tails", "Got tails!"), ("edge", "On its edge!")] {
        let dir = Scratch::new(&format!("branches-v1-{side}"));
        let report = elif_else_v1.run_local(&RunOptions::new(dir.join("run")).arg("side", side.to_owned())).unwrap();
        assert!(report.succeeded(), "{report:#?}");
        assert_eq!(ran(&report), [expected], "side {side}");
    }
}

#[pipeline(name = "elif else v1")]
fn elif_else_v1(side: String) {
    if_(side.eq("heads"), || print_and_return_op("Got heads!"))
        .elif(side.eq("tails"), || print_and_return_op("Got tails!"))
        .else_(|| print_and_return_op("On its edge!"));
}

#[test]
fn a_one_of_is_the_output_of_the_branch_that_ran_locally() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH (the components' programs are built with it)");
        return;
    }
    for (side, expected) in [("heads", "Got heads!"), ("edge", "On its edge!")] {
        let dir = Scratch::new(&format!("branches-v2-{side}"));
        let report = three_ways.run_local_v2(&RunOptions::new(dir.join("run")).arg("side", side.to_owned())).unwrap();
        assert!(report.succeeded(), "{report:#?}");
        // The branch's task and the task after the chain, given the OneOf.
        assert_eq!(ran(&report), [expected, expected], "side {side}: {report:#?}");
    }
}

#[test]
fn a_one_of_is_refused_for_kfp_v1_naming_the_way() {
    let error = Compiler::new().compile_to_string(three_ways).unwrap_err().to_string();
    assert!(error.contains("OneOf") && error.contains("--target v2"), "{error}");
}

#[pipeline(name = "one of without else")]
fn one_of_without_else(side: String) {
    let said = if_(side.eq("heads"), || print_and_return_op("Got heads!").output())
        .elif(side.eq("tails"), || print_and_return_op("Got tails!").output())
        .into_values();
    print_and_return_op(one_of(said));
}

#[pipeline(name = "elif after a task")]
fn elif_after_a_task(side: String) {
    let chain = if_(side.eq("heads"), || {
        print_and_return_op("Got heads!");
    });
    print_and_return_op("in between");
    chain.else_(|| {
        print_and_return_op("Not heads");
    });
}

#[pipeline(name = "returns a nested one of")]
fn returns_a_nested_one_of(side: String) -> kfp::dsl::OneOf<String> {
    kfp::dsl::condition(side.ne("none"), || {
        let said = if_(side.eq("heads"), || print_and_return_op("Got heads!").output())
            .else_(|| print_and_return_op("Not heads").output());
        one_of(said)
    })
}

#[test]
fn a_wrong_chain_or_one_of_is_a_clear_error() {
    let error = Compiler::new().target(Target::V2).compile_to_string(returns_a_nested_one_of).unwrap_err().to_string();
    assert!(error.contains("returns a OneOf only of an `if_` chain at its top level"), "{error}");
    let error = Compiler::new().target(Target::V2).compile_to_string(one_of_without_else).unwrap_err().to_string();
    assert!(error.contains("must include an output of a task in the chain's `.else_()`"), "{error}");
    let error = Compiler::new().target(Target::V2).compile_to_string(elif_after_a_task).unwrap_err().to_string();
    assert!(error.contains("`.else_()` must come right after its `if_`"), "{error}");
}

#[test]
fn kfp_run_local_takes_a_one_of_from_the_branch_that_ran_in_kfps_own_ir() {
    let Some(python) = common::kfp2_python() else {
        common::skip(common::KFP2_NOT_INSTALLED);
        return;
    };
    let golden = common::ir_golden_dir().join("local_execution__local_execution_pipeline_with_oneof.yaml");
    for (pick_a, expected) in [("true", "selected:A"), ("false", "selected:B")] {
        let dir = Scratch::new(&format!("branches-kfp-oneof-{pick_a}"));
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_kfp"))
            .args(["run-local", &golden.to_string_lossy(), "--json", "--python", &python, "--run-dir"])
            .arg(dir.join("run"))
            .args(["-p", &format!("pick_a={pick_a}")])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
        assert_eq!(report["outputs"]["Output"], expected, "pick_a={pick_a}: {report:#}");
        let skipped =
            if pick_a == "true" { "condition-branches-1.condition-3" } else { "condition-branches-1.condition-2" };
        let tasks = report["tasks"].as_array().unwrap();
        let branch = tasks.iter().find(|task| task["id"] == skipped).unwrap_or_else(|| panic!("{report:#}"));
        assert_eq!(branch["status"], "Skipped", "{report:#}");
    }
}
