use super::load::{digest, parse};
use super::*;

const ALL: &str = r#"
name: All placeholders
description: Uses every placeholder
metadata:
  annotations: {author: me}
  labels: {team: ml}
inputs:
- {name: text, type: String, default: hello, description: some text}
- {name: count, type: Integer, default: 3}
- {name: ratio, type: Float, default: 1.5}
- {name: flag, type: Boolean, default: true}
- {name: maybe, type: String, optional: true}
- {name: data, type: {GCSPath: {data_type: CSV}}}
- {name: raw, optional: true, annotations: {x: [1, 2]}}
outputs:
- {name: out data, type: CSV, annotations: {a: b}}
- {name: uri out}
- {name: legacy}
implementation:
  container:
    image: alpine
    command: [sh, -c, {concat: ['echo ', {inputValue: text}, ' x', {inputValue: count}]}]
    args:
    - if: {cond: {isPresent: maybe}, then: [--maybe, {inputValue: maybe}], else: [--no-maybe]}
    - if: {cond: {isPresent: raw}, then: {inputPath: raw}}
    - if: {cond: true, then: yes-literal}
    - if: {cond: 'false', then: nope, else: [else-literal]}
    - if: {cond: {inputValue: flag}, then: flag-true}
    - {inputUri: data}
    - {outputPath: out data}
    - {outputUri: uri out}
    env: {FOO: bar}
    fileOutputs: {legacy: /tmp/legacy.txt}
version: google.com/cloud/pipelines/component/v1
"#;

#[test]
fn every_field_and_placeholder_loads_and_round_trips() {
    let loaded = load_component_from_text(ALL).unwrap();
    let spec = loaded.spec();
    assert_eq!(spec.inputs.len(), 7);
    assert_eq!(spec.inputs[2].default, Some(crate::spec::Scalar::Float(1.5)));
    assert_eq!(spec.inputs[3].default, Some(crate::spec::Scalar::Bool(true)));
    assert_eq!(spec.inputs[5].type_name.as_ref().and_then(|t| t.name()), Some("GCSPath"));
    // The spec serializes back to what was read (kfp's component_spec annotation).
    let again: crate::spec::ComponentSpec = serde_yaml::from_str(&spec.to_yaml().unwrap()).unwrap();
    assert_eq!(&again, spec);
    let json = serde_json::to_value(spec).unwrap();
    assert_eq!(
        json["implementation"]["container"]["args"][1],
        serde_json::json!({"if": {"cond": {"isPresent": "raw"}, "then": {"inputPath": "raw"}}})
    );
    assert_eq!(json["inputs"][1]["default"], serde_json::json!(3));
    assert_eq!(loaded.reference(), &serde_json::json!({"digest": digest(ALL)}));
}

