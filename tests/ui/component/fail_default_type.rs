use kfp::prelude::*;

#[component]
fn repeat(text: String, #[default("3")] times: i64, #[default(2.5)] label: &str) -> String {
    format!("{label}: {}", text.repeat(times as usize))
}

#[pipeline]
fn my_pipeline() {
    repeat_op("a", None, None);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
