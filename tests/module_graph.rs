//! Modules import each other one way only (ARCHITECTURE.md, "Data flows one way").
//!
//! Reads the sources of kfp-core and kfp-macros, builds the graph of which module uses which (`use crate::..`,
//! `crate::..`, `super::..`, `self::..` and child-module paths, re-exports followed to the module that defines the
//! item; `#[cfg(test)]` code and `tests` modules left out), and fails on each cycle between sibling modules: at the
//! top of a crate (`crate::{dsl, run}`) and inside each module (`dsl::{arg, marker}`). The cycles that remain are
//! listed in `ALLOWED`, and the check fails too when a listed one is gone, so that list only shrinks.
//!
//! The same graph shows that the recorded pipeline knows no target: nothing under `dsl` uses `argo` (a target's
//! model) or `compiler` (the lowering to one), and no string literal under `dsl` holds a target's template.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::spanned::Spanned;
use syn::visit::Visit;

/// The cycles that remain, each with why it is still there. Remove an entry when its cycle is broken.
const ALLOWED: &[(&str, &str)] = &[];

/// A module's path from its crate root: `[]` is the root, `["dsl", "record"]` is `crate::dsl::record`.
type ModPath = Vec<String>;

/// One use of another module, kept as evidence for an edge.
#[derive(Clone, Debug)]
struct Use {
    file: String,
    line: usize,
    text: String,
}

#[derive(Default)]
struct Crate {
    name: String,
    modules: BTreeSet<ModPath>,
    /// `pub use` items: the module, the name it binds, the path as written.
    reexports: Vec<(ModPath, String, Vec<String>)>,
    /// Paths found in each module, not yet resolved (modules and re-exports must all be known first).
    refs: Vec<(ModPath, Vec<String>, Use)>,
}

/// Reads a crate from `root` (the directory holding `lib.rs`) through `read`, so a test can feed it files in memory.
fn load(name: &str, root: &Path, read: &dyn Fn(&Path) -> Option<String>) -> Crate {
    let mut krate = Crate { name: name.to_owned(), ..Crate::default() };
    load_file(&mut krate, root, &root.join("lib.rs"), Vec::new(), root.to_path_buf(), read);
    krate
}

fn load_file(
    krate: &mut Crate,
    root: &Path,
    file: &Path,
    module: ModPath,
    dir: PathBuf,
    read: &dyn Fn(&Path) -> Option<String>,
) {
    let text = read(file).unwrap_or_else(|| panic!("cannot read {}", file.display()));
    let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("cannot parse {}: {e}", file.display()));
    let shown = file.strip_prefix(root.parent().unwrap_or(root)).unwrap_or(file).display().to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut scan = Scan { krate, root, file: shown, lines: &lines, read };
    scan.items(&parsed.items, module, dir);
}

struct Scan<'a> {
    krate: &'a mut Crate,
    root: &'a Path,
    file: String,
    lines: &'a [&'a str],
    read: &'a dyn Fn(&Path) -> Option<String>,
}

impl Scan<'_> {
    fn items(&mut self, items: &[syn::Item], module: ModPath, dir: PathBuf) {
        self.krate.modules.insert(module.clone());
        for item in items {
            if is_test_only(item_attrs(item)) {
                continue;
            }
            match item {
                syn::Item::Mod(m) if m.ident == "tests" => {}
                syn::Item::Mod(m) => {
                    let mut child = module.clone();
                    child.push(m.ident.to_string());
                    let child_dir = dir.join(m.ident.to_string());
                    match &m.content {
                        Some((_, inner)) => self.items(inner, child, child_dir),
                        None => {
                            let flat = dir.join(format!("{}.rs", m.ident));
                            let nested = child_dir.join("mod.rs");
                            let file = if (self.read)(&flat).is_some() { flat } else { nested };
                            load_file(self.krate, self.root, &file, child, child_dir, self.read);
                        }
                    }
                }
                _ => {
                    if let syn::Item::Use(u) = item {
                        if !matches!(u.vis, syn::Visibility::Inherited) {
                            let mut names = Vec::new();
                            use_leaves(&u.tree, Vec::new(), &mut names);
                            let named = names.into_iter().filter(|(name, _)| !name.is_empty());
                            self.krate.reexports.extend(named.map(|(name, path)| (module.clone(), name, path)));
                        }
                    }
                    let mut paths = Paths { found: Vec::new() };
                    paths.visit_item(item);
                    for (path, line) in paths.found {
                        let text = self.lines.get(line.saturating_sub(1)).map_or("", |l| l.trim()).to_owned();
                        let evidence = Use { file: self.file.clone(), line, text };
                        self.krate.refs.push((module.clone(), path, evidence));
                    }
                }
            }
        }
    }
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Union(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && a.meta.require_list().is_ok_and(|l| l.tokens.to_string().trim() == "test"))
}

