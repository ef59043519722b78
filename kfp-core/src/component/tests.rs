use super::*;
use crate::types::TypeInfo;

fn def(params: Vec<FnParam>, returns: ReturnSpec) -> FunctionDef {
    FunctionDef {
        fn_name: "train_model",
        source: "fn train_model() {}",
        doc: &[" Trains.", "", "   Indented."],
        name: None,
        description: None,
        base_image: None,
        packages_to_install: &[],
        output_component_file: None,
        mentions_json_crates: false,
        shipped: ShippedTypes::default(),
        params,
        returns,
        local: |_| Err("not called by these tests".to_owned()),
        prebuilt: None,
    }
}

fn single<T: crate::KfpType>() -> ReturnSpec {
    ReturnSpec { outputs: vec![("Output", TypeInfo::of::<T>())], ..ReturnSpec::default() }
}

#[test]
fn names_components_like_kfp() {
    assert_eq!(component_name("add_numbers"), "Add numbers");
    assert_eq!(component_name("add"), "Add");
    assert_eq!(component_name("__private__thing_"), "Private thing");
    assert_eq!(component_name("écrire"), "Écrire");
}

#[test]
fn description_is_the_doc_comment_without_common_indent() {
    assert_eq!(doc_text(&[" Trains.", "", "   Indented."]).as_deref(), Some("Trains.\n\n  Indented."));
    assert_eq!(doc_text(&[" 더하기 (adds two numbers)"]).as_deref(), Some("더하기 (adds two numbers)"));
    assert_eq!(doc_text(&[]), None);
    assert_eq!(doc_text(&["   "]), None);
}

#[test]
fn file_parameters_drop_path_and_file_suffixes() {
    let data = FnParam::new::<InputPath>("data_path", "InputPath", false);
    let model = FnParam::new::<OutputPath>("model_file", "OutputPath", false);
    let bare = FnParam::new::<OutputPath>("_path", "OutputPath", false);
    assert_eq!((data.io_name(), data.flag()), ("data", "--data".to_owned()));
    assert_eq!(model.io_name(), "model");
    assert_eq!(bare.io_name(), "_path");
    let value = FnParam::new::<i64>("value_path", "i64", false);
    assert_eq!(value.flag(), "--value-path");
}

#[test]
fn spec_lists_inputs_outputs_and_kfp_command_line() {
    let params = vec![
        FnParam::new::<i64>("value_1", "i64", false),
        FnParam::new::<Option<String>>("note", "Option<String>", false),
        FnParam::new::<InputPath>("data_path", "InputPath", false),
        FnParam::new::<OutputPath>("model_path", "OutputPath", false),
    ];
    let component = def(params, single::<f64>()).build();
    let yaml = component.spec.to_yaml().unwrap();
    let expected_interface = "\
name: Train model
description: |-
  Trains.

    Indented.
inputs:
- name: value_1
  type: Integer
- name: note
  type: String
  optional: true
- name: data
outputs:
- name: model
- name: Output
  type: Float
";
    assert!(yaml.starts_with(expected_interface), "{yaml}");
    let args: Vec<serde_json::Value> =
        component.spec.implementation.container.args.iter().map(|arg| serde_json::to_value(arg).unwrap()).collect();
    assert_eq!(
        serde_json::Value::Array(args),
        serde_json::json!([
            "--value-1", {"inputValue": "value_1"},
            {"if": {"cond": {"isPresent": "note"}, "then": ["--note", {"inputValue": "note"}]}},
            "--data", {"inputPath": "data"},
            "--model", {"outputPath": "model"},
            "----output-paths", {"outputPath": "Output"}
        ])
    );
    assert_eq!(component.spec.implementation.container.image, DEFAULT_BASE_IMAGE);
}

