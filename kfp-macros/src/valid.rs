//! Checks that a `#[component]` function can run alone in its container.

use std::collections::HashSet;

use proc_macro2::Ident;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Expr, ItemFn, LitStr, Path, Token, UseTree};

use crate::ast::ComponentFn;
use crate::attr::Errors;

/// Macros every container program has: the standard library's.
const STD_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "cfg",
    "column",
    "compile_error",
    "concat",
    "dbg",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "env",
    "eprint",
    "eprintln",
    "file",
    "format",
    "format_args",
    "line",
    "matches",
    "module_path",
    "option_env",
    "panic",
    "print",
    "println",
    "stringify",
    "thread_local",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "write",
    "writeln",
];

/// Macros that read files of the user's crate, which the container does not have.
const FILE_MACROS: &[&str] = &["include", "include_str", "include_bytes"];

/// Path roots every container program has.
const STD_ROOTS: &[&str] = &[
    "std", "core", "alloc", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
    "f32", "f64", "bool", "char", "str",
];

/// Crates the program gets whenever it mentions them (it speaks JSON with them).
pub const JSON_CRATES: &[&str] = &["serde", "serde_json"];

/// Values the standard prelude and the container's prelude name (`drop(x)`,
/// `Some(x)`, `Untyped(text)`, `get_uri(name)`), and `self`/`Self` of impls written inside the body.
const PRELUDE_VALUES: &[&str] = &["drop", "Some", "None", "Ok", "Err", "Untyped", "get_uri", "self", "Self"];

/// Macros whose arguments are expressions, checked as the body's own: a helper
/// called inside `println!` is as missing in the container as one outside it.
const EXPR_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "dbg",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "panic",
    "print",
    "println",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "write",
    "writeln",
];

pub fn check_signature(item: &ItemFn, errors: &mut Errors) {
    let sig = &item.sig;
    if let Some(constness) = sig.constness {
        errors.push(syn::Error::new(constness.span(), "a component cannot be `const fn`: remove `const`"));
    }
    if let Some(asyncness) = sig.asyncness {
        errors.push(syn::Error::new(
            asyncness.span(),
            "a component cannot be `async`: its program calls it once from `main`; make it a plain `fn` and block inside if needed",
        ));
    }
    if let Some(unsafety) = sig.unsafety {
        errors
            .push(syn::Error::new(unsafety.span(), "a component cannot be `unsafe fn`: use an `unsafe` block inside"));
    }
    if let Some(abi) = &sig.abi {
        errors.push(syn::Error::new_spanned(abi, "a component cannot have an `extern` ABI: remove it"));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new_spanned(variadic, "a component cannot be variadic"));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.push(generics_error(
            &sig.generics,
            "a component cannot be generic: its inputs need concrete types (i64, String, Vec<f64>, ...)",
        ));
    }
    let name = sig.ident.to_string();
    if name == "main" || name.starts_with("__kfp") {
        errors.push(syn::Error::new(
            sig.ident.span(),
            format_args!("`{name}` is reserved in the component's program: rename the function"),
        ));
    }
    // The task function is `<name>_op`: `echo_op_op` reads as a slip.
    if let Some(stem) = name.strip_suffix("_op").filter(|stem| !stem.is_empty()) {
        let display = component_name(&name);
        errors.push(syn::Error::new(
            sig.ident.span(),
            format_args!(
                "the task function of `{name}` would be `{name}_op`: name the function `{stem}`, whose task function is `{stem}_op` (kfp's `{name} = create_component_from_func({stem})`); `#[component(name = \"{display}\")]` keeps the component's name"
            ),
        ));
    }
    let mut impls = ImplTraitFinder(errors);
    impls.visit_signature(sig);
}

/// kfp's default component name of a function (kfp-core's `component_name`):
/// `train_op` -> `Train op`.
fn component_name(fn_name: &str) -> String {
    let spaced = fn_name.split('_').filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ");
    let mut chars = spaced.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// An error on `<...>`, or on the `where` clause when there are no parameters.
pub fn generics_error(generics: &syn::Generics, message: &str) -> syn::Error {
    match &generics.where_clause {
        Some(where_clause) if generics.params.is_empty() => syn::Error::new_spanned(where_clause, message),
        _ => syn::Error::new_spanned(generics, message),
    }
}

struct ImplTraitFinder<'a>(&'a mut Errors);

impl<'ast> Visit<'ast> for ImplTraitFinder<'_> {
    fn visit_type_impl_trait(&mut self, ty: &'ast syn::TypeImplTrait) {
        self.0.push(syn::Error::new_spanned(
            ty,
            "a component cannot use `impl Trait` in its signature: name a concrete type",
        ));
    }
}

