//! Build once (`Compiler::build_once`, `compile --build-once`, `run-local NAME
//! --build-once`): a build step per distinct program at the start of the run,
//! the binary passed to the tasks as an artifact. The Workflow is valid (strict schema, Argo's rules), every task
//! of a built component runs the binary instead of building it, and runs of it
//! give the outputs of the per-task Workflow, inside loops and conditions, for
//! rustc and cargo (JSON) programs, with and without shared templates.

mod common;

#[path = "../examples/big_pipeline.rs"]
#[allow(dead_code)]
mod big;

use std::collections::BTreeMap;

use kfp::argo::{Template, Workflow};
use kfp::components::load_component_from_text;
use kfp::dsl::{condition, exit_handler, graph_component, parallel_for, Compare, Graph};
use kfp::prelude::*;
use kfp::run::{run_workflow, Phase, RunOptions, RunReport};
use kfp::Compiler;

use common::run::{have_rustc, run_results, Scratch};

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

/// Returns JSON: its program is built with cargo (serde).
#[component]
fn numbers(count: i64) -> Vec<i64> {
    (1..=count).collect()
}

#[component]
fn note(text: String) -> String {
    format!("noted: {text}")
}

#[pipeline(name = "build once")]
fn build_once_pipeline(a: i64) {
    let exit = note_op("the end");
    exit_handler(&exit, || {
        let one = add_op(a, 1);
        let two = add_op(one.output(), 2);
        let listed = numbers_op(two.output());
        parallel_for(listed.output(), |item| {
            add_op(item, one.output());
        });
        condition(two.output().gt(3), || {
            add_op(two.output(), 10);
            note_op("big");
        });
    });
}

fn compile(compiler: Compiler) -> Workflow {
    compiler.compile_to_workflow(build_once_pipeline).unwrap()
}

fn template<'w>(workflow: &'w Workflow, name: &str) -> &'w Template {
    workflow.spec.templates.iter().find(|template| template.name == name).unwrap_or_else(|| panic!("no `{name}`"))
}

/// The container command of a template, as one text.
fn command(template: &Template) -> String {
    template
        .container
        .as_ref()
        .and_then(|container| container.command.as_ref())
        .map_or_else(String::new, |c| c.join(" "))
}

/// Build steps: tasks of the pipeline's DAGs whose template's name starts with `build-`.
fn build_tasks(workflow: &Workflow) -> Vec<(String, String)> {
    let dags = workflow.spec.templates.iter().filter_map(|template| template.dag.as_ref());
    let tasks = dags.flat_map(|dag| &dag.tasks).filter(|task| task.name.starts_with("build-"));
    tasks.map(|task| (task.name.clone(), task.template.clone())).collect()
}

#[test]
fn one_build_step_per_program_and_no_task_builds_again() {
    let workflow = compile(Compiler::new().build_once(true));
    let yaml = kfp::compiler::to_yaml(&workflow).unwrap();
    common::assert_schema_valid(&yaml, "build once");

    let mut builds = build_tasks(&workflow);
    builds.sort();
    let names: Vec<&str> = builds.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["build-add", "build-note", "build-numbers"]);
    for (_, name) in &builds {
        let build = template(&workflow, name);
        let display = &build.metadata.annotations["pipelines.kubeflow.org/task_display_name"];
        let component = name.strip_prefix("build-").unwrap();
        assert_eq!(display, &format!("build {}{}", component[..1].to_uppercase(), &component[1..]));
        assert!(command(build).contains("rustc") || command(build).contains("cargo build"), "{name} builds");
        let outputs: Vec<&str> = build.outputs.artifacts.iter().map(|artifact| artifact.name.as_str()).collect();
        assert_eq!(outputs, [format!("{name}-program")], "{name}: the binary is an output artifact");
        assert!(build.outputs.parameters.is_empty(), "{name}: the binary is no parameter");
    }
    // The steps run first, in the exit handler's DAG, with the tasks.
    let handler = template(&workflow, "exit-handler-1").dag.as_ref().unwrap();
    assert!(handler
        .tasks
        .iter()
        .filter(|task| task.name.starts_with("build-"))
        .all(|task| task.dependencies.as_ref().is_none_or(Vec::is_empty)));

    // Every task of a built component, in the loop and the condition too, runs the binary.
    for name in ["add", "add-2", "add-3", "add-4", "numbers", "note-2"] {
        let task = template(&workflow, name);
        let command = command(task);
        assert!(!command.contains("rustc") && !command.contains("cargo"), "{name} builds again: {command}");
        assert!(command.ends_with("/tmp/inputs/kfp-rs-program/data"), "{name}: {command}");
        let component = name.split('-').next().unwrap();
        let program =
            task.inputs.artifacts.iter().find(|artifact| artifact.name == format!("build-{component}-program"));
        assert_eq!(program.and_then(|artifact| artifact.path.as_deref()), Some("/tmp/inputs/kfp-rs-program/data"));
    }
    // Argo gives the exit task no task's outputs: it builds in its own pod.
    assert_eq!(workflow.spec.on_exit.as_deref(), Some("note"));
    assert!(command(template(&workflow, "note")).contains("rustc"));
}

