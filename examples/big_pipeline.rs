//! A generated pipeline of N tasks, to measure compile speed (issue: linear,
//! hundreds of times faster than kfp).
//!
//! `cargo run --release --example big_pipeline -- N [OUT.yaml] [--share-templates] [--build-once] [--target v2]`:
//! task 0 is `add(a, b)`; task i is `add(task i-1, task j)` with
//! `j = max(0, i - 1 - i % 7)`. Prints the time spent building the DAG,
//! compiling it to the Workflow value, and serializing and writing it, in
//! milliseconds, and the Workflow's size as a cluster measures it (JSON).
//!
//! With `--share-templates` the tasks share one template, and the compile
//! refuses a Workflow over Argo's 1 MiB as any compile does. Without it the
//! Workflow has kfp's shape, a template per task, at any N: the size limit is
//! lifted (a cluster would refuse a large one), so that the speed compares
//! with kfp's side by side.
//!
//! With `--build-once` the program is built by one step at the start of the run
//! and every task runs the binary (`Compiler::build_once`).
//!
//! With `--target v2` it writes KFP v2 pipeline IR instead (`Target::V2`):
//! build, compile to the typed IR with KFP's rules checked, then serialize and
//! write. The v1 forms' flags do not apply to it.

use std::time::Instant;

use kfp::dsl::{pipeline_param, record, PipelineInfo, Recorded};
use kfp::prelude::*;

#[component]
pub fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

/// Records the "big pipeline" with `tasks` tasks.
pub fn big_pipeline(tasks: usize) -> kfp::Result<Recorded> {
    let info = PipelineInfo::new("big pipeline").param::<i64>("a").param::<i64>("b");
    record(info, || {
        let (a, b) = (pipeline_param::<i64>(0), pipeline_param::<i64>(1));
        let mut outputs: Vec<Output<i64>> = Vec::with_capacity(tasks);
        for i in 0..tasks {
            let task = match i {
                0 => add_op(a, b),
                _ => add_op(outputs[i - 1], outputs[(i - 1).saturating_sub(i % 7)]),
            };
            outputs.push(task.output());
        }
    })
}

const USAGE: &str = "usage: big_pipeline N [OUT.yaml] [--share-templates] [--build-once] [--target v1|v2]";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut positional, mut flags, mut target) = (Vec::new(), Vec::new(), kfp::Target::V1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--target" => {
                let value = args.next().ok_or("--target needs a value: v1 or v2")?;
                target = value.parse()?;
            }
            "--share-templates" | "--build-once" => flags.push(arg),
            flag if flag.starts_with("--") => {
                return Err(
                    format!("unknown flag {flag}: the flags are --share-templates, --build-once and --target").into()
                )
            }
            _ => positional.push(arg),
        }
    }
    let share = flags.iter().any(|flag| flag == "--share-templates");
    let build_once = flags.iter().any(|flag| flag == "--build-once");
    positional.reverse();
    let tasks: usize = match positional.pop() {
        Some(n) => n.parse().map_err(|_| format!("N must be a number of tasks, got {n:?}"))?,
        None => return Err(USAGE.into()),
    };
    let out = positional.pop().unwrap_or_else(|| "big_pipeline.yaml".to_owned());
    if target == kfp::Target::V2 {
        if let Some(flag) = flags.first() {
            return Err(format!("{flag} shapes a KFP v1 Workflow; leave it out with --target v2").into());
        }
        return write_ir(tasks, &out);
    }
    let compiler = match share {
        true => kfp::Compiler::new().share_templates(true),
        false => kfp::Compiler::new().max_workflow_bytes(usize::MAX),
    }
    .build_once(build_once);

    let start = Instant::now();
    let recorded = big_pipeline(tasks)?;
    let built = start.elapsed();
    let workflow = compiler.compile_recorded(&recorded)?;
    let compiled = start.elapsed();
    let yaml = kfp::compiler::to_yaml(&workflow)?;
    std::fs::write(&out, &yaml)?;
    let written = start.elapsed();

    println!("tasks: {tasks}");
    println!("build: {:.1} ms", ms(built));
    println!("compile: {:.1} ms", ms(compiled - built));
    println!("serialize+write: {:.1} ms ({} bytes to {out})", ms(written - compiled), yaml.len());
    println!("total: {:.1} ms", ms(written));
    let json = kfp::argo::size::json_bytes(&workflow);
    println!("json: {json} bytes ({:.0} per task)", json as f64 / tasks.max(1) as f64);
    match share {
        true => println!("form: shared templates"),
        false if json > kfp::argo::size::DEFAULT_MAX_WORKFLOW_BYTES => {
            println!(
                "form: kfp's, a template per task; size limit lifted: a cluster refuses this Workflow (over 1 MiB)"
            )
        }
        false => println!("form: kfp's, a template per task; size limit lifted"),
    }
    if build_once {
        println!("build once: one build step, the tasks run its binary");
    }
    Ok(())
}

/// The KFP v2 form: the same stages, to pipeline IR, written to `out`.
pub fn write_ir(tasks: usize, out: &str) -> Result<(), Box<dyn std::error::Error>> {
    let compiler = kfp::Compiler::new().target(kfp::Target::V2);
    let start = Instant::now();
    let recorded = big_pipeline(tasks)?;
    let built = start.elapsed();
    let ir = compiler.compile_recorded_to_ir(&recorded)?;
    let compiled = start.elapsed();
    let yaml = kfp::compiler::ir_to_yaml(&ir)?;
    std::fs::write(out, &yaml)?;
    let written = start.elapsed();

    println!("tasks: {tasks}");
    println!("build: {:.1} ms", ms(built));
    println!("compile (incl. KFP rules check): {:.1} ms", ms(compiled - built));
    println!("serialize+write: {:.1} ms ({} bytes to {out})", ms(written - compiled), yaml.len());
    println!("total: {:.1} ms", ms(written));
    println!("form: KFP v2 pipeline IR");
    Ok(())
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