/// Every path in an item that may name a module of this crate, with its line.
struct Paths {
    found: Vec<(Vec<String>, usize)>,
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !is_test_only(item_attrs(item)) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let attrs = match item {
            syn::ImplItem::Fn(f) => &f.attrs[..],
            syn::ImplItem::Const(c) => &c.attrs[..],
            syn::ImplItem::Type(t) => &t.attrs[..],
            _ => &[],
        };
        if !is_test_only(attrs) {
            syn::visit::visit_impl_item(self, item);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut leaves = Vec::new();
        use_leaves(&item.tree, Vec::new(), &mut leaves);
        let line = item.span().start().line;
        self.found.extend(leaves.into_iter().map(|(_, path)| (path, line)));
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.found.push((segments, path.span().start().line));
        syn::visit::visit_path(self, path);
    }

    /// Macro arguments are tokens, not syntax: `crate::a::b` and `super::a` sequences are read from them.
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        syn::visit::visit_macro(self, mac);
        macro_paths(mac.tokens.clone(), &mut self.found);
    }
}

fn macro_paths(tokens: proc_macro2::TokenStream, found: &mut Vec<(Vec<String>, usize)>) {
    let tokens: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            proc_macro2::TokenTree::Group(g) => macro_paths(g.stream(), found),
            proc_macro2::TokenTree::Ident(id) if id == "crate" || id == "super" => {
                let line = id.span().start().line;
                let mut path = vec![id.to_string()];
                let mut j = i + 1;
                while let (Some(proc_macro2::TokenTree::Punct(a)), Some(proc_macro2::TokenTree::Punct(b))) =
                    (tokens.get(j), tokens.get(j + 1))
                {
                    match (a.as_char(), b.as_char(), tokens.get(j + 2)) {
                        (':', ':', Some(proc_macro2::TokenTree::Ident(next))) => {
                            path.push(next.to_string());
                            j += 3;
                        }
                        _ => break,
                    }
                }
                found.push((path, line));
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// The paths a `use` tree names, each with the name it binds (`self` in a group names its prefix).
fn use_leaves(tree: &syn::UseTree, prefix: Vec<String>, out: &mut Vec<(String, Vec<String>)>) {
    match tree {
        syn::UseTree::Path(p) => {
            let mut prefix = prefix;
            prefix.push(p.ident.to_string());
            use_leaves(&p.tree, prefix, out);
        }
        syn::UseTree::Name(n) if n.ident == "self" => {
            out.push((prefix.last().cloned().unwrap_or_default(), prefix));
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix;
            path.push(n.ident.to_string());
            out.push((n.ident.to_string(), path));
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix;
            path.push(r.ident.to_string());
            out.push((r.rename.to_string(), path));
        }
        syn::UseTree::Glob(_) => out.push((String::new(), prefix)),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_leaves(t, prefix.clone(), out)),
    }
}

/// `path` as written in `module`, from the crate root; `None` when it does not start in this crate.
fn absolute(modules: &BTreeSet<ModPath>, module: &ModPath, path: &[String]) -> Option<Vec<String>> {
    let mut base = module.clone();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("self") => rest = &rest[1..],
        Some("super") => {
            while rest.first().is_some_and(|s| s == "super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        Some(first) => {
            let mut child = module.clone();
            child.push(first.to_owned());
            if !modules.contains(&child) {
                return None;
            }
        }
        None => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

type Reexports = BTreeMap<ModPath, BTreeMap<String, Vec<String>>>;

/// The module an absolute path leads to, through re-exports.
fn module_of(modules: &BTreeSet<ModPath>, reexports: &Reexports, mut path: Vec<String>) -> ModPath {
    for _ in 0..16 {
        let known = (0..=path.len()).rev().find(|&n| modules.contains(&path[..n])).unwrap_or(0);
        let module = path[..known].to_vec();
        let target = path.get(known).and_then(|name| reexports.get(&module).and_then(|names| names.get(name)));
        match target {
            Some(target) if *target != path[..=known] => {
                let mut next = target.clone();
                next.extend(path[known + 1..].iter().cloned());
                path = next;
            }
            _ => return module,
        }
    }
    path
}

/// A cycle: the sibling modules under `parent` that reach each other, and one use on each edge between them.
struct Cycle {
    key: String,
    edges: Vec<(String, String, Use)>,
}

/// Which module uses which, with the first use found as evidence.
fn edges(krate: &Crate) -> BTreeMap<(ModPath, ModPath), Use> {
    let mut reexports = Reexports::new();
    for (module, name, path) in &krate.reexports {
        if let Some(abs) = absolute(&krate.modules, module, path) {
            reexports.entry(module.clone()).or_default().insert(name.clone(), abs);
        }
    }
    let mut edges: BTreeMap<(ModPath, ModPath), Use> = BTreeMap::new();
    for (from, path, evidence) in &krate.refs {
        let Some(abs) = absolute(&krate.modules, from, path) else { continue };
        let to = module_of(&krate.modules, &reexports, abs);
        if &to != from {
            edges.entry((from.clone(), to)).or_insert_with(|| evidence.clone());
        }
    }
    edges
}

fn cycles(krate: &Crate) -> Vec<Cycle> {
    let edges = edges(krate);
    let mut found = Vec::new();
    for parent in &krate.modules {
        // Edges between children of `parent`, each child standing for everything below it.
        let mut siblings: BTreeMap<(String, String), Use> = BTreeMap::new();
        for ((from, to), evidence) in &edges {
            let below = |m: &ModPath| m.len() > parent.len() && m.starts_with(parent);
            if below(from) && below(to) && from[parent.len()] != to[parent.len()] {
                let key = (from[parent.len()].clone(), to[parent.len()].clone());
                siblings.entry(key).or_insert_with(|| evidence.clone());
            }
        }
        for component in strongly_connected(&siblings) {
            let where_ = if parent.is_empty() { "crate".to_owned() } else { parent.join("::") };
            let names: Vec<&str> = component.iter().map(String::as_str).collect();
            let key = format!("{}: {where_}::{{{}}}", krate.name, names.join(", "));
            let edges = siblings
                .iter()
                .filter(|((a, b), _)| component.contains(a) && component.contains(b))
                .map(|((a, b), u)| (a.clone(), b.clone(), u.clone()))
                .collect();
            found.push(Cycle { key, edges });
        }
    }
    found
}

/// Groups of two or more nodes that all reach each other (a node's reach, intersected with what reaches it).
fn strongly_connected(edges: &BTreeMap<(String, String), Use>) -> Vec<BTreeSet<String>> {
    let nodes: BTreeSet<&String> = edges.keys().flat_map(|(a, b)| [a, b]).collect();
    let reach = |start: &String| {
        let mut seen = BTreeSet::from([start.clone()]);
        let mut todo = vec![start.clone()];
        while let Some(n) = todo.pop() {
            for (_, b) in edges.keys().filter(|(a, _)| *a == n) {
                if seen.insert(b.clone()) {
                    todo.push(b.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> = nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut groups = BTreeSet::new();
    for n in &nodes {
        let group: BTreeSet<String> = reaches[n].iter().filter(|m| reaches[m].contains(*n)).cloned().collect();
        if group.len() > 1 {
            groups.insert(group);
        }
    }
    groups.into_iter().collect()
}

/// What is wrong with `found` against the allowed list, as one message per problem.
fn problems(found: &[Cycle], allowed: &[(&str, &str)]) -> Vec<String> {
    let mut out = Vec::new();
    for cycle in found.iter().filter(|c| !allowed.iter().any(|(key, _)| *key == c.key)) {
        let mut message = format!("import cycle {}:\n", cycle.key);
        for (a, b, u) in &cycle.edges {
            message.push_str(&format!("  {a} -> {b}   {}:{}: {}\n", u.file, u.line, u.text));
        }
        message.push_str(
            "  fix: move what both sides need into a lower module that neither imports back (plain data below \
             the machinery that uses it), or invert the dependency (the lower module defines a trait, the upper \
             one implements it)",
        );
        out.push(message);
    }
    for (key, _) in allowed.iter().filter(|(key, _)| !found.iter().any(|c| c.key == *key)) {
        out.push(format!(
            "the allowed cycle {key} no longer exists (broken, or its members changed): take it out of ALLOWED in \
             tests/module_graph.rs, and add what remains, if anything, with its reason"
        ));
    }
    out
}

/// Each use, from a module under `from`, of a module under one of `forbidden`, as a message naming both and the line.
fn forbidden_uses(krate: &Crate, from: &str, forbidden: &[&str]) -> Vec<String> {
    let under = |module: &ModPath, top: &str| module.first().is_some_and(|first| first == top);
    edges(krate)
        .into_iter()
        .filter(|((a, b), _)| under(a, from) && forbidden.iter().any(|top| under(b, top)))
        .map(|((a, b), u)| {
            format!(
                "{} uses {}   {}:{}: {}\n  fix: record what the pipeline means in `{from}` and let the compiler of each \
                 target lower it (Kubernetes objects: k8s_openapi's types)",
                a.join("::"),
                b.join("::"),
                u.file,
                u.line,
                u.text
            )
        })
        .collect()
}

fn read_disk(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

#[test]
fn no_import_cycles_but_the_allowed_ones() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = cycles(&load("kfp-core", &workspace.join("kfp-core/src"), &read_disk));
    found.extend(cycles(&load("kfp-macros", &workspace.join("kfp-macros/src"), &read_disk)));
    let problems = problems(&found, ALLOWED);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn the_dsl_uses_no_target_model_nor_compiler() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let core = load("kfp-core", &workspace.join("kfp-core/src"), &read_disk);
    let problems = forbidden_uses(&core, "dsl", &["argo", "compiler"]);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// How a target's own template starts: Argo's variables (kfp 1.8's placeholders are some) and KFP v2's `{{$...}}`.
const TARGET_TEMPLATES: &[&str] = &[
    "{{workflow.",
    "{{pod.",
    "{{inputs.",
    "{{outputs.",
    "{{tasks.",
    "{{steps.",
    "{{item",
    "{{node.",
    "{{retries",
    "{{$",
];

/// Each string literal of `source` (in code and macro arguments, not doc comments) holding a target's template, as
/// `file:line: literal`.
fn target_templates(file: &str, source: &str) -> Vec<String> {
    fn walk(tokens: proc_macro2::TokenStream, file: &str, found: &mut Vec<String>) {
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Group(group) => {
                    let is_doc = group.delimiter() == proc_macro2::Delimiter::Bracket
                        && matches!(group.stream().into_iter().next(), Some(proc_macro2::TokenTree::Ident(ident)) if ident == "doc");
                    if !is_doc {
                        walk(group.stream(), file, found);
                    }
                }
                proc_macro2::TokenTree::Literal(literal) => {
                    let text = literal.to_string();
                    if TARGET_TEMPLATES.iter().any(|template| text.contains(template)) {
                        found.push(format!("{file}:{}: {text}", literal.span().start().line));
                    }
                }
                proc_macro2::TokenTree::Ident(_) | proc_macro2::TokenTree::Punct(_) => {}
            }
        }
    }
    let mut found = Vec::new();
    match source.parse::<proc_macro2::TokenStream>() {
        Ok(tokens) => walk(tokens, file, &mut found),
        Err(error) => found.push(format!("{file}: not Rust tokens: {error}")),
    }
    found
}

#[test]
fn the_dsl_writes_no_template_of_a_target() {
    fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                out.push(path);
            }
        }
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&workspace.join("kfp-core/src/dsl"), &mut files);
    assert!(files.len() > 10, "the dsl's sources are read: {files:?}");
    let found: Vec<String> = files
        .iter()
        .flat_map(|path| {
            let file = path.strip_prefix(workspace).unwrap().display().to_string();
            target_templates(&file, &std::fs::read_to_string(path).unwrap())
        })
        .collect();
    assert!(
        found.is_empty(),
        "the dsl writes a target's template; record a marker each compiler writes as its target's text \
         (`dsl::marker`):\n{}",
        found.join("\n")
    );
}

#[test]
fn target_templates_are_found_in_literals_and_macro_arguments_only() {
    let source = "/// Argo's `{{workflow.uid}}`.\nconst A: &str = \"{{kfp-rs-run:run-id}}\";\n\
                  const B: &str = \"{{workflow.uid}}\";\nfn f() { format!(\"{{{{pod.name}}}} {{$.x}}\"); }\n";
    assert_eq!(
        target_templates("x.rs", source),
        ["x.rs:3: \"{{workflow.uid}}\"", "x.rs:4: \"{{{{pod.name}}}} {{$.x}}\""]
    );
}

/// A tiny crate in memory, to show the check sees cycles through `use`, `super::`, re-exports and macro
/// arguments, and leaves out test code.
fn in_memory(files: &[(&str, &str)]) -> Vec<Cycle> {
    let files: BTreeMap<PathBuf, String> =
        files.iter().map(|(p, t)| (Path::new("/m/src").join(p), (*t).to_owned())).collect();
    cycles(&load("m", Path::new("/m/src"), &move |p: &Path| files.get(p).cloned()))
}

#[test]
fn a_cycle_is_found_and_named_with_its_lines() {
    let found = in_memory(&[
        ("lib.rs", "pub mod a;\npub mod b;\n"),
        ("a.rs", "use crate::b::B;\npub struct A;\n"),
        ("b/mod.rs", "mod inner;\npub use inner::B;\n"),
        ("b/inner.rs", "pub struct B;\npub fn f() {\n    let _ = format!(\"{:?}\", super::super::a::A);\n}\n"),
    ]);
    let keys: Vec<&str> = found.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["m: crate::{a, b}"]);
    let problems = problems(&found, &[]);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("a -> b   src/a.rs:1: use crate::b::B;"), "{}", problems[0]);
    assert!(problems[0].contains("b -> a   src/b/inner.rs:3: let _ = format!("), "{}", problems[0]);
    assert!(problems[0].contains("fix: move what both sides need"), "{}", problems[0]);
}

#[test]
fn a_cycle_between_siblings_inside_a_module_is_named_by_its_parent() {
    let found = in_memory(&[(
        "lib.rs",
        "mod p { mod x { use super::y::Y; pub struct X; } mod y { pub struct Y(super::x::X); } }\n",
    )]);
    let keys: Vec<&str> = found.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["m: p::{x, y}"]);
}

#[test]
fn test_code_and_one_way_uses_are_not_cycles() {
    let found = in_memory(&[
        ("lib.rs", "pub mod a;\npub mod b;\n#[cfg(test)]\nmod tests;\n"),
        ("a.rs", "pub struct A;\n#[cfg(test)]\nmod t { use crate::b::B; }\n"),
        ("b.rs", "use crate::a::A;\npub struct B(A);\nimpl B { #[cfg(test)] fn t() -> crate::a::A { A } }\n"),
    ]);
    assert!(found.is_empty(), "{:?}", found.iter().map(|c| &c.key).collect::<Vec<_>>());
}

#[test]
fn a_use_of_a_target_from_the_dsl_is_found_through_a_re_export() {
    let files: BTreeMap<PathBuf, String> = [
        ("lib.rs", "pub mod argo;\npub mod dsl;\n"),
        ("argo.rs", "mod model;\npub use model::Template;\n"),
        ("argo/model.rs", "pub struct Template;\n"),
        ("dsl/mod.rs", "mod ops;\n"),
        ("dsl/ops.rs", "pub struct Op;\n\npub fn lower() -> crate::argo::Template {\n    todo!()\n}\n"),
    ]
    .iter()
    .map(|(p, t)| (Path::new("/m/src").join(p), (*t).to_owned()))
    .collect();
    let krate = load("m", Path::new("/m/src"), &move |p: &Path| files.get(p).cloned());
    let problems = forbidden_uses(&krate, "dsl", &["argo", "compiler"]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("dsl::ops uses argo::model   src/dsl/ops.rs:3: pub fn lower()"), "{}", problems[0]);
    assert!(forbidden_uses(&krate, "argo", &["dsl"]).is_empty());
}

#[test]
fn an_allowed_cycle_that_is_gone_fails_too() {
    let found = in_memory(&[("lib.rs", "pub mod a;\n"), ("a.rs", "pub struct A;\n")]);
    let problems = problems(&found, &[("m: crate::{a, b}", "reason")]);
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("m: crate::{a, b} no longer exists"), "{}", problems[0]);
}
