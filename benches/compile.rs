//! Compile speed and memory of the "big pipeline" (examples/big_pipeline.rs)
//! at 1,000, 10,000 and 50,000 tasks: each stage alone, then end to end, and
//! at the end one timed run per size with the ratios between sizes; in kfp's
//! shape (a template per task) and, side by side, with shared templates
//! ([`kfp::Compiler::share_templates`]: one template for all the tasks).
//! The same workload compiled to KFP v2 pipeline IR at 100, 1,000 and 10,000
//! tasks: the `ir_` benches and a summary of their own.
//! `cargo bench --bench compile`; results and how to read them in benches/README.md.

#[path = "../examples/big_pipeline.rs"]
#[allow(dead_code)]
mod big;

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use divan::{AllocProfiler, Bencher};
use kfp::argo::Workflow;
use kfp::dsl::Recorded;
use kfp::ir::PipelineFile;

/// divan's allocation profiler (bytes allocated and the most live at once, per
/// iteration), plus a live and peak byte count of our own for the summary.
struct Counting {
    divan: AllocProfiler,
    live: AtomicUsize,
    peak: AtomicUsize,
}

impl Counting {
    fn grew(&self, bytes: usize) {
        let live = self.live.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.peak.fetch_max(live, Ordering::Relaxed);
    }

    /// Starts a peak measurement: returns the bytes live now.
    fn reset_peak(&self) -> usize {
        let live = self.live.load(Ordering::Relaxed);
        self.peak.store(live, Ordering::Relaxed);
        live
    }
}

