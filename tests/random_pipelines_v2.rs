//! Random pipelines compiled for KFP v2 (random DAGs of loaded components, names
//! with Unicode and punctuation, nested conditions and loops, `.after()`, an exit
//! handler): each compiles to pipeline IR that reads back through the typed model
//! and passes the IR's rules, or is refused with an error naming the KFP v2 limit
//! it meets. Nothing panics.

use kfp::components::{arg, load_component_from_text, AnyArg};
use kfp::dsl::{
    condition, exit_handler, parallel_for, pipeline_param, record, Compare, Operator, PipelineInfo, PipelineParam,
};
use kfp::ir::PipelineFile;
use kfp::{Compiler, Output, Target};
use proptest::prelude::*;

/// One step of a random pipeline body.
#[derive(Clone, Debug)]
enum Step {
    /// A task of a loaded component named `name`, reading up to two earlier values
    /// (the second written into a text).
    Task { name: String, reads: Vec<usize>, after: Option<usize> },
    /// A condition on an earlier value.
    Condition { value: usize, operator: u8, constant: String, body: Vec<Step> },
    /// A loop over static strings or objects.
    StaticLoop { items: Vec<i64>, objects: bool, parallelism: u32, body: Vec<Step> },
    /// A loop over a list parameter or a list output.
    ValueLoop { value: usize, body: Vec<Step> },
}

#[derive(Clone, Debug)]
struct Spec {
    name: String,
    params: Vec<String>,
    exit_handler: bool,
    steps: Vec<Step>,
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9 _-]{0,12}",
        "\\PC{1,16}",
        "[가-힣]{1,6}[ _.!]{0,2}[a-zA-Z0-9]{0,4}",
        Just("9 lives".to_owned())
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let task = (name(), prop::collection::vec(any::<usize>(), 0..3), prop::option::of(any::<usize>()))
        .prop_map(|(name, reads, after)| Step::Task { name, reads, after });
    task.prop_recursive(3, 24, 4, |inner| {
        let body = prop::collection::vec(inner, 0..4);
        prop_oneof![
            (any::<usize>(), 0u8..6, "[a-z0-9]{0,4}", body.clone())
                .prop_map(|(value, operator, constant, body)| Step::Condition { value, operator, constant, body }),
            (prop::collection::vec(any::<i64>(), 1..4), any::<bool>(), 0u32..3, body.clone())
                .prop_map(|(items, objects, parallelism, body)| Step::StaticLoop { items, objects, parallelism, body }),
            (any::<usize>(), body).prop_map(|(value, body)| Step::ValueLoop { value, body }),
        ]
    })
}

fn spec() -> impl Strategy<Value = Spec> {
    (name(), prop::collection::vec("[a-z][a-z0-9_]{0,8}", 0..3), any::<bool>(), prop::collection::vec(step(), 1..6))
        .prop_map(|(name, params, exit_handler, steps)| Spec { name, params, exit_handler, steps })
}

/// A component named `name` taking two optional strings, giving a string and a list.
fn component(name: &str) -> kfp::LoadedComponent {
    let text = format!(
        "name: {}\ninputs:\n- {{name: a, type: String, optional: true}}\n- {{name: b, type: String, optional: true}}\n\
         outputs:\n- {{name: text, type: String}}\n- {{name: list, type: JsonArray}}\nimplementation:\n  container:\n    \
         image: alpine\n    command: [sh, -c, 'echo \"$0 $1\" > \"$2\"; echo [] > \"$3\"', {{inputValue: a}}, {{inputValue: b}}, \
         {{outputPath: text}}, {{outputPath: list}}]\n",
        serde_json::to_string(name).unwrap()
    );
    load_component_from_text(&text).expect("the random component loads")
}

/// What the steps recorded so far left for later ones: strings and lists.
#[derive(Default)]
struct Scope {
    texts: Vec<Output<String>>,
    params: Vec<u32>,
    lists: Vec<Output<Vec<String>>>,
    tasks: Vec<kfp::Task<kfp::dsl::Loaded>>,
}

