//! Goldens of one component compiled as a pipeline of its own (kfp 2's
//! `Compiler().compile(pipeline_func=component)`), with
//! `Compiler::compile_component_to_string`: `critical__add_numbers`,
//! `essential__concat_message`, `identity`, `essential__dict_input`,
//! `nested_return`, `containerized_python_component`, the two
//! `essential__component_with_pip_install*` and `pipeline_with_parallelfor_parallelism`.

use kfp::prelude::*;
use kfp::{Compiler, Target};

/// Compiles `component` alone to IR and checks it against golden `name`.
pub(super) fn check_component(name: &str, component: &kfp::component::Component) {
    let yaml = Compiler::new()
        .target(Target::V2)
        .compile_component_to_string(component)
        .unwrap_or_else(|error| panic!("{name}: {error}"));
    let golden = super::common::read_fixture(&super::common::ir_golden_dir().join(format!("{name}.yaml")));
    let diffs = super::common::ir_equivalence_diffs(&yaml, &golden);
    if !diffs.is_empty() {
        panic!("{}", super::common::format_diffs(name, &diffs));
    }
}

#[component]
pub fn add_numbers(a: i64, b: i64) -> i64 {
    a + b
}

#[test]
fn add_numbers_alone() {
    check_component("critical__add_numbers", add_numbers_component());
}

#[component]
pub fn concat_message(message1: String, message2: String) -> String {
    message1 + &message2
}

#[test]
fn concat_message_alone() {
    check_component("essential__concat_message", concat_message_component());
}

#[component]
pub fn identity(value: String) -> String {
    value
}

#[test]
fn identity_alone() {
    check_component("identity", identity_component());
}

// The input is `struct`, as kfp's: a raw identifier.
#[component]
pub fn dict_input(r#struct: std::collections::BTreeMap<String, serde_json::Value>) {
    println!("{:?}", r#struct);
}

#[test]
fn dict_input_alone() {
    check_component("essential__dict_input", dict_input_component());
}

#[component]
pub fn nested_return() -> Vec<std::collections::BTreeMap<String, String>> {
    let item = |a: &str, b: &str| {
        std::collections::BTreeMap::from([("A_a".to_owned(), a.to_owned()), ("B_b".to_owned(), b.to_owned())])
    };
    vec![item("1", "2"), item("10", "20")]
}

#[test]
fn nested_return_alone() {
    check_component("nested_return", nested_return_component());
}

// kfp's containerized Python component runs from an image built beforehand
// (`target_image`): a prebuilt-image Rust component is the same.
#[component(name = "concat_message", image = "kfp-image")]
pub fn containerized_concat_message(message1: String, message2: String) -> String {
    message1 + &message2
}

#[test]
fn containerized_python_component() {
    check_component("containerized_python_component", containerized_concat_message_component());
}

// kfp's pip packages are crates here; a pip index URL or a virtual env has no Rust
// counterpart (Cargo builds the program apart), and neither is in the IR compared.
#[component(packages_to_install = ["serde_json"])]
pub fn component_with_pip_install() {
    println!("{}", serde_json::json!({"installed": true}));
}

#[test]
fn component_with_pip_install_alone() {
    check_component("essential__component_with_pip_install", component_with_pip_install_component());
    check_component("essential__component_with_pip_install_in_venv", component_with_pip_install_component());
}

#[test]
fn a_component_alone_is_refused_for_kfp_v1() {
    let error = Compiler::new().compile_component_to_string(add_numbers_component()).unwrap_err().to_string();
    assert!(error.contains("call it in a `#[pipeline]`") && error.contains("output_component_file"), "{error}");
}

/// Utilizes generic dictionary typing (no enforcement of specific key or
/// value types).
///
/// Tests flexibility in type handling.
#[component]
pub fn list_dict_maker_1() -> Vec<std::collections::BTreeMap<String, i64>> {
    (1..=3).map(|a| std::collections::BTreeMap::from([("a".to_owned(), a), ("b".to_owned(), a + 1)])).collect()
}

// kfp's golden of this name holds `list_dict_maker_1` compiled alone, the
// component the Python file compiles at import time; its pipeline is not in it.
#[test]
fn pipeline_with_parallelfor_parallelism() {
    check_component("pipeline_with_parallelfor_parallelism", list_dict_maker_1_component());
}
