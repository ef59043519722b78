//! Parsing `#[component(...)]` and `#[pipeline(...)]` arguments.

use proc_macro2::{TokenStream, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Expr, ExprLit, Lit, LitStr};

/// Collects errors so every bad argument is reported at once.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub fn finish(self) -> Result<(), syn::Error> {
        self.0.map_or(Ok(()), Err)
    }
}

/// An attribute value that may be given once.
pub struct Once<T> {
    key: &'static str,
    value: Option<T>,
}

impl<T> Once<T> {
    pub fn new(key: &'static str) -> Self {
        Once { key, value: None }
    }

    /// Sets the value, or reports the key as duplicated at `meta`'s path.
    pub fn set(&mut self, meta: &ParseNestedMeta, value: T) -> syn::Result<()> {
        if self.value.is_some() {
            return Err(meta.error(format_args!("duplicate `{}`: give it once", self.key)));
        }
        self.value = Some(value);
        Ok(())
    }

    pub fn get(self) -> Option<T> {
        self.value
    }
}

/// Arguments of `#[component]`.
pub struct ComponentAttrs {
    pub base_image: Option<LitStr>,
    pub name: Option<LitStr>,
    pub description: Option<LitStr>,
    pub packages_to_install: Vec<LitStr>,
    pub output_component_file: Option<LitStr>,
}

const COMPONENT_KEYS: &str = "`base_image`, `name`, `description`, `packages_to_install`, `output_component_file`";

pub fn component_attrs(args: TokenStream) -> syn::Result<ComponentAttrs> {
    let mut base_image = Once::new("base_image");
    let mut name = Once::new("name");
    let mut description = Once::new("description");
    let mut packages = Once::new("packages_to_install");
    let mut output_file = Once::new("output_component_file");
    parse_keys(args, "component", COMPONENT_KEYS, |meta| {
        Some(if meta.path.is_ident("base_image") {
            // #[component(base_image = "rust:1.83-slim")]
            lit_str(meta).and_then(|lit| base_image.set(meta, lit))
        } else if meta.path.is_ident("name") {
            // #[component(name = "Add numbers")]
            lit_str(meta).and_then(|lit| name.set(meta, lit))
        } else if meta.path.is_ident("description") {
            // #[component(description = "Adds two numbers")]
            lit_str(meta).and_then(|lit| description.set(meta, lit))
        } else if meta.path.is_ident("packages_to_install") {
            // #[component(packages_to_install = ["serde_json@1", "rand@0.8[small_rng]"])]
            lit_str_array(meta).and_then(|lits| packages.set(meta, lits))
        } else if meta.path.is_ident("output_component_file") {
            // #[component(output_component_file = "add.component.yaml")]
            lit_str(meta).and_then(|lit| output_file.set(meta, lit))
        } else {
            return None;
        })
    })?;
    Ok(ComponentAttrs {
        base_image: base_image.get(),
        name: name.get(),
        description: description.get(),
        packages_to_install: packages.get().unwrap_or_default(),
        output_component_file: output_file.get(),
    })
}

/// Arguments of `#[pipeline]`.
pub struct PipelineAttrs {
    pub name: Option<LitStr>,
    pub description: Option<LitStr>,
}

pub fn pipeline_attrs(args: TokenStream) -> syn::Result<PipelineAttrs> {
    let mut name = Once::new("name");
    let mut description = Once::new("description");
    parse_keys(args, "pipeline", "`name`, `description`", |meta| {
        Some(if meta.path.is_ident("name") {
            // #[pipeline(name = "add example")]
            lit_str(meta).and_then(|lit| name.set(meta, lit))
        } else if meta.path.is_ident("description") {
            // #[pipeline(description = "Adds, subtracts, multiplies")]
            lit_str(meta).and_then(|lit| description.set(meta, lit))
        } else {
            return None;
        })
    })?;
    Ok(PipelineAttrs { name: name.get(), description: description.get() })
}

/// Parses `key = value, ...`, reporting every bad argument together. `set`
/// handles one argument, or returns `None` for an unknown key.
fn parse_keys(
    args: TokenStream,
    attribute: &str,
    keys: &str,
    mut set: impl FnMut(&ParseNestedMeta) -> Option<syn::Result<()>>,
) -> syn::Result<()> {
    let mut errors = Errors::default();
    let parser = syn::meta::parser(|meta| {
        let result = set(&meta).unwrap_or_else(|| {
            Err(meta.error(format_args!(
                "unknown `#[{attribute}]` argument `{}`; expected one of {keys}",
                path_text(&meta.path)
            )))
        });
        if let Err(error) = result {
            errors.push(error);
            skip_value(&meta);
        }
        Ok(())
    });
    // A syntax error the keys do not cover (`#[component(base_image "x")]`).
    if let Err(error) = parser.parse2(args) {
        errors.push(error);
    }
    errors.finish()
}

fn lit_str(meta: &ParseNestedMeta) -> syn::Result<LitStr> {
    let expr: Expr = meta.value()?.parse()?;
    match expr {
        Expr::Lit(ExprLit { lit: Lit::Str(lit), .. }) => Ok(lit),
        other => Err(syn::Error::new_spanned(
            other,
            format_args!(
                "`{}` takes a string literal, e.g. `{} = \"...\"`",
                path_text(&meta.path),
                path_text(&meta.path)
            ),
        )),
    }
}

fn lit_str_array(meta: &ParseNestedMeta) -> syn::Result<Vec<LitStr>> {
    let array = match meta.value()?.parse::<Expr>()? {
        Expr::Array(array) => array,
        other => {
            return Err(syn::Error::new_spanned(
                other,
                "`packages_to_install` takes a list of strings, e.g. `[\"serde_json@1\"]`",
            ))
        }
    };
    let mut lits = Vec::new();
    let mut errors = Errors::default();
    for element in array.elems {
        match element {
            Expr::Lit(ExprLit { lit: Lit::Str(lit), .. }) => lits.push(lit),
            other => errors.push(syn::Error::new_spanned(other, "expected a string literal like \"serde_json@1\"")),
        }
    }
    errors.finish()?;
    Ok(lits)
}

/// After a bad argument, consumes what is left of it, up to the next `,`, so
/// parsing goes on to the next key.
fn skip_value(meta: &ParseNestedMeta) {
    let _ = meta.input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((token, next)) = rest.token_tree() {
            if matches!(&token, TokenTree::Punct(punct) if punct.as_char() == ',') {
                break;
            }
            rest = next;
        }
        Ok(((), rest))
    });
}

fn path_text(path: &syn::Path) -> String {
    path.segments.iter().map(|segment| segment.ident.to_string()).collect::<Vec<_>>().join("::")
}
