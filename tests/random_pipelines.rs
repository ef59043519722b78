//! Thousands of random pipelines (random DAGs, names with Unicode and
//! punctuation, nested conditions and loops, volumes shared between steps, an exit
//! handler): each compiles to
//! a Workflow that passes the strict Argo schema and Argo's rules, or is refused
//! with an error that says what is wrong. Nothing panics.

mod common;

use kfp::dsl::{
    condition, exit_handler, parallel_for, pipeline_param, record, Compare, ContainerOp, Operator, PipelineInfo,
    PipelineParam, PipelineVolume, VolumeOp,
};
use kfp::{Compiler, Output};
use proptest::prelude::*;

/// One step of a random pipeline body.
#[derive(Clone, Debug)]
enum Step {
    /// A container op reading some earlier values (indexes wrap around), maybe
    /// mounting an earlier volume.
    Op { name: String, reads: Vec<usize>, outputs: u8, after: Option<usize>, mount: Option<usize> },
    /// A volume (kfp's VolumeOp) later steps may mount.
    Volume { name: String, size: u16 },
    /// A condition on an earlier value.
    Condition { value: usize, operator: u8, constant: String, body: Vec<Step> },
    /// A loop over static numbers or objects.
    StaticLoop { items: Vec<i64>, objects: bool, parallelism: u32, body: Vec<Step> },
    /// A loop over an earlier value (a task output or a parameter).
    ValueLoop { value: usize, body: Vec<Step> },
}

#[derive(Clone, Debug)]
struct Spec {
    name: String,
    params: Vec<String>,
    exit_handler: Option<String>,
    steps: Vec<Step>,
}

/// Names as users write them: any printable text, often Unicode and punctuation.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9 _-]{0,12}",
        "\\PC{0,16}",
        "[가-힣]{1,6}[ _.!]{0,2}[a-zA-Z0-9]{0,4}",
        Just(String::new()),
        Just("--".to_owned()),
        Just("9 lives".to_owned()),
    ]
}

fn param_name() -> impl Strategy<Value = String> {
    prop_oneof![4 => "[a-z][a-z0-9_]{0,8}", 1 => "\\PC{1,6}"]
}

fn step() -> impl Strategy<Value = Step> {
    let op = (
        name(),
        prop::collection::vec(any::<usize>(), 0..3),
        0u8..3,
        prop::option::of(any::<usize>()),
        prop::option::of(any::<usize>()),
    )
        .prop_map(|(name, reads, outputs, after, mount)| Step::Op { name, reads, outputs, after, mount });
    let volume = (name(), 1u16..500).prop_map(|(name, size)| Step::Volume { name, size });
    let op = prop_oneof![4 => op, 1 => volume];
    op.prop_recursive(3, 24, 4, |inner| {
        let body = prop::collection::vec(inner, 0..4);
        prop_oneof![
            (any::<usize>(), 0u8..6, "[a-z0-9]{0,4}", body.clone())
                .prop_map(|(value, operator, constant, body)| { Step::Condition { value, operator, constant, body } }),
            (prop::collection::vec(any::<i64>(), 1..4), any::<bool>(), 0u32..3, body.clone())
                .prop_map(|(items, objects, parallelism, body)| Step::StaticLoop { items, objects, parallelism, body }),
            (any::<usize>(), body).prop_map(|(value, body)| Step::ValueLoop { value, body }),
        ]
    })
}

fn spec() -> impl Strategy<Value = Spec> {
    (name(), prop::collection::vec(param_name(), 0..3), prop::option::of(name()), prop::collection::vec(step(), 1..6))
        .prop_map(|(name, params, exit_handler, steps)| Spec { name, params, exit_handler, steps })
}

/// The values a step can read: parameters (by index) and outputs recorded so far.
#[derive(Clone, Copy)]
enum Value {
    Param(u32),
    Output(Output<String>),
}

impl Value {
    fn text(self) -> String {
        match self {
            Value::Param(index) => pipeline_param::<String>(index).to_string(),
            Value::Output(output) => output.to_string(),
        }
    }
}

/// What the steps recorded so far left for later ones.
#[derive(Default)]
struct Scope {
    values: Vec<Value>,
    tasks: Vec<kfp::Task<kfp::dsl::FileOutputs>>,
    volumes: Vec<PipelineVolume>,
}

