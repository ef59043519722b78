//! A `#[derive(ComponentOutputs)]` struct named after its component: `Totals`
//! beside `fn totals`, with and without file outputs.

#![deny(warnings)]

use kfp::prelude::*;

/// Sum and count of some values.
#[derive(ComponentOutputs)]
pub struct Totals {
    pub sum: i64,
    pub count: i64,
}

#[component]
fn totals(values: Vec<i64>) -> Totals {
    Totals { sum: values.iter().sum(), count: values.len() as i64 }
}

/// Also writes a report file, so the component has its own outputs struct.
#[derive(ComponentOutputs)]
pub struct Report {
    pub sum: i64,
}

#[component]
fn report(values: Vec<i64>, text_path: OutputPath) -> Report {
    let sum = values.iter().sum();
    std::fs::write(text_path.path(), format!("sum {sum}")).unwrap();
    Report { sum }
}

#[component]
fn check(sum: i64, count: i64, text: InputPath) -> bool {
    text.path().exists() && sum >= count
}

#[pipeline]
fn summing() {
    let totals: TotalsHandles = totals_op(vec![1, 2, 3]).outputs();
    let report: ReportOutputs = report_op(vec![4, 5]).outputs();
    check_op(totals.sum, totals.count, report.text);
    let _: ReportHandles = report.output;
    check_op(report.output.sum, totals.count, report.text);
}

fn main() {
    let yaml = kfp::Compiler::new().compile_to_string(summing).unwrap();
    assert!(yaml.contains("name: totals-sum"), "{yaml}");
    assert!(yaml.contains("name: totals-count"), "{yaml}");
    assert!(yaml.contains("name: report-text"), "{yaml}");
    assert!(yaml.contains("name: report-sum"), "{yaml}");
}
