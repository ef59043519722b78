//! A generated pipeline of N tasks, to measure compile speed (issue: linear,
//! hundreds of times faster than kfp).
//!
//! `cargo run --release --example big_pipeline -- N [OUT.yaml] [--share-templates] [--build-once]`:
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (flags, mut args): (Vec<String>, Vec<String>) = std::env::args().skip(1).partition(|arg| arg.starts_with("--"));
    let known = ["--share-templates", "--build-once"];
    if let Some(unknown) = flags.iter().find(|flag| !known.contains(&flag.as_str())) {
        return Err(format!("unknown flag {unknown}: the flags are {}", known.join(" and ")).into());
    }
    let share = flags.iter().any(|flag| flag == "--share-templates");
    let build_once = flags.iter().any(|flag| flag == "--build-once");
    args.reverse();
    let tasks: usize = match args.pop() {
        Some(n) => n.parse().map_err(|_| format!("N must be a number of tasks, got {n:?}"))?,
        None => return Err("usage: big_pipeline N [OUT.yaml] [--share-templates] [--build-once]".into()),
    };
    let out = args.pop().unwrap_or_else(|| "big_pipeline.yaml".to_owned());
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

    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
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