#[test]
fn digest_is_kfps() {
    // sha256 of "name: x\n", with CRLF normalized as kfp does.
    assert_eq!(digest("name: x\r\n"), digest("name: x\n"));
    assert_eq!(digest(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

fn error_of(text: &str) -> LoadError {
    match parse(text, "bad.yaml") {
        Ok(spec) => panic!("loaded: {spec:?}"),
        Err(error) => error,
    }
}

#[test]
fn malformed_yaml_is_a_syntax_error_with_position() {
    let error = error_of("name: x\ninputs: [\n");
    assert_eq!(error.kind, LoadErrorKind::Syntax);
    assert!(error.line.is_some(), "{error}");
    assert!(error.to_string().starts_with("bad.yaml:"), "{error}");
    let error = error_of("- just\n- a list\n");
    assert_eq!(error.kind, LoadErrorKind::Syntax);
    assert!(error.problem.contains("found a list"), "{error}");
    assert_eq!(error_of("").kind, LoadErrorKind::Syntax);
}

#[test]
fn unknown_placeholder_names_field_and_choices() {
    let error = error_of(
        "name: x\ninputs: [{name: a}]\nimplementation:\n  container:\n    image: i\n    args: [--a, {inputValu: a}]\n",
    );
    assert_eq!(error.kind, LoadErrorKind::UnknownPlaceholder, "{error}");
    assert_eq!(error.field, "implementation.container.args[1]");
    assert!(error.problem.contains("unknown placeholder `inputValu`"), "{error}");
    assert!(error.problem.contains("`inputValue`"), "{error}");
    assert_eq!((error.line, error.column), (Some(6), Some(17)), "{error}");
    assert_eq!(error.to_string(), format!("bad.yaml:6:17: implementation.container.args[1]: {}", error.problem));
    let v2 = error_of("name: x\nimplementation:\n  container:\n    image: i\n    args: [{executorInput: null}]\n");
    assert_eq!(v2.kind, LoadErrorKind::UnknownPlaceholder);
    assert!(v2.problem.contains("KFP v2"), "{v2}");
}

#[test]
fn missing_field_is_named() {
    let error = error_of("name: x\nimplementation:\n  container:\n    command: [echo]\n");
    assert_eq!(error.kind, LoadErrorKind::MissingField, "{error}");
    assert_eq!(error.field, "implementation.container");
    assert!(error.problem.contains("missing field `image`"), "{error}");
    let error = error_of("name: x\n");
    assert_eq!(error.kind, LoadErrorKind::MissingField, "{error}");
    assert!(error.problem.contains("`implementation`"), "{error}");
}

#[test]
fn unknown_field_is_a_typo() {
    let error = error_of("name: x\ninputs: [{name: a, tpye: String}]\nimplementation: {container: {image: i}}\n");
    assert_eq!(error.kind, LoadErrorKind::UnknownField, "{error}");
    assert_eq!(error.field, "inputs[0].tpye");
    assert!(error.problem.contains("unknown field `tpye`"), "{error}");
    assert!(error.problem.contains("`type`"), "{error}");
}

#[test]
fn wrong_types_are_named() {
    let error = error_of("name: x\nimplementation: {container: {image: i, command: [echo, 42]}}\n");
    assert_eq!(error.kind, LoadErrorKind::WrongType, "{error}");
    assert_eq!(error.field, "implementation.container.command[1]");
    let error = error_of("name: x\ninputs: [{name: a, optional: maybe}]\nimplementation: {container: {image: i}}\n");
    assert_eq!(error.kind, LoadErrorKind::WrongType, "{error}");
    assert_eq!(error.field, "inputs[0].optional");
    let error = error_of("name: x\ninputs: [{name: a, default: [1]}]\nimplementation: {container: {image: i}}\n");
    assert_eq!(error.kind, LoadErrorKind::WrongType, "{error}");
    assert_eq!(error.field, "inputs[0].default");
    let error = error_of("name: x\ninputs: [{name: a, type: 5}]\nimplementation: {container: {image: i}}\n");
    assert_eq!(error.kind, LoadErrorKind::WrongType, "{error}");
    assert_eq!(error.field, "inputs[0].type");
}

#[test]
fn inconsistent_components_are_invalid() {
    let error = error_of("name: x\ninputs: [{name: a}]\nimplementation: {container: {image: i, args: [{if: {cond: {isPresent: b}, then: [x]}}]}}\n");
    assert_eq!(error.kind, LoadErrorKind::Invalid, "{error}");
    assert_eq!(error.field, "implementation.container.args[0].if.cond.isPresent");
    assert!(error.problem.contains("its inputs: `a`"), "{error}");
    let error =
        error_of("name: x\noutputs: [{name: o}]\nimplementation: {container: {image: i, args: [{outputPath: p}]}}\n");
    assert_eq!(error.field, "implementation.container.args[0].outputPath");
    assert!(error.problem.contains("its outputs: `o`"), "{error}");
    let error = error_of("name: x\ninputs: [{name: a}, {name: a}]\nimplementation: {container: {image: i}}\n");
    assert_eq!(error.field, "inputs[1].name");
    let error = error_of("name: x\nimplementation: {container: {image: i, fileOutputs: {o: /x}}}\n");
    assert_eq!(error.field, "implementation.container.fileOutputs.o");
}

/// `component text: <field>: <problem>` of loading `text`.
fn load_error_text(text: &str) -> String {
    match load_component_from_text(text) {
        Ok(loaded) => panic!("loaded: {:?}", loaded.spec()),
        Err(error) => {
            assert_eq!(error.kind, LoadErrorKind::Invalid, "{error}");
            error.to_string()
        }
    }
}

#[test]
fn names_that_share_a_file_or_an_argo_name_are_invalid() {
    let text = "name: x\noutputs: [{name: o p}, {name: o_p}]\nimplementation: {container: {image: i, \
                args: [{outputPath: o p}, {outputPath: o_p}]}}\n";
    assert_eq!(
        load_error_text(text),
        "component text: outputs[1].name: outputs `o p` and `o_p` both get the file `/tmp/outputs/o_p/data`, \
         so one output's value would overwrite the other's: rename one of them"
    );
    let text = "name: x\noutputs: [{name: a}, {name: o p}, {name: o-p}]\nimplementation: {container: {image: i, \
                args: [{outputPath: a}, {outputUri: o p}, {outputPath: o-p}]}}\n";
    assert_eq!(
        load_error_text(text),
        "component text: outputs[2].name: outputs `o p` and `o-p` both get the Argo output name `<task>-o-p`, \
         so one output's value would overwrite the other's: rename one of them"
    );
    let text = "name: x\noutputs: [{name: a}, {name: b}]\nimplementation: {container: {image: i, \
                fileOutputs: {a: /out.txt, b: /out.txt}}}\n";
    assert!(load_error_text(text).contains("outputs `a` and `b` both get the file `/out.txt`"));
    // Inputs share a file only when both are read as files, in any branch.
    let text = "name: x\ninputs: [{name: a b}, {name: a_b, optional: true}]\nimplementation: {container: {image: i, \
                args: [{inputPath: a b}, {if: {cond: {isPresent: a_b}, then: [{inputPath: a_b}]}}]}}\n";
    assert_eq!(
        load_error_text(text),
        "component text: inputs[1].name: inputs `a b` and `a_b` both get the file `/tmp/inputs/a_b/data`, \
         so one input's value would overwrite the other's: rename one of them"
    );
    let values = "name: x\ninputs: [{name: a b}, {name: a_b}]\noutputs: [{name: o p}, {name: o_p}]\n\
                  implementation: {container: {image: i, args: [{inputValue: a b}, {inputValue: a_b}]}}\n";
    load_component_from_text(values).expect("values and outputs never written share nothing");
}

#[test]
fn graph_components_and_archives_are_unsupported() {
    let error = error_of("name: x\nimplementation: {graph: {tasks: {}}}\n");
    assert_eq!(error.kind, LoadErrorKind::Unsupported);
    assert_eq!(error.field, "implementation.graph");
}

#[test]
fn file_errors_name_the_file() {
    let error = load_component_from_file("no-such-dir/component.yaml").unwrap_err();
    assert_eq!(error.kind, LoadErrorKind::Read);
    assert!(error.to_string().starts_with("no-such-dir/component.yaml: cannot read the file"), "{error}");
}

#[test]
fn text_errors_say_component_text() {
    let error = load_component_from_text("name: [").unwrap_err();
    assert_eq!(error.to_string(), "component text:2:1: did not find expected node content, while parsing a flow node");
}

/// What `fuzz/fuzz_targets/load_component.rs` checks, on stable Rust: thousands of
/// mutated component texts load or fail with an error, never panic, and what loads
/// serializes, loads back and compiles (to a Workflow or an error).
#[test]
fn mutated_texts_never_panic() {
    const SEEDS: &[&str] = &[
        ALL,
        "name: m\nimplementation: {container: {image: i, command: [echo, {inputValue: a}]}}\ninputs: [{name: a, optional: true}]\n",
        "name: f\noutputs: [{name: o}]\nimplementation:\n  container:\n    image: i\n    args: [{concat: [a, {outputUri: o}]}, {if: {cond: '1', then: x, else: [y]}}]\n",
    ];
    const TOKENS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ":",
        "- ",
        "\n",
        "  ",
        "'",
        "\"",
        "&a ",
        "*a",
        "!!str ",
        "inputValue",
        "inputPath",
        "outputPath",
        "inputUri",
        "outputUri",
        "concat",
        "if",
        "cond",
        "then",
        "else",
        "isPresent",
        "name",
        "type",
        "default",
        "optional",
        "true",
        "1.5",
        "null",
        "~",
        "-7",
        "{GCSPath: {x: 1}}",
        "fileOutputs",
        "env",
        "metadata",
        "\u{e9}",
        "\t",
        "#",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let mut loaded = 0;
    for round in 0..4000 {
        let mut text = SEEDS[round % SEEDS.len()].to_owned();
        for _ in 0..1 + next(4) {
            let mut at = next(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match next(3) {
                0 => text.insert_str(at, TOKENS[next(TOKENS.len())]),
                1 => {
                    let mut end = (at + 1 + next(8)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    text.replace_range(at..end, "");
                }
                _ => {
                    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                    let line = text[line_start..line_end].to_owned();
                    text.insert_str(line_start, &format!("{line}\n"));
                }
            }
        }
        let Ok(component) = load_component_from_text(&text) else { continue };
        loaded += 1;
        let yaml = component.spec().to_yaml().unwrap();
        load_component_from_text(&yaml)
            .unwrap_or_else(|error| panic!("{error}\n--- reloading ---\n{yaml}\n--- from ---\n{text}"));
        let args: Vec<(String, &str)> = component.spec().inputs.iter().map(|input| (input.name.clone(), "1")).collect();
        if let Ok(recorded) = crate::dsl::record(crate::dsl::PipelineInfo::new("fuzz"), || {
            let _ = component.try_call(args);
        }) {
            let _ = crate::Compiler::new().compile_recorded(&recorded);
        }
    }
    assert!(loaded > 100, "too few mutants load ({loaded}): the mutations are too coarse to reach the checks");
}
