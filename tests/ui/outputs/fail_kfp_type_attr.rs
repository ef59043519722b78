use kfp::prelude::*;

#[derive(ComponentOutputs)]
struct Report {
    #[kfp(kind = "Metrics")]
    metrics: String,
    #[kfp(type = "UI_metadata", type = "Markdown")]
    ui: String,
    #[kfp(type = "")]
    empty: String,
}

fn main() {}
