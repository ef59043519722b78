use kfp::dsl::ArtifactList;
use kfp::prelude::*;

#[component]
fn count(datasets: Option<Vec<InputPath<Dataset>>>) -> i64 {
    datasets.map_or(0, |datasets| datasets.len() as i64)
}

// An optional list of artifacts is `Option<ArtifactList<T>>` (kfp 2's `Optional[Input[List[Dataset]]] = None`):
// an `Option<Vec<Dataset>>` is refused naming it, and like every `Option` parameter it takes no default.
#[pipeline]
fn my_pipeline(datasets: Option<Vec<Dataset>>, #[default(None)] more: Option<ArtifactList<Dataset>>) {
    count_op(more);
    let _ = datasets;
}

fn main() {
    kfp::Compiler::new().compile_to_string(my_pipeline).unwrap();
}
