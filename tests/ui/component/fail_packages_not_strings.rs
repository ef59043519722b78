use kfp::prelude::*;

#[component(packages_to_install = ["rand@0.8", serde_json, 1])]
fn parse(text: String) -> i64 {
    text.len() as i64
}

#[pipeline]
fn my_pipeline(text: String) {
    parse_op(text);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
