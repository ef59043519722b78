use serde_json::{json, Value};

use super::{sorted_document, to_string};

/// Strings that YAML could read as something else, or that need care.
const TRICKY: &[&str] = &[
    "",
    " ",
    "a ",
    " a",
    "a  b",
    "true",
    "True",
    "FALSE",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "N",
    "null",
    "Null",
    "~",
    "123",
    "-7",
    "+1",
    "1.5",
    "0x1F",
    "0o17",
    "1e3",
    "1_000",
    ".inf",
    "-.inf",
    ".nan",
    ".5",
    "2001-12-14",
    "1:20",
    "-",
    "- a",
    "-ec",
    "--value-1",
    "----output-paths",
    "a: b",
    "a:b",
    "a:",
    "a #b",
    "a#b",
    "#c",
    "&a",
    "*a",
    "!tag",
    "|",
    ">",
    "%x",
    "@x",
    "`x",
    "{}",
    "[]",
    "{{inputs.parameters.a}}",
    "'quoted'",
    "\"dq\"",
    "back\\slash",
    "tab\there",
    "multi\nline",
    "multi\nline\n",
    "multi\nline\n\n",
    "\nleading",
    " lead\nx",
    "trailing \nx",
    "windows\r\nline",
    "\u{85}nel",
    "line\u{2028}sep",
    "para\u{2029}sep",
    "\u{feff}bom",
    "del\u{7f}",
    "\u{1}ctl",
    "nul\0",
    "\u{9f}c1",
    "\u{fffe}",
    "\u{ffff}",
    "한국어 문자열",
    "한국어\n여러 줄\n",
    "emoji 🎉",
    "---",
    "...",
    "a\n---\nb",
    "a\n...\n",
    "=",
    "<<",
    "?",
    "? x",
    "x?",
    ",",
    "a,b",
    "/tmp/x",
    "rust:1.83.0-slim",
    "kfp-rs-0.1.0",
    "pipelines.kubeflow.org/component_spec",
    "a\n  indented\n\n  after blank",
    "a\n \nb",
    "tabs\n\tin\tblock\n",
    "quotes \"in\" block\nand \\ too\n",
];

fn read_back(yaml: &str) -> Value {
    serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("our YAML does not parse: {e}\n{yaml}"))
}

#[test]
fn every_tricky_string_reads_back_as_itself_as_value_key_and_item() {
    for text in TRICKY {
        let value = json!({ "value": text, *text: "key", "items": [text, [text], { "k": text }] });
        let yaml = to_string(&value, Vec::new()).unwrap();
        assert_eq!(read_back(&yaml), value, "{text:?} written as:\n{yaml}");
    }
}

#[test]
fn plain_where_safe_quoted_or_literal_otherwise() {
    let value = json!({
        "plain": "--value-1", "number": "3", "bool": "true", "tag": "{{inputs.parameters.a}}",
        "program": "fn main() {\n    println!(\"hi\");\n}\n", "no_newline": "a\nb", "korean": "한국어",
    });
    let yaml = to_string(&value, Vec::new()).unwrap();
    let expected = "\
bool: \"true\"
korean: \"한국어\"
no_newline: |-
  a
  b
number: \"3\"
plain: --value-1
program: |
  fn main() {
      println!(\"hi\");
  }
tag: \"{{inputs.parameters.a}}\"
";
    assert_eq!(yaml, expected);
}

#[test]
fn nested_layout_is_block_style_with_sequences_at_the_key_column() {
    let value = json!({
        "a": { "b": [1, -2, 3.5, true, null, [], {}, [["x"]], { "c": "d", "e": [] }] },
        "f": {},
        "g": [],
    });
    let yaml = to_string(&value, Vec::new()).unwrap();
    let expected = "\
a:
  b:
  - 1
  - -2
  - 3.5
  - true
  - null
  - []
  - {}
  - - - x
  - c: d
    e: []
f: {}
g: []
";
    assert_eq!(yaml, expected);
    assert_eq!(read_back(&yaml), value);
}

#[test]
fn numbers_read_back_with_their_type() {
    let value = json!([0, i64::MIN, i64::MAX, u64::MAX, 1.0, -0.5, 1e300, 1e-7, 2.5e-300]);
    let yaml = to_string(&value, Vec::new()).unwrap();
    assert_eq!(read_back(&yaml), value, "{yaml}");
    assert!(yaml.contains("- 1.0\n") && yaml.contains("- 1.0e+300\n"), "{yaml}");
}

#[test]
fn repeated_long_strings_are_written_once_then_aliased() {
    let program = "fn main() {}\n".repeat(40);
    let json_text = format!("{{\"program\": {:?}}}", program);
    let value = json!([
        { "command": ["sh", &program], "annotation": &json_text },
        { "command": ["sh", &program], "annotation": &json_text },
        { "command": ["sh", &program], "annotation": &json_text },
    ]);
    let yaml = to_string(&value, vec![program.as_str(), json_text.as_str()]).unwrap();
    assert_eq!(read_back(&yaml), value);
    // The program's 40 lines are written once, as a literal block.
    assert_eq!(yaml.matches("fn main() {}\n").count(), 40, "{yaml}");
    assert_eq!((yaml.matches("&a1 ").count(), yaml.matches("*a1\n").count()), (1, 2), "{yaml}");
    assert_eq!((yaml.matches("&a2 ").count(), yaml.matches("*a2\n").count()), (1, 2), "{yaml}");
}

#[test]
fn a_key_that_is_a_list_is_an_error_not_a_panic() {
    struct ListKey;
    impl serde::Serialize for ListKey {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap as _;
            let mut map = s.serialize_map(Some(1))?;
            map.serialize_entry(&[1, 2], "v")?;
            map.end()
        }
    }
    let error = to_string(&ListKey, Vec::new()).unwrap_err();
    assert!(error.to_string().contains("mapping key must be a string"), "{error}");
}

