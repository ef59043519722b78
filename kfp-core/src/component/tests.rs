use super::*;
use crate::types::{TypeInfo, Untyped};

fn def(params: Vec<FnParam>, returns: ReturnSpec) -> FunctionDef {
    FunctionDef {
        fn_name: "train_model",
        source: "fn train_model() {}",
        doc: &[" Trains.", "", "   Indented."],
        name: None,
        description: None,
        base_image: None,
        packages_to_install: &[],
        locked: Locked::default(),
        output_component_file: None,
        mentions_json_crates: false,
        shipped: ShippedTypes::default(),
        params,
        returns,
        local: |_, _| Err("not called by these tests".to_owned()),
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
    assert_eq!(crate::docstring::text(&[" Trains.", "", "   Indented."]).as_deref(), Some("Trains.\n\n  Indented."));
    assert_eq!(crate::docstring::text(&[" 더하기 (adds two numbers)"]).as_deref(), Some("더하기 (adds two numbers)"));
    assert_eq!(crate::docstring::text(&[]), None);
    assert_eq!(crate::docstring::text(&["   "]), None);
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
    let args: Vec<serde_json::Value> = component
        .spec
        .implementation
        .container
        .args
        .iter()
        .flatten()
        .map(|arg| serde_json::to_value(arg).unwrap())
        .collect();
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
fn a_program_command_splits_into_its_build_and_the_binary_it_runs() {
    let plain = program::command(&def(vec![FnParam::new::<i64>("x", "i64", false)], single::<i64>()));
    let json = program::command(&def(vec![FnParam::new::<Vec<i64>>("xs", "Vec<i64>", false)], single::<i64>()));
    for (command, binary) in [(&plain, "$dir/component"), (&json, "$dir/target/release/component")] {
        let split = split_command(command).unwrap();
        assert_eq!(split.binary, binary);
        assert_eq!(split.source, command[3]);
        assert_eq!(format!("{}exec \"{binary}\" \"$@\"\n", split.build), command[2]);
        assert!(!split.build.contains("exec"), "{}", split.build);
    }
    assert_eq!(split_command(&["sh", "-ec", "echo hi\n", "x"]), None);
    assert_eq!(split_command(&plain[..3]), None);
    let mut bash = plain.clone();
    bash[0] = "bash".to_owned();
    assert_eq!(split_command(&bash), None);
}

#[test]
fn packages_without_a_lock_become_cargo_dependencies_as_written() {
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
    let main = &source[source.find("fn main()").unwrap()..];
    let expected = r#"fn main() {
    let args = std::env::args().skip(1).collect();
    let run = __kfp::call(args, ["--name", "--ratio", "--flag"], &[__kfp::v2_float], |[name, ratio, flag]| {
        let name: String = name.get(|text| Ok(text.into()))?;
        let ratio: f64 = ratio.get(__kfp::parse_float)?;
        let flag: bool = flag.get(__kfp::parse_bool)?;
        Ok(vec![__kfp::PyFloat::to_py_string(&crate::train_model(&name, ratio, flag).map_err(|e| e.to_string())?)])
    });
    if let Err(message) = run {
        eprintln!("Train model: {message}");
        std::process::exit(1);
    }
}
"#;
    assert_eq!(main, expected);
}

#[test]
fn program_writes_named_and_no_outputs_and_escapes_the_name() {
    let named = ReturnSpec {
        outputs: vec![("sum", TypeInfo::of::<f64>()), ("ok", TypeInfo::of::<bool>()), ("n", TypeInfo::of::<i64>())],
        named: true,
        fallible: false,
    };
    let source = program_source(&def(Vec::new(), named));
    let expected = "        let result = crate::train_model();
        Ok(vec![
            __kfp::PyFloat::to_py_string(&result.sum),
            __kfp::format_bool(result.ok).to_string(),
            result.n.to_string(),
        ])
";
    assert!(source.contains(expected), "{source}");
    let call = r#"__kfp::call(args, [], &[__kfp::v2_float, __kfp::v2_bool, Ok], |[]| {"#;
    assert!(source.contains(call), "{source}");

    let mut none = def(Vec::new(), ReturnSpec { fallible: true, ..ReturnSpec::default() });
    none.name = Some("Say \"{hi}\"");
    let source = program_source(&none);
    assert!(
        source.contains("        crate::train_model().map_err(|e| e.to_string())?;\n        Ok(vec![])\n"),
        "{source}"
    );
    assert!(source.contains(r#"eprintln!("Say \"{{hi}}\": {message}");"#), "{source}");
}

#[test]
fn embedded_wire_code_survives_compaction() {
    // Programs ship the wire files without comment lines and indentation: no string
    // literal of them may span lines, or its text would change.
    for source in [crate::wire::SUPPORT_SOURCE, crate::wire::JSON_SOURCE] {
        for (number, line) in source.lines().enumerate() {
            let quotes = line.matches('"').count() - line.matches("\\\"").count();
            assert!(quotes % 2 == 0 || line.trim_start().starts_with("//"), "line {}: {line}", number + 1);
        }
    }
    let pieces = program::split_pieces("a\n// piece: x needs y z\n  b // c\n// d\n// piece: y\ne\n");
    let parts: Vec<_> = pieces.iter().map(|piece| (piece.name, piece.needs.clone(), piece.text.as_str())).collect();
    assert_eq!(parts, [("core", vec![], "a\n"), ("x", vec!["y", "z"], "b // c\n"), ("y", vec![], "e\n")]);
}

/// The names of the wire pieces `source`'s program ships, in order.
fn shipped(source: &str) -> Vec<&'static str> {
    let all: Vec<program::Piece> = program::split_pieces(crate::wire::SUPPORT_SOURCE)
        .into_iter()
        .chain(program::split_pieces(crate::wire::JSON_SOURCE))
        .collect();
    let wire = &source[source.find("mod __kfp {").unwrap()..source.find("fn main()").unwrap()];
    let mut names: Vec<&str> = all
        .iter()
        .filter(|piece| !piece.text.is_empty() && wire.contains(&piece.text))
        .map(|piece| piece.name)
        .collect();
    names.dedup();
    names
}

#[test]
fn programs_ship_the_pieces_their_signature_needs() {
    let names: Vec<&str> = program::split_pieces(crate::wire::SUPPORT_SOURCE).iter().map(|piece| piece.name).collect();
    assert_eq!(
        names,
        [
            "core",
            "optional",
            "default",
            "int",
            "float",
            "bool",
            "pyfloat",
            "untyped",
            "paths",
            "quote",
            "artifact_list",
            "optional_artifact_list",
            "returned",
            "metadata"
        ]
    );
    let add = def(
        vec![FnParam::new::<i64>("value_1", "i64", false), FnParam::new::<i64>("value_2", "i64", false)],
        single::<i64>(),
    );
    assert_eq!(shipped(&program_source(&add)), ["core", "int"]);
    let params = vec![
        FnParam::new::<f64>("ratio", "f64", false),
        FnParam::new::<Option<bool>>("flag", "Option<bool>", false),
        FnParam::new::<InputPath>("data_path", "InputPath", false),
        FnParam::new::<u8>("steps", "u8", false).with_default("3"),
    ];
    assert_eq!(
        shipped(&program_source(&def(params, single::<f32>()))),
        ["core", "optional", "default", "int", "float", "bool", "pyfloat", "paths"]
    );
    // An optional list of artifacts: its paths from the executor input's JSON, `None` when it has none.
    let list = "Option<Vec<InputPath<Dataset>>>";
    let optional_list =
        def(vec![FnParam::new::<Option<Vec<InputPath<crate::types::Dataset>>>>("xs", list, false)], single::<i64>());
    let source = program_source(&optional_list);
    assert_eq!(
        shipped(&source),
        ["core", "pyfloat", "paths", "quote", "artifact_list", "optional_artifact_list", "json", "artifact_uris"]
    );
    assert!(source.contains("optional_artifact_paths(__kfp::json::artifact_uris)"), "{source}");
    let json = def(vec![FnParam::new::<Vec<String>>("names", "Vec<String>", false)], single::<Untyped>());
    let source = program_source(&json);
    assert_eq!(shipped(&source), ["core", "pyfloat", "untyped", "quote", "json"]);
    assert!(
        source.contains("pub mod json {\n")
            && source.starts_with("// The `train_model` component, generated by kfp-rs.\nuse __kfp::Untyped;\n"),
        "{source}"
    );
}

#[test]
fn the_add_program_is_small() {
    let add = FunctionDef {
        fn_name: "add",
        source: "fn add(value_1 : i64, value_2 : i64) -> i64 {\n    value_1 + value_2\n}",
        ..def(
            vec![FnParam::new::<i64>("value_1", "i64", false), FnParam::new::<i64>("value_2", "i64", false)],
            single::<i64>(),
        )
    };
    let program = program_source(&add);
    // The wire's core reads the command line apart from writing the outputs, which a
    // function returning artifacts does its own way (`call_with`): 350 bytes of that (it was 2,900).
    assert!(program.len() <= 3_250, "{} bytes:\n{program}", program.len());
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
        FnParam::new::<Option<Untyped>>("note", "Option<Untyped>", false),
        FnParam::new::<InputPath>("data_path", "InputPath", true),
    ];
    let program = program_source(&def(params, ReturnSpec::default()));
    for line in [
        "use __kfp::artifacts::*;\nuse __kfp::{InputPath, OutputPath};\nuse __kfp::Untyped;\n",
        "__kfp::call(args, [\"--steps\", \"--model\", \"--note\", \"--data\"], &[], |[steps, model, note, data_path]| {",
        "        let steps: i64 = steps.get_or(\"100\", __kfp::parse_int)?;\n",
        "        let model: OutputPath < Model > = model.get(OutputPath::prepare)?;\n",
        "        let note: Option<Untyped> = note.optional(|text| Ok(Untyped(text.into())))?;\n",
        "        let data_path: InputPath = data_path.get(|path| Ok(InputPath::new(path)))?;\n",
        "        crate::train_model(steps, model, note, &data_path);\n",
    ] {
        assert!(program.contains(line), "{line}\n{program}");
    }
}

#[test]
fn steps_read_each_parameter_then_call_then_write_each_output() {
    let params = vec![
        FnParam::new::<i64>("steps", "i64", false).with_default("100"),
        FnParam::new::<String>("name", "String", true),
        FnParam::new::<OutputPath>("model_path", "OutputPath", false),
    ];
    let returns = ReturnSpec {
        outputs: vec![("sum", TypeInfo::of::<f64>()), ("ok", TypeInfo::of::<bool>())],
        named: true,
        fallible: true,
    };
    let read = |name, rust_type, by_ref, flag: &str, from| {
        Step::Read(steps::Read { name, rust_type, by_ref, flag: flag.to_owned(), from })
    };
    assert_eq!(
        def(params, returns).steps(),
        [
            read("steps", "i64", false, "--steps", steps::ReadFrom::ValueOr(Kind::Integer, "100".to_owned())),
            read("name", "String", true, "--name", steps::ReadFrom::Value(Kind::String)),
            read("model_path", "OutputPath", false, "--model", steps::ReadFrom::OutputPath),
            Step::Call(steps::Call { fn_name: "train_model", fallible: true }),
            Step::Write(steps::Write { name: "sum", kind: Kind::Float, field: true }),
            Step::Write(steps::Write { name: "ok", kind: Kind::Boolean, field: true }),
        ]
    );
}

#[test]
fn local_reads_parameters_as_the_steps_say() {
    let params = vec![
        FnParam::new::<i64>("given", "i64", false).with_default("100"),
        FnParam::new::<i64>("absent", "i64", false).with_default("100"),
        FnParam::new::<InputPath>("data_path", "InputPath", false),
        FnParam::new::<Option<String>>("note", "Option<String>", false),
        FnParam::new::<Option<bool>>("none", "Option<bool>", false),
    ];
    let steps = def(params, ReturnSpec::default()).steps();
    let args = ["--given", "7", "--data", "/tmp/inputs/data/data", "--note", "n"].map(str::to_owned).to_vec();
    let mut seen = None;
    let called = run_steps(&steps, args, |[given, absent, data, note, none]| {
        let defaults = (<i64 as ParamType>::from_input(given)?, <i64 as ParamType>::from_input(absent)?);
        let data = <InputPath as ParamType>::from_input(data)?;
        let options =
            (<Option<String> as ParamType>::from_input(note)?, <Option<bool> as ParamType>::from_input(none)?);
        seen = Some((defaults, data, options));
        Ok(Vec::new())
    });
    assert_eq!(called, Ok(()));
    assert_eq!(seen, Some(((7, 100), InputPath::new("/tmp/inputs/data/data"), (Some("n".to_owned()), None))));

    let bad = def(vec![FnParam::new::<i64>("bad", "i64", false).with_default("x")], ReturnSpec::default()).steps();
    let read = run_steps(&bad, Vec::new(), |[bad]| <i64 as ParamType>::from_input(bad).map(|_| Vec::new()));
    assert_eq!(read, Err("input bad: invalid integer \"x\" for i64".to_owned()));
    // A body that takes another number of inputs than the steps read is an error, not a panic.
    let miscounted = run_steps(&bad, Vec::new(), |[]| Ok(Vec::new()));
    assert_eq!(miscounted, Err("the component's program reads 1 input(s) but its function takes 0".to_owned()));
}

/// Type-checks `source` as a crate of type `crate_type` as the image's rustc would:
/// with this toolchain's clippy-driver, which fails on std APIs newer than
/// [`DEFAULT_RUST_VERSION`] (`clippy::incompatible_msrv`), or with plain rustc
/// without clippy; `None` when there is no rustc.
fn rustc_check(label: &str, source: &str, crate_type: &str) -> Option<Result<(), String>> {
    let dir = std::env::temp_dir().join(format!("kfp-programs-{}-{label}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.rs"), source).unwrap();
    std::fs::write(dir.join("clippy.toml"), format!("msrv = \"{DEFAULT_RUST_VERSION}\"\n")).unwrap();
    let sysroot = std::process::Command::new("rustc").args(["--print", "sysroot"]).output().ok()?;
    let driver = std::path::Path::new(String::from_utf8_lossy(&sysroot.stdout).trim()).join("bin/clippy-driver");
    let compiler = if driver.is_file() { driver } else { "rustc".into() };
    let output = std::process::Command::new(compiler)
        .args(["--edition", "2021", "-A", "warnings", "--emit=metadata", "--crate-type", crate_type, "--out-dir"])
        .arg(&dir)
        .arg(dir.join("main.rs"))
        .env("CLIPPY_CONF_DIR", &dir)
        .env("CLIPPY_ARGS", "-Aclippy::all__CLIPPY_HACKERY__-Dclippy::incompatible_msrv")
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let output = output.map_err(|error| eprintln!("skipping: cannot run rustc: {error}")).ok()?;
    Some(output.status.success().then_some(()).ok_or_else(|| String::from_utf8_lossy(&output.stderr).into_owned()))
}

#[test]
fn the_program_check_refuses_std_newer_than_the_image_rust() {
    // `u32::midpoint` is stable since Rust 1.85.
    match rustc_check("newer-std", "pub fn half_way(a: u32) -> u32 { a.midpoint(1) }", "lib") {
        Some(Err(errors)) => assert!(errors.contains("is stable since `1.85.0`"), "{errors}"),
        Some(Ok(())) => eprintln!("skipping: no clippy-driver, so programs are not checked against the image's Rust"),
        None => {}
    }
}

#[test]
fn each_wire_piece_compiles_with_only_the_pieces_it_needs() {
    // json.rs needs serde, so cargo: tests/json_components.rs builds its programs.
    let support = program::split_pieces(crate::wire::SUPPORT_SOURCE);
    let all: Vec<&program::Piece> = support.iter().collect();
    let mut crate_source = String::new();
    for piece in &support {
        let names = program::with_needs(vec!["core", piece.name], &all);
        let text: String = support.iter().filter(|p| names.contains(&p.name)).map(|p| p.text.as_str()).collect();
        crate_source.push_str(&format!("mod {} {{\n{text}}}\n", piece.name));
    }
    if let Some(checked) = rustc_check("pieces", &crate_source, "lib") {
        checked.unwrap_or_else(|errors| panic!("{errors}\n{crate_source}"));
    }
}

#[test]
fn programs_of_each_signature_compile() {
    let value = |name, ty| FnParam::new::<i64>(name, ty, false);
    let cases: Vec<(&str, Vec<FnParam>, ReturnSpec)> = vec![
        ("fn train_model(value_1: i64, value_2: i64) -> i64 { value_1 + value_2 }", vec![value("value_1", "i64"), value("value_2", "i64")], single::<i64>()),
        ("fn train_model() {}", Vec::new(), ReturnSpec::default()),
        ("fn train_model(x: Option<String>) -> Result<(), String> { x.map(drop).ok_or_else(String::new) }", vec![FnParam::new::<Option<String>>("x", "Option<String>", false)], ReturnSpec { fallible: true, ..ReturnSpec::default() }),
        ("fn train_model(x: u8) -> u8 { x }", vec![FnParam::new::<u8>("x", "u8", false).with_default("3")], single::<u8>()),
        ("fn train_model(x: f32) -> f32 { x }", vec![FnParam::new::<f32>("x", "f32", false)], single::<f32>()),
        ("fn train_model(x: &str) -> bool { x.is_empty() }", vec![FnParam::new::<String>("x", "String", true)], single::<bool>()),
        ("fn train_model(x: Option<bool>) -> String { format!(\"{x:?}\") }", vec![FnParam::new::<Option<bool>>("x", "Option<bool>", false)], single::<String>()),
        ("fn train_model(x: Untyped) -> Untyped { x }", vec![FnParam::new::<Untyped>("x", "Untyped", false)], single::<Untyped>()),
        (
            "fn train_model(data_path: &InputPath<Dataset>, model: OutputPath<Model>) { std::fs::copy(data_path, model).unwrap(); }",
            vec![
                FnParam::new::<InputPath<crate::types::Dataset>>("data_path", "InputPath<Dataset>", true),
                FnParam::new::<OutputPath<crate::types::Model>>("model", "OutputPath<Model>", false),
            ],
            ReturnSpec::default(),
        ),
        (
            "fn train_model(a: i32, b: f64) -> Result<f64, String> { Ok(a as f64 * b) }",
            vec![FnParam::new::<i32>("a", "i32", false), FnParam::new::<f64>("b", "f64", false).with_default("0.5")],
            ReturnSpec { fallible: true, ..single::<f64>() },
        ),
    ];
    for (index, (source, params, returns)) in cases.into_iter().enumerate() {
        let program = program_source(&FunctionDef { source, ..def(params, returns) });
        match rustc_check(&format!("signature-{index}"), &program, "bin") {
            Some(checked) => checked.unwrap_or_else(|errors| panic!("{errors}\n{program}")),
            None => return,
        }
    }
}

/// The lines of a lock as `#[component]` writes them: two versions of `getrandom`,
/// a git package (no checksum) and one that nothing listed reaches.
const LOCKED_LINES: &str = "\
getrandom 0.2.17 - ff2a \"libc\"
getrandom 0.3.4 - 899d \"libc\"
libc 0.2.191 - 65cd
rand 0.8.5 - 3456 \"getrandom 0.2.17\",\"rand_core\"
rand_core 0.6.4 git+https://github.com/rust-random/rand#abc - \"getrandom 0.2.17\"
unrelated 1.0.0 - 0000
";

#[test]
fn pinned_packages_get_exact_versions_and_the_lock_they_reach() {
    let mut pinned = def(Vec::new(), ReturnSpec::default());
    pinned.packages_to_install = &["rand@=0.8.5[small_rng]"];
    pinned.locked = Locked { format: 4, serde: Some("1.0.229"), serde_json: Some("1.0.154"), packages: LOCKED_LINES };
    let script = &program::command(&pinned)[2];
    assert!(script.contains("rand = { version = \"=0.8.5\", features = [\"small_rng\"] }\n"), "{script}");
    assert!(!script.contains("serde"), "no JSON types, so no serde: {script}");
    let lock = &script[script.find("<<'KFP_LOCK'\n").unwrap() + 13..script.rfind("KFP_LOCK\n").unwrap()];
    assert_eq!(
        lock,
        LOCKED_LINES.replace("getrandom 0.3.4 - 899d \"libc\"\n", "").replace("unrelated 1.0.0 - 0000\n", "")
    );

    // What the container's shell makes of them.
    let dir = std::env::temp_dir().join(format!("kfp-lock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let start = script.find("echo 'version").unwrap();
    let end = script.rfind("KFP_LOCK\n").unwrap() + 9;
    let status = std::process::Command::new("sh").args(["-ec", &script[start..end]]).env("dir", &dir).status();
    let written = std::fs::read_to_string(dir.join("Cargo.lock"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(status.unwrap().success());
    let crates_io = "registry+https://github.com/rust-lang/crates.io-index";
    assert_eq!(
        written.unwrap(),
        format!(
            "version = 4\n\
             \n[[package]]\nname = \"getrandom\"\nversion = \"0.2.17\"\nsource = \"{crates_io}\"\nchecksum = \"ff2a\"\ndependencies = [\"libc\"]\n\
             \n[[package]]\nname = \"libc\"\nversion = \"0.2.191\"\nsource = \"{crates_io}\"\nchecksum = \"65cd\"\ndependencies = []\n\
             \n[[package]]\nname = \"rand\"\nversion = \"0.8.5\"\nsource = \"{crates_io}\"\nchecksum = \"3456\"\ndependencies = [\"getrandom 0.2.17\",\"rand_core\"]\n\
             \n[[package]]\nname = \"rand_core\"\nversion = \"0.6.4\"\nsource = \"git+https://github.com/rust-random/rand#abc\"\ndependencies = [\"getrandom 0.2.17\"]\n"
        )
    );
}

#[test]
fn json_programs_get_the_locked_serde() {
    let mut json = def(vec![FnParam::new::<Vec<i64>>("xs", "Vec<i64>", false)], single::<i64>());
    json.locked = Locked {
        format: 3,
        serde: Some("1.0.229"),
        serde_json: Some("1.0.154"),
        packages: "serde 1.0.229 - aa \"serde_derive\"\nserde_derive 1.0.229 - bb\nserde_json 1.0.154 - cc \"serde\"\n",
    };
    let script = &program::command(&json)[2];
    assert!(script.contains("serde = { version = \"=1.0.229\", features = [\"derive\"] }\n"), "{script}");
    assert!(script.contains("serde_json = { version = \"=1.0.154\", features = [\"float_roundtrip\"] }\n"), "{script}");
    assert!(script.contains("echo 'version = 3'") && script.contains("\nserde_derive 1.0.229 - bb\n"), "{script}");
}