/// Checks `packages_to_install` entries: `crate`, `crate@version`, `crate@version[feature,...]`.
/// Returns the crate names as Rust identifiers.
pub fn check_packages(packages: &[LitStr], errors: &mut Errors) -> Vec<String> {
    let mut names = Vec::new();
    for lit in packages {
        let text = lit.value();
        let (spec, features) = match text.split_once('[') {
            Some((spec, rest)) => match rest.strip_suffix(']') {
                Some(features) => (spec, Some(features)),
                None => {
                    errors.push(syn::Error::new(lit.span(), "unclosed `[`: write `crate@version[feature,...]`"));
                    continue;
                }
            },
            None => (text.as_str(), None),
        };
        let (name, version) = match spec.split_once('@') {
            Some((name, version)) => (name, Some(version)),
            None => (spec, None),
        };
        let valid_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        // As cargo reads a requirement: `0.8`, `=1.0.2`, `>=1, <3`.
        let valid_version = version.is_none_or(|v| semver::VersionReq::parse(v).is_ok());
        let valid_features = features.is_none_or(|f| {
            f.split(',').all(|feature| {
                let feature = feature.trim();
                !feature.is_empty() && feature.chars().all(|c| c.is_ascii_alphanumeric() || "_-+/.".contains(c))
            })
        });
        if valid_name && valid_version && valid_features {
            names.push(name.replace('-', "_"));
        } else {
            errors.push(syn::Error::new(
                lit.span(),
                format_args!(
                    "`{text}` is not a crate requirement: write `crate`, `crate@version` or `crate@version[feature,...]`, e.g. \"serde_json@1\""
                ),
            ));
        }
    }
    names
}

/// Checks that the body uses nothing from outside the function but std and the
/// installed crates. Returns whether it mentions a JSON crate.
pub fn check_body(function: &ComponentFn, packages: &[String], errors: &mut Errors) -> bool {
    let mut declared = Declared::default();
    declared.visit_block(&function.item.block);
    declared.names.extend(function.params.iter().map(|param| param.ident.to_string()));
    // Signature types go with the program: a tuple struct among them is a value too.
    let signature = function.params.iter().map(|param| &param.ty).chain(&function.ret);
    declared.names.extend(crate::ast::user_type_idents(signature).iter().map(Ident::to_string));
    let mut check =
        BodyCheck { declared: declared.names, glob_imports: declared.glob, packages, errors, uses_json: false };
    check.visit_block(&function.item.block);
    for param in &function.params {
        check.visit_type(&param.ty);
    }
    check.uses_json
}

/// Names the body declares itself (inner modules, types, `use` aliases, macros,
/// bindings anywhere), and whether it imports with `*` (names then unknown).
#[derive(Default)]
struct Declared {
    names: HashSet<String>,
    glob: bool,
}

impl<'ast> Visit<'ast> for Declared {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let ident = match item {
            syn::Item::Mod(item) => Some(&item.ident),
            syn::Item::Struct(item) => Some(&item.ident),
            syn::Item::Enum(item) => Some(&item.ident),
            syn::Item::Fn(item) => Some(&item.sig.ident),
            syn::Item::Trait(item) => Some(&item.ident),
            syn::Item::Type(item) => Some(&item.ident),
            syn::Item::Const(item) => Some(&item.ident),
            syn::Item::Static(item) => Some(&item.ident),
            syn::Item::Union(item) => Some(&item.ident),
            syn::Item::Macro(item) => item.ident.as_ref(),
            _ => None,
        };
        if let Some(ident) = ident {
            self.names.insert(ident.to_string());
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_use_name(&mut self, name: &'ast syn::UseName) {
        self.names.insert(name.ident.to_string());
    }

    fn visit_use_rename(&mut self, rename: &'ast syn::UseRename) {
        self.names.insert(rename.rename.to_string());
    }

    fn visit_use_glob(&mut self, _: &'ast syn::UseGlob) {
        self.glob = true;
    }

    // Any binding counts wherever it is: scopes are rustc's to check.
    fn visit_pat_ident(&mut self, pat: &'ast syn::PatIdent) {
        self.names.insert(pat.ident.to_string());
        syn::visit::visit_pat_ident(self, pat);
    }

    fn visit_const_param(&mut self, param: &'ast syn::ConstParam) {
        self.names.insert(param.ident.to_string());
        syn::visit::visit_const_param(self, param);
    }

    // Closures inside `format!(...)` bind names too.
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if mac.path.get_ident().is_some_and(|ident| EXPR_MACROS.contains(&ident.to_string().as_str())) {
            for arg in &macro_args(mac) {
                self.visit_expr(arg);
            }
        }
    }
}