#[test]
fn off_by_default_and_without_programs_the_workflow_is_kfps() {
    let fixed = || Compiler::new().compilation_time(std::time::UNIX_EPOCH);
    let kfp_shaped = compile(fixed());
    assert!(build_tasks(&kfp_shaped).is_empty());
    let text = r#"
name: Echo
implementation:
  container:
    image: alpine
    command: [echo, hello]
"#;
    let echo = load_component_from_text(text).unwrap();
    let pipeline = kfp::dsl::record(kfp::dsl::PipelineInfo::new("echo"), || {
        echo.call::<&str, kfp::components::AnyArg>([]);
    })
    .unwrap();
    let plain = fixed().compile_recorded(&pipeline).unwrap();
    assert_eq!(fixed().build_once(true).compile_recorded(&pipeline).unwrap(), plain);
}

/// The run of `workflow` with `a`, as processes: each container's command runs here.
fn run(workflow: &Workflow, a: i64, label: &str) -> (RunReport, Scratch) {
    let dir = Scratch::new(label);
    let report = run_workflow(workflow, &RunOptions::new(dir.join("run")).arg("a", a)).unwrap();
    (report, dir)
}

/// A run's results without its build steps.
fn task_results(report: &RunReport) -> BTreeMap<String, (String, BTreeMap<String, Vec<u8>>)> {
    let mut results = run_results(report);
    results.retain(|id, _| !id.split('.').next_back().unwrap().starts_with("build-"));
    results
}

#[test]
fn runs_give_the_outputs_of_the_per_task_workflow() {
    if !have_rustc() {
        common::skip("rustc is not on PATH");
        return;
    }
    let (per_task, _dir) = run(&compile(Compiler::new()), 5, "build-once-per-task");
    assert!(per_task.succeeded(), "{per_task:#?}");
    for (label, compiler) in [
        ("build-once", Compiler::new().build_once(true)),
        ("build-once-shared", Compiler::new().build_once(true).share_templates(true)),
    ] {
        let (built, _dir) = run(&compile(compiler), 5, label);
        assert!(built.succeeded(), "{label}: {built:#?}");
        let steps: Vec<&str> = (built.tasks.iter())
            .filter(|task| task.template.starts_with("build-"))
            .map(|task| task.id.as_str())
            .collect();
        assert_eq!(steps.len(), 3, "{label}: {steps:?}");
        assert_eq!(task_results(&built), task_results(&per_task), "{label}");
    }
    // The outputs are the pipeline's: 6, 8, the loop's 1..=8 plus 6, and 18.
    let outputs: Vec<String> =
        per_task.tasks.iter().filter_map(|task| task.outputs.get("add-4-Output").cloned()).collect();
    assert_eq!(outputs, ["18"], "{per_task:#?}");
}

