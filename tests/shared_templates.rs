//! Shared templates (`Compiler::share_templates`) and the size guard: what a
//! user compiles, validates and runs. Tasks of one component with the same
//! settings run one template and pass their values as arguments; whatever a
//! pod of kfp's shape carries, a pod of the shared one still does; runs give
//! the same outputs; and a Workflow a cluster refuses is never written.

mod common;

#[path = "../examples/big_pipeline.rs"]
#[allow(dead_code)]
mod big;

use std::collections::BTreeMap;
use std::process::Command;

use kfp::argo::{DagTask, Template, Workflow};
use kfp::components::{arg, load_component_from_text};
use kfp::dsl::{parallel_for, pipeline_param, record, PipelineInfo, Recorded};
use kfp::prelude::*;
use kfp::run::{run_pipeline_with, RunOptions};
use kfp::Compiler;
use proptest::prelude::*;

use common::run::{run_results, Scratch};

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[component]
fn greet(name: String, greeting: String) -> String {
    format!("{greeting}, {name}!")
}

#[pipeline(name = "shared example")]
fn shared_example(a: i64, #[default("hello")] greeting: String) {
    let one = add_op(a, 1);
    let two = add_op(one.output(), 2);
    let three = add_op(two.output(), one.output());
    three.set_display_name("third");
    let four = add_op(three.output(), 4);
    four.set_cpu_limit("500m");
    let five = add_op(four.output(), 5);
    five.set_cpu_limit("500m");
    // Reads five's output, so five keeps it as a parameter as four does.
    add_op(five.output(), 0);
    greet_op("Kim \"the\" first", greeting);
    greet_op("김민수", greeting);
    greet_op("Lee", "hi");
}

fn compile(compiler: &Compiler) -> Workflow {
    compiler.compile_to_workflow(shared_example).unwrap()
}

fn sharing() -> Compiler {
    Compiler::new().share_templates(true)
}

fn dag_tasks(workflow: &Workflow) -> BTreeMap<&str, &DagTask> {
    let dags = workflow.spec.templates.iter().filter_map(|template| template.dag.as_ref());
    dags.flat_map(|dag| &dag.tasks).map(|task| (task.name.as_str(), task)).collect()
}

fn template<'w>(workflow: &'w Workflow, name: &str) -> &'w Template {
    workflow.spec.templates.iter().find(|template| template.name == name).unwrap_or_else(|| panic!("no `{name}`"))
}

fn argument<'t>(task: &'t DagTask, name: &str) -> &'t str {
    let found = task.arguments.parameters.iter().find(|parameter| parameter.name == name);
    found.and_then(|parameter| parameter.value.as_deref()).unwrap_or_else(|| panic!("{} passes no `{name}`", task.name))
}

#[test]
fn tasks_of_one_component_with_the_same_settings_share_a_template() {
    let workflow = compile(&sharing());
    let tasks = dag_tasks(&workflow);
    let run_by = |task: &str| tasks[task].template.as_str();
    assert_eq!(run_by("add"), "add");
    assert_eq!(run_by("add-2"), "add");
    // Its own display name, its own template: the UI reads the name from the template.
    assert_eq!(run_by("add-3"), "add-3");
    // Both with a CPU limit: one template, apart from the tasks without.
    assert_eq!(run_by("add-4"), "add-4");
    assert_eq!(run_by("add-5"), "add-4");
    // A constant with a `"` keeps kfp's shape; the Korean and plain ones share.
    assert_eq!(run_by("greet"), "greet");
    assert_eq!(run_by("greet-2"), "greet-2");
    assert_eq!(run_by("greet-3"), "greet-2");
    let own = template(&workflow, "greet").container.as_ref().unwrap();
    assert!(own.args.as_ref().unwrap().iter().any(|arg| arg == "Kim \"the\" first"), "{own:?}");

    // The shared template reads its inputs; each task passes its values.
    let add = template(&workflow, "add");
    let inputs: Vec<&str> = add.inputs.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(inputs, ["value_1", "value_2"]);
    let args = add.container.as_ref().unwrap().args.clone().unwrap();
    assert_eq!(args[..4], ["--value-1", "{{inputs.parameters.value_1}}", "--value-2", "{{inputs.parameters.value_2}}"]);
    assert_eq!(argument(tasks["add"], "value_1"), "{{inputs.parameters.a}}");
    assert_eq!(argument(tasks["add"], "value_2"), "1");
    // Outputs are named after the shared template, and read so downstream.
    assert_eq!(argument(tasks["add-2"], "value_1"), "{{tasks.add.outputs.parameters.add-Output}}");
    assert_eq!(argument(tasks["add-3"], "value_1"), "{{tasks.add-2.outputs.parameters.add-Output}}");
    assert_eq!(argument(tasks["add-5"], "value_1"), "{{tasks.add-4.outputs.parameters.add-4-Output}}");
    assert_eq!(argument(tasks["greet-3"], "name"), "Lee");
    assert_eq!(argument(tasks["greet-2"], "name"), "김민수");
}