/// The arguments of a macro that takes expressions, when they parse as such
/// (`vec![0; n]` does not: it is left to rustc).
fn macro_args(mac: &syn::Macro) -> Punctuated<Expr, Token![,]> {
    mac.parse_body_with(Punctuated::parse_terminated).unwrap_or_default()
}

struct BodyCheck<'a> {
    declared: HashSet<String>,
    glob_imports: bool,
    packages: &'a [String],
    errors: &'a mut Errors,
    uses_json: bool,
}

impl BodyCheck<'_> {
    /// Checks the arguments of a macro that takes expressions. A named format
    /// argument's name (`x = ...`) is not a value.
    fn visit_macro_args(&mut self, mac: &syn::Macro) {
        for arg in &macro_args(mac) {
            match arg {
                Expr::Assign(assign) if matches!(&*assign.left, Expr::Path(name) if name.path.get_ident().is_some()) => {
                    self.visit_expr(&assign.right)
                }
                arg => self.visit_expr(arg),
            }
        }
    }

    /// Checks the first segment of a path that leads somewhere else.
    fn check_root(&mut self, root: &Ident, global: bool) {
        let name = root.to_string();
        if matches!(name.as_str(), "crate" | "super" | "self") {
            self.errors.push(syn::Error::new(
                root.span(),
                format_args!(
                    "`{name}::` reaches outside the component: a component's container holds only this function, so move what it needs inside the function body"
                ),
            ));
            return;
        }
        let lowercase = name.chars().next().is_some_and(|c| c.is_lowercase() || c == '_');
        if !(global || lowercase) || STD_ROOTS.contains(&name.as_str()) || self.declared.contains(&name) {
            return;
        }
        if JSON_CRATES.contains(&name.as_str()) {
            self.uses_json = true;
        } else if !self.packages.contains(&name) {
            self.errors.push(syn::Error::new(
                root.span(),
                format_args!(
                    "crate `{name}` is not installed in the component's container: add it to `packages_to_install = [\"{name}@<version>\"]`, or define `{name}` inside the function"
                ),
            ));
        }
    }
}

impl<'ast> Visit<'ast> for BodyCheck<'_> {
    /// A bare name (`twice(x)`, `LIMIT`) the body neither binds nor declares is
    /// a function, constant or static of the user's crate: checked here, since
    /// rustc would only suggest importing it, which the container cannot.
    fn visit_expr_path(&mut self, expr: &'ast syn::ExprPath) {
        let path = &expr.path;
        if let Some(ident) = path.get_ident().filter(|_| expr.qself.is_none() && !self.glob_imports) {
            let name = ident.to_string();
            if !self.declared.contains(&name) && !PRELUDE_VALUES.contains(&name.as_str()) {
                self.errors.push(syn::Error::new(
                    ident.span(),
                    format_args!(
                        "`{name}` is defined outside the component: a component's container holds only this function, so define `{name}` inside the function body"
                    ),
                ));
            }
        }
        syn::visit::visit_expr_path(self, expr);
    }

    fn visit_path(&mut self, path: &'ast Path) {
        let multi = path.segments.len() > 1 || path.leading_colon.is_some();
        if let Some(first) = path.segments.first().filter(|_| multi) {
            self.check_root(&first.ident, path.leading_colon.is_some());
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let path = &mac.path;
        if path.segments.len() == 1 && path.leading_colon.is_none() {
            let ident = &path.segments[0].ident;
            let name = ident.to_string();
            if FILE_MACROS.contains(&name.as_str()) {
                self.errors.push(syn::Error::new(
                    ident.span(),
                    format_args!("`{name}!` reads a file of your crate, which the component's container does not have: embed the data as a constant or pass it as an input"),
                ));
            } else if !STD_MACROS.contains(&name.as_str()) && name != "macro_rules" && !self.declared.contains(&name) {
                self.errors.push(syn::Error::new(
                    ident.span(),
                    format_args!("macro `{name}!` is defined outside the component: its container has only the standard macros and those of `packages_to_install` (call them by path, `crate_name::{name}!`)"),
                ));
            } else if EXPR_MACROS.contains(&name.as_str()) {
                self.visit_macro_args(mac);
            }
        } else {
            self.visit_path(path);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        match &item.tree {
            UseTree::Path(path) => self.check_root(&path.ident, item.leading_colon.is_some()),
            UseTree::Name(name) => self.check_root(&name.ident, true),
            UseTree::Rename(rename) => self.check_root(&rename.ident, true),
            UseTree::Glob(_) | UseTree::Group(_) => {}
        }
    }
}