/// Fields declared out of key order, a map in insertion order, a program and an empty mapping.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Unsorted {
    zeta: Vec<Unsorted>,
    alpha: std::collections::BTreeMap<String, String>,
    program: String,
    #[serde(rename = "Z")]
    upper: Option<Box<Unsorted>>,
    pairs: Pairs,
}

/// A map that writes its entries as given, unsorted.
#[derive(serde::Serialize)]
struct Pairs(#[serde(serialize_with = "in_order")] Vec<(String, i64)>);

fn in_order<S: serde::Serializer>(pairs: &[(String, i64)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(key, value)| (key, value)))
}

#[test]
fn a_sorted_document_sorts_struct_fields_and_map_keys_at_every_level_as_the_json_form_does() {
    let leaf = |n: i64| Unsorted {
        zeta: Vec::new(),
        alpha: [("b".to_owned(), "2".to_owned()), ("a".to_owned(), "1".to_owned())].into(),
        program: "fn main() {\n\n    x();\n}\n".to_owned(),
        upper: None,
        pairs: Pairs(vec![("z".to_owned(), n), ("y y".to_owned(), 2), ("é".to_owned(), 3), ("A".to_owned(), 4)]),
    };
    let value = Unsorted {
        zeta: vec![leaf(1), leaf(2)],
        alpha: Default::default(),
        program: "one\ntwo".to_owned(),
        upper: Some(Box::new(leaf(3))),
        pairs: Pairs(Vec::new()),
    };
    let yaml = sorted_document(&value).unwrap();
    // Through `serde_json::Value`, whose maps are sorted by key, the same text.
    assert_eq!(yaml, to_string(&serde_json::to_value(&value).unwrap(), Vec::new()).unwrap());
    let top: Vec<&str> = yaml.lines().filter(|line| !line.is_empty() && !line.starts_with([' ', '-'])).collect();
    assert_eq!(top, ["Z:", "alpha: {}", "pairs: {}", "program: |-", "zeta:"], "{yaml}");
    assert!(yaml.contains("  pairs:\n    A: 4\n    y y: 2\n    z: 3\n    \"é\": 3\n"), "{yaml}");
    assert_eq!(read_back(&yaml), serde_json::to_value(&value).unwrap());
}

#[test]
fn a_long_string_repeated_without_anchors_is_written_in_full_at_each_place() {
    let program = "fn main() {\n    run();\n}\n".repeat(20);
    let value = json!({"a": [{"x": &program}, {"x": &program}, [&program, "short"]], "b": {"c": {"x": &program}}, "d": &program});
    let yaml = sorted_document(&value).unwrap();
    assert_eq!(read_back(&yaml), value, "{yaml}");
    assert_eq!(yaml.matches("    run();\n").count(), 5 * 20, "{yaml}");
    assert!(!yaml.contains('&') && !yaml.contains('*'), "no anchors: {yaml}");
}