#[test]
fn each_pod_of_a_shared_template_carries_what_kfp_reads() {
    let (kfp_shaped, shared) = (compile(&Compiler::new()), compile(&sharing()));
    let add = template(&shared, "add");
    let annotations = &add.metadata.annotations;
    // Argo substitutes inputs in the template's metadata: each pod gets its own values.
    assert_eq!(
        annotations["pipelines.kubeflow.org/arguments.parameters"],
        r#"{"value_1": "{{inputs.parameters.value_1}}", "value_2": "{{inputs.parameters.value_2}}"}"#
    );
    let own = &template(&kfp_shaped, "add-2").metadata;
    for key in ["pipelines.kubeflow.org/component_spec", "pipelines.kubeflow.org/component_ref"] {
        assert_eq!(annotations[key], own.annotations[key], "{key}");
    }
    assert_eq!(add.metadata.labels, own.labels, "caching and SDK labels");
    assert_eq!(add.outputs.artifacts[0].name, "add-Output");
    let third = &template(&shared, "add-3").metadata.annotations;
    assert_eq!(third["pipelines.kubeflow.org/task_display_name"], "third");
    assert!(template(&shared, "add-4").container.as_ref().unwrap().resources.is_some());
}

#[test]
fn the_ui_artifacts_keep_their_names_in_a_shared_template() {
    const REPORT: &str = r#"
name: Report
inputs:
- {name: score}
outputs:
- {name: MLPipeline UI metadata}
- {name: mlpipeline_metrics}
- {name: summary}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'echo "$0" > "$1"; echo "{}" > "$2"; echo "$0" > "$3"']
    args: [{inputValue: score}, {outputPath: MLPipeline UI metadata}, {outputPath: mlpipeline_metrics}, {outputPath: summary}]
"#;
    let recorded = record(PipelineInfo::new("reports"), || {
        let report = load_component_from_text(REPORT).unwrap();
        report.call([("score", arg("1"))]);
        report.call([("score", arg("2"))]);
    })
    .unwrap();
    let workflow = sharing().compile_recorded(&recorded).unwrap();
    let tasks = dag_tasks(&workflow);
    assert_eq!((tasks["report"].template.as_str(), tasks["report-2"].template.as_str()), ("report", "report"));
    let names: Vec<&str> = template(&workflow, "report").outputs.artifacts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["mlpipeline-metrics", "mlpipeline-ui-metadata", "report-summary"]);
}

#[test]
fn shared_and_kfp_shaped_runs_give_the_same_outputs() {
    let dir = Scratch::new("shared-example-runs");
    let run = |compiler: &Compiler, name: &str| {
        let options = RunOptions::new(dir.join(name)).arg("a", 1_i64);
        let report = run_pipeline_with(shared_example, compiler, &options).unwrap();
        assert!(report.succeeded(), "{report:#?}");
        report
    };
    let (kfp_shaped, shared) = (run(&Compiler::new(), "kfp"), run(&sharing(), "shared"));
    assert_eq!(run_results(&shared), run_results(&kfp_shaped));
    // 1 + 1 = 2, + 2 = 4, + 2 = 6, + 4 = 10, + 5 = 15.
    assert_eq!(shared.output("add-5", "add-4-Output"), Some("15"));
    assert_eq!(shared.output("greet-2", "greet-2-Output"), Some("hello, 김민수!"));
    assert_eq!(kfp_shaped.output("greet", "greet-Output"), Some("hello, Kim \"the\" first!"));
}

