//! `essential__embedded_artifact.yaml`: components that read data shipped inside
//! the component itself (kfp's `embedded_artifact_path`, an archive in the Python
//! source): a Rust component's program carries it in its binary (`include_str!`, a
//! constant), so the IR shows two components without inputs, caching off.

use kfp::prelude::*;

#[component]
pub fn read_embedded_artifact_dir() {
    // kfp's test embeds a folder holding `log.txt` with this text.
    const LOG: &str = "Hello, world!";
    println!("{LOG}");
}

#[component]
pub fn read_embedded_artifact_file() {
    const LOG: &str = "Hello, world!";
    println!("{LOG}");
}

#[pipeline(name = "nb-simple")]
fn my_pipeline() {
    read_embedded_artifact_dir_op().set_caching_options(false);
    read_embedded_artifact_file_op().set_caching_options(false);
}

#[test]
fn embedded_artifact() {
    super::check("essential__embedded_artifact", my_pipeline);
}
