//! A typed view of a `#[component]` function.

use proc_macro2::Ident;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{FnArg, ItemFn, Pat, ReturnType, Type};

use crate::attr::Errors;

/// The component function, as the expansion needs it.
pub struct ComponentFn {
    pub item: ItemFn,
    pub params: Vec<Param>,
    /// `None` for `()`.
    pub ret: Option<Type>,
    pub doc: Vec<String>,
}

/// One parameter.
pub struct Param {
    pub ident: Ident,
    /// The type the function takes.
    pub ty: Type,
    /// The owned type the program parses (`String` for `&str`).
    pub owned: Type,
    pub by_ref: bool,
    /// `OutputPath`: written by the function, so not an argument of the op.
    pub is_output_path: bool,
}

impl ComponentFn {
    pub fn from_item(item: ItemFn) -> syn::Result<Self> {
        let mut errors = Errors::default();
        let mut params = Vec::new();
        for input in &item.sig.inputs {
            match param(input) {
                Ok(param) => params.push(param),
                Err(error) => errors.push(error),
            }
        }
        errors.finish()?;
        let ret = match &item.sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => match &**ty {
                Type::Tuple(tuple) if tuple.elems.is_empty() => None,
                ty => Some(ty.clone()),
            },
        };
        let doc = doc_lines(&item.attrs);
        Ok(ComponentFn { item, params, ret, doc })
    }
}

fn param(input: &FnArg) -> syn::Result<Param> {
    let typed = match input {
        FnArg::Typed(typed) => typed,
        FnArg::Receiver(receiver) => {
            return Err(syn::Error::new_spanned(
                receiver,
                "a component cannot take `self`: make it a free function with plain parameters",
            ))
        }
    };
    let ident = match &*typed.pat {
        Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => pat.ident.clone(),
        other => {
            return Err(syn::Error::new_spanned(
                other,
                "component parameters must be plain names (`value_1: i64`): the name becomes the input's name; destructure inside the body",
            ))
        }
    };
    let ty = (*typed.ty).clone();
    let (owned, by_ref) = match &ty {
        Type::Reference(reference) => {
            if let Some(mutability) = reference.mutability {
                return Err(syn::Error::new(
                    mutability.span(),
                    "a component input cannot be `&mut`: take it by value or by `&`",
                ));
            }
            (owned_type(&reference.elem), true)
        }
        ty => (ty.clone(), false),
    };
    let is_output_path = last_ident(&owned).is_some_and(|ident| ident == "OutputPath");
    Ok(Param { ident, ty, owned, by_ref, is_output_path })
}

/// `str` -> `String`, `[T]` -> `Vec<T>`, else the type itself.
fn owned_type(elem: &Type) -> Type {
    match elem {
        Type::Path(path) if path.qself.is_none() && path.path.is_ident("str") => syn::parse_quote!(String),
        Type::Slice(slice) => {
            let item = &slice.elem;
            syn::parse_quote!(Vec<#item>)
        }
        other => other.clone(),
    }
}

/// The last path segment of a type, if it is a path.
pub fn last_ident(ty: &Type) -> Option<&Ident> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|segment| &segment.ident),
        _ => None,
    }
}

/// Single-name types (recursively, in generic arguments) that are neither
/// primitives nor std prelude types: user types a program must define.
pub fn user_type_idents<'a>(types: impl IntoIterator<Item = &'a Type>) -> Vec<Ident> {
    struct Finder(Vec<Ident>);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_type_path(&mut self, ty: &'ast syn::TypePath) {
            if ty.qself.is_none() && ty.path.leading_colon.is_none() && ty.path.segments.len() == 1 {
                let ident = &ty.path.segments[0].ident;
                if !BUILTIN_TYPES.contains(&ident.to_string().as_str()) && !self.0.contains(ident) {
                    self.0.push(ident.clone());
                }
            }
            syn::visit::visit_type_path(self, ty);
        }
    }
    let mut finder = Finder(Vec::new());
    for ty in types {
        finder.visit_type(ty);
    }
    finder.0
}

/// Type names every component program has.
const BUILTIN_TYPES: &[&str] = &[
    "bool",
    "char",
    "str",
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "f32",
    "f64",
    "String",
    "Vec",
    "Option",
    "Result",
    "Box",
    "InputPath",
    "OutputPath",
    "Untyped",
];

/// The text of `///` lines, as written (leading space kept).
pub fn doc_lines(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. }) => Some(lit.value()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}
