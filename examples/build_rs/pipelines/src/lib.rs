//! Components and pipelines. Nothing here lists them: `#[pipeline]` registers
//! each one, and `kfp::pipelines()` finds them in any program linking this crate.

use kfp::prelude::*;

/// Adds two numbers.
#[component]
pub fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

/// Multiplies two numbers.
#[component]
pub fn multiply(value_1: i64, value_2: i64) -> i64 {
    value_1 * value_2
}

/// (a + b) * b
#[pipeline(name = "add then multiply")]
pub fn add_then_multiply(a: i64, #[default(4)] b: i64) {
    let sum = add_op(a, b);
    multiply_op(sum.output(), b);
}

/// a + a
#[pipeline(name = "double")]
pub fn double(a: i64) {
    add_op(a, a);
}

#[cfg(test)]
mod tests {
    #[test]
    fn components_are_plain_functions() {
        assert_eq!(super::multiply(super::add(1, 2), 2), 6);
    }
}