#[test]
fn shared_templates_reference_one_binary() {
    let workflow = compile(Compiler::new().build_once(true).share_templates(true));
    common::assert_schema_valid(&kfp::compiler::to_yaml(&workflow).unwrap(), "build once, shared");
    let dag_tasks = |workflow: &Workflow| -> BTreeMap<String, String> {
        let dags = workflow.spec.templates.iter().filter_map(|template| template.dag.as_ref());
        dags.flat_map(|dag| &dag.tasks).map(|task| (task.name.clone(), task.template.clone())).collect()
    };
    // Shared as without build steps: the two tasks of the top DAG run one template.
    let mut shared = dag_tasks(&workflow);
    shared.retain(|task, _| !task.starts_with("build-"));
    assert_eq!(shared, dag_tasks(&compile(Compiler::new().share_templates(true))));
    assert_eq!((shared["add"].as_str(), shared["add-2"].as_str()), ("add", "add"));
    let dags = workflow.spec.templates.iter().filter_map(|template| template.dag.as_ref());
    let adds: Vec<_> = dags.flat_map(|dag| &dag.tasks).filter(|task| task.name.starts_with("add")).collect();
    assert_eq!(adds.len(), 4);
    for task in adds {
        let froms: Vec<&str> =
            task.arguments.artifacts.iter().filter_map(|artifact| artifact.from.as_deref()).collect();
        let [from] = froms[..] else { panic!("{}: one artifact, the program: {froms:?}", task.name) };
        assert!(
            from == "{{tasks.build-add.outputs.artifacts.build-add-program}}"
                || from == "{{inputs.artifacts.build-add-program}}",
            "{}: {from}",
            task.name
        );
    }
}

#[test]
fn a_failing_build_fails_the_run_with_the_compilers_message() {
    if !have_rustc() {
        common::skip("rustc is not on PATH");
        return;
    }
    let mut workflow = compile(Compiler::new().build_once(true));
    let build = workflow.spec.templates.iter_mut().find(|template| template.name == "build-add").unwrap();
    let command = build.container.as_mut().and_then(|container| container.command.as_mut()).unwrap();
    command[3] = "fn main() { let x: i64 = \"not a number\"; }".into();
    let (report, _dir) = run(&workflow, 5, "build-once-broken");
    assert_eq!(report.phase, Phase::Failed);
    let step = report.tasks.iter().find(|task| task.template == "build-add").unwrap();
    assert_eq!(step.phase, Phase::Failed);
    let log = std::fs::read_to_string(step.log.as_ref().unwrap()).unwrap();
    assert!(log.contains("mismatched types"), "rustc's message is in the step's log: {log}");
    assert!(!report.tasks.iter().any(|task| task.template.starts_with("add") && task.phase == Phase::Succeeded));
}

#[test]
fn a_task_whose_binary_is_missing_says_so() {
    let workflow = compile(Compiler::new().build_once(true));
    let container = template(&workflow, "add").container.clone().unwrap();
    let mut command = container.command.unwrap();
    let dir = Scratch::new("build-once-missing");
    command[3] = dir.join("no-such-program").display().to_string().into();
    let command: Vec<&str> = command.iter().map(AsRef::as_ref).collect();
    let output = std::process::Command::new(command[0]).args(&command[1..]).output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the program of component Add is missing") && stderr.contains("build Add"), "{stderr}");
}

#[test]
fn compile_build_once_on_the_command_line() {
    let dir = Scratch::new("build-once-cli");
    let path = dir.join("out.yaml");
    let mut out = Vec::new();
    let args = ["prog", "compile", "build once", "--build-once", "-o", path.to_str().unwrap()];
    kfp::cli::try_run(args, &mut out).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    let expected = kfp::compiler::to_yaml(&compile(Compiler::new().build_once(true))).unwrap();
    let time = |text: &str| {
        text.lines().filter(|line| !line.contains("pipeline_compilation_time")).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(time(&written), time(&expected));
}

#[test]
fn run_local_build_once_runs_the_built_binaries() {
    if !have_rustc() {
        common::skip("rustc is not on PATH");
        return;
    }
    let dir = Scratch::new("build-once-run-local");
    let run_dir = dir.join("run");
    let mut out = Vec::new();
    let args = ["prog", "run-local", "build once", "--build-once", "--json", "-p", "a=5", "--run-dir"];
    kfp::cli::try_run(args.into_iter().chain([run_dir.to_str().unwrap()]), &mut out).unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["status"], "Succeeded", "{report:#}");
    let tasks = report["tasks"].as_array().unwrap();
    let ids: Vec<&str> = (tasks.iter())
        .filter(|task| task["template"].as_str().unwrap().starts_with("build-"))
        .filter_map(|task| task["id"].as_str())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    let big = tasks.iter().find(|task| task["template"] == "add-4").unwrap();
    assert_eq!(big["outputs"]["add-4-Output"], "18", "{big:#}");
}

