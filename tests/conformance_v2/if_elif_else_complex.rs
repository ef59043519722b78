//! `if_elif_else_complex.yaml`: in a loop, an If/Elif/Else on a task output whose
//! If and Elif each hold an If/Else joined by a OneOf (`one_of`) that a task
//! reads, an Else holding a condition and a static loop, an If nested in an If on
//! the loop item, and the loop's output collected (`collected`) after it.

use kfp::dsl::{collected, if_, one_of, parallel_for, Compare};
use kfp::prelude::*;

#[component]
pub fn int_0_to_9999() -> i64 {
    i64::from(std::process::id()) % 10_000
}

#[component]
pub fn is_even_or_odd(num: i64) -> String {
    if num % 2 == 0 { "even" } else { "odd" }.to_owned()
}

#[component]
pub fn print_and_return(text: String) -> String {
    println!("{text}");
    text
}

#[component]
pub fn print_strings(strings: Vec<String>) {
    println!("{strings:?}");
}

#[component]
pub fn print_ints(ints: Vec<i64>) {
    println!("{ints:?}");
}

/// A number's parity, announced by the branch that ran and repeated from its OneOf.
fn announce_parity(number: Output<i64>, range: &str) {
    let parity = is_even_or_odd_op(number);
    let said = if_(parity.output().eq("even"), || print_and_return_op(format!("Got a {range} even number!")).output())
        .else_(|| print_and_return_op(format!("Got a {range} odd number!")).output());
    print_and_return_op(one_of(said));
}

#[pipeline]
fn lucky_number_pipeline(
    #[default(true)] add_drumroll: bool,
    #[default(true)] repeat_if_lucky_number: bool,
    #[default(vec![1, 2, 3])]
    #[kfp(type = "typing.List[int]")]
    trials: Vec<i64>,
) {
    let mut numbers = None;
    parallel_for(trials, |trial| {
        let int_task = int_0_to_9999_op();
        int_task.set_caching_options(false);
        let number = int_task.output();
        numbers = Some(number);
        if_(add_drumroll.eq(true), || {
            if_(trial.eq(3), || {
                print_and_return_op("Adding drumroll on last trial!");
            });
        });
        if_(number.lt(5000), || announce_parity(number, "low"))
            .elif(number.gt(5000), || announce_parity(number, "high"))
            .else_(|| {
                print_and_return_op("Announcing: Got the lucky number 5000! A one in 10,000 chance.");
                if_(repeat_if_lucky_number.eq(true), || {
                    parallel_for(vec![1, 2], |_| {
                        print_and_return_op("Announcing again: Got the lucky number 5000! A one in 10,000 chance.");
                    });
                });
            });
    });
    print_ints_op(collected(numbers.expect("the loop body ran")));
}

#[test]
fn if_elif_else_complex() {
    super::check("if_elif_else_complex", lucky_number_pipeline);
}
