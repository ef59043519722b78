//! The program a function component runs: the function's own source, the
//! pieces of kfp's wire format its signature needs and a generated `main`,
//! compiled inside the image at start.

use std::fmt::Write as _;

use super::steps::{ReadFrom, Step, V2Text, Write};
use super::FunctionDef;
use crate::types::Kind;
use crate::wire::{JSON_SOURCE, SUPPORT_SOURCE};

/// The container command: a shell script that writes the program (`$0`), builds
/// it with rustc (or cargo when crates are needed, into its own `target` whatever
/// `CARGO_TARGET_DIR` says) and runs it with the args.
pub(super) fn command(def: &FunctionDef) -> Vec<String> {
    let (build, binary) = match cargo_files(def) {
        None => (
            "dir=$(mktemp -d)\n\
             printf \"%s\" \"$0\" > \"$dir/main.rs\"\n\
             rustc --edition 2021 -O -A warnings -o \"$dir/component\" \"$dir/main.rs\"\n"
                .to_owned(),
            RUSTC_BINARY,
        ),
        Some((manifest, lock)) => (
            format!(
                "dir=$(mktemp -d)\n\
                 mkdir -p \"$dir/src\"\n\
                 printf \"%s\" \"$0\" > \"$dir/src/main.rs\"\n\
                 cat > \"$dir/Cargo.toml\" <<'KFP_MANIFEST'\n{manifest}KFP_MANIFEST\n\
                 {}\
                 cargo build --quiet --release --manifest-path \"$dir/Cargo.toml\" --target-dir \"$dir/target\"\n",
                lock.map_or_else(String::new, |lock| lock_script(def.locked.format, &lock)),
            ),
            CARGO_BINARY,
        ),
    };
    vec!["sh".to_owned(), "-ec".to_owned(), format!("{build}{}", exec_line(binary)), program_source(def)]
}

/// Where the rustc build of [`command`] leaves the program.
const RUSTC_BINARY: &str = "$dir/component";
/// Where the cargo build of [`command`] leaves the program.
const CARGO_BINARY: &str = "$dir/target/release/component";

/// The last line of a generated script: the program replaces the shell.
fn exec_line(binary: &str) -> String {
    format!("exec \"{binary}\" \"$@\"\n")
}

/// A function component's container command, in its two parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramCommand<'a> {
    /// The script up to the build: it writes the program from `$0` and builds it.
    pub build: &'a str,
    /// Where the build leaves the program, as the script names it (`$dir/component`).
    pub binary: &'static str,
    /// The program's source, the script's `$0`.
    pub source: &'a str,
}

/// The parts of `command` when it is a function component's container command
/// (or one saved from it and loaded back); `None` for any other command.
pub fn split_command<S: AsRef<str>>(command: &[S]) -> Option<ProgramCommand<'_>> {
    let [sh, flags, script, source] = command else { return None };
    if sh.as_ref() != "sh" || flags.as_ref() != "-ec" {
        return None;
    }
    let script = script.as_ref();
    [RUSTC_BINARY, CARGO_BINARY].into_iter().find_map(|binary| {
        let build = script.strip_suffix(&exec_line(binary))?;
        build.starts_with("dir=$(mktemp -d)\n").then_some(ProgramCommand { build, binary, source: source.as_ref() })
    })
}

/// Shell that writes the program's Cargo.lock from `lines` (see [`lock_lines`]):
/// a line per package is half the size of its TOML.
fn lock_script(format: u32, lines: &str) -> String {
    format!(
        "echo 'version = {format}' > \"$dir/Cargo.lock\"\n\
         while read -r n v s c d; do\n\
         [ \"$s\" = - ] && s={CRATES_IO}\n\
         printf '\\n[[package]]\\nname = \"%s\"\\nversion = \"%s\"\\nsource = \"%s\"\\n' \"$n\" \"$v\" \"$s\"\n\
         [ \"$c\" = - ] || printf 'checksum = \"%s\"\\n' \"$c\"\n\
         printf 'dependencies = [%s]\\n' \"$d\"\n\
         done >> \"$dir/Cargo.lock\" <<'KFP_LOCK'\n{lines}KFP_LOCK\n"
    )
}

/// The `source` of crates.io packages in a Cargo.lock.
const CRATES_IO: &str = "registry+https://github.com/rust-lang/crates.io-index";