/// Records `steps`.
fn run_steps(steps: &[Step], scope: &mut Scope) {
    for step in steps {
        let Scope { values, tasks, volumes } = &mut *scope;
        match step {
            Step::Volume { name, size } => {
                volumes.push(VolumeOp::new(name.clone(), name.clone(), format!("{size}Mi")).add().volume());
            }
            Step::Op { name, reads, outputs, after, mount } => {
                let args: Vec<String> = reads
                    .iter()
                    .filter(|_| !values.is_empty())
                    .map(|read| format!("echo {}", values[read % values.len()].text()))
                    .collect();
                let mut op = ContainerOp::new(name.clone(), "alpine").command(["sh", "-c"]).arguments(args);
                if let (Some(mount), false) = (mount, volumes.is_empty()) {
                    op = op.pvolume("/data", volumes[mount % volumes.len()].clone());
                }
                for output in 0..*outputs {
                    op = op.file_output(format!("out{output}"), format!("/tmp/out{output}"));
                }
                let task = op.add();
                if let (Some(after), false) = (after, tasks.is_empty()) {
                    task.after(&tasks[after % tasks.len()]);
                }
                for output in 0..*outputs {
                    values.push(Value::Output(task.file_output(&format!("out{output}"))));
                }
                tasks.push(task);
            }
            Step::Condition { value, operator, constant, body } => {
                if values.is_empty() {
                    run_steps(body, scope);
                    continue;
                }
                let operator = [Operator::Eq, Operator::Ne, Operator::Lt, Operator::Le, Operator::Gt, Operator::Ge]
                    [*operator as usize % 6];
                let cond = match values[value % values.len()] {
                    Value::Param(index) => pipeline_param::<String>(index).compare(operator, constant.as_str()),
                    Value::Output(output) => output.compare(operator, constant.as_str()),
                };
                condition(cond, || run_steps(body, scope));
            }
            Step::StaticLoop { items, objects, parallelism, body } => {
                let items: Vec<serde_json::Value> = items
                    .iter()
                    .map(|item| if *objects { serde_json::json!({"a": item, "b": item / 2}) } else { (*item).into() })
                    .collect();
                kfp::dsl::ParallelFor::new(items).parallelism(*parallelism).run(|item| {
                    let read = if *objects { item.field::<String>("a").to_string() } else { item.to_string() };
                    ContainerOp::new("item", "alpine").command(["echo".to_owned(), read]).add();
                    run_steps(body, scope)
                });
            }
            Step::ValueLoop { value, body } => {
                if values.is_empty() {
                    run_steps(body, scope);
                    continue;
                }
                match values[value % values.len()] {
                    Value::Param(index) => parallel_for(pipeline_param::<Vec<String>>(index), |item| {
                        ContainerOp::new("each", "alpine").command(["echo".to_owned(), item.to_string()]).add();
                        run_steps(body, scope)
                    }),
                    Value::Output(output) => parallel_for(output.cast::<Vec<String>>(), |item| {
                        ContainerOp::new("each", "alpine").command(["echo".to_owned(), item.to_string()]).add();
                        run_steps(body, scope)
                    }),
                }
            }
        }
    }
}

fn build(spec: &Spec) -> kfp::Result<kfp::dsl::Recorded> {
    let mut info = PipelineInfo::new(spec.name.clone());
    for param in &spec.params {
        info = info.with_param(PipelineParam::new::<String>(param.clone()));
    }
    record(info, || {
        let mut scope = Scope { values: (0..spec.params.len() as u32).map(Value::Param).collect(), ..Scope::default() };
        match &spec.exit_handler {
            Some(name) => {
                let exit = ContainerOp::new(name.clone(), "alpine").command(["echo", "bye"]).add();
                exit_handler(&exit, || run_steps(&spec.steps, &mut scope));
            }
            None => run_steps(&spec.steps, &mut scope),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn every_random_pipeline_compiles_valid_or_is_refused_clearly(spec in spec()) {
        let compiled = build(&spec).and_then(|recorded| Compiler::new().compile_recorded(&recorded));
        match compiled {
            Ok(workflow) => {
                let violations = kfp::argo::rules::check(&workflow);
                prop_assert!(violations.is_empty(), "Argo rules: {violations:?}");
                let yaml = kfp::compiler::to_yaml(&workflow).expect("a compiled workflow serializes");
                let violations = common::schema_violations(&yaml);
                prop_assert!(violations.is_empty(), "schema: {violations:?}\n{yaml}");
            }
            Err(error) => {
                // Only the user's mistakes are refused (a parameter name Argo
                // cannot take, an empty group), each named with its fix; a
                // Workflow the compiler itself got wrong is a failure.
                let message = error.to_string();
                prop_assert!(!message.contains("would be rejected by Argo"), "the compiler wrote an invalid Workflow: {message}");
                prop_assert!(
                    message.contains("rename it") || message.contains("rename one") || message.contains("record at least one task") || message.contains("records no task"),
                    "a refusal names the problem and the fix: {message}"
                );
            }
        }
    }
}
