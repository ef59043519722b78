//! Ships the compiled pipelines inside the binary: prints one by its Rust name
//! (`build-rs-app add_then_multiply > pipeline.yaml`), or lists them.

/// The Workflow YAML build.rs wrote, by the Rust name of the pipeline function.
const PIPELINES: &[(&str, &str)] = &[
    ("add_then_multiply", include_str!(concat!(env!("OUT_DIR"), "/add_then_multiply.yaml"))),
    ("double", include_str!(concat!(env!("OUT_DIR"), "/double.yaml"))),
];

fn main() {
    let wanted = std::env::args().nth(1);
    match wanted {
        None => PIPELINES.iter().for_each(|(name, _)| println!("{name}")),
        Some(wanted) => match PIPELINES.iter().find(|(name, _)| *name == wanted) {
            Some((_, yaml)) => print!("{yaml}"),
            None => {
                eprintln!("error: no pipeline `{wanted}`; run without arguments to list them");
                std::process::exit(1);
            }
        },
    }
}
