// Tests of the wire format. The expected strings were produced by Python 3.11
// (`int`, `float`, `repr`, `json.dumps(..., sort_keys=True)`, `json.loads`);
// `python_cross_check` compares thousands more cases with a live python3. The JSON
// tests pass with and without serde_json's `float_roundtrip` feature.

use super::json::*;
use super::support::*;

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

/// A fresh directory for one test.
fn scratch_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kfp-wire-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|arg| arg.to_string()).collect()
}

#[test]
fn parse_int_accepts_what_python_int_accepts() {
    let cases: &[(&str, i64)] = &[
        ("42", 42),
        (" 42 ", 42),
        ("+3", 3),
        ("-3", -3),
        ("1_000", 1000),
        ("-0", 0),
        ("007", 7),
        ("0_0", 0),
        ("\t12\n", 12),
        ("\u{a0}12\u{3000}", 12),
        ("-9223372036854775808", i64::MIN),
        ("9_223_372_036_854_775_807", i64::MAX),
    ];
    for &(text, expected) in cases {
        assert_eq!(parse_int::<i64>(text), Ok(expected), "{text:?}");
    }
    assert_eq!(parse_int::<u8>("-0"), Ok(0));
    assert_eq!(parse_int::<u8>("0255"), Ok(255));
    assert_eq!(parse_int::<i128>("-170141183460469231731687303715884105728"), Ok(i128::MIN));
}

#[test]
fn parse_int_rejects_what_python_int_rejects() {
    // Python also reads non-ASCII decimal digits (`１２`, `٣`); kfp never writes them.
    for text in [
        "", " ", "3.0", "1e3", "1__0", "_1", "1_", "- 3", "+-3", "--3", "0x10", "3a", "\u{1c}1", "1,000", "１２", "٣",
        "-_1",
    ] {
        assert_eq!(parse_int::<i64>(text), Err(format!("invalid integer {text:?} for i64")));
    }
}

#[test]
fn parse_int_out_of_range_names_value_and_type() {
    assert_eq!(parse_int::<u8>("256").unwrap_err(), "invalid integer \"256\" for u8");
    assert_eq!(parse_int::<u32>(" -5 ").unwrap_err(), "invalid integer \" -5 \" for u32");
    assert_eq!(
        parse_int::<i64>("99999999999999999999").unwrap_err(),
        "invalid integer \"99999999999999999999\" for i64"
    );
}

#[test]
fn parse_float_accepts_what_python_float_accepts() {
    let cases: &[(&str, &str)] = &[
        ("2.5", "2.5"),
        (" 1e-05 ", "1e-05"),
        ("1_0.5", "10.5"),
        ("1.0_5", "1.05"),
        ("1e1_0", "10000000000.0"),
        ("3", "3.0"),
        ("-3", "-3.0"),
        ("inf", "inf"),
        ("-Infinity", "-inf"),
        ("+INF", "inf"),
        ("nAn", "nan"),
        ("+nan", "nan"),
        ("-nan", "nan"),
        ("1.", "1.0"),
        (".5", "0.5"),
        ("-.5e1", "-5.0"),
        ("1e400", "inf"),
        ("-1e400", "-inf"),
        ("5e-324", "5e-324"),
        ("2e-324", "0.0"),
        ("-0", "-0.0"),
        ("1E+5", "100000.0"),
    ];
    for &(text, expected) in cases {
        let value: f64 = parse_float(text).unwrap_or_else(|error| panic!("{text:?}: {error}"));
        assert_eq!(value.to_py_string(), expected, "{text:?}");
    }
    assert_eq!(parse_float::<f32>("0.1"), Ok(0.1_f32));
}

#[test]
fn parse_float_rejects_what_python_float_rejects() {
    for text in [
        "",
        "  ",
        "1_.5",
        "1._5",
        "_1",
        "1__0",
        ".",
        "1e",
        "e5",
        "1e+-5",
        "+-1",
        "infinity_",
        "in f",
        "0x1p3",
        "1,5",
        "1e5.0",
        "1.2.3",
        "nan(1)",
        "--1",
        "1 2",
        "١.٥",
        "1e_5",
        "in_f",
    ] {
        let error = parse_float::<f64>(text).unwrap_err();
        assert!(error.starts_with("invalid float "), "{text:?}: {error}");
    }
}

#[test]
fn parse_bool_is_strtobool_with_surrounding_whitespace_ignored() {
    for text in ["y", "YES", "t", "True", "on", "1", " true\n"] {
        assert_eq!(parse_bool(text), Ok(true), "{text:?}");
    }
    for text in ["n", "No", "f", "FALSE", "off", "0", "\tfalse "] {
        assert_eq!(parse_bool(text), Ok(false), "{text:?}");
    }
    for text in ["", "2", "tru", "yess", "-1", "nope", "t rue", "ｔrue"] {
        let error = parse_bool(text).unwrap_err();
        assert!(error.contains("expected one of y, yes, t, true, on, 1"), "{error}");
        assert!(error.contains(&format!("{text:?}")), "{error}");
    }
}

#[test]
fn format_bool_is_python_str() {
    assert_eq!(format_bool(true), "True");
    assert_eq!(format_bool(false), "False");
}

