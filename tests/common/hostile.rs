//! Hostile YAML of about 1 MiB of each kind, placed as the value of one key of
//! a document, for tests/hostile_input.rs and benches/input.rs.

/// About how long each hostile value is.
pub const SIZE: usize = 1 << 20;

/// What reading a kind must give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Refused before parsing: nesting deeper than 128 levels.
    TooDeep,
    /// Refused before parsing: aliases repeat too much.
    TooRepetitive,
    /// Read by the parser (then accepted or refused for what it holds).
    Parsed,
}

/// One hostile document.
pub struct Hostile {
    pub kind: &'static str,
    pub expect: Expect,
    pub text: String,
}

/// Every kind, as the value of `key` (indented `indent` spaces, inside `levels`
/// block mappings) after `head` (whole lines).
pub fn documents(head: &str, key: &str, indent: usize, levels: usize) -> Vec<Hostile> {
    let pad = " ".repeat(indent);
    let inline = |node: String| format!("{head}{pad}{key}: {node}\n");
    let half = SIZE / 2;
    let deep_braces = SIZE / 4;
    let list = vec!["x"; half / 3].join(", ");
    let aliases = vec!["*a"; half / 4].join(", ");
    let mut chain = String::from("[&a0 [x, x, x, x, x, x, x, x, x, x]");
    for level in 1..30 {
        chain.push_str(&format!(", &a{level} [{}]", vec![format!("*a{}", level - 1); 10].join(", ")));
    }
    chain.push(']');
    // As deep as the limit (128) lets each item of a list be, as often as fits.
    let deepest = 128 - levels - 1;
    let at_limit_lists = format!("{}{}", "[".repeat(deepest), "]".repeat(deepest));
    let at_limit_maps = format!("{}x{}", "{a: ".repeat(deepest), "}".repeat(deepest));
    let repeated = |unit: &str| format!("[{}]", vec![unit; SIZE / (unit.len() + 2)].join(", "));
    let mut keys = format!("{head}{pad}{key}:\n");
    for index in 0..100_000 {
        keys.push_str(&format!("{pad}  k{index}: v\n"));
    }
    vec![
        Hostile {
            kind: "flow lists",
            expect: Expect::TooDeep,
            text: inline(format!("{}{}", "[".repeat(half), "]".repeat(half))),
        },
        Hostile {
            kind: "flow mappings",
            expect: Expect::TooDeep,
            text: inline(format!("{}x{}", "{a: ".repeat(deep_braces), "}".repeat(deep_braces))),
        },
        Hostile {
            kind: "block lists",
            expect: Expect::TooDeep,
            text: format!("{head}{pad}{key}:\n{pad}  {}x\n", "- ".repeat(half)),
        },
        Hostile { kind: "alias chain", expect: Expect::TooRepetitive, text: inline(chain) },
        Hostile {
            kind: "aliases of a long list",
            expect: Expect::TooRepetitive,
            text: inline(format!("[&a [{list}], {aliases}]")),
        },
        Hostile {
            kind: "aliases of a long scalar",
            expect: Expect::TooRepetitive,
            text: inline(format!("[&a {}, {aliases}]", "x".repeat(half))),
        },
        Hostile {
            kind: "lists at the limit, repeated",
            expect: Expect::Parsed,
            text: inline(repeated(&at_limit_lists)),
        },
        Hostile {
            kind: "mappings at the limit, repeated",
            expect: Expect::Parsed,
            text: inline(repeated(&at_limit_maps)),
        },
        Hostile { kind: "long scalar", expect: Expect::Parsed, text: inline("x".repeat(SIZE)) },
        Hostile { kind: "100,000 keys", expect: Expect::Parsed, text: keys },
    ]
}

/// The head of a Workflow whose `spec.entrypoint` is the hostile value.
pub fn workflows() -> Vec<Hostile> {
    documents(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: hostile-\nspec:\n",
        "entrypoint",
        2,
        2,
    )
}

/// The head of a component.yaml whose container image is the hostile value.
pub fn components() -> Vec<Hostile> {
    documents("name: hostile\nimplementation:\n  container:\n", "image", 4, 3)
}
