use kfp::prelude::*;

// kfp 2.17.3 compiles `Optional[Input[List[Dataset]]] = None`; ours has no optional list input to give it to yet.
#[pipeline]
fn my_pipeline(datasets: Option<kfp::dsl::ArtifactList<Dataset>>) {
    let _ = datasets;
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