#[test]
fn plain_components_build_with_rustc_and_json_ones_with_cargo() {
    let plain = def(vec![FnParam::new::<i64>("x", "i64", false)], single::<i64>());
    let command = program::command(&plain);
    assert_eq!(command[..2], ["sh", "-ec"]);
    assert!(command[2].contains("rustc --edition 2021"), "{}", command[2]);
    assert!(!command[3].contains("pub mod json"));

    let json = def(vec![FnParam::new::<Vec<i64>>("xs", "Vec<i64>", false)], single::<i64>());
    let command = program::command(&json);
    assert!(command[2].contains("cargo build"), "{}", command[2]);
    assert!(
        command[2].contains("serde_json = { version = \"1\", features = [\"float_roundtrip\"] }\n"),
        "{}",
        command[2]
    );
    assert!(command[3].contains("pub mod json"));
}

#[test]
fn packages_become_cargo_dependencies() {
    let mut with_packages = def(Vec::new(), ReturnSpec::default());
    with_packages.packages_to_install = &["rand@0.8[small_rng, std]", "itoa", "serde_json@1.0"];
    let command = program::command(&with_packages);
    let script = &command[2];
    assert!(script.contains("rand = { version = \"0.8\", features = [\"small_rng\", \"std\"] }\n"), "{script}");
    assert!(script.contains("itoa = \"*\"\n"), "{script}");
    assert!(script.contains("serde_json = \"1.0\"\n"), "{script}");
    assert!(!script.contains("serde = {"), "no JSON types, so no serde: {script}");
}

#[test]
fn program_calls_the_function_and_writes_outputs() {
    let params = vec![
        FnParam::new::<String>("name", "String", true),
        FnParam::new::<f64>("ratio", "f64", false),
        FnParam::new::<bool>("flag", "bool", false),
    ];
    let returns = ReturnSpec { fallible: true, ..single::<f64>() };
    let source = program_source(&def(params, returns));
    assert!(source.contains("let __kfp_in_name: String = args.required(\"--name\")?;"), "{source}");
    assert!(source.contains("__kfp_wire::support::parse_float(&args.required(\"--ratio\")?)"), "{source}");
    assert!(source.contains("train_model(&__kfp_in_name, __kfp_in_ratio, __kfp_in_flag)"), "{source}");
    assert!(source.contains("result.map_err(|error| error.to_string())?"), "{source}");
    assert!(source.contains("PyFloat::to_py_string(&result)"), "{source}");
    assert!(source.contains("output_paths(1)"), "{source}");
}

#[test]
fn embedded_wire_code_survives_compaction() {
    // compact() drops comment lines and indentation: no string literal of the
    // wire files may span lines, or its text would change.
    for source in [crate::wire::SUPPORT_SOURCE, crate::wire::JSON_SOURCE] {
        for (number, line) in source.lines().enumerate() {
            let quotes = line.matches('"').count() - line.matches("\\\"").count();
            assert!(quotes % 2 == 0 || line.trim_start().starts_with("//"), "line {}: {line}", number + 1);
        }
    }
    let program = program_source(&def(vec![FnParam::new::<i64>("x", "i64", false)], single::<i64>()));
    assert!(program.len() < 6_000, "the add example's program stays small: {} bytes", program.len());
    assert!(program.contains("pub fn parse_int") && !program.contains("pub fn parse_float"), "{program}");
    assert!(!program.contains("InputPath"), "{program}");
}

#[test]
fn programs_get_the_sections_they_use() {
    let names: Vec<&str> =
        crate::wire::SUPPORT_SOURCE.lines().filter_map(|line| line.trim().strip_prefix("// section: ")).collect();
    assert_eq!(names, ["digits", "int", "float", "bool", "pyfloat", "output", "untyped", "paths", "args"]);
    let params = vec![
        FnParam::new::<f64>("ratio", "f64", false),
        FnParam::new::<Option<bool>>("flag", "Option<bool>", false),
        FnParam::new::<InputPath>("data_path", "InputPath", false),
    ];
    let program = program_source(&def(params, single::<f64>()));
    for needed in
        ["fn parse_float", "fn strip_underscores", "fn parse_bool", "trait PyFloat", "InputPath", "struct Args"]
    {
        assert!(program.contains(needed), "{needed} missing:\n{program}");
    }
    assert!(!program.contains("fn parse_int"), "{program}");
    let compacted = program::compact("a\n// section: x\n  b // c\n// d\n// section: y\ne\n", &["x"]);
    assert_eq!(compacted, "a\nb // c\n");
}

