//! The binary of the image, and the pipeline tool of the crate: `list`,
//! `compile`, `run-local`, and `component NAME ...`, which the containers of the
//! prebuilt-image components run.

// Linked so its components and pipelines register themselves.
use word_stats as _;

fn main() {
    kfp::cli::main()
}