#[test]
fn run_local_of_a_file_refuses_build_once() {
    let mut out = Vec::new();
    let error = kfp::cli::try_run(["prog", "run-local", "Cargo.toml", "--build-once"], &mut out).unwrap_err();
    assert!(error.to_string().contains("--build-once compiles a pipeline of this program"), "{error}");
}

#[test]
fn the_size_guard_holds_with_build_steps() {
    let recorded = big::big_pipeline(400).unwrap();
    // kfp's shape with build steps: 400 templates, over Argo's 1 MiB once expanded.
    let error = Compiler::new().build_once(true).compile_recorded(&recorded).unwrap_err().to_string();
    assert!(error.contains("1048576") || error.contains("1 MiB"), "{error}");
    // Shared templates fit, and every task runs the one binary.
    let workflow = Compiler::new().build_once(true).share_templates(true).compile_recorded(&recorded).unwrap();
    assert!(kfp::argo::size::json_bytes(&workflow) < kfp::argo::size::DEFAULT_MAX_WORKFLOW_BYTES);
    let top = template(&workflow, &workflow.spec.entrypoint).dag.as_ref().unwrap();
    let programs: std::collections::BTreeSet<&str> = (top.tasks.iter())
        .filter(|task| task.name != "build-add")
        .flat_map(|task| &task.arguments.artifacts)
        .filter_map(|artifact| artifact.from.as_deref())
        .collect();
    assert_eq!(programs.into_iter().collect::<Vec<_>>(), ["{{tasks.build-add.outputs.artifacts.build-add-program}}"]);
    assert_eq!(top.tasks.len(), 401);
}

/// Counts `n` up to 3, calling itself.
fn counting(n: Output<i64>) -> Graph {
    graph_component("counting", [("n", n.into())], || {
        condition(n.lt(3), || {
            let next = add_op(n, 1);
            counting(next.output());
        });
    })
}

fn doubled(x: Param<i64>) -> Graph {
    graph_component("doubled", [("x", x.into())], || {
        add_op(x, x);
    })
}

#[pipeline(name = "graphs")]
fn graphs(a: i64) {
    let first = add_op(a, 0);
    doubled(a);
    counting(first.output());
}

#[test]
fn graphs_take_the_binary_and_a_graph_calling_itself_builds_in_its_tasks() {
    let built = Compiler::new().build_once(true).compile_to_workflow(graphs).unwrap();
    common::assert_schema_valid(&kfp::compiler::to_yaml(&built).unwrap(), "graphs, build once");
    let runs_binary = |name: &str| command(template(&built, name)).ends_with("/tmp/inputs/kfp-rs-program/data");
    // `add` at the top and `add-2` in `doubled` run the binary; `add-3`, in the recursion, builds.
    assert!(runs_binary("add") && runs_binary("add-2"));
    assert!(command(template(&built, "add-3")).contains("rustc"));
    if !have_rustc() {
        common::skip("rustc is not on PATH");
        return;
    }
    let per_task = Compiler::new().compile_to_workflow(graphs).unwrap();
    let (expected, _dir) = run(&per_task, 1, "build-once-graphs-per-task");
    let (report, _dir) = run(&built, 1, "build-once-graphs");
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(task_results(&report), task_results(&expected));
    let counted: Vec<&str> = (report.tasks.iter())
        .filter(|task| task.template == "add-3")
        .filter_map(|task| task.outputs.get("add-3-Output").map(String::as_str))
        .collect();
    assert_eq!(counted, ["2", "3"]);
}
