//! Pipelines called inside pipelines (kfp 2's pipeline used as a component):
//! `parallel_and_nested__pipeline_in_pipeline.yaml` (the inner pipeline's
//! components renamed where they clash with the outer's) and
//! `parallel_and_nested__pipeline_in_pipeline_complex.yaml` (conditions inside
//! the inner pipeline, called in a loop).

use kfp::components::load_component_from_text;
use kfp::dsl::{Compare, ParallelFor};
use kfp::prelude::*;

#[component(name = "print_op1")]
pub fn print1(msg: String) -> String {
    println!("{msg}");
    msg
}

/// kfp's `@dsl.container_component` `print_op2`.
const PRINT_OP2: &str = r#"
name: print-op2
inputs:
- {name: msg, type: String}
implementation:
  container:
    image: alpine
    command: [echo, {inputValue: msg}]
"#;

#[pipeline]
fn inner_pipeline(msg: String) {
    let task = print1_op(msg);
    let print_op2 = load_component_from_text(PRINT_OP2).expect("the component loads");
    print_op2.call([("msg", task.output())]);
}

#[pipeline(name = "pipeline-in-pipeline")]
fn my_pipeline() {
    print1_op("Hello");
    inner_pipeline_op("world");
}

#[test]
fn pipeline_in_pipeline() {
    super::check("parallel_and_nested__pipeline_in_pipeline", my_pipeline);
}

const PRINT_OP3: &str = r#"
name: Print Op
inputs:
- {name: msg, type: String}
implementation:
  container:
    image: alpine
    command:
    - echo
    - {inputValue: msg}
"#;

#[pipeline(name = "inner-pipeline")]
fn graph_component(msg: String) {
    let task = print1_op(msg);
    kfp::dsl::condition(task.output().eq("Hello"), || {
        let print_op2 = load_component_from_text(PRINT_OP2).expect("the component loads");
        print_op2.call([("msg", "world")]);
    });
    kfp::dsl::condition(task.output().ne("Hello"), || {
        let print_op3 = load_component_from_text(PRINT_OP3).expect("the component loads");
        print_op3.call([("msg", "Bye!")]);
    });
}

#[pipeline(name = "pipeline-in-pipeline-complex")]
fn complex(#[default("Hello")] msg: String) {
    print1_op(msg);
    ParallelFor::new(vec!["Hello", "world!"]).run(|item| {
        graph_component_op(item);
    });
}

#[test]
fn pipeline_in_pipeline_complex() {
    super::check("parallel_and_nested__pipeline_in_pipeline_complex", complex);
}

mod with_outputs {
    //! `essential__pipeline_with_outputs.yaml`: an inner pipeline returning a
    //! parameter and an artifact (kfp's `-> NamedTuple`), the outer returning the artifact.

    use kfp::artifacts::Artifact;
    use kfp::components::load_component_from_text;
    use kfp::prelude::*;

    /// kfp's `@dsl.container_component` `print_op2`, writing an artifact.
    const PRINT_OP2: &str = r#"
name: print-op2
inputs:
- {name: msg, type: String}
outputs:
- {name: data, type: Artifact}
implementation:
  container:
    image: alpine
    command: [sh, -c, 'mkdir --parents $(dirname "$1") && echo "$0" > "$1"']
    args: [{inputValue: msg}, {outputPath: data}]
"#;

    /// The inner pipeline's outputs.
    #[derive(ComponentOutputs)]
    pub struct Outputs {
        msg: String,
        data: Artifact,
    }

    #[pipeline]
    fn inner_pipeline(msg: String) -> OutputsHandles {
        let task1 = super::print1_op(msg);
        let print_op2 = load_component_from_text(PRINT_OP2).expect("the component loads");
        let task2 = print_op2.call([("msg", task1.output())]);
        OutputsHandles { msg: task1.output(), data: task2.output_named("data").cast() }
    }

    #[pipeline(name = "pipeline-in-pipeline")]
    pub fn my_pipeline(#[default("Hello")] msg: String) -> Output<Artifact> {
        super::print1_op(msg);
        inner_pipeline_op("world").outputs().data
    }
}

#[test]
fn pipeline_with_outputs() {
    super::check("essential__pipeline_with_outputs", with_outputs::my_pipeline);
}
