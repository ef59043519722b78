use std::path::{Path, PathBuf};

use super::*;

fn refused(text: &str) -> InputError {
    check_yaml(text).expect_err("the text is refused")
}

/// `check_yaml` passes `text` and serde_yaml reads it: the scan took nothing
/// legitimate for structure.
fn passes_and_parses(text: &str) -> serde_yaml::Value {
    if let Err(error) = check_yaml(text) {
        panic!("refused: {error}\n{text}");
    }
    serde_yaml::from_str(text).unwrap_or_else(|error| panic!("serde_yaml: {error}\n{text}"))
}

fn yaml_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            yaml_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "yaml" || extension == "json") {
            found.push(path);
        }
    }
}

#[test]
fn every_fixture_passes() {
    let mut files = Vec::new();
    yaml_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures"), &mut files);
    assert!(files.len() > 30, "fixtures found: {files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("fixture is UTF-8");
        if let Err(error) = check_yaml(&text) {
            panic!("{}: {error}", file.display());
        }
    }
}

#[test]
fn brackets_in_scalars_and_comments_are_not_structure() {
    let deep = "[{".repeat(MAX_NESTING);
    let texts = [
        format!("program: |\n  fn main() {{ let x = \"{deep}\"; }}\n  # {deep}\nnext: 1\n"),
        format!("program: |-\n    {deep}\n\n    '{deep}\n  \nnext: 1\n"),
        format!("- >+\n  {deep}\n   {deep}\n- |2\n   {deep}\n- x\n"),
        format!("single: 'it''s {deep}'\ndouble: \"\\\" {deep}\\\\\"\n"),
        format!("multi: \"{deep}\n  {deep}\"\nnext: '\n  {deep}'\n"),
        format!("plain: a{deep}\nword: x #{deep}\n# {deep}\nlist: [a, b] # {deep}\n"),
        format!("folded plain: some text\n  {deep} continues\nnext: 1\n"),
        format!("flow: [\"{deep}\", '{deep}', {{k: \"{deep}\"}}]\n"),
        format!("tag: !!str a{deep}\nanchored: &a |\n  {deep}\nagain: *a\n"),
        format!("--- |\n {deep}\n"),
        format!("\u{FEFF}key: |\n  {deep}\n"),
        format!("- key: |\n    {deep}\n  other: 1\n"),
    ];
    for text in &texts {
        passes_and_parses(text);
    }
}

#[test]
fn deep_flow_nesting_is_refused_where_it_passes_the_limit() {
    let error = refused(&format!("spec:\n  entrypoint: {}{}", "[".repeat(10_000), "]".repeat(10_000)));
    // `spec` and `entrypoint` are two levels of block mappings.
    assert_eq!((error.line, error.column), (2, 13 + MAX_NESTING));
    assert_eq!(
        error.to_string(),
        format!(
            "nesting deeper than 128 levels; lists and mappings may nest at most 128 deep at line 2 column {}",
            13 + MAX_NESTING
        )
    );
    let error = refused(&format!("a: {}", "{b: ".repeat(200)));
    assert_eq!((error.line, error.column), (1, 4 + 4 * (MAX_NESTING - 1)));
}

#[test]
fn the_limit_counts_block_and_flow_levels_together() {
    let at_limit = format!("{}{}{}", "- ".repeat(MAX_NESTING - 1), "[", "]");
    check_yaml(&at_limit).expect("128 levels pass");
    let over = format!("{}{}{}", "- ".repeat(MAX_NESTING - 1), "[[", "]]");
    assert_eq!(refused(&over).column, 2 * (MAX_NESTING - 1) + 2);
    let mut indented = String::new();
    for level in 0..200 {
        indented.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
    }
    assert_eq!(refused(&indented).line, MAX_NESTING + 1);
}

#[test]
fn structure_after_a_block_scalar_is_counted() {
    let deep = "[".repeat(200);
    // The less indented line ends the block scalar: libyaml reads it as tokens.
    assert_eq!(refused(&format!("a:\n  b: |\n    text\n {deep}\n")).line, 4);
    assert_eq!(refused(&format!("a: |\n  text\nb: {deep}\n")).line, 3);
    assert_eq!(refused(&format!("a: >-\n\nb: {deep}\n")).line, 3);
    // A comment ends a plain scalar; the next line is structure again.
    assert_eq!(refused(&format!("a: text # c\n{deep}\n")).line, 2);
    // A tab after a plain scalar's second line is a separator, not an error.
    assert_eq!(refused(&format!("a: [b\n c\t{deep}]\n")).line, 2);
}

#[test]
fn aliases_of_aliases_are_refused() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10 {
        bomb.push_str(&format!("a{level}: &a{level} [{}]\n", vec![format!("*a{}", level - 1); 10].join(", ")));
    }
    let error = refused(&bomb);
    assert!(error.problem.starts_with("aliases repeat more than 100000 nodes"), "{error}");
    assert_eq!(error.line, 5, "{error}");
}

#[test]
fn a_long_scalar_repeated_too_often_is_refused() {
    let text = format!("a: &a {}\nb: [{}]\n", "x".repeat(1 << 20), vec!["*a"; 80].join(", "));
    let error = refused(&text);
    assert!(error.problem.contains("bytes of text"), "{error}");
    // 16 times the text is allowed.
    let text = format!("a: &a {}\nb: [{}]\n", "x".repeat(1 << 20), vec!["*a"; 15].join(", "));
    check_yaml(&text).expect("15 repeats of the text pass");
}

#[test]
fn an_alias_inside_its_anchor_is_refused() {
    let error = refused("a: &a [1, *a]\n");
    assert_eq!(
        error.to_string(),
        "alias `*a` is inside the node of its anchor `&a`; a recursive document cannot be read at line 1 column 11"
    );
    refused("&top\na: 1\nb: *top\n");
}

#[test]
fn anchored_nodes_end_where_yaml_ends_them() {
    // Each alias is used after its anchor's node ended: none is recursive, and
    // the repeats stay far below the limits.
    let text = "\
list: &list
- 1
- 2
map: &map
  k: [1, 2]
  j: &scalar text
items:
- &item
  a: 1
- *item
- &flow {a: [1, 2]}
- *flow
copies: [*list, *map, *scalar, *item]
";
    let value = passes_and_parses(text);
    assert_eq!(value["copies"][0], value["list"]);
    assert_eq!(value["copies"][3], value["items"][1]);
}

#[test]
fn unknown_anchors_and_syntax_errors_are_left_to_the_parser() {
    for text in ["a: *nowhere", "a: 'unclosed", "a: [1, 2", "\tkey: 1", "a: |0\n  x\n"] {
        check_yaml(text).expect("serde_yaml reports it");
        assert!(serde_yaml::from_str::<serde_yaml::Value>(text).is_err(), "{text}");
    }
}

#[test]
fn columns_count_characters() {
    let error = refused(&format!("é: {}", "[".repeat(200)));
    assert_eq!(error.column, 3 + MAX_NESTING);
}
