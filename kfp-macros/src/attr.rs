//! Parsing `#[component(...)]` and `#[pipeline(...)]` arguments.

use proc_macro2::{TokenStream, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Expr, ExprLit, ItemFn, Lit, LitStr};

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
    /// `image = "..."`: a prebuilt-image component, whose logic runs in the
    /// user's own binary inside that image.
    pub image: Option<LitStr>,
    /// `command = "..."`: the binary of the prebuilt image.
    pub command: Option<LitStr>,
}

const COMPONENT_KEYS: &str =
    "`base_image`, `name`, `description`, `packages_to_install`, `output_component_file`, `image`, `command`";

pub fn component_attrs(args: TokenStream) -> syn::Result<ComponentAttrs> {
    let mut base_image = Once::new("base_image");
    let mut name = Once::new("name");
    let mut description = Once::new("description");
    let mut packages = Once::new("packages_to_install");
    let mut output_file = Once::new("output_component_file");
    let mut image = Once::new("image");
    let mut command = Once::new("command");
    // Where `base_image` and `packages_to_install` were written, for the
    // errors when they come with `image`.
    let mut embedded_keys: Vec<syn::Path> = Vec::new();
    let mut command_key: Option<syn::Path> = None;
    let mut image_given = false;
    let mut errors = Errors::default();
    let parsed = parse_keys(args, "component", COMPONENT_KEYS, |meta| {
        if meta.path.is_ident("base_image") || meta.path.is_ident("packages_to_install") {
            embedded_keys.push(meta.path.clone());
        } else if meta.path.is_ident("command") {
            command_key = Some(meta.path.clone());
        } else if meta.path.is_ident("image") {
            image_given = true;
        }
        Some(if meta.path.is_ident("image") {
            // #[component(image = "registry.example.com/my-app:1.0")]
            non_empty_lit_str(meta).and_then(|lit| image.set(meta, lit))
        } else if meta.path.is_ident("command") {
            // #[component(image = "...", command = "my-app")]
            non_empty_lit_str(meta).and_then(|lit| command.set(meta, lit))
        } else if meta.path.is_ident("base_image") {
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
    });
    if let Err(error) = parsed {
        errors.push(error);
    }
    let image = image.get();
    if image_given {
        for key in &embedded_keys {
            let key_name = path_text(key);
            errors.push(syn::Error::new_spanned(
                key,
                format_args!(
                    "`{key_name}` does not go with `image`: a prebuilt-image component runs your crate's binary in the image you build, with every dependency of the crate; remove `{key_name}` (or remove `image` to ship the function's source instead)"
                ),
            ));
        }
    } else if let Some(key) = &command_key {
        errors.push(syn::Error::new_spanned(
            key,
            "`command` names the binary of a prebuilt image and needs `image = \"...\"` too (an embedded-source component's command is generated)",
        ));
    }
    errors.finish()?;
    Ok(ComponentAttrs {
        base_image: base_image.get(),
        name: name.get(),
        description: description.get(),
        packages_to_install: packages.get().unwrap_or_default(),
        output_component_file: output_file.get(),
        image,
        command: command.get(),
    })
}

/// A string literal with something in it (an image, a program name).
fn non_empty_lit_str(meta: &ParseNestedMeta) -> syn::Result<LitStr> {
    let lit = lit_str(meta)?;
    if lit.value().trim().is_empty() {
        let key = path_text(&meta.path);
        return Err(syn::Error::new(lit.span(), format_args!("`{key}` cannot be empty")));
    }
    Ok(lit)
}

/// Arguments of `#[pipeline]`.
pub struct PipelineAttrs {
    pub name: Option<LitStr>,
    pub description: Option<LitStr>,
    pub display_name: Option<LitStr>,
    pub pipeline_root: Option<LitStr>,
}

pub fn pipeline_attrs(args: TokenStream) -> syn::Result<PipelineAttrs> {
    let mut name = Once::new("name");
    let mut description = Once::new("description");
    let mut display_name = Once::new("display_name");
    let mut pipeline_root = Once::new("pipeline_root");
    parse_keys(args, "pipeline", "`name`, `description`, `display_name`, `pipeline_root`", |meta| {
        Some(if meta.path.is_ident("name") {
            // #[pipeline(name = "add example")]
            lit_str(meta).and_then(|lit| name.set(meta, lit))
        } else if meta.path.is_ident("description") {
            // #[pipeline(description = "Adds, subtracts, multiplies")]
            lit_str(meta).and_then(|lit| description.set(meta, lit))
        } else if meta.path.is_ident("display_name") {
            // #[pipeline(display_name = "Conditional execution pipeline.")] (KFP v2)
            lit_str(meta).and_then(|lit| display_name.set(meta, lit))
        } else if meta.path.is_ident("pipeline_root") {
            // #[pipeline(pipeline_root = "s3://bucket/path")] (KFP v2)
            lit_str(meta).and_then(|lit| pipeline_root.set(meta, lit))
        } else {
            return None;
        })
    })?;
    Ok(PipelineAttrs {
        name: name.get(),
        description: description.get(),
        display_name: display_name.get(),
        pipeline_root: pipeline_root.get(),
    })
}

/// Whether the arguments contain `key = ...` at the top level, even when they
/// do not parse.
pub fn mentions_key(args: &TokenStream, key: &str) -> bool {
    let tokens: Vec<TokenTree> = args.clone().into_iter().collect();
    tokens.windows(2).any(|pair| {
        matches!(&pair[0], TokenTree::Ident(ident) if ident == key)
            && matches!(&pair[1], TokenTree::Punct(punct) if punct.as_char() == '=')
    })
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

/// The `#[default(value)]` among a parameter's attributes (of a pipeline or a
/// component), with the attribute itself; other attributes are the caller's.
pub fn default_value(attrs: &[syn::Attribute]) -> syn::Result<Option<(syn::Attribute, Expr)>> {
    let mut default = None;
    let mut errors = Errors::default();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("default")) {
        // #[default(5)]
        let parsed = match &attr.meta {
            syn::Meta::List(_) => attr.parse_args::<Expr>().map_err(|error| {
                syn::Error::new(error.span(), "`#[default(...)]` takes one value, e.g. `#[default(5)]`")
            }),
            syn::Meta::Path(_) | syn::Meta::NameValue(_) => Err(syn::Error::new_spanned(
                attr,
                "`#[default]` takes the default value in parentheses, e.g. `#[default(5)]`",
            )),
        };
        match parsed {
            Ok(expr) if default.is_none() => default = Some((attr.clone(), expr)),
            Ok(_) => errors.push(syn::Error::new_spanned(attr, "duplicate `#[default]`: give it once")),
            Err(error) => errors.push(error),
        }
    }
    errors.finish()?;
    Ok(default)
}

/// The kfp type declared with `#[kfp(type = "...")]` among `attrs`, if any:
/// on a component or pipeline parameter, a `ComponentOutputs` field, or a
/// component function (its return value). Every malformed attribute is reported.
pub fn kfp_type(attrs: &[syn::Attribute]) -> syn::Result<Option<LitStr>> {
    let mut kfp_type: Option<LitStr> = None;
    let mut errors = Errors::default();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("kfp")) {
        let parsed = attr.parse_nested_meta(|meta| {
            // #[kfp(type = "GCSPath")]
            if meta.path.is_ident("type") {
                let name: LitStr = meta.value()?.parse().map_err(|error: syn::Error| {
                    syn::Error::new(error.span(), "the kfp type name is a string: write e.g. `type = \"GCSPath\"`")
                })?;
                if name.value().trim().is_empty() {
                    return Err(syn::Error::new(name.span(), "the kfp type name is empty: write e.g. `\"Metrics\"`"));
                }
                if kfp_type.replace(name).is_some() {
                    return Err(meta.error("duplicate `type`: give it one kfp type"));
                }
                return Ok(());
            }
            Err(meta.error("unknown `kfp` key: the only one is `type`, as in `#[kfp(type = \"Metrics\")]`"))
        });
        if let Err(error) = parsed {
            errors.push(error);
        }
    }
    errors.finish()?;
    Ok(kfp_type)
}

/// The function without the macro's own attributes (`#[default]` and `#[kfp]`
/// on parameters, `#[kfp]` on the function): what rustc is given, by the
/// expansion and the fallback alike.
pub fn without_macro_attrs(item: &ItemFn) -> ItemFn {
    let mut item = item.clone();
    item.attrs.retain(|attr| !attr.path().is_ident("kfp"));
    for input in &mut item.sig.inputs {
        if let syn::FnArg::Typed(typed) = input {
            typed.attrs.retain(|attr| !attr.path().is_ident("default") && !attr.path().is_ident("kfp"));
        }
    }
    item
}
