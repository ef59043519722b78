//! `essential__pipeline_with_params_containing_format.yaml`: pipeline values
//! written into text arguments (kfp's f-strings, Rust's `format!`), inside a loop too.

use kfp::dsl::parallel_for;
use kfp::prelude::*;

#[component(name = "print_op")]
pub fn print(text: String) -> String {
    println!("{text}");
    text
}

#[component(name = "print_op2")]
pub fn print2(text1: String, text2: String) -> String {
    println!("{text1}{text2}");
    text1 + &text2
}

#[pipeline(name = "pipeline-with-pipelineparam-containing-format")]
fn my_pipeline(#[default("KFP")] name: String) {
    let print_task = print_op(format!("Hello {name}"));
    print_op(format!("{}, again.", print_task.output()));
    let new_value = format!(" and {name}.");
    parallel_for(vec!["1".to_owned(), "2".to_owned()], |item| {
        print2_op(item, new_value.clone());
    });
}

#[test]
fn params_containing_format() {
    super::check("essential__pipeline_with_params_containing_format", my_pipeline);
}
