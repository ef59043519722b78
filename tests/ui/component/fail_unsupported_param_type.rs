use kfp::prelude::*;

#[component]
fn wait(duration: std::time::Duration, label: Option<Option<String>>) {
    std::thread::sleep(duration);
    println!("{label:?}");
}

#[pipeline]
fn my_pipeline() {
    wait_op(std::time::Duration::from_secs(1), None);
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
