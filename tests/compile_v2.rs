//! Compiling for KFP v2 (`Target::V2`, `compile --target v2`): the add example and
//! its component file against kfp 2.17.3's own compilation of them, the CLI flag,
//! and a clear error, naming the task and the v2 way, for each KFP v1 construct.

mod common;

#[path = "../examples/add_pipeline.rs"]
#[allow(dead_code)]
mod add_pipeline;

use add_pipeline::my_pipeline;
use kfp::dsl::{get_pipeline_conf, ContainerOp, VolumeOp, EXECUTION_ID_PLACEHOLDER, RUN_ID_PLACEHOLDER};
use kfp::ir::PipelineFile;
use kfp::prelude::*;
use kfp::{Compiler, Target};

const EXAMPLE_V2: &str = include_str!("../examples/add_pipeline_v2.rs");

fn fixture(name: &str) -> String {
    common::read_fixture(&common::fixtures_dir().join(name))
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("compile-v2-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn v2() -> Compiler {
    Compiler::new().target(Target::V2)
}

#[test]
fn add_example_and_its_component_file_are_kfps() {
    let dir = temp_dir("add");
    let compiled = v2().compile(my_pipeline, dir.join("add_pipeline.ir.yaml")).expect("the add example compiles");
    assert_eq!(compiled.component_files, vec![dir.join("add.component.yaml")]);
    let pipeline = std::fs::read_to_string(&compiled.workflow).unwrap();
    common::assert_ir_equivalent(&pipeline, &fixture("add_example_v2.kfp.yaml"), "add_example_v2");
    let component = std::fs::read_to_string(&compiled.component_files[0]).unwrap();
    common::assert_ir_equivalent(&component, &fixture("add_example_v2.add.component.yaml"), "add component (v2)");
    // Both read back through the typed model, and the v1 default is unchanged.
    PipelineFile::from_yaml(&pipeline).expect("the pipeline reads back");
    PipelineFile::from_yaml(&component).expect("the component reads back");
    assert!(Compiler::new().compile_to_string(my_pipeline).unwrap().contains("kind: Workflow"));
    assert_eq!(v2().compile_to_string(my_pipeline).unwrap(), pipeline);
    assert_eq!(v2().compile_to_ir(my_pipeline).unwrap().spec.pipeline_info.unwrap().name, "add-example");
}

#[test]
fn the_v2_example_writes_the_add_example_as_ir() {
    assert!(EXAMPLE_V2.contains(r#".target(Target::V2).compile(add_pipeline::my_pipeline, "add_pipeline.ir.yaml")"#));
}

fn run(args: &[&str]) -> Result<String, kfp::cli::CliError> {
    let mut out = Vec::new();
    let mut all = vec!["my-pipelines"];
    all.extend_from_slice(args);
    kfp::cli::try_run(all, &mut out)?;
    Ok(String::from_utf8(out).expect("UTF-8 output"))
}

#[test]
fn compile_takes_the_target() {
    let dir = temp_dir("cli");
    let path = dir.join("add.yaml");
    let out = run(&["compile", "add example", "--target", "v2", "-o", path.to_str().unwrap()]).unwrap();
    assert!(out.contains(&format!("wrote {}", path.display())), "{out}");
    assert!(out.contains(&format!("wrote {}", dir.join("add.component.yaml").display())), "{out}");
    let written = std::fs::read_to_string(&path).unwrap();
    common::assert_ir_equivalent(&written, &fixture("add_example_v2.kfp.yaml"), "compile --target v2");

    let v1 = dir.join("add-v1.yaml");
    run(&["compile", "add example", "--target", "v1", "-o", v1.to_str().unwrap()]).unwrap();
    assert!(std::fs::read_to_string(&v1).unwrap().contains("kind: Workflow"));

    let wrong = run(&["compile", "--target", "v3"]).unwrap_err().to_string();
    assert!(wrong.contains("`v3` is no target") && wrong.contains("`v2`"), "{wrong}");
    let shaped = run(&["compile", "--target", "v2", "--share-templates"]).unwrap_err().to_string();
    assert!(shaped.contains("--share-templates") && shaped.contains("--target v2"), "{shaped}");
}

/// The error compiling `pipeline` for v2; it compiles for v1.
fn v2_error(pipeline: impl Pipeline + Copy) -> String {
    Compiler::new().compile_to_string(pipeline).expect("the pipeline compiles for v1");
    v2().compile_to_string(pipeline).expect_err("v2 refuses the pipeline").to_string()
}

#[test]
fn a_container_op_is_refused_naming_the_component_way() {
    #[pipeline(name = "container op")]
    fn pipeline() {
        ContainerOp::new("flip", "python:3.11")
            .command(["sh", "-c", "echo heads > /tmp/out"])
            .file_output("out", "/tmp/out")
            .add();
    }
    let error = v2_error(pipeline);
    assert!(error.contains("task `flip` is a ContainerOp"), "{error}");
    assert!(error.contains("`#[component]`") && error.contains("load_component_from_text"), "{error}");
    assert!(error.contains("{outputPath: NAME}"), "{error}");
}

#[test]
fn a_volume_op_is_refused_naming_kfp_kubernetes() {
    #[pipeline(name = "volume op")]
    fn pipeline() {
        let volume = VolumeOp::new("create-pvc", "my-pvc", "1Gi").add();
        add_pipeline::add_op(1, 2).add_pvolume("/data", &volume.volume());
    }
    let error = v2_error(pipeline);
    assert!(error.contains("task `create-pvc` is a ResourceOp") && error.contains("`CreatePVC`"), "{error}");
    assert!(error.contains("task `add` mounts a VolumeOp's volume") && error.contains("`mount_pvc`"), "{error}");
}

#[test]
fn v1_pipeline_settings_are_refused_each_with_its_v2_way() {
    #[pipeline(name = "settings")]
    fn pipeline() {
        get_pipeline_conf().set_timeout(60);
        add_pipeline::add_op(1, 2).set_timeout(30);
    }
    let error = v2_error(pipeline);
    assert!(error.contains("pipeline conf's `set_timeout`"), "{error}");
    assert!(!error.contains("task `add`"), "a task's timeout is kfp-kubernetes' `set_timeout`: {error}");
}

#[test]
fn what_v2_has_compiles_with_its_settings() {
    #[pipeline(name = "settings v2")]
    fn pipeline(#[default(3)] value: i64) {
        add_pipeline::add_op(value, 2)
            .set_display_name("first")
            .set_caching_options(false)
            .set_cpu_limit("500m")
            .set_memory_limit("1Gi")
            .set_gpu_limit(1)
            .set_env_variable("MODE", "fast");
    }
    let file = v2().compile_to_ir(pipeline).expect("the pipeline compiles for v2");
    let yaml = file.to_yaml().unwrap();
    let spec: serde_json::Value = serde_yaml::from_str(&yaml).unwrap();
    let task = &spec["root"]["dag"]["tasks"]["add"];
    assert_eq!(task["taskInfo"]["name"], "first");
    assert_eq!(task["cachingOptions"], serde_json::json!({}));
    assert_eq!(task["inputs"]["parameters"]["value_2"]["runtimeValue"]["constant"], 2.0);
    assert_eq!(spec["root"]["inputDefinitions"]["parameters"]["value"]["defaultValue"], 3.0);
    let container = &spec["deploymentSpec"]["executors"]["exec-add"]["container"];
    assert_eq!(container["resources"]["cpuLimit"], 0.5);
    assert_eq!(container["resources"]["resourceMemoryLimit"], "1Gi");
    assert_eq!(container["resources"]["accelerator"]["resourceType"], "nvidia.com/gpu");
    assert_eq!(container["env"], serde_json::json!([{"name": "MODE", "value": "fast"}]));
    // The Rust program keeps its flags, its values coming from v2's placeholders.
    let args: Vec<&str> = container["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert!(
        args.ends_with(&[
            "--value-1",
            "{{$.inputs.parameters['value_1']}}",
            "--value-2",
            "{{$.inputs.parameters['value_2']}}",
            "----output-paths",
            "{{$.outputs.parameters['Output'].output_file}}",
        ]),
        "{args:?}"
    );
}

/// Says `text`, for the run id placeholders.
#[component]
pub fn say(text: String) -> String {
    text
}

#[test]
fn run_and_execution_ids_are_kfp_2s_placeholders_in_arguments_and_refused_elsewhere() {
    #[pipeline(name = "run ids v2")]
    fn arguments() {
        say_op(format!("run {RUN_ID_PLACEHOLDER}, execution {EXECUTION_ID_PLACEHOLDER}"));
    }
    let yaml = v2().compile_to_string(arguments).expect("the pipeline compiles for v2");
    let spec: serde_json::Value = serde_yaml::from_str(&yaml).unwrap();
    assert_eq!(
        spec["root"]["dag"]["tasks"]["say"]["inputs"]["parameters"]["text"]["runtimeValue"]["constant"],
        "run {{$.pipeline_job_uuid}}, execution {{$.pipeline_task_uuid}}"
    );
    assert!(!yaml.contains("{{kfp-rs"), "{yaml}");

    #[pipeline(name = "run id in env v2")]
    fn env() {
        say_op("hi").set_env_variable("RUN", RUN_ID_PLACEHOLDER);
    }
    let error = v2_error(env);
    assert!(
        error.contains(
            "task `say`: container.env.0.value: kfp's `RUN_ID_PLACEHOLDER` has no KFP v2 counterpart there (kfp 2 \
             fills in `{{$.pipeline_job_uuid}}` only in a task's arguments): pass it to the component as an argument"
        ),
        "{error}"
    );
    // The same pipeline is kfp 1.8's for Argo.
    let workflow = Compiler::new().compile_to_string(env).expect("the pipeline compiles for v1");
    assert!(workflow.contains("name: RUN\n        value: \"{{workflow.uid}}\"\n"), "{workflow}");

    // kfp-kubernetes' pod metadata, in the platform spec, has none either.
    #[pipeline(name = "execution id in a label v2")]
    fn label() {
        say_op("hi").add_pod_label("execution", EXECUTION_ID_PLACEHOLDER);
    }
    let error = v2_error(label);
    assert!(
        error.contains("task `say`: podMetadata.labels.execution: kfp's `EXECUTION_ID_PLACEHOLDER` has no KFP v2"),
        "{error}"
    );
}

#[test]
fn a_loop_over_a_value_that_is_no_list_is_refused() {
    #[pipeline(name = "loop over text")]
    fn pipeline(#[kfp(type = "String")] text: Vec<String>) {
        kfp::dsl::parallel_for(text, |item| {
            add_pipeline::add_op(item.field::<i64>("a"), 1);
        });
    }
    let error = v2().compile_to_string(pipeline).unwrap_err().to_string();
    assert!(error.contains("`for-loop-1` loops over `text`, which is not a list (STRING)"), "{error}");
    assert!(error.contains("`Vec<_>`"), "{error}");
}

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Shard {
    id: String,
}

#[component]
pub fn shout(text: String) {
    println!("{text}");
}

#[test]
fn a_loop_items_field_inside_text_is_refused_naming_the_input_way() {
    #[pipeline(name = "field in text")]
    fn pipeline() {
        kfp::dsl::parallel_for(vec![Shard { id: "a".into() }], |shard| {
            shout_op(format!("shard {}", kfp::field!(shard.id)));
        });
    }
    // kfp 1.8 fills `{{item.id}}` into text; kfp 2.17.3 writes loop inputs nothing gives.
    Compiler::new().compile_to_string(pipeline).expect("KFP v1 fills the field into the text");
    let error = v2().compile_to_string(pipeline).unwrap_err().to_string();
    assert!(error.contains("shout"), "the error names the task: {error}");
    assert!(error.contains("a loop item's field in a text"), "{error}");
    assert!(error.contains("`kfp::field!(item.a)`"), "{error}");
}
