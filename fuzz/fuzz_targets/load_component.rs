//! Feeds arbitrary text to the component.yaml loader: it must return a component or
//! an error, never panic; a loaded component must serialize, load back, and compile
//! (to a Workflow or to an error) in a one-task pipeline.
#![no_main]

use kfp_core::components::load_component_from_text;
use kfp_core::dsl::{record, PipelineInfo};
use kfp_core::Compiler;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(component) = load_component_from_text(text) else { return };
    let yaml = component.spec().to_yaml().expect("a loaded spec serializes");
    load_component_from_text(&yaml).expect("a serialized spec loads back");
    let args: Vec<(String, &str)> = component.spec().inputs.iter().map(|input| (input.name.clone(), "1")).collect();
    if let Ok(recorded) = record(PipelineInfo::new("fuzz"), || {
        let _ = component.try_call(args);
    }) {
        let _ = Compiler::new().compile_recorded(&recorded);
    }
});