#[test]
fn floats_format_like_python_str() {
    let cases: &[(f64, &str)] = &[
        (2.5, "2.5"),
        (3.0, "3.0"),
        (0.0, "0.0"),
        (-0.0, "-0.0"),
        (0.1, "0.1"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (1.5e-7, "1.5e-07"),
        (1e16, "1e+16"),
        (1e15, "1000000000000000.0"),
        (123456789012345678.0, "1.2345678901234568e+17"),
        (12345.678, "12345.678"),
        (1e22, "1e+22"),
        (1.5e300, "1.5e+300"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
        (f64::NAN, "nan"),
        (-f64::NAN, "nan"),
    ];
    for &(value, expected) in cases {
        assert_eq!(value.to_py_string(), expected, "{value:e}");
    }
}

#[test]
fn float_ties_between_shortest_digits_go_to_even_like_python() {
    // Exactly halfway between two shortest candidates (written as quotients
    // because the literals themselves would be rounded by the compiler's
    // choice of digits): Python picks the even one.
    let cases: &[(f64, &str)] =
        &[(841_321_903_090_941.0 / 8.0, "105165237886367.62"), (-6_962_884_539_609_137.0 / 4.0, "-1740721134902284.2")];
    for &(value, expected) in cases {
        assert_eq!(value.to_py_string(), expected);
    }
    let cases: &[(f32, &str)] = &[(11_672_393.0 / 4.0, "2918098.2"), (3_174_333.0 / 8.0, "396791.62")];
    for &(value, expected) in cases {
        assert_eq!(value.to_py_string(), expected);
    }
}

#[test]
fn f32_uses_its_own_shortest_digits() {
    let cases: &[(f32, &str)] = &[
        (0.1, "0.1"),
        (2.5, "2.5"),
        (3.0, "3.0"),
        (-0.0, "-0.0"),
        (1e-5, "1e-05"),
        (16777216.0, "16777216.0"),
        (1e16, "1e+16"),
        (f32::MAX, "3.4028235e+38"),
        (f32::MIN_POSITIVE, "1.1754944e-38"),
        (f32::INFINITY, "inf"),
        (f32::NAN, "nan"),
    ];
    for &(value, expected) in cases {
        assert_eq!(value.to_py_string(), expected, "{value:e}");
    }
}

#[test]
fn input_and_output_paths() {
    let dir = scratch_dir("paths");
    let output: OutputPath = OutputPath::prepare(dir.join("model/data").to_str().unwrap()).unwrap();
    assert!(dir.join("model").is_dir());
    assert_eq!(output.path(), dir.join("model/data"));
    assert_eq!(output.file_name().unwrap(), "data");
    assert_eq!(output.to_string(), dir.join("model/data").display().to_string());
    std::fs::write(&output, "m").unwrap();

    let input: InputPath = InputPath::new(output.path());
    let as_path: &Path = input.as_ref();
    assert_eq!(std::fs::read_to_string(as_path).unwrap(), "m");
    assert_eq!(input.clone().into_path_buf(), output.clone().into_path_buf());
    assert_eq!(format!("{input:?}"), format!("InputPath({:?})", output.path()));
    assert_eq!(<InputPath>::new("/tmp/inputs/x/data").to_string(), "/tmp/inputs/x/data");
    let error = OutputPath::<artifacts::Dataset>::prepare(dir.join("model/data/x").to_str().unwrap()).err().unwrap();
    assert!(error.starts_with("cannot create the directory "), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// What `call` gives a body that takes no outputs: the text of each flag's value, or why
/// there is none; or the error that stopped it before the body.
fn values<const N: usize>(args: &[&str], flags: [&str; N]) -> Result<[Result<String, String>; N], String> {
    let mut seen = None;
    call(strings(args), flags, &[], |values| {
        seen = Some(values.map(|value| value.get(|text| Ok(text.to_owned()))));
        Ok(Vec::new())
    })?;
    Ok(seen.expect("the body ran"))
}

#[test]
fn call_reads_what_kfp_passes_and_writes_the_outputs() {
    let dir = scratch_dir("call");
    let (first, second) = (dir.join("outputs/Output/data"), dir.join("outputs/Other/data"));
    let mut seen = Vec::new();
    let args = strings(&[
        "--value-1",
        "-5",
        "--text=a=b",
        "--flag",
        "--not-a-flag",
        "----output-paths",
        first.to_str().unwrap(),
        second.to_str().unwrap(),
    ]);
    let flags = ["--value-1", "--text", "--flag", "--absent"];
    let called = call(args, flags, &[Ok, Ok], |[value_1, text, flag, absent]| {
        seen.push(value_1.get(parse_int::<i64>)?.to_string());
        seen.push(text.get(|text| Ok(text.to_owned()))?);
        seen.push(flag.get(|text| Ok(text.to_owned()))?);
        seen.push(format!("{:?}", absent.optional(parse_int::<i64>)?));
        Ok(strings(&["한국어 😀\n", ""]))
    });
    assert_eq!(called, Ok(()));
    assert_eq!(seen, ["-5", "a=b", "--not-a-flag", "None"]);
    assert_eq!(std::fs::read_to_string(&first).unwrap(), "한국어 😀\n");
    assert_eq!(std::fs::read_to_string(&second).unwrap(), "");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn call_takes_the_last_occurrence_and_empty_values() {
    let read = values(&["--a", "1", "--a", "2", "--b", "", "--c="], ["--a", "--b", "--c"]).unwrap();
    assert_eq!(read, [Ok("2".to_owned()), Ok(String::new()), Ok(String::new())]);
}

#[test]
fn call_ends_output_paths_at_the_next_flag() {
    let dir = scratch_dir("call-paths");
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let args = vec!["----output-paths".to_owned(), path("1"), "--late".to_owned(), "x".to_owned()];
    assert_eq!(call(args, ["--late"], &[Ok], |[late]| Ok(vec![late.get(|text| Ok(text.to_owned()))?])), Ok(()));
    assert_eq!(std::fs::read_to_string(path("1")).unwrap(), "x");
    let args = vec![format!("----output-paths={}", path("2")), path("3")];
    assert_eq!(call(args, [], &[Ok, Ok], |[]| Ok(strings(&["two", "three"]))), Ok(()));
    assert_eq!(std::fs::read_to_string(path("3")).unwrap(), "three");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn call_errors_say_what_to_do() {
    let [missing] = values(&[], ["--value-1"]).unwrap();
    assert_eq!(missing.unwrap_err(), "missing required argument --value-1: pass --value-1 <value>");
    assert_eq!(values(&["--x"], ["--x"]).unwrap_err(), "argument --x needs a value");
    assert_eq!(
        values(&["--a", "1", "--typo", "2"], ["--a", "--b"]).unwrap_err(),
        "unexpected argument \"--typo\"; this component accepts [\"--a\", \"--b\"]"
    );
    for stray in ["stray", "--", "a=b"] {
        let error = values(&[stray], []).unwrap_err();
        assert_eq!(error, format!("unexpected argument {stray:?}; this component accepts []"));
    }
    let error = values(&["----output-paths", "/o/1"], []).unwrap_err();
    assert_eq!(error, "----output-paths needs 0 path(s), got [\"/o/1\"]");
    let error = call(vec![], [], &[Ok, Ok], |[]| -> Result<Vec<String>, String> { panic!("not called") }).unwrap_err();
    assert_eq!(error, "----output-paths needs 2 path(s), got []");
    let error = call(strings(&["--x", "seven"]), ["--x"], &[], |[x]| x.get(parse_int::<i64>).map(|_| Vec::new()));
    assert_eq!(error.unwrap_err(), "input x: invalid integer \"seven\" for i64");

    let dir = scratch_dir("call-write");
    std::fs::create_dir_all(&dir).unwrap();
    let args = vec!["----output-paths".to_owned(), dir.to_str().unwrap().to_owned()];
    let error = call(args, [], &[Ok], |[]| Ok(strings(&["x"]))).unwrap_err();
    assert!(error.starts_with("cannot write output file"), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn call_reads_defaults_and_options_like_kfp() {
    let args = strings(&["--given", "7", "--note", "hi"]);
    let mut seen = None;
    let called = call(args, ["--given", "--absent", "--note", "--none"], &[], |[given, absent, note, none]| {
        let defaults = (given.get_or("100", parse_int::<i64>)?, absent.get_or("100", parse_int::<i64>)?);
        seen = Some((defaults, note.optional(|text| Ok(text.to_owned()))?, none.optional(parse_int::<i64>)?));
        Ok(Vec::new())
    });
    assert_eq!(called, Ok(()));
    assert_eq!(seen, Some(((7, 100), Some("hi".to_owned()), None)));
    let error = call(vec![], ["--bad"], &[], |[bad]| bad.get_or("x", parse_int::<i64>).map(|_| Vec::new()));
    assert_eq!(error.unwrap_err(), "input bad: invalid integer \"x\" for i64");
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Config {
    zeta: Vec<f64>,
    alpha: Option<String>,
    nested: BTreeMap<String, i64>,
    mode: Mode,
    ratio: f32,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum Mode {
    Fast,
    Slow(u32),
    Pair(i8, i8),
    Custom { level: u8 },
}

#[test]
fn to_json_matches_python_json_dumps_sort_keys() {
    let value = serde_json::json!({"b": 1, "a": [1, 2.5, null, true, false, "x"], "c": {}});
    assert_eq!(to_json(&value).unwrap(), r#"{"a": [1, 2.5, null, true, false, "x"], "b": 1, "c": {}}"#);
    assert_eq!(to_json("한국어 😀").unwrap(), r#""\ud55c\uad6d\uc5b4 \ud83d\ude00""#);
    let mut map = HashMap::new();
    for (key, value) in [("é", 1), ("e", 2), ("z", 3), ("😀", 4), ("\u{ffff}", 5), ("A", 6)] {
        map.insert(key, value);
    }
    assert_eq!(to_json(&map).unwrap(), r#"{"A": 6, "e": 2, "z": 3, "\u00e9": 1, "\uffff": 5, "\ud83d\ude00": 4}"#);
    assert_eq!(
        to_json(&[1e16, 1e-5, 0.1, 3.0, -0.0, 123456789.0, 1e22, 841_321_903_090_941.0 / 8.0]).unwrap(),
        "[1e+16, 1e-05, 0.1, 3.0, -0.0, 123456789.0, 1e+22, 105165237886367.62]"
    );
    assert_eq!(
        to_json("\u{0}\u{1}\u{8}\u{c}\u{1f}\u{7f}\u{80} /\\\"\u{2028}\r\n\t").unwrap(),
        r#""\u0000\u0001\b\f\u001f\u007f\u0080 /\\\"\u2028\r\n\t""#
    );
    assert_eq!(to_json(&(u64::MAX, i64::MIN, 1_i128)).unwrap(), "[18446744073709551615, -9223372036854775808, 1]");
    // Python writes any integer; serde_json's Value holds 64 bits.
    assert!(to_json(&i128::MAX).unwrap_err().contains("number out of range"));
    let empty: Vec<i32> = vec![];
    assert_eq!(to_json(&empty).unwrap(), "[]");
    assert_eq!(to_json(&BTreeMap::<String, i32>::new()).unwrap(), "{}");
    assert_eq!(to_json(&vec![Vec::<i32>::new()]).unwrap(), "[[]]");
    assert_eq!(to_json(&()).unwrap(), "null");
}

#[test]
fn to_json_sorts_struct_fields_and_formats_serde_shapes_like_serde_json() {
    let config = Config {
        zeta: vec![1.0, 0.5],
        alpha: None,
        nested: [("b".to_string(), 2), ("a".to_string(), 1)].into_iter().collect(),
        mode: Mode::Custom { level: 3 },
        ratio: 0.1,
    };
    let text = to_json(&config).unwrap();
    assert_eq!(
        text,
        // An f32 is widened to f64 on its way through serde_json's Value.
        r#"{"alpha": null, "mode": {"Custom": {"level": 3}}, "nested": {"a": 1, "b": 2}, "ratio": 0.10000000149011612, "zeta": [1.0, 0.5]}"#
    );
    assert_eq!(from_json::<Config>(&text).unwrap(), config);
    assert_eq!(to_json(&Mode::Fast).unwrap(), r#""Fast""#);
    assert_eq!(to_json(&Mode::Slow(7)).unwrap(), r#"{"Slow": 7}"#);
    assert_eq!(to_json(&Mode::Pair(-1, 2)).unwrap(), r#"{"Pair": [-1, 2]}"#);
    for mode in [Mode::Fast, Mode::Slow(7), Mode::Pair(-1, 2), Mode::Custom { level: 9 }] {
        assert_eq!(from_json::<Mode>(&to_json(&mode).unwrap()).unwrap(), mode);
    }
}

#[test]
fn to_json_turns_keys_into_strings_like_python() {
    let map: BTreeMap<i32, &str> = [(10, "a"), (9, "b")].into_iter().collect();
    // Sorted as the strings Python reads back, not numerically.
    assert_eq!(to_json(&map).unwrap(), r#"{"10": "a", "9": "b"}"#);
    assert_eq!(from_json::<BTreeMap<i32, String>>(r#"{"10": "a", "9": "b"}"#).unwrap().len(), 2);
    let map: BTreeMap<bool, i32> = [(true, 1), (false, 0)].into_iter().collect();
    assert_eq!(to_json(&map).unwrap(), r#"{"false": 0, "true": 1}"#);
    assert_eq!(from_json::<BTreeMap<bool, i32>>(r#"{"false": 0, "true": 1}"#).unwrap(), map);
    let map: HashMap<Vec<i32>, i32> = [(vec![1], 1)].into_iter().collect();
    assert!(to_json(&map).unwrap_err().contains("key must be a string"));
}

#[test]
fn to_json_refuses_nan_and_infinity() {
    #[derive(Serialize)]
    struct Metrics {
        name: &'static str,
        scores: Vec<Option<f32>>,
    }
    let errors = [
        to_json(&f64::NAN).unwrap_err(),
        to_json(&[1.0, f64::INFINITY]).unwrap_err(),
        to_json(&Metrics { name: "m", scores: vec![Some(1.0), Some(f32::NEG_INFINITY)] }).unwrap_err(),
        to_json(&BTreeMap::from([("loss", f64::NAN)])).unwrap_err(),
        to_json(&(1, (f64::NAN,))).unwrap_err(),
    ];
    for error in errors {
        assert!(error.contains("NaN/Infinity cannot be passed as JSON"), "{error}");
    }
    // A NaN key is refused too (by serde_json), and null stays null.
    assert!(to_json(&BTreeMap::from([(OrderedKey(f64::NAN), 1)])).is_err());
    assert_eq!(to_json(&(None::<f64>, ())).unwrap(), "[null, null]");
}

/// A float map key (f64 is not `Ord`).
#[derive(PartialEq, Serialize)]
struct OrderedKey(f64);

impl Eq for OrderedKey {}

impl PartialOrd for OrderedKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrderedKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[test]
fn from_json_reads_what_python_json_loads_reads() {
    let value: Vec<f64> = from_json("[-0.0, 1E+5, 2.5, 1e-05]").unwrap();
    assert_eq!(value, [-0.0, 1e5, 2.5, 1e-5]);
    assert!(value[0].is_sign_negative());
    assert_eq!(from_json::<i64>(" -7 ").unwrap(), -7);
    assert_eq!(from_json::<u128>("170141183460469231731687303715884105728").unwrap(), 1 << 127);
    assert_eq!(from_json::<f64>("100000000000000000000000000000000000000000").unwrap(), 1e41);
    assert_eq!(from_json::<String>(r#""\ud83d\ude00\uD55C\n\/""#).unwrap(), "😀한\n/");
    assert_eq!(from_json::<String>("\"한국어 😀\"").unwrap(), "한국어 😀");
    let map: BTreeMap<String, i32> = from_json(r#"{"a":1,"a":2}"#).unwrap();
    assert_eq!(map["a"], 2);
    assert_eq!(from_json::<Option<i32>>("null").unwrap(), None);
    assert_eq!(from_json::<Vec<Option<u8>>>("[1, null]").unwrap(), vec![Some(1), None]);
    assert_eq!(from_json::<(i32, String)>(r#"[1, "a"]"#).unwrap(), (1, "a".to_string()));
    let value: serde_json::Value = from_json(r#"{"k": [1, -2, 2.5, "s", true, null, {}]}"#).unwrap();
    assert_eq!(value, serde_json::json!({"k": [1, -2, 2.5, "s", true, null, {}]}));
}

#[test]
fn from_json_differs_from_python_where_documented() {
    // Python reads NaN, Infinity, 1e400 (inf), `-0` as an int, a repeated struct
    // field (last wins) and unpaired surrogates; serde_json does not.
    for text in ["NaN", "-Infinity", "1e400"] {
        assert!(from_json::<f64>(text).unwrap_err().contains(" at line 1 column "), "{text}");
    }
    assert!(from_json::<Vec<f64>>("[1, Infinity]").is_err());
    assert!(from_json::<i64>("-0").is_err());
    #[derive(Debug, Deserialize)]
    struct Point {
        #[allow(dead_code)]
        x: i32,
    }
    assert!(from_json::<Point>(r#"{"x": 1, "x": 2}"#).unwrap_err().contains("duplicate field `x`"));
    assert!(from_json::<String>(r#""\ud800""#).is_err());
    assert!(from_json::<String>(r#""\ude00\ud800x""#).is_err());
}

#[test]
fn from_json_rejects_what_python_json_loads_rejects() {
    for text in [
        "[1,]",
        r#"{"a":1,}"#,
        "01",
        "1.",
        ".5",
        "[1 2]",
        "\"\t\"",
        r#""\x""#,
        r#""\u12""#,
        "-",
        "--1",
        "+1",
        "-NaN",
        "infinity",
        "\u{feff}1",
        "1e",
        "tru",
        "nul",
        "\"abc",
        "{1:2}",
        "[]]",
        "",
        "[",
        "{\"a\"}",
        "\"\\",
    ] {
        let error = from_json::<serde_json::Value>(text).unwrap_err();
        assert!(error.starts_with("expected serde_json::value::Value as JSON, got "), "{text:?}: {error}");
        assert!(error.contains(" at line 1 column "), "{text:?}: {error}");
    }
    assert_eq!(
        from_json::<Vec<i32>>("[1,\n 2,\n x]").unwrap_err(),
        "expected alloc::vec::Vec<i32> as JSON, got \"[1,\\n 2,\\n x]\": expected value at line 3 column 2"
    );
    let error = from_json::<Vec<i32>>(&format!("[{}x]", "1, ".repeat(100))).unwrap_err();
    assert!(error.contains("... (303 bytes): expected value at line 1 column 302"), "{error}");
}

#[test]
fn from_json_type_errors_name_the_type_and_text() {
    let error = from_json::<Vec<i32>>(r#"[1, "two"]"#).unwrap_err();
    assert_eq!(
        error,
        r#"expected alloc::vec::Vec<i32> as JSON, got "[1, \"two\"]": invalid type: string "two", expected i32 at line 1 column 9"#
    );
    let error = from_json::<u8>("300").unwrap_err();
    assert!(error.contains("invalid value: integer `300`"), "{error}");
    assert!(from_json::<(i32, i32)>("[1, 2, 3]").is_err());
    assert!(from_json::<Mode>(r#"{"Fast": null, "Slow": 1}"#).is_err());
    assert!(from_json::<Mode>(r#""Medium""#).is_err());
    assert!(from_json::<Mode>(r#"{"Fast": 1}"#).is_err());
    assert_eq!(from_json::<Mode>(r#"{"Fast": null}"#).unwrap(), Mode::Fast);
}

#[test]
fn from_json_limits_nesting() {
    let ok = format!("{}{}", "[".repeat(127), "]".repeat(127));
    assert!(from_json::<serde_json::Value>(&ok).is_ok());
    let deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
    let error = from_json::<serde_json::Value>(&deep).unwrap_err();
    assert!(error.contains("recursion limit exceeded"), "{error}");
    let very_deep = "[".repeat(1_000_000);
    assert!(from_json::<serde_json::Value>(&very_deep).is_err());
}

#[test]
fn to_json_reads_back_with_from_json() {
    let mut rng = Rng(7);
    for _ in 0..500 {
        // Short decimals, which serde_json reads exactly even without `float_roundtrip`.
        let value = random_json(&mut rng, 0, short_decimal);
        let text = to_json(&value).unwrap();
        assert!(text.is_ascii(), "{text}");
        assert_eq!(from_json::<serde_json::Value>(&text).unwrap(), value, "{text}");
    }
}

/// splitmix64: a tiny deterministic generator for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A random text made of pieces chosen from `pool`.
fn random_text(rng: &mut Rng, pool: &[&str], max_pieces: usize) -> String {
    (0..rng.below(max_pieces + 1)).map(|_| *rng.pick(pool)).collect()
}

const STRING_POOL: &[&str] = &[
    "a",
    "Z",
    "0",
    " ",
    "~",
    "\"",
    "\\",
    "/",
    "\n",
    "\t",
    "\r",
    "\u{0}",
    "\u{8}",
    "\u{c}",
    "\u{1f}",
    "\u{7f}",
    "\u{80}",
    "é",
    "한",
    "국",
    "어",
    "😀",
    "\u{ffff}",
    "\u{10ffff}",
    "\u{2028}",
    "\u{e000}",
    "{",
    "]",
];

/// A random finite float: random bits, or a short decimal.
fn random_float(rng: &mut Rng) -> f64 {
    loop {
        let value = if rng.below(2) == 0 {
            f64::from_bits(rng.next())
        } else {
            let mantissa = rng.below(100_000) as f64;
            let exponent = rng.below(50) as i32 - 25;
            mantissa * 10f64.powi(exponent)
        };
        if value.is_finite() {
            return value;
        }
    }
}

/// A random float with at most 5 significant digits and a small exponent.
fn short_decimal(rng: &mut Rng) -> f64 {
    let text = format!("{}e{}", rng.below(100_000), rng.below(31) as i32 - 20);
    text.parse().unwrap()
}

fn random_json(rng: &mut Rng, depth: usize, float: fn(&mut Rng) -> f64) -> serde_json::Value {
    use serde_json::Value;
    match rng.below(if depth > 3 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => Value::from(rng.next() as i64 >> rng.below(64)),
        3 => Value::from(rng.next() >> rng.below(64)),
        4 => Value::from(float(rng)),
        5 => Value::String(random_text(rng, STRING_POOL, 8)),
        6 => Value::Array((0..rng.below(5)).map(|_| random_json(rng, depth + 1, float)).collect()),
        _ => Value::Object(
            (0..rng.below(5)).map(|_| (random_text(rng, STRING_POOL, 4), random_json(rng, depth + 1, float))).collect(),
        ),
    }
}

/// Answers one request per line, `kind<TAB>hex of UTF-8 text`, with one line.
const PYTHON_ORACLE: &str = r#"
import json, struct, sys
from fractions import Fraction

def layout(sign, digits, point):
    if -4 < point <= 16:
        if point <= 0:
            text = '0.' + '0' * -point + digits
        elif point < len(digits):
            text = digits[:point] + '.' + digits[point:]
        else:
            text = digits + '0' * (point - len(digits)) + '.0'
    else:
        text = digits[0] + ('.' + digits[1:] if len(digits) > 1 else '') + 'e%+03d' % (point - 1)
    return sign + text

def f32(bits):
    return struct.unpack('<f', struct.pack('<I', bits))[0]

def f32_repr(bits):
    x = f32(bits)
    if x != x:
        return 'nan'
    sign = '-' if bits >> 31 else ''
    if x in (float('inf'), float('-inf')):
        return sign + 'inf'
    if x == 0:
        return sign + '0.0'
    a = bits & 0x7fffffff
    value = Fraction(f32(a))
    below = Fraction(f32(a - 1))
    above = value + (value - below) if a + 1 == 0x7f800000 else Fraction(f32(a + 1))
    low, high = (below + value) / 2, (value + above) / 2
    even = a % 2 == 0
    def rounds_here(d):
        return low < d < high or (even and d in (low, high))
    for p in range(1, 18):
        mantissa, exponent = ('%.*e' % (p - 1, float(value))).split('e')
        base, scale = int(mantissa.replace('.', '')), int(exponent) - (p - 1)
        found = []
        for m, s in ((base, scale), (base - 1, scale), (base + 1, scale)):
            if m == 10 ** (p - 1) - 1:
                m, s = 10 ** p - 1, s - 1
            if m > 0:
                d = Fraction(m) * Fraction(10) ** s
                if rounds_here(d):
                    found.append((abs(d - value), m, s))
        if found:
            _, m, s = min(found, key=lambda t: t[0])
            digits = str(m)
            point = s + len(digits)
            return layout(sign, digits.rstrip('0') or '0', point)
    return 'UNREACHED'

def refuse(text):
    raise ValueError(text)

def finite(text):
    value = float(text)
    if value in (float('inf'), float('-inf')):
        raise ValueError(text)
    return value

def strtobool(text):
    text = text.lower()
    if text in ('y', 'yes', 't', 'true', 'on', '1'):
        return 'True'
    if text in ('n', 'no', 'f', 'false', 'off', '0'):
        return 'False'
    raise ValueError(text)

def answer(kind, text):
    if kind == 'f64':
        return repr(struct.unpack('<d', struct.pack('<Q', int(text)))[0])
    if kind == 'f32':
        return f32_repr(int(text))
    if kind == 'int':
        value = int(text)
        return str(value) if -2**127 <= value < 2**127 else 'ERR'
    if kind == 'u8':
        value = int(text)
        return str(value) if 0 <= value < 256 else 'ERR'
    if kind == 'float':
        return repr(float(text))
    if kind == 'bool':
        return strtobool(text.strip())
    if kind == 'dumps':
        return json.dumps(json.loads(text), sort_keys=True)
    if kind == 'loads':
        # Without what kfp-rs does not read: NaN, Infinity and floats out of range.
        json.loads(text, parse_constant=refuse, parse_float=finite)
        return 'OK'
    return 'UNKNOWN ' + kind

for line in sys.stdin:
    kind, hex_text = line.rstrip('\n').split('\t')
    try:
        result = answer(kind, bytes.fromhex(hex_text).decode('utf-8'))
    except Exception:
        result = 'ERR'
    print(result)
"#;

fn hex(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

/// Runs the oracle on `(kind, text)` requests; `None` if python3 is missing.
fn ask_python(requests: &[(&str, String)]) -> Option<Vec<String>> {
    let spawned =
        Command::new("python3").arg("-c").arg(PYTHON_ORACLE).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) => {
            eprintln!("skipping the Python cross-check: cannot run python3: {error}");
            return None;
        }
    };
    let input: String = requests.iter().map(|(kind, text)| format!("{kind}\t{}\n", hex(text))).collect();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success(), "python3 failed");
    let answers: Vec<String> = String::from_utf8(output.stdout).unwrap().lines().map(str::to_string).collect();
    assert_eq!(answers.len(), requests.len());
    Some(answers)
}

fn or_err<T>(result: Result<T, String>, show: impl Fn(T) -> String) -> String {
    result.map_or_else(|_| "ERR".to_string(), show)
}

/// What this crate answers to an oracle request.
fn answer(kind: &str, text: &str) -> String {
    match kind {
        "f64" => f64::from_bits(text.parse().unwrap()).to_py_string(),
        "f32" => f32::from_bits(text.parse().unwrap()).to_py_string(),
        "int" => or_err(parse_int::<i128>(text), |v| v.to_string()),
        "u8" => or_err(parse_int::<u8>(text), |v| v.to_string()),
        "float" => or_err(parse_float::<f64>(text), |v| v.to_py_string()),
        "bool" => or_err(parse_bool(text), |v| format_bool(v).to_string()),
        "loads" => or_err(from_json::<serde_json::Value>(text), |_| "OK".to_string()),
        _ => unreachable!(),
    }
}

#[test]
fn python_cross_check() {
    let mut rng = Rng(2024);
    let mut requests: Vec<(&str, String)> = Vec::new();

    let mut f64_values: Vec<f64> = vec![
        0.0,
        -0.0,
        5e-324,
        2.2250738585072014e-308,
        f64::MAX,
        1e16,
        9999999999999998.0,
        1e15,
        0.0001,
        0.00009999999999999999,
        1e-5,
        0.1 + 0.2,
        1.0 / 3.0,
        2f64.powi(53),
        2f64.powi(63),
        123456789.125,
    ];
    for exponent in -30..=30 {
        f64_values.push(10f64.powi(exponent));
        f64_values.push(-1.5 * 10f64.powi(exponent));
    }
    for _ in 0..3000 {
        f64_values.push(f64::from_bits(rng.next()));
        f64_values.push(random_float(&mut rng));
    }
    requests.extend(f64_values.iter().map(|v| ("f64", v.to_bits().to_string())));

    let mut f32_bits: Vec<u32> = vec![0, 1, 0x7f7f_ffff, 0x0080_0000, 0x8000_0000, 0x7f80_0000, 0x7fc0_0000];
    f32_bits.extend([0.1f32, 1e-5, 1e16, 16777216.0, 3.4e38, 1e-45].map(f32::to_bits));
    for _ in 0..3000 {
        f32_bits.push(rng.next() as u32);
        f32_bits.push((rng.below(100_000) as f32 * 10f32.powi(rng.below(40) as i32 - 20)).to_bits());
    }
    requests.extend(f32_bits.iter().map(|b| ("f32", b.to_string())));

    let number_pool = [
        "0", "1", "9", "5", "_", "+", "-", " ", "\t", ".", "e", "E", "a", "\u{a0}", "\u{1c}", "inf", "nan", "Infinity",
        "\n",
    ];
    for _ in 0..3000 {
        let text = random_text(&mut rng, &number_pool, 7);
        requests.push(("int", text.clone()));
        requests.push(("float", text));
    }
    for text in ["99999999999999999999999999999999999999999", "170141183460469231731687303715884105727"] {
        requests.push(("int", text.to_string()));
    }
    for _ in 0..500 {
        let text = format!("{}{}", rng.pick(&["", "-", "+", " ", "0"]), rng.below(300));
        requests.push(("u8", text));
    }

    let bool_pool =
        ["y", "Y", "e", "s", "t", "T", "r", "u", "E", "o", "n", "N", "f", "a", "l", "1", "0", " ", "\n", "\u{212a}"];
    for word in ["yes", "true", "on", "no", "false", "off", "YES", "True", "oN", "nO", "FaLsE", "OFF", " t ", "ye s"] {
        requests.push(("bool", word.to_string()));
    }
    for _ in 0..1000 {
        requests.push(("bool", random_text(&mut rng, &bool_pool, 5)));
    }

    // Compared with to_json of the value itself: serde_json may read floats back
    // inexactly (without its `float_roundtrip` feature).
    let mut dumps = Vec::new();
    for _ in 0..1000 {
        let value = random_json(&mut rng, 0, random_float);
        requests.push(("dumps", serde_json::to_string(&value).unwrap()));
        dumps.push(or_err(to_json(&value), |v| v));
    }
    let mut dumps = dumps.into_iter();
    let json_pool = [
        "[", "]", "{", "}", ",", ":", "\"a\"", "\"", "1", "-", "0", ".", "e", "NaN", "Infinity", "null", "true", " ",
        "\\u00e9", "\\", "\n", "1.5", "\"\\n\"", "한",
    ];
    for _ in 0..3000 {
        requests.push(("loads", random_text(&mut rng, &json_pool, 6)));
    }

    let Some(answers) = ask_python(&requests) else {
        return;
    };
    let mut failures = Vec::new();
    for ((kind, text), python) in requests.iter().zip(&answers) {
        let ours = if *kind == "dumps" { dumps.next().unwrap() } else { answer(kind, text) };
        if &ours != python {
            failures.push(format!("{kind} {text:?}: python {python:?}, rust {ours:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), requests.len(), failures.join("\n"));
}

#[test]
fn call_writes_floats_and_booleans_as_the_v2_launcher_reads_them_under_its_contract() {
    let dir = scratch_dir("call-v2");
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let outputs = [v2_float, v2_bool, Ok];
    let texts = || Ok(strings(&["1e-05", "True", "1e+16"]));
    let run = |contract: &str| {
        let args = vec!["----kfp-contract".to_owned(), contract.to_owned(), "----output-paths".to_owned()];
        call([args, vec![path("ratio"), path("flag"), path("text")]].concat(), [], &outputs, |[]| texts())
    };
    let read = || ["ratio", "flag", "text"].map(|name| std::fs::read_to_string(path(name)).unwrap());
    assert_eq!(run("v2"), Ok(()));
    assert_eq!(read(), ["0.00001", "true", "1e+16"]);
    assert_eq!(run("v1"), Ok(()));
    assert_eq!(read(), ["1e-05", "True", "1e+16"]);
    assert_eq!(run("v3").unwrap_err(), "----kfp-contract takes v1 or v2, got Some(\"v3\")");
    assert_eq!(v2_float("3.0".to_owned()), Ok("3".to_owned()));
    assert_eq!(v2_float("1e+16".to_owned()), Ok("10000000000000000".to_owned()));
    assert_eq!(v2_float("-inf".to_owned()).unwrap_err(), "-inf cannot be a KFP v2 NUMBER_DOUBLE, which is finite");
    let args = strings(&["----kfp-contract=v2", "----output-paths", &path("nan")]);
    let error = call(args, [], &[v2_float], |[]| Ok(strings(&["nan"]))).unwrap_err();
    assert_eq!(error, format!("output {}: nan cannot be a KFP v2 NUMBER_DOUBLE, which is finite", path("nan")));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_list_of_artifacts_is_read_from_the_executor_input_at_the_paths_kfp_mounts() {
    let executor_input = r#"{"inputs": {"artifacts": {"datasets": {"artifacts": [
        {"name": "a", "uri": "gs://bucket/run/a"}, {"name": "b", "uri": "minio://mlpipeline/b"},
        {"name": "c", "uri": "s3://bucket/c"}, {"name": "d", "uri": "/tmp/run/d"}]}}}}"#;
    let args = |value: &str| vec!["--datasets".to_owned(), value.to_owned()];
    let mut read = None;
    call(args(executor_input), ["--datasets"], &[], |[datasets]| {
        read = Some(datasets.artifact_paths::<()>(artifact_uris)?);
        Ok(vec![])
    })
    .unwrap();
    let paths: Vec<String> = read.unwrap().iter().map(ToString::to_string).collect();
    assert_eq!(paths, ["/gcs/bucket/run/a", "/minio/mlpipeline/b", "/s3/bucket/c", "/tmp/run/d"]);
    // No artifact (a loop over nothing): an empty list.
    let mut read = None;
    call(args(r#"{"inputs": {"artifacts": {}}}"#), ["--datasets"], &[], |[datasets]| {
        read = Some(datasets.artifact_paths::<()>(artifact_uris)?);
        Ok(vec![])
    })
    .unwrap();
    assert_eq!(read.unwrap(), Vec::new());
    let refused = call(args("not json"), ["--datasets"], &[], |[datasets]| {
        datasets.artifact_paths::<()>(artifact_uris).map(|_| vec![])
    })
    .unwrap_err();
    assert!(refused.starts_with("input datasets: expected serde_json::value::Value as JSON"), "{refused}");
}

#[test]
fn an_optional_list_of_artifacts_is_none_only_when_the_executor_input_has_none() {
    let args = |value: &str| vec!["--datasets".to_owned(), value.to_owned()];
    let read = |executor_input: &str| {
        let mut read = None;
        call(args(executor_input), ["--datasets"], &[], |[datasets]| {
            read = Some(datasets.optional_artifact_paths::<()>(artifact_uris)?);
            Ok(vec![])
        })
        .map(|()| read.unwrap().map(|paths| paths.iter().map(ToString::to_string).collect::<Vec<_>>()))
    };
    let given =
        r#"{"inputs": {"artifacts": {"datasets": {"artifacts": [{"uri": "gs://b/é 1"}, {"uri": "/tmp/r/d"}]}}}}"#;
    assert_eq!(read(given), Ok(Some(vec!["/gcs/b/é 1".to_owned(), "/tmp/r/d".to_owned()])));
    // Left out by the task: the launcher writes no such input.
    assert_eq!(read(r#"{"inputs": {"artifacts": {"other": {"artifacts": []}}}}"#), Ok(None));
    assert_eq!(read(r#"{"inputs": {}}"#), Ok(None));
    // Given, but a loop over nothing: an empty list, not `None`.
    assert_eq!(read(r#"{"inputs": {"artifacts": {"datasets": {"artifacts": []}}}}"#), Ok(Some(vec![])));
    let refused = read(r#"{"inputs": {"artifacts": {"datasets": {"artifacts": [{"name": "x"}]}}}}"#).unwrap_err();
    assert_eq!(refused, r#"input datasets: an artifact of the list has no uri: {"name":"x"}"#);
}

#[test]
fn executor_input_escapes_decode_surrogate_pairs_and_bmp_characters() {
    let dir = scratch_dir("executor_input_escapes");
    // As Go's encoding/json escapes them: 😀 as a UTF-16 surrogate pair, 한 as one escape.
    let escaped = format!("{}/\\ud83d\\ude00\\ud55c/executor_output.json", dir.display());
    let input = format!("{{\"outputs\": {{\"outputFile\": \"{escaped}\", \"artifacts\": {{}}}}}}");
    let (args, executor) = executor_output(strings(&["--x", "1", "----executor-input", &input])).unwrap();
    assert_eq!(args, strings(&["--x", "1"]));
    finish_metadata(executor.as_ref(), &args, &[], &[]).unwrap();
    let written = std::fs::read_to_string(dir.join("😀한").join("executor_output.json")).unwrap();
    assert_eq!(written, "{\"artifacts\": {}}");
}

#[cfg(unix)]
#[test]
fn a_returned_directory_holding_a_symbolic_link_is_refused_naming_it() {
    let dir = scratch_dir("returned-link");
    let made = dir.join("made");
    std::fs::create_dir_all(&made).unwrap();
    std::os::unix::fs::symlink(&dir, made.join("up")).unwrap();
    let output = dir.join("outputs").join("Output");
    let args = strings(&["----output-paths", output.to_str().unwrap()]);
    let error = call_with(args, [], &[Out::Artifact], |[]| Ok(vec![made.display().to_string()])).unwrap_err();
    let link = made.join("up");
    assert!(error.contains(&format!("{} is a symbolic link", link.display())), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}
