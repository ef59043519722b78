//! Reading hostile YAML: about 1 MiB of each kind of tests/common/hostile.rs
//! (deep nesting, alias bombs, nesting at the limit, a long scalar, 100,000
//! keys) as a Workflow and as a component.yaml, and what the check before
//! parsing costs on the big pipeline's Workflow (1,000 tasks, 1.6 MB).
//! `cargo bench --bench input`; results in benches/README.md.

#[path = "../examples/big_pipeline.rs"]
#[allow(dead_code)]
mod big;
#[path = "../tests/common/hostile.rs"]
#[allow(dead_code)]
mod hostile;

use divan::Bencher;
use kfp::argo::Workflow;

const KINDS: &[&str] = &[
    "flow lists",
    "flow mappings",
    "block lists",
    "alias chain",
    "aliases of a long list",
    "aliases of a long scalar",
    "lists at the limit, repeated",
    "mappings at the limit, repeated",
    "long scalar",
    "100,000 keys",
];

fn main() {
    divan::main();
}

fn text(documents: Vec<hostile::Hostile>, kind: &str) -> String {
    documents.into_iter().find(|document| document.kind == kind).expect("a hostile kind").text
}

/// `Workflow::from_yaml`, what `kfp validate`, `kfp run-local` and
/// `kfp::run::parse_workflow` read a file with.
#[divan::bench(args = KINDS, sample_count = 5, sample_size = 1)]
fn workflow(bencher: Bencher, kind: &str) {
    let text = text(hostile::workflows(), kind);
    bencher.bench_local(|| Workflow::from_yaml(&text).map(drop).map_err(|error| error.to_string()))
}

/// `load_component_from_text`.
#[divan::bench(args = KINDS, sample_count = 5, sample_size = 1)]
fn component(bencher: Bencher, kind: &str) {
    let text = text(hostile::components(), kind);
    bencher.bench_local(|| kfp::components::load_component_from_text(&text).map(drop))
}

fn big_workflow_yaml() -> String {
    let recorded = big::big_pipeline(1_000).expect("the big pipeline records");
    let compiler = kfp::Compiler::new().max_workflow_bytes(usize::MAX);
    compiler.compile_recorded(&recorded).expect("the big pipeline compiles").to_yaml().expect("YAML")
}

/// The check alone on a legitimate Workflow.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn check_big_pipeline(bencher: Bencher) {
    let yaml = big_workflow_yaml();
    bencher.bench_local(|| kfp::input::check_yaml(&yaml))
}

/// serde_yaml alone on the same Workflow, to compare the check with.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn parse_big_pipeline(bencher: Bencher) {
    let yaml = big_workflow_yaml();
    bencher.bench_local(|| serde_yaml::from_str::<Workflow>(&yaml).expect("the Workflow parses"))
}