#[test]
fn kfp_run_local_runs_the_shared_workflow_file() {
    if !common::run::have_rustc() {
        common::skip("rustc is not on PATH; the containers build the component programs with it");
        return;
    }
    let dir = Scratch::new("shared-file-run");
    let file = dir.join("big.yaml");
    let workflow = sharing().compile_recorded(&big::big_pipeline(4).unwrap()).unwrap();
    std::fs::write(&file, kfp::compiler::to_yaml(&workflow).unwrap()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .args(["run-local", file.to_str().unwrap(), "-p", "a=1", "-p", "b=2", "--json", "--run-dir"])
        .arg(dir.join("run"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let outputs: BTreeMap<String, String> = (report["tasks"].as_array().unwrap().iter())
        .map(|task| (task["id"].as_str().unwrap().to_owned(), task["outputs"].to_string()))
        .collect();
    // 1 + 2 = 3; 3 + 3 = 6; 6 + 3 = 9; 9 + 3 = 12 (task i adds task i-1 and task max(0, i-1-i%7)).
    assert_eq!(outputs["add"], r#"{"add-Output":"3"}"#);
    assert_eq!(outputs["add-3"], r#"{"add-Output":"9"}"#);
    // Nothing reads the last task's output as a value: kfp keeps only its file, so its template differs.
    assert_eq!(outputs["add-4"], r#"{"add-4-Output":"12"}"#);
}

fn kfp(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kfp")).args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

#[test]
fn a_workflow_over_the_limit_is_refused_with_what_takes_the_room_and_the_fix() {
    let recorded: Recorded = big::big_pipeline(1_000).unwrap();
    let error = Compiler::new().compile_recorded(&recorded).unwrap_err().to_string();
    for expected in [
        "the compiled Workflow of `big pipeline` is too large for the cluster",
        "over the limit of 1.00 MiB (1,048,576 bytes)",
        "1,000 templates of component `Add`",
        "DAG `big-pipeline` with 1,000 tasks",
        "share_templates(true)",
        "--share-templates",
        "max_workflow_bytes",
    ] {
        assert!(error.contains(expected), "{expected:?} not in: {error}");
    }
    // A cluster configured for larger Workflows.
    assert!(Compiler::new().max_workflow_bytes(64 << 20).compile_recorded(&recorded).is_ok());
    // Shared: thousands of tasks fit.
    let shared = sharing().compile_recorded(&big::big_pipeline(3_500).unwrap()).unwrap();
    assert!(kfp::argo::size::json_bytes(&shared) <= kfp::argo::size::DEFAULT_MAX_WORKFLOW_BYTES);
    // Past what fits, even shared templates are refused, and the fix is another.
    let error = sharing().max_workflow_bytes(100_000).compile_recorded(&recorded).unwrap_err().to_string();
    assert!(error.contains("ParallelFor") && !error.contains("share_templates(true)"), "{error}");
}

#[test]
fn kfp_validate_measures_any_workflow() {
    let dir = Scratch::new("validate-size");
    let file = dir.join("kfp-shaped.yaml");
    let workflow = Compiler::new().max_workflow_bytes(usize::MAX).compile_recorded(&big::big_pipeline(300).unwrap());
    std::fs::write(&file, kfp::compiler::to_yaml(&workflow.unwrap()).unwrap()).unwrap();
    let path = file.to_str().unwrap();
    let (ok, text) = kfp(&["validate", path]);
    assert!(!ok, "{text}");
    assert!(text.contains("300 templates of component `Add`") && text.contains("--share-templates"), "{text}");
    let (ok, text) = kfp(&["validate", "--max-workflow-bytes", "20000000", path]);
    assert!(ok, "{text}");

    // kfp's own output is measured the same way.
    let add_example = common::golden_dir().join("add_example.yaml");
    let (ok, text) = kfp(&["validate", "--max-workflow-bytes", "2000", add_example.to_str().unwrap()]);
    assert!(!ok && text.contains("1 template of component `Add`"), "{text}");
    assert!(text.contains("over the limit of 2.0 KB"), "{text}");
}

#[test]
fn the_compile_command_shares_templates_when_asked() {
    let dir = Scratch::new("cli-share");
    let compile = |file: &str, share: bool| {
        let path = dir.join(file);
        let mut args = vec!["program", "compile", "shared example", "-o", path.to_str().unwrap()];
        if share {
            args.push("--share-templates");
        }
        kfp::cli::try_run(args, &mut Vec::new()).unwrap();
        Workflow::from_yaml(&std::fs::read_to_string(&path).unwrap()).unwrap()
    };
    assert_eq!(dag_tasks(&compile("shared.yaml", true))["add-2"].template, "add");
    assert_eq!(dag_tasks(&compile("kfp.yaml", false))["add-2"].template, "add-2");
    let mut out = Vec::new();
    let error = kfp::cli::try_run(["program", "run-local", "no-such.yaml", "--share-templates"], &mut out);
    assert!(error.is_err());
}

// ----- random pipelines of components ------------------------------------------------

/// One task of a random pipeline: which component, what it reads, its settings.
#[derive(Clone, Debug)]
struct Step {
    greet: bool,
    /// Earlier tasks' outputs it reads (indexes wrap), or constants.
    reads: [Option<usize>; 2],
    constant: String,
    cpu: bool,
    display: Option<String>,
    in_loop: bool,
}

fn step() -> impl Strategy<Value = Step> {
    // `{{` in a constant is Argo's syntax, refused in both shapes (tests/compile_errors.rs holds that).
    let text = "\\PC{0,6}".prop_filter("no Argo tag", |text: &String| !text.contains("{{"));
    let constant = prop_oneof!["[a-z ]{0,6}".boxed(), text.boxed(), Just("a \"quoted\" \\ value".to_owned()).boxed()];
    (any::<bool>(), any::<[Option<usize>; 2]>(), constant, any::<bool>(), prop::option::of("[a-z]{1,4}"), any::<bool>())
        .prop_map(|(greet, reads, constant, cpu, display, in_loop)| Step {
            greet,
            reads,
            constant,
            cpu,
            display,
            in_loop,
        })
}

/// A random pipeline: add tasks read earlier numbers, greet tasks earlier texts.
struct Random(Vec<Step>);

impl kfp::dsl::Pipeline for Random {
    fn info(&self) -> PipelineInfo {
        PipelineInfo::new("random").param::<i64>("n")
    }

    fn __kfp_body(&self) {
        let (mut numbers, mut texts) = (Vec::new(), Vec::new());
        for step in &self.0 {
            if step.in_loop {
                // Values made in a loop stay in it.
                parallel_for(vec![1, 2], |_| record_step(step, &mut numbers.clone(), &mut texts.clone()));
            } else {
                record_step(step, &mut numbers, &mut texts);
            }
        }
    }
}

fn record_step(step: &Step, numbers: &mut Vec<Output<i64>>, texts: &mut Vec<Output<String>>) {
    if step.greet {
        let task = match step.reads[0].filter(|_| !texts.is_empty()) {
            Some(read) => greet_op(texts[read % texts.len()], step.constant.as_str()),
            None => greet_op(step.constant.as_str(), "hi"),
        };
        texts.push(task.output());
        configure(&task, step);
    } else {
        let pick = |at: Option<usize>| at.filter(|_| !numbers.is_empty()).map(|at| numbers[at % numbers.len()]);
        let task = match (pick(step.reads[0]), pick(step.reads[1])) {
            (Some(x), Some(y)) => add_op(x, y),
            (Some(x), None) => add_op(x, pipeline_param::<i64>(0)),
            (None, Some(y)) => add_op(5, y),
            (None, None) => add_op(pipeline_param::<i64>(0), 2),
        };
        numbers.push(task.output());
        configure(&task, step);
    }
}

fn configure<O>(task: &kfp::Task<O>, step: &Step) {
    if step.cpu {
        task.set_cpu_limit("1");
    }
    if let Some(display) = &step.display {
        task.set_display_name(display.as_str());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_pipelines_of_components_run_alike_in_both_shapes(steps in prop::collection::vec(step(), 1..12)) {
        let pipeline = Random(steps);
        let kfp_shaped = Compiler::new().compile_to_workflow(&pipeline).unwrap();
        let shared = sharing().compile_to_workflow(&pipeline).unwrap();
        for workflow in [&kfp_shaped, &shared] {
            let violations = common::schema_violations(&kfp::compiler::to_yaml(workflow).unwrap());
            prop_assert!(violations.is_empty(), "schema: {violations:?}");
        }
        let dir = Scratch::new("random-shared");
        let run = |compiler: &Compiler, name: &str| {
            let options = RunOptions::new(dir.join(name)).arg("n", 7_i64);
            let report = run_pipeline_with(&pipeline, compiler, &options).unwrap();
            (report.phase, run_results(&report))
        };
        let kfp_run = run(&Compiler::new(), "kfp");
        prop_assert_eq!(&kfp_run.0, &kfp::run::Phase::Succeeded);
        prop_assert_eq!(run(&sharing(), "shared"), kfp_run);
    }
}
