use kfp::prelude::*;

// A list of artifacts reaches a component as its files: `Vec<Dataset>` or `Option<Vec<Model>>` would be
// kfp's JSON list of values, which artifacts have not; an optional list, like any `Option`, takes no default.
#[component]
fn count(
    datasets: Vec<Dataset>,
    models: Option<Vec<Model>>,
    #[default(None)] more: Option<Vec<InputPath<Dataset>>>,
) -> i64 {
    let _ = (datasets, models, more);
    0
}

fn main() {}
