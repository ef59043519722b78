//! The standalone `kfp` binary: `kfp validate`, `kfp graph` and the KFP API
//! commands, on any Workflow YAML. `kfp --help` lists them.

fn main() {
    kfp::cli::kfp_main()
}
