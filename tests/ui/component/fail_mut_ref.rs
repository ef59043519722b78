use kfp::prelude::*;

#[component]
fn shout(text: &mut String) -> String {
    text.make_ascii_uppercase();
    text.clone()
}

#[pipeline]
fn my_pipeline(text: String) {
    let loud = shout_op(text);
    shout_op(loud.output());
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
