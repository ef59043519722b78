//! A doc comment with a code block (rustdoc's hidden `# use` lines, `#[derive]`) describes the
//! component and pipeline whole, in KFP v1 and v2: the code's `#` lines open no section.

use kfp::prelude::*;
use kfp::{Compiler, Target};

/// Counts words.
///
/// ```
/// # use std::collections::BTreeMap;
/// #[derive(Debug)]
/// struct Words(BTreeMap<String, usize>);
/// ```
///
/// # Arguments
///
/// * `text` - What to count.
#[component]
pub fn count(text: String) -> i64 {
    text.split_whitespace().count() as i64
}

/// Counts the words of a greeting.
///
/// ```
/// #[derive(Debug)]
/// struct Greeting;
/// ```
#[pipeline(name = "documented")]
fn documented() {
    count_op("hello world");
}

const COUNT: &str = "Counts words.\n\n```\n# use std::collections::BTreeMap;\n#[derive(Debug)]\nstruct \
                     Words(BTreeMap<String, usize>);\n```";

#[test]
fn v1_component_description_keeps_the_code_block() {
    let workflow = Compiler::new().compile_to_string(documented).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&workflow).unwrap();
    let templates = workflow["spec"]["templates"].as_sequence().unwrap();
    let template = templates.iter().find(|template| template["name"] == "count").unwrap();
    let spec = template["metadata"]["annotations"]["pipelines.kubeflow.org/component_spec"].as_str().unwrap();
    let spec: serde_json::Value = serde_json::from_str(spec).unwrap();
    assert_eq!(spec["description"], COUNT);
    assert_eq!(spec["inputs"][0]["description"], "What to count.");
}

#[test]
fn v2_descriptions_keep_the_code_block() {
    let ir = Compiler::new().target(Target::V2).compile_component_to_string(count_component()).unwrap();
    let header = COUNT.lines().collect::<Vec<_>>().join("\n#              ");
    assert!(ir.contains(&format!("# Description: {header}\n")), "{ir}");
    let ir = Compiler::new().target(Target::V2).compile_to_ir(documented).unwrap();
    let whole = "Counts the words of a greeting.\n\n```\n#[derive(Debug)]\nstruct Greeting;\n```";
    assert_eq!(ir.spec.pipeline_info.unwrap().description, whole);
    assert_eq!(ir.description, whole);
}