#[test]
fn prebuilt_image_components_run_the_binary_with_the_same_interface() {
    let params = vec![
        FnParam::new::<i64>("value_1", "i64", false),
        FnParam::new::<Option<String>>("note", "Option<String>", false),
    ];
    let embedded = def(params.clone(), single::<f64>()).build();
    let prebuilt = FunctionDef {
        prebuilt: Some(Prebuilt { image: "registry.example.com/app:1", program: "my-app" }),
        ..def(params, single::<f64>())
    }
    .build();
    let container = &prebuilt.spec.implementation.container;
    assert_eq!(container.image, "registry.example.com/app:1");
    let command: Vec<String> =
        container.command.iter().map(|part| serde_json::to_value(part).unwrap().as_str().unwrap().to_owned()).collect();
    assert_eq!(command, ["my-app", DISPATCH_SUBCOMMAND, "Train model"]);
    assert_eq!(container.args, embedded.spec.implementation.container.args);
    assert_eq!(prebuilt.spec.inputs, embedded.spec.inputs);
    assert_eq!(prebuilt.spec.outputs, embedded.spec.outputs);
    assert!(prebuilt.local.is_some());
}

#[test]
fn typed_files_defaults_and_kfp_argument_order() {
    use crate::types::{Dataset, Model};
    // As kfp's `train_op(dataset: InputPath('Dataset'), model: OutputPath('Model'), num_steps: int = 100)`.
    let params = vec![
        FnParam::new::<InputPath<Dataset>>("dataset", "InputPath<Dataset>", false),
        FnParam::new::<OutputPath<Model>>("model", "OutputPath<Model>", false),
        FnParam::new::<i64>("num_steps", "i64", false).with_default("100"),
        FnParam::new::<OutputPath<i64>>("count_path", "OutputPath<i64>", false),
    ];
    let component = def(params, ReturnSpec::default()).build();
    let spec = serde_json::to_value(&component.spec).unwrap();
    assert_eq!(
        spec["inputs"],
        serde_json::json!([
            {"name": "dataset", "type": "Dataset"},
            {"name": "num_steps", "type": "Integer", "default": "100", "optional": true}
        ])
    );
    assert_eq!(
        spec["outputs"],
        serde_json::json!([{"name": "model", "type": "Model"}, {"name": "count", "type": "Integer"}])
    );
    // Inputs first, then the files the function writes, whatever the parameter order.
    assert_eq!(
        spec["implementation"]["container"]["args"],
        serde_json::json!([
            "--dataset", {"inputPath": "dataset"},
            {"if": {"cond": {"isPresent": "num_steps"}, "then": ["--num-steps", {"inputValue": "num_steps"}]}},
            "--model", {"outputPath": "model"},
            "--count", {"outputPath": "count"}
        ])
    );
}

#[test]
fn program_reads_the_default_when_the_flag_is_absent() {
    let params = vec![
        FnParam::new::<i64>("steps", "i64", false).with_default("100"),
        FnParam::new::<OutputPath<crate::types::Model>>("model", "OutputPath < Model >", false),
    ];
    let program = program_source(&def(params, ReturnSpec::default()));
    assert!(program.contains("args.optional(\"--steps\").unwrap_or_else(|| \"100\".to_string())"), "{program}");
    assert!(program.contains("parse_int(&text)"), "{program}");
    assert!(program.contains("let __kfp_in_model: OutputPath < Model > = OutputPath::prepare("), "{program}");
    assert!(program.contains("use __kfp_wire::support::artifacts::*;"), "{program}");
}

#[test]
fn local_reads_defaults_like_the_program() {
    let mut args = Args::parse(vec!["--given".to_owned(), "7".to_owned()]);
    assert_eq!(<i64 as ParamType>::from_args_or(&mut args, "--given", "given", "100"), Ok(7));
    assert_eq!(<i64 as ParamType>::from_args_or(&mut args, "--absent", "absent", "100"), Ok(100));
    let bad = <i64 as ParamType>::from_args_or(&mut args, "--bad", "bad", "x");
    assert!(bad.unwrap_err().starts_with("input bad: "));
    assert_eq!(args.finish(), Ok(()));
}