fn run_steps(steps: &[Step], scope: &mut Scope) {
    for step in steps {
        match step {
            Step::Task { name, reads, after } => {
                let count = scope.texts.len() + scope.params.len();
                let mut args: Vec<(&str, AnyArg)> = Vec::new();
                for (input, read) in ["a", "b"].into_iter().zip(reads) {
                    if count == 0 {
                        break;
                    }
                    let index = read % count;
                    // `b` takes its value inside a text, as `format!` writes it.
                    let arg = match (scope.params.get(index), input) {
                        (Some(param), "a") => arg(pipeline_param::<String>(*param)),
                        (Some(param), _) => arg(format!("{} and more", pipeline_param::<String>(*param))),
                        (None, "a") => arg(scope.texts[index - scope.params.len()]),
                        (None, _) => arg(format!("{} and more", scope.texts[index - scope.params.len()])),
                    };
                    args.push((input, arg));
                }
                let task = component(name).call(args);
                if let (Some(after), false) = (after, scope.tasks.is_empty()) {
                    task.after(&scope.tasks[after % scope.tasks.len()]);
                }
                scope.texts.push(task.output_named("text").cast());
                scope.lists.push(task.output_named("list").cast());
                scope.tasks.push(task);
            }
            Step::Condition { value, operator, constant, body } => {
                let operator = [Operator::Eq, Operator::Ne, Operator::Lt, Operator::Le, Operator::Gt, Operator::Ge]
                    [*operator as usize % 6];
                let cond = match (scope.params.first(), scope.texts.is_empty()) {
                    (_, false) => scope.texts[value % scope.texts.len()].compare(operator, constant.as_str()),
                    (Some(param), true) => pipeline_param::<String>(*param).compare(operator, constant.as_str()),
                    (None, true) => {
                        run_steps(body, scope);
                        continue;
                    }
                };
                condition(cond, || run_steps(body, scope));
            }
            Step::StaticLoop { items, objects, parallelism, body } => {
                let items: Vec<serde_json::Value> =
                    items
                        .iter()
                        .map(|item| {
                            if *objects {
                                serde_json::json!({"a": item, "b": item / 2})
                            } else {
                                item.to_string().into()
                            }
                        })
                        .collect();
                kfp::dsl::ParallelFor::new(items).parallelism(*parallelism).run(|item| {
                    if *objects {
                        component("item").call([("a", item.field::<String>("a"))]);
                    } else {
                        component("item").call([("a", item)]);
                    }
                    run_steps(body, scope)
                });
            }
            Step::ValueLoop { value, body } => {
                if scope.lists.is_empty() {
                    run_steps(body, scope);
                    continue;
                }
                parallel_for(scope.lists[value % scope.lists.len()], |item| {
                    component("each").call([("a", item)]);
                    run_steps(body, scope)
                });
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
        let mut scope = Scope { params: (0..spec.params.len() as u32).collect(), ..Scope::default() };
        if spec.exit_handler {
            let exit = component("bye").call(Vec::<(&str, &str)>::new());
            exit_handler(&exit, || run_steps(&spec.steps, &mut scope));
        } else {
            run_steps(&spec.steps, &mut scope);
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn every_random_pipeline_compiles_to_valid_ir_or_is_refused_clearly(spec in spec()) {
        let compiler = Compiler::new().target(Target::V2);
        let compiled = build(&spec).and_then(|recorded| compiler.compile_recorded_to_ir(&recorded));
        match compiled {
            Ok(file) => {
                let violations = kfp::ir::rules::check(&file);
                prop_assert!(violations.is_empty(), "IR rules: {violations:?}");
                let yaml = file.to_yaml().expect("compiled IR serializes");
                let read = PipelineFile::from_yaml(&yaml);
                prop_assert!(read.as_ref().is_ok_and(|read| read.spec == file.spec), "reads back: {read:?}\n{yaml}");
            }
            Err(error) => {
                // Only what KFP v2 cannot say is refused, naming the limit; IR the
                // compiler itself got wrong is a failure.
                let message = error.to_string();
                prop_assert!(!message.contains("breaks a rule of KFP"), "the compiler wrote invalid IR: {message}");
                prop_assert!(
                    message.contains("cannot depend on a task inside") || message.contains("takes a value from inside")
                        || message.contains("records no task") || message.contains("record at least one task"),
                    "a refusal names the KFP v2 limit: {message}"
                );
            }
        }
    }
}
