//! A generated pipeline of N tasks, to measure compile speed (issue: linear,
//! hundreds of times faster than kfp).
//!
//! `cargo run --release --example big_pipeline -- N [OUT.yaml]`: task 0 is
//! `add(a, b)`; task i is `add(task i-1, task j)` with `j = max(0, i - 1 - i % 7)`.
//! Prints the time spent building the DAG, compiling it to the Workflow value,
//! and serializing and writing it, in milliseconds.

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
    let mut args = std::env::args().skip(1);
    let tasks: usize = match args.next() {
        Some(n) => n.parse().map_err(|_| format!("N must be a number of tasks, got {n:?}"))?,
        None => return Err("usage: big_pipeline N [OUT.yaml]".into()),
    };
    let out = args.next().unwrap_or_else(|| "big_pipeline.yaml".to_owned());

    let start = Instant::now();
    let recorded = big_pipeline(tasks)?;
    let built = start.elapsed();
    let workflow = kfp::Compiler::new().compile_recorded(&recorded)?;
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
    Ok(())
}
