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
    // A block scalar's lines are right of its mapping's: this one has none.
    assert_eq!(refused(&format!("a:\n  b: |\n {deep}\n")).line, 3);
    assert_eq!(refused(&format!("a: |\n  text\nb: {deep}\n")).line, 3);
    assert_eq!(refused(&format!("a: >-\n\nb: {deep}\n")).line, 3);
    // A comment ends a plain scalar; the next line is structure again.
    assert_eq!(refused(&format!("a: text # c\n{deep}\n")).line, 2);
    // A tab after a plain scalar's second line is a separator, not an error.
    assert_eq!(refused(&format!("a:\n  b: [x\n c\t{deep}]\n")).line, 3);
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

/// The deepest flow nesting and the deepest block nesting libyaml's scanner
/// reaches in `text`, up to its first error, and whether it read to the end.
fn libyaml_depths(text: &str) -> (usize, usize, bool) {
    use unsafe_libyaml::*;
    // SAFETY: the parser is initialized before use and deleted after; each
    // token is deleted after it is read; `text` outlives the parser.
    unsafe {
        let mut parser = std::mem::MaybeUninit::<yaml_parser_t>::uninit();
        assert!(yaml_parser_initialize(parser.as_mut_ptr()).ok);
        let parser = parser.as_mut_ptr();
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING);
        yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as u64);
        let (mut flow, mut block, mut deepest) = (0usize, 0usize, (0, 0));
        let mut complete = false;
        loop {
            let mut token = std::mem::MaybeUninit::<yaml_token_t>::uninit();
            if yaml_parser_scan(parser, token.as_mut_ptr()).fail {
                break;
            }
            let token = token.as_mut_ptr();
            let kind = (*token).type_;
            match kind {
                YAML_FLOW_SEQUENCE_START_TOKEN | YAML_FLOW_MAPPING_START_TOKEN => flow += 1,
                YAML_FLOW_SEQUENCE_END_TOKEN | YAML_FLOW_MAPPING_END_TOKEN => flow = flow.saturating_sub(1),
                YAML_BLOCK_SEQUENCE_START_TOKEN | YAML_BLOCK_MAPPING_START_TOKEN => block += 1,
                YAML_BLOCK_END_TOKEN => block = block.saturating_sub(1),
                _ => {}
            }
            deepest = (deepest.0.max(flow), deepest.1.max(block));
            yaml_token_delete(token);
            if kind == YAML_STREAM_END_TOKEN {
                complete = true;
                break;
            }
        }
        yaml_parser_delete(parser);
        (deepest.0, deepest.1, complete)
    }
}

/// Why the scan refuses `text` with nesting limited to `max`, if it does.
fn refusal(text: &str, max: usize) -> Option<String> {
    match Scanner::new(text.as_bytes(), max).run() {
        Err(Halt::Refused(error)) => Some(error.problem),
        Ok(()) | Err(Halt::SyntaxError) => None,
    }
}

/// Random texts of YAML's indicators, scalars, breaks and indentation: the scan
/// refuses a text whenever libyaml's scanner nests flow or block collections
/// deeper than the limit (for that, or for a recursive alias it meets first),
/// also in texts libyaml stops reading with an error; and refuses none for
/// nesting that libyaml reads through nesting no deeper (where it
/// stops, it has looked ahead on the line past the tokens it gave). The two
/// differ by design in
/// one place: libyaml opens a block mapping before a flow collection that turns
/// out to be its first key (`[a]: b`), the scan when it reads the `:`.
#[test]
fn the_scan_nests_as_libyaml_does() {
    const PIECES: &[&str] = &[
        "[", "]", "{", "}", ":", ": ", ",", "- ", "-", "? ", "'", "\"", "|", ">", "#", " #", "\n", "\n  ", "\n ",
        "\n    ", "\t", "&a ", "*a", "!t ", "!!str ", "a", "b c", "\\", "'' ", "--- ", "\n---\n", "|2", "|-", "\r\n",
        "\u{85}", "\u{2028}", "é", "\u{FEFF}", "%Y\n", "...\n", "x: ", "  ", "!<t,[x]>",
    ];
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut random = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    for _ in 0..100_000 {
        let text: String = (0..random(60)).map(|_| PIECES[random(PIECES.len())]).collect();
        let (flow, block, complete) = libyaml_depths(&text);
        for max in 0..4 {
            if flow > max || block > max {
                let refused = refusal(&text, max).is_some();
                assert!(refused, "libyaml nests {flow} flow and {block} block levels, max {max}: {text:?}");
            }
            if complete && flow + block <= max {
                let too_deep = refusal(&text, max).is_some_and(|problem| problem.starts_with("nesting"));
                assert!(!too_deep, "libyaml nests {flow} + {block} levels, max {max}: {text:?}");
            }
        }
    }
}