/// The Cargo.toml of the program and, when `#[component]` read the user's
/// Cargo.lock, the lines of the program's lock; `None` when plain rustc builds it.
fn cargo_files(def: &FunctionDef) -> Option<(String, Option<String>)> {
    let json = def.uses_json();
    if def.packages_to_install.is_empty() && !json {
        return None;
    }
    // `[workspace]`: a root of its own, though a local run may build it inside the user's workspace.
    let mut manifest = String::from(
        "[package]\nname = \"component\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[workspace]\n\n[dependencies]\n",
    );
    let mut named: Vec<&str> = Vec::new();
    // The packages the program depends on, by name and exact version, when pinned.
    let mut roots: Vec<(&str, &str)> = Vec::new();
    for package in def.packages_to_install {
        let (line, name, version) = dependency_line(package);
        named.push(name);
        roots.extend(version.strip_prefix('=').map(|version| (name, version)));
        manifest.push_str(&line);
    }
    if json {
        let locked = &def.locked;
        for (name, pinned, features) in
            [("serde", locked.serde, "derive"), ("serde_json", locked.serde_json, "float_roundtrip")]
        {
            if !named.contains(&name) {
                let version = pinned.map_or_else(|| "1".to_owned(), |version| format!("={version}"));
                let _ = writeln!(manifest, "{name} = {{ version = {version:?}, features = [\"{features}\"] }}");
                roots.extend(pinned.map(|version| (name, version)));
            }
        }
    }
    // As rustc's `-A warnings`: the wire's unused pieces are no news in the pod's log.
    manifest.push_str("\n[lints.rust]\nunused = \"allow\"\n");
    let lock = (def.locked.format != 0 && !roots.is_empty()).then(|| lock_lines(&def.locked, &roots));
    Some((manifest, lock))
}

/// The lines of `locked.packages` that `roots` reach, in order.
fn lock_lines(locked: &Locked, roots: &[(&str, &str)]) -> String {
    let packages: Vec<&str> = locked.packages.lines().collect();
    fn field(line: &str, at: usize) -> &str {
        line.splitn(5, ' ').nth(at).unwrap_or_default()
    }
    // A package as Cargo.lock names it: `name`, `name version` or `name version (source)`.
    let find = |reference: &str| {
        let mut parts = reference.split(' ');
        let (name, version) = (parts.next().unwrap_or_default(), parts.next());
        packages.iter().position(|line| field(line, 0) == name && version.is_none_or(|v| field(line, 1) == v))
    };
    let mut reached: Vec<usize> =
        roots.iter().filter_map(|(name, version)| find(&format!("{name} {version}"))).collect();
    let mut at = 0;
    while let Some(&line) = reached.get(at).map(|&index| &packages[index]) {
        for reference in field(line, 4).split(',').filter(|reference| !reference.is_empty()) {
            if let Some(index) = find(reference.trim_matches('"')) {
                if !reached.contains(&index) {
                    reached.push(index);
                }
            }
        }
        at += 1;
    }
    reached.sort_unstable();
    reached.dedup();
    reached.iter().map(|&index| format!("{}\n", packages[index])).collect()
}

/// The crates of the user's Cargo.lock a component's program may need, as
/// `#[component]` read them: its listed packages, serde and serde_json, and
/// what these depend on. The program's build is pinned to them, so the pod
/// runs the versions the user's crate was built and tested with.
#[derive(Clone, Copy, Debug, Default)]
pub struct Locked {
    /// The lock file's `version`; 0 when the macro found no Cargo.lock, and
    /// then the program takes the versions as written.
    pub format: u32,
    /// The serde the user's crate builds with, for programs that speak JSON.
    pub serde: Option<&'static str>,
    /// The serde_json the user's crate builds with.
    pub serde_json: Option<&'static str>,
    /// The packages, a line each, as the container script reads them:
    /// `name version source checksum "dependency",...`, with `-` for the
    /// crates.io source and for no checksum (git sources have none);
    /// dependencies as Cargo.lock names them (`rand`, `getrandom 0.2.17`).
    pub packages: &'static str,
}

