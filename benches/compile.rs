//! Compile speed and memory of the "big pipeline" (examples/big_pipeline.rs)
//! at 1,000, 10,000 and 50,000 tasks: each stage alone, then end to end.
//! `cargo bench --bench compile`; results and how to read them in benches/README.md.

#[path = "../examples/big_pipeline.rs"]
#[allow(dead_code)]
mod big;

use divan::{AllocProfiler, Bencher};
use kfp::argo::Workflow;
use kfp::dsl::Recorded;

// Counts allocations: divan reports bytes allocated and the peak per iteration.
#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

const TASKS: &[usize] = &[1_000, 10_000, 50_000];

fn main() {
    divan::main();
}

fn recorded(tasks: usize) -> Recorded {
    big::big_pipeline(tasks).expect("the big pipeline records")
}

fn compiled(tasks: usize) -> Workflow {
    kfp::Compiler::new().compile_recorded(&recorded(tasks)).expect("the big pipeline compiles")
}

/// Running the pipeline body: recording the DAG.
#[divan::bench(args = TASKS, sample_count = 5, sample_size = 1)]
fn build(tasks: usize) -> Recorded {
    recorded(tasks)
}

/// Recorded DAG to Workflow value, with Argo's rules checked.
#[divan::bench(args = TASKS, sample_count = 5, sample_size = 1)]
fn compile(bencher: Bencher, tasks: usize) {
    bencher.with_inputs(|| recorded(tasks)).bench_local_refs(|recorded| kfp::Compiler::new().compile_recorded(recorded))
}

/// Workflow value to YAML text: the floor.
#[divan::bench(args = TASKS, sample_count = 3, sample_size = 1)]
fn serialize(bencher: Bencher, tasks: usize) {
    bencher.with_inputs(|| compiled(tasks)).bench_local_refs(|workflow| kfp::compiler::to_yaml(workflow))
}

/// Build, compile, serialize and write the file, as `big_pipeline` does.
#[divan::bench(args = TASKS, sample_count = 3, sample_size = 1)]
fn end_to_end(tasks: usize) {
    let path = std::env::temp_dir().join(format!("kfp-rs-bench-{}.yaml", std::process::id()));
    let workflow = kfp::Compiler::new().compile_recorded(&recorded(tasks)).unwrap();
    std::fs::write(&path, kfp::compiler::to_yaml(&workflow).unwrap()).unwrap();
    let _ = std::fs::remove_file(&path);
}