// SAFETY: every call is forwarded to divan's profiler, which forwards to the
// system allocator; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { self.divan.alloc(layout) };
        if !ptr.is_null() {
            self.grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { self.divan.alloc_zeroed(layout) };
        if !ptr.is_null() {
            self.grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { self.divan.dealloc(ptr, layout) };
        self.live.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { self.divan.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            self.live.fetch_sub(layout.size(), Ordering::Relaxed);
            self.grew(new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOC: Counting =
    Counting { divan: AllocProfiler::system(), live: AtomicUsize::new(0), peak: AtomicUsize::new(0) };

const TASKS: &[usize] = &[1_000, 10_000, 50_000];
/// The KFP v2 sizes: 100 and 1,000 are where kfp 2 can be timed beside them.
const IR_TASKS: &[usize] = &[100, 1_000, 10_000];

fn main() {
    divan::main();
    // A filter (`cargo bench --bench compile -- serialize`) runs only what it names.
    if !std::env::args().skip(1).any(|arg| !arg.starts_with('-')) {
        summary();
        ir_summary();
    }
}

fn recorded(tasks: usize) -> Recorded {
    big::big_pipeline(tasks).expect("the big pipeline records")
}

/// kfp's shape, a template per task. A cluster refuses such a Workflow over
/// 1 MiB of JSON (about 135 tasks here) and so does a default compile; the
/// limit is lifted so that the speed compares with kfp's at any size (which
/// also skips measuring the size).
fn kfp_shaped() -> kfp::Compiler {
    kfp::Compiler::new().max_workflow_bytes(usize::MAX)
}

/// Shared templates, the limit lifted too: 50,000 tasks are about 13 MB of
/// JSON (about 4,000 fit in 1 MiB).
fn shared() -> kfp::Compiler {
    kfp::Compiler::new().share_templates(true).max_workflow_bytes(usize::MAX)
}

fn compiled(tasks: usize) -> Workflow {
    kfp_shaped().compile_recorded(&recorded(tasks)).expect("the big pipeline compiles")
}

fn v2() -> kfp::Compiler {
    kfp::Compiler::new().target(kfp::Target::V2)
}

fn compiled_ir(tasks: usize) -> PipelineFile {
    v2().compile_recorded_to_ir(&recorded(tasks)).expect("the big pipeline compiles to IR")
}

/// Running the pipeline body: recording the DAG.
#[divan::bench(args = TASKS, sample_count = 5, sample_size = 1)]
fn build(tasks: usize) -> Recorded {
    recorded(tasks)
}

/// Recorded DAG to Workflow value in kfp's shape, with Argo's rules checked.
#[divan::bench(args = TASKS, sample_count = 5, sample_size = 1)]
fn compile(bencher: Bencher, tasks: usize) {
    bencher.with_inputs(|| recorded(tasks)).bench_local_refs(|recorded| kfp_shaped().compile_recorded(recorded))
}

/// Recorded DAG to Workflow value with shared templates, with Argo's rules
/// checked: kfp's shape first, then the tasks moved to the shared template.
#[divan::bench(args = TASKS, sample_count = 5, sample_size = 1)]
fn compile_shared(bencher: Bencher, tasks: usize) {
    bencher.with_inputs(|| recorded(tasks)).bench_local_refs(|recorded| shared().compile_recorded(recorded))
}

/// Workflow value to YAML text: the floor.
#[divan::bench(args = TASKS, sample_count = 3, sample_size = 1)]
fn serialize(bencher: Bencher, tasks: usize) {
    bencher.with_inputs(|| compiled(tasks)).bench_local_refs(|workflow| kfp::compiler::to_yaml(workflow))
}

/// Copying the finished Workflow value: what any compile that builds this value
/// spends at least (its allocations and writes), against which lowering and
/// checking are measured.
#[divan::bench(args = TASKS, sample_count = 3, sample_size = 1)]
fn copy_workflow(bencher: Bencher, tasks: usize) {
    bencher.with_inputs(|| compiled(tasks)).bench_local_refs(|workflow| workflow.clone())
}

/// Build, compile in kfp's shape, serialize and write the file, as `big_pipeline` does.
#[divan::bench(args = TASKS, sample_count = 3, sample_size = 1)]
fn end_to_end(tasks: usize) {
    write_yaml(&kfp_shaped(), tasks);
}

/// Build, compile with shared templates, serialize and write the file, as
/// `big_pipeline --share-templates` does.
#[divan::bench(args = TASKS, sample_count = 3, sample_size = 1)]
fn end_to_end_shared(tasks: usize) {
    write_yaml(&shared(), tasks);
}

/// Running the pipeline body, at the KFP v2 sizes.
#[divan::bench(args = IR_TASKS, sample_count = 5, sample_size = 1)]
fn ir_build(tasks: usize) -> Recorded {
    recorded(tasks)
}

/// Recorded DAG to typed pipeline IR, with KFP's rules checked.
#[divan::bench(args = IR_TASKS, sample_count = 5, sample_size = 1)]
fn ir_compile(bencher: Bencher, tasks: usize) {
    bencher.with_inputs(|| recorded(tasks)).bench_local_refs(|recorded| v2().compile_recorded_to_ir(recorded))
}

/// Typed pipeline IR to YAML text.
#[divan::bench(args = IR_TASKS, sample_count = 5, sample_size = 1)]
fn ir_serialize(bencher: Bencher, tasks: usize) {
    bencher.with_inputs(|| compiled_ir(tasks)).bench_local_refs(|file| kfp::compiler::ir_to_yaml(file))
}

/// Build, compile to IR and serialize: the pipeline function to its IR text, as a user's
/// `compile_to_string` does (the values are dropped after the sample is timed).
#[divan::bench(args = IR_TASKS, sample_count = 5, sample_size = 1)]
fn ir_to_text(tasks: usize) -> (PipelineFile, String) {
    let file = v2().compile_recorded_to_ir(&recorded(tasks)).unwrap();
    let text = kfp::compiler::ir_to_yaml(&file).unwrap();
    (file, text)
}

/// Build, compile to IR, serialize and write the file, as `big_pipeline --target v2` does.
#[divan::bench(args = IR_TASKS, sample_count = 5, sample_size = 1)]
fn ir_end_to_end(tasks: usize) {
    let path = std::env::temp_dir().join(format!("kfp-rs-bench-{}.ir.yaml", std::process::id()));
    let file = v2().compile_recorded_to_ir(&recorded(tasks)).unwrap();
    std::fs::write(&path, kfp::compiler::ir_to_yaml(&file).unwrap()).unwrap();
    let _ = std::fs::remove_file(&path);
}

fn write_yaml(compiler: &kfp::Compiler, tasks: usize) {
    let path = std::env::temp_dir().join(format!("kfp-rs-bench-{}.yaml", std::process::id()));
    let workflow = compiler.compile_recorded(&recorded(tasks)).unwrap();
    std::fs::write(&path, kfp::compiler::to_yaml(&workflow).unwrap()).unwrap();
    let _ = std::fs::remove_file(&path);
}

/// One end-to-end run per size, by stage, with the peak of live heap bytes.
struct Run {
    tasks: usize,
    build: Duration,
    compile: Duration,
    serialize: Duration,
    total: Duration,
    yaml_bytes: usize,
    /// The Workflow as a cluster measures it (compact JSON as Go writes it),
    /// counted after the run.
    json_bytes: usize,
    peak_bytes: usize,
}

fn run(compiler: &kfp::Compiler, tasks: usize) -> Run {
    let path = std::env::temp_dir().join(format!("kfp-rs-bench-{}.yaml", std::process::id()));
    let before = ALLOC.reset_peak();
    let start = Instant::now();
    let recorded = recorded(tasks);
    let built = start.elapsed();
    let workflow = compiler.compile_recorded(&recorded).unwrap();
    let compiled = start.elapsed();
    let yaml = kfp::compiler::to_yaml(&workflow).unwrap();
    let serialized = start.elapsed();
    std::fs::write(&path, &yaml).unwrap();
    let total = start.elapsed();
    let peak_bytes = ALLOC.peak.load(Ordering::Relaxed) - before;
    let _ = std::fs::remove_file(&path);
    Run {
        tasks,
        build: built,
        compile: compiled - built,
        serialize: serialized - compiled,
        total,
        yaml_bytes: yaml.len(),
        json_bytes: kfp::argo::size::json_bytes(&workflow),
        peak_bytes,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn summary() {
    let kfp_shaped: Vec<Run> = TASKS.iter().map(|&tasks| run(&kfp_shaped(), tasks)).collect();
    let shared: Vec<Run> = TASKS.iter().map(|&tasks| run(&shared(), tasks)).collect();
    println!("\nsummary: one run per size (build + compile + serialize + write), peak = most live heap bytes");
    table("kfp's shape, a template per task (size limit lifted)", &kfp_shaped);
    table("shared templates (size limit lifted)", &shared);
    println!("\nshared against kfp's shape (shared / kfp-shaped time; under 1 = shared faster)");
    for (kfp, ours) in kfp_shaped.iter().zip(&shared) {
        let ratio = |a: Duration, b: Duration| b.as_secs_f64() / a.as_secs_f64();
        println!(
            "  {} tasks: compile {} against {} ({:.2}), total {} against {} ({:.2}), JSON {:.1}x smaller",
            kfp.tasks,
            ms(ours.compile),
            ms(kfp.compile),
            ratio(kfp.compile, ours.compile),
            ms(ours.total),
            ms(kfp.total),
            ratio(kfp.total, ours.total),
            kfp.json_bytes as f64 / ours.json_bytes as f64
        );
    }
}

/// The runs of one form, the ratios between sizes, and build + compile against serialization.
fn table(form: &str, runs: &[Run]) {
    let mb = |bytes: usize| format!("{:.1} MB", bytes as f64 / 1e6);
    println!("\n{form}");
    println!(
        "{:>8} {:>10} {:>10} {:>11} {:>11} {:>10} {:>10} {:>10} {:>10}",
        "tasks", "build", "compile", "serialize", "total", "YAML", "JSON", "JSON/task", "peak heap"
    );
    for run in runs {
        println!(
            "{:>8} {:>10} {:>10} {:>11} {:>11} {:>10} {:>10} {:>10} {:>10}",
            run.tasks,
            ms(run.build),
            ms(run.compile),
            ms(run.serialize),
            ms(run.total),
            mb(run.yaml_bytes),
            mb(run.json_bytes),
            format!("{:.0} B", run.json_bytes as f64 / run.tasks as f64),
            mb(run.peak_bytes)
        );
    }
    println!("ratios (linear growth: the ratio of the sizes)");
    for pair in runs.windows(2) {
        let (small, large) = (&pair[0], &pair[1]);
        let ratio = |a: Duration, b: Duration| b.as_secs_f64() / a.as_secs_f64();
        println!(
            "  {} / {} tasks = {:.0}: build {:.1}, compile {:.1}, serialize {:.1}, total {:.1}, JSON {:.1}, peak heap {:.1}",
            large.tasks,
            small.tasks,
            large.tasks as f64 / small.tasks as f64,
            ratio(small.build, large.build),
            ratio(small.compile, large.compile),
            ratio(small.serialize, large.serialize),
            ratio(small.total, large.total),
            large.json_bytes as f64 / small.json_bytes as f64,
            large.peak_bytes as f64 / small.peak_bytes as f64
        );
    }
    for run in runs {
        let floor = run.build + run.compile <= run.serialize;
        println!(
            "  {} tasks: build + compile {} {} serialization {}",
            run.tasks,
            ms(run.build + run.compile),
            if floor { "<=" } else { ">" },
            ms(run.serialize)
        );
    }
}

/// One run per KFP v2 size, by stage (build, compile to IR with the rules
/// checked, serialize and write), with the ratios between sizes.
fn ir_summary() {
    println!(
        "\nKFP v2 pipeline IR: one run per size (build + compile + serialize + write), peak = most live heap bytes"
    );
    println!(
        "{:>8} {:>10} {:>10} {:>11} {:>11} {:>10} {:>10}",
        "tasks", "build", "compile", "serialize", "total", "YAML", "peak heap"
    );
    let path = std::env::temp_dir().join(format!("kfp-rs-bench-{}.ir.yaml", std::process::id()));
    let mut runs = Vec::new();
    for &tasks in IR_TASKS {
        let before = ALLOC.reset_peak();
        let start = Instant::now();
        let recorded = recorded(tasks);
        let built = start.elapsed();
        let file = v2().compile_recorded_to_ir(&recorded).unwrap();
        let compiled = start.elapsed();
        let yaml = kfp::compiler::ir_to_yaml(&file).unwrap();
        std::fs::write(&path, &yaml).unwrap();
        let total = start.elapsed();
        let peak = ALLOC.peak.load(Ordering::Relaxed) - before;
        println!(
            "{:>8} {:>10} {:>10} {:>11} {:>11} {:>10} {:>10}",
            tasks,
            ms(built),
            ms(compiled - built),
            ms(total - compiled),
            ms(total),
            format!("{:.1} MB", yaml.len() as f64 / 1e6),
            format!("{:.1} MB", peak as f64 / 1e6)
        );
        runs.push((tasks, compiled - built, total));
    }
    let _ = std::fs::remove_file(&path);
    println!("ratios (linear growth: the ratio of the sizes)");
    for pair in runs.windows(2) {
        let ((small, small_compile, small_total), (large, large_compile, large_total)) = (pair[0], pair[1]);
        println!(
            "  {large} / {small} tasks = {:.0}: compile {:.1}, total {:.1}",
            large as f64 / small as f64,
            large_compile.as_secs_f64() / small_compile.as_secs_f64(),
            large_total.as_secs_f64() / small_total.as_secs_f64()
        );
    }
}