/// `name@version[feature,...]` as a Cargo.toml dependency line, with the name
/// and the version requirement; the macro has checked the syntax already.
fn dependency_line(package: &str) -> (String, &str, &str) {
    let (spec, features) = match package.split_once('[') {
        Some((spec, rest)) => (spec, rest.trim_end_matches(']')),
        None => (package, ""),
    };
    let (name, version) = spec.split_once('@').unwrap_or((spec, "*"));
    let features: Vec<String> = features
        .split(',')
        .map(str::trim)
        .filter(|feature| !feature.is_empty())
        .map(|feature| format!("{feature:?}"))
        .collect();
    let line = if features.is_empty() {
        format!("{name} = {version:?}\n")
    } else {
        format!("{name} = {{ version = {version:?}, features = [{}] }}\n", features.join(", "))
    };
    (line, name, version)
}

/// The complete source of the component's program.
pub fn program_source(def: &FunctionDef) -> String {
    let support = split_pieces(SUPPORT_SOURCE);
    let json = split_pieces(JSON_SOURCE);
    let steps = def.steps();
    let shipped = with_needs(needed_pieces(def, &steps), &support.iter().chain(&json).collect::<Vec<_>>());
    let mut out = format!("// The `{}` component, generated by kfp-rs.\n", def.fn_name);
    if shipped.contains(&"paths") {
        // A glob, so that a type of the program's own named like one of them wins.
        out.push_str("use __kfp::artifacts::*;\nuse __kfp::{InputPath, OutputPath};\n");
    }
    if shipped.contains(&"returned") {
        out.push_str("use __kfp::{get_uri, OutputArtifact};\n");
    }
    if shipped.contains(&"untyped") {
        out.push_str("use __kfp::Untyped;\n");
    }
    out.push('\n');
    out.push_str(def.source.trim());
    out.push_str("\n\n");
    for source in def.shipped.sources() {
        out.push_str(source.trim());
        out.push_str("\n\n");
    }
    let text = |pieces: &[Piece]| -> String {
        pieces.iter().filter(|piece| shipped.contains(&piece.name)).map(|piece| piece.text.as_str()).collect()
    };
    out.push_str("mod __kfp {\n");
    out.push_str(&text(&support));
    if shipped.contains(&"json") {
        let _ = write!(out, "pub mod json {{\n{}}}\n", text(&json));
    }
    out.push_str("}\n\n");
    out.push_str(&main_source(def, &steps));
    out
}

/// The wire pieces the function uses: those its steps read and write with, and
/// those of the types its body names.
fn needed_pieces(def: &FunctionDef, steps: &[Step]) -> Vec<&'static str> {
    let mut needed = vec![CORE];
    for step in steps {
        match step {
            Step::Read(read) => {
                needed.extend(match read.from {
                    ReadFrom::Value(_) => None,
                    ReadFrom::ValueOr(..) => Some("default"),
                    ReadFrom::Optional(_) => Some("optional"),
                    ReadFrom::InputPath | ReadFrom::OutputPath => Some("paths"),
                    ReadFrom::InputPaths => Some("artifact_list"),
                    ReadFrom::OptionalInputPaths => Some("optional_artifact_list"),
                    ReadFrom::OptionalInputPath => Some("optional"),
                });
                if read.from == ReadFrom::OptionalInputPath {
                    needed.push("paths");
                }
                if matches!(read.from, ReadFrom::InputPaths | ReadFrom::OptionalInputPaths) {
                    needed.push("artifact_uris");
                }
                // A file the function writes may be an artifact, whose metadata it may set.
                if read.from == ReadFrom::OutputPath {
                    needed.push("metadata");
                }
                if let ReadFrom::Value(kind) | ReadFrom::ValueOr(kind, _) | ReadFrom::Optional(kind) = read.from {
                    needed.extend(match kind {
                        Kind::Integer => Some("int"),
                        Kind::Float => Some("float"),
                        Kind::Boolean => Some("bool"),
                        Kind::Json => Some("json"),
                        Kind::Untyped => Some("untyped"),
                        Kind::String | Kind::Artifact => None,
                    });
                }
            }
            Step::Call(_) => {}
            Step::Write(write) => needed.extend(match write.kind {
                Kind::Float => Some("pyfloat"),
                Kind::Boolean => Some("bool"),
                Kind::Json => Some("json"),
                Kind::Untyped => Some("untyped"),
                Kind::Artifact => Some("returned"),
                Kind::Integer | Kind::String => None,
            }),
        }
    }
    if def.source.contains("InputPath") || def.source.contains("OutputPath") {
        needed.push("paths");
    }
    if def.source.contains("OutputArtifact") || def.source.contains("get_uri") {
        needed.push("returned");
    }
    if def.source.contains("Untyped") {
        needed.push("untyped");
    }
    needed
}

