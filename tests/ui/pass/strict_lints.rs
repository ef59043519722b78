//! Crates that deny lints beyond the defaults get no warning from the code the
//! macros write: it is spanned at the user's function, so rustc lints it as
//! the user's own.

#![deny(warnings, unused_qualifications, unreachable_pub, unused_results, rust_2018_idioms)]

mod components {
    use kfp::prelude::*;

    /// Adds.
    #[component]
    pub(crate) fn add(value_1: i64, #[default(2)] value_2: i64) -> i64 {
        value_1 + value_2
    }

    #[component]
    fn write(text: &str, names: &[String], out_path: OutputPath) -> Result<String, String> {
        std::fs::write(out_path, text).map_err(|error| error.to_string())?;
        Ok(names.join(","))
    }

    #[component]
    pub(crate) fn count(values: Vec<f64>) -> i64 {
        values.len() as i64
    }

    #[derive(ComponentOutputs)]
    pub(crate) struct Stats {
        pub(crate) sum: f64,
        pub(crate) count: i64,
    }

    #[component]
    fn stats(values: Vec<f64>) -> Stats {
        Stats { sum: values.iter().sum(), count: values.len() as i64 }
    }

    /// Uses each component once.
    #[pipeline(name = "strict lints")]
    pub(crate) fn strict_lints(a: i64, #[default("x")] text: String) {
        let sum = add_op(a, None);
        let _ = write_op(text, vec!["a".to_owned()]);
        let _ = count_op(vec![1.0]);
        // `sum` is left unused.
        let _ = add_op(stats_op(vec![1.0]).outputs().count, None);
        let _ = add_op(sum.output(), Some(3));
    }
}

fn main() {
    let yaml = kfp::Compiler::new().compile_to_string(components::strict_lints).unwrap();
    assert!(yaml.contains("strict-lints"));
}