/// The name of the part of a wire file before its first piece, in every program.
const CORE: &str = "core";

/// A part of a wire file: its core or a `// piece: NAME [needs NAME...]`, with the
/// text a program ships: no comment lines and no indentation (safe, as no string
/// literal of the wire files spans lines; a test checks it).
pub(super) struct Piece {
    pub name: &'static str,
    pub needs: Vec<&'static str>,
    pub text: String,
}

/// The core and the pieces of a wire file, in order.
pub(super) fn split_pieces(source: &'static str) -> Vec<Piece> {
    let mut pieces = vec![Piece { name: CORE, needs: Vec::new(), text: String::new() }];
    for line in source.lines().map(str::trim) {
        if let Some(header) = line.strip_prefix("// piece: ") {
            let (name, needs) = header.split_once(" needs ").unwrap_or((header, ""));
            pieces.push(Piece { name, needs: needs.split_whitespace().collect(), text: String::new() });
        } else if !line.is_empty() && !line.starts_with("//") {
            let text = &mut pieces.last_mut().expect("the core comes first").text;
            text.push_str(line);
            text.push('\n');
        }
    }
    pieces
}

/// `names` with the pieces of `all` they need, and those these need.
pub(super) fn with_needs(mut names: Vec<&'static str>, all: &[&Piece]) -> Vec<&'static str> {
    let mut at = 0;
    while let Some(name) = names.get(at) {
        let piece = all.iter().find(|piece| piece.name == *name).unwrap_or_else(|| panic!("no wire piece {name}"));
        for need in &piece.needs {
            if !names.contains(need) {
                names.push(need);
            }
        }
        at += 1;
    }
    names
}

/// `main`: the wire's `call` reads the command line, the body walks the steps
/// (a line per read, the call, the outputs' texts for `call` to write).
fn main_source(def: &FunctionDef, steps: &[Step]) -> String {
    let display = def.name.map_or_else(|| super::component_name(def.fn_name), str::to_owned);
    let mut flags = Vec::new();
    let mut names = Vec::new();
    let mut args = Vec::new();
    let mut body = String::new();
    let mut call = String::new();
    let mut writes = Vec::new();
    // The files the function writes, as `(flag, name)`: artifacts among them get metadata.
    let mut written_files = Vec::new();
    for step in steps {
        match step {
            Step::Read(read) => {
                let name = rust_ident(read.name);
                flags.push(format!("{:?}", read.flag));
                args.push(format!("{}{}", if read.by_ref { "&" } else { "" }, name));
                let _ = writeln!(body, "        let {0}: {1} = {0}.{2}?;", name, read.rust_type, read_call(&read.from));
                if read.from == ReadFrom::OutputPath {
                    written_files.push(format!("({:?}, {:?})", read.flag, read.name));
                }
                names.push(name);
            }
            Step::Call(step) => {
                call = format!("crate::{}({})", step.fn_name, args.join(", "));
                if step.fallible {
                    call.push_str(".map_err(|e| e.to_string())?");
                }
            }
            Step::Write(write) => writes.push(write),
        }
    }
    let texts: Vec<String> = match writes.as_slice() {
        [] => {
            let _ = writeln!(body, "        {call};");
            Vec::new()
        }
        [write] if !write.field => vec![serialize(&call, write.kind)],
        _ => {
            let _ = writeln!(body, "        let result = {call};");
            writes.iter().map(|write| serialize(&format!("result.{}", rust_ident(write.name)), write.kind)).collect()
        }
    };
    match texts.as_slice() {
        [_, _, ..] => {
            let _ = writeln!(body, "        Ok(vec![\n            {},\n        ])", texts.join(",\n            "));
        }
        _ => {
            let _ = writeln!(body, "        Ok(vec![{}])", texts.join(", "));
        }
    }
    let v2_text = |write: &Write| match write.v2_text() {
        V2Text::Same => "Ok",
        V2Text::Float => "__kfp::v2_float",
        V2Text::Bool => "__kfp::v2_bool",
    };
    // Returned artifacts are placed, not written: `call_with` tells them apart.
    let returns_artifacts = writes.iter().any(|write| write.kind == Kind::Artifact);
    let outputs: Vec<String> = (writes.iter())
        .map(|write| match (returns_artifacts, write.kind) {
            (false, _) => v2_text(write).to_owned(),
            (true, Kind::Artifact) => "__kfp::Out::Artifact".to_owned(),
            (true, _) => format!("__kfp::Out::Text({})", v2_text(write)),
        })
        .collect();
    let call_fn = if returns_artifacts { "call_with" } else { "call" };
    // The artifacts it returns, as `(place among the outputs, name)`: they get metadata too.
    let returned: Vec<String> = (writes.iter().enumerate())
        .filter(|(_, write)| write.kind == Kind::Artifact)
        .map(|(at, write)| format!("({at}, {:?})", write.name))
        .collect();
    // Braces of the name would be format arguments.
    let failure = format!("{}: {{message}}", display.replace('{', "{{").replace('}', "}}"));
    // Under KFP v2 a program with output files takes kfp's executor input and writes the executor
    // output, with the metadata the function set on its artifacts.
    let (start, finish) = if written_files.is_empty() && returned.is_empty() {
        ("    let args = std::env::args().skip(1).collect();\n".to_owned(), String::new())
    } else {
        (
            format!(
                "    let (args, executor) = __kfp::executor_output(std::env::args().skip(1).collect()).unwrap_or_else(|message| {{\n        \
                 eprintln!({failure:?});\n        std::process::exit(1)\n    }});\n    \
                 let written: Vec<String> = args.clone();\n"
            ),
            format!(
                "let run = run.and_then(|()| __kfp::finish_metadata(executor.as_ref(), &written, &[{}], &[{}]));\n    ",
                written_files.join(", "),
                returned.join(", ")
            ),
        )
    };
    format!(
        "fn main() {{\n{start}    \
         let run = __kfp::{call_fn}(args, [{}], &[{}], |[{}]| {{\n{body}    }});\n    \
         {finish}if let Err(message) = run {{\n        eprintln!({failure:?});\n        std::process::exit(1);\n    }}\n}}\n",
        flags.join(", "),
        outputs.join(", "),
        names.join(", "),
    )
}

/// `name` as a Rust identifier: a parameter the user wrote `r#type` is the input `type`
/// (as kfp names it), so a keyword gets its `r#` back in the program's source.
fn rust_ident(name: &str) -> String {
    // Rust 2021's strict and reserved keywords that may be raw identifiers.
    const KEYWORDS: &[&str] = &[
        "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
        "extern", "false", "final", "fn", "for", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
        "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type",
        "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// The method call that reads a parameter from its `Arg`.
fn read_call(from: &ReadFrom) -> String {
    let parse = |kind: &Kind| match kind {
        Kind::Integer => "__kfp::parse_int",
        Kind::Float => "__kfp::parse_float",
        Kind::Boolean => "__kfp::parse_bool",
        Kind::Json => "__kfp::json::from_json",
        Kind::Untyped => "|text| Ok(Untyped(text.into()))",
        Kind::String | Kind::Artifact => "|text| Ok(text.into())",
    };
    match from {
        ReadFrom::ValueOr(kind, default) => format!("get_or({default:?}, {})", parse(kind)),
        ReadFrom::Value(kind) => format!("get({})", parse(kind)),
        ReadFrom::Optional(kind) => format!("optional({})", parse(kind)),
        ReadFrom::InputPath => "get(|path| Ok(InputPath::new(path)))".to_owned(),
        ReadFrom::OptionalInputPath => "optional(|path| Ok(InputPath::new(path)))".to_owned(),
        ReadFrom::OutputPath => "get(OutputPath::prepare)".to_owned(),
        ReadFrom::InputPaths => "artifact_paths(__kfp::json::artifact_uris)".to_owned(),
        ReadFrom::OptionalInputPaths => "optional_artifact_paths(__kfp::json::artifact_uris)".to_owned(),
    }
}

/// An expression of the output text of `value` (an expression) of kind `kind`.
fn serialize(value: &str, kind: Kind) -> String {
    match kind {
        Kind::String | Kind::Untyped | Kind::Integer => format!("{value}.to_string()"),
        // An `OutputArtifact`: the path it is copied from.
        Kind::Artifact => format!("{value}.to_text()?"),
        Kind::Float => format!("__kfp::PyFloat::to_py_string(&{value})"),
        Kind::Boolean => format!("__kfp::format_bool({value}).to_string()"),
        Kind::Json => format!("__kfp::json::to_json(&{value})?"),
    }
}
