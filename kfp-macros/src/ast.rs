//! A typed view of a `#[component]` function.

use proc_macro2::Ident;
use syn::ext::IdentExt as _;
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
    /// `#[kfp(type = "...")]` on the function: its return value's kfp type.
    pub ret_kfp_type: Option<syn::LitStr>,
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
    /// `PipelineTaskFinalStatus`: given by KFP to an exit task, so not an argument of the op.
    pub is_final_status: bool,
    /// `#[default(value)]`: the value, for an input a task may leave out.
    pub default: Option<syn::Expr>,
    /// `#[kfp(type = "...")]`: the kfp type the spec gives it, if not its Rust type's.
    pub kfp_type: Option<syn::LitStr>,
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
        check_io_names(&params, &mut errors);
        let ret_kfp_type = crate::attr::kfp_type(&item.attrs).map_err(|error| errors.push(error)).ok().flatten();
        errors.finish()?;
        let ret = match &item.sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => match &**ty {
                Type::Tuple(tuple) if tuple.elems.is_empty() => None,
                ty => Some(ty.clone()),
            },
        };
        let doc = doc_lines(&item.attrs);
        Ok(ComponentFn { item, params, ret, ret_kfp_type, doc })
    }
}

/// Parameters kfp would give one input or output name, hence one flag and one
/// file (`o` and `o_path`, `o_path` and `o_file`): one value would silently
/// overwrite the other. Reported at the second.
fn check_io_names(params: &[Param], errors: &mut Errors) {
    let names: Vec<(&Param, String)> = params
        .iter()
        .map(|param| {
            let ident = param.ident.unraw().to_string();
            let input_file = |ty: &Type| last_ident(ty).is_some_and(|ident| ident == "InputPath");
            let is_file =
                param.is_output_path || input_file(&param.owned) || option_of(&param.owned).is_some_and(input_file);
            let name = if is_file { crate::names::io_name(&ident).to_owned() } else { ident };
            (param, name)
        })
        .collect();
    for (index, (param, name)) in names.iter().enumerate() {
        let ident = &param.ident;
        let flag = format!("--{}", name.replace('_', "-"));
        if let Some((first, _)) = names[..index].iter().find(|(_, other)| other == name) {
            errors.push(syn::Error::new(
                ident.span(),
                format_args!(
                    "`{}` and `{ident}` both become the component's `{name}` (kfp drops `_path`/`_file` from file parameters) with the flag `{flag}`, so one value would overwrite the other: rename one of them",
                    first.ident
                ),
            ));
        } else if flag == "----output-paths" {
            errors.push(syn::Error::new(
                ident.span(),
                format_args!("`{ident}` gets the flag `----output-paths`, which the program reads the paths of returned outputs after: rename it"),
            ));
        } else if param.is_output_path && name == "output" {
            errors.push(syn::Error::new(
                ident.span(),
                format_args!("`{ident}` becomes the file output `output`, but a task's `output` is its return value: rename it (`result_path`)"),
            ));
        }
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
    if let Some(inner) = option_of(&owned).filter(|inner| last_ident(inner).is_some_and(|ident| ident == "OutputPath"))
    {
        return Err(syn::Error::new_spanned(
            inner,
            "an output file cannot be optional: kfp gives every output of a task a path, which the function writes; take `OutputPath<T>` (and write it empty when there is nothing to say)",
        ));
    }
    // `Vec<Dataset>` would be a JSON list of nothing: the files of a list of artifacts are `InputPath`s.
    let optional_list = option_of(&owned).and_then(artifact_vec_item);
    if let Some(item) = optional_list.as_ref().or(artifact_vec_item(&owned).as_ref()) {
        let (fix, python) = match optional_list.is_some() {
            true => (format!("Option<Vec<InputPath<{item}>>>"), format!("Optional[Input[List[{item}]]] = None")),
            false => (format!("Vec<InputPath<{item}>>"), format!("Input[List[{item}]]")),
        };
        return Err(syn::Error::new_spanned(
            &owned,
            format!(
                "a component takes a list of artifacts as their files: `{fix}` (kfp 2's `{python}`); a `Vec` of \
                 `{item}` would be kfp's JSON list, a value, and an artifact has none"
            ),
        ));
    }
    let is_final_status = last_ident(&owned).is_some_and(|ident| ident == "PipelineTaskFinalStatus");
    let mut errors = Errors::default();
    let kfp_type = crate::attr::kfp_type(&typed.attrs).map_err(|error| errors.push(error)).ok().flatten();
    let default = crate::attr::default_value(&typed.attrs).map_err(|error| errors.push(error)).ok().flatten();
    errors.finish()?;
    if let Some((attr, _)) = &default {
        let refused = match last_ident(&owned) {
            Some(ident) if ident == "Option" => Some(
                "an `Option` parameter cannot have a default: tasks that leave it out pass `None`; to get a value instead, take the plain type (`#[default(5)] n: i64`)",
            ),
            Some(ident) if ident == "InputPath" || ident == "OutputPath" => {
                Some("a file parameter cannot have a default: kfp gives defaults to value inputs only")
            }
            _ => None,
        };
        if let Some(message) = refused {
            return Err(syn::Error::new_spanned(attr, message));
        }
    }
    Ok(Param {
        ident,
        ty,
        owned,
        by_ref,
        is_output_path,
        is_final_status,
        default: default.map(|(_, expr)| expr),
        kfp_type,
    })
}

/// `str` -> `String`, `[T]` -> `Vec<T>`, else the type itself.
fn owned_type(elem: &Type) -> Type {
    match elem {
        // At the user's type: generated code carries no call-site spans (expand.rs).
        Type::Path(path) if path.qself.is_none() && path.path.is_ident("str") => {
            syn::parse_quote_spanned!(path.span()=> ::std::string::String)
        }
        Type::Slice(slice) => {
            let item = &slice.elem;
            syn::parse_quote_spanned!(slice.span()=> ::std::vec::Vec<#item>)
        }
        other => other.clone(),
    }
}

/// `T` of `Option<T>`.
pub fn option_of(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let segment = path.path.segments.last().filter(|segment| segment.ident == "Option")?;
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => match &args.args[0] {
            syn::GenericArgument::Type(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// The artifact type `T` of a `Vec<T>` of artifacts (`Vec<Dataset>`), written as a single name.
pub fn artifact_vec_item(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else { return None };
    let segment = path.path.segments.last().filter(|segment| segment.ident == "Vec")?;
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else { return None };
    let Some(syn::GenericArgument::Type(Type::Path(item))) = args.args.first() else { return None };
    let name = item.path.get_ident()?.to_string();
    ARTIFACT_TYPES.contains(&name.as_str()).then_some(name)
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
            // `OutputPath<Dataset>`: kfp's artifact types come with the path types.
            if let Some(args) = path_type_args(ty) {
                for arg in args {
                    match arg {
                        syn::GenericArgument::Type(Type::Path(arg))
                            if arg.qself.is_none()
                                && arg
                                    .path
                                    .get_ident()
                                    .is_some_and(|ident| ARTIFACT_TYPES.contains(&ident.to_string().as_str())) => {}
                        arg => self.visit_generic_argument(arg),
                    }
                }
                return;
            }
            if ty.qself.is_none() && ty.path.leading_colon.is_none() && ty.path.segments.len() == 1 {
                let ident = &ty.path.segments[0].ident;
                let name = ident.to_string();
                // The artifact markers are in every container's prelude too: a
                // `#[derive(ComponentOutputs)]` field `data: Artifact` is a pipeline's output.
                let known = BUILTIN_TYPES.contains(&name.as_str()) || ARTIFACT_TYPES.contains(&name.as_str());
                if !known && !self.0.contains(ident) {
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

/// The generic arguments of `InputPath<...>`, `OutputPath<...>` or `OutputArtifact<...>` written as a single name.
fn path_type_args(ty: &syn::TypePath) -> Option<impl Iterator<Item = &syn::GenericArgument>> {
    if ty.qself.is_some() || ty.path.leading_colon.is_some() || ty.path.segments.len() != 1 {
        return None;
    }
    let segment = &ty.path.segments[0];
    if !["InputPath", "OutputPath", "OutputArtifact"].iter().any(|name| segment.ident == name) {
        return None;
    }
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(args) => Some(args.args.iter()),
        _ => None,
    }
}

/// kfp's artifact types, the `T` of `InputPath<T>` / `OutputPath<T>`: every
/// component program that takes files has them.
pub(crate) const ARTIFACT_TYPES: &[&str] = &[
    "Artifact",
    "Dataset",
    "Model",
    "Metrics",
    "ClassificationMetrics",
    "SlicedClassificationMetrics",
    "Html",
    "Markdown",
];

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
    "OutputArtifact",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn idents(types: &[&str]) -> Vec<String> {
        let types: Vec<Type> = types.iter().map(|text| syn::parse_str(text).unwrap()).collect();
        user_type_idents(&types).iter().map(Ident::to_string).collect()
    }

    #[test]
    fn artifact_markers_are_the_programs_own() {
        assert!(idents(&["OutputPath<Dataset>", "InputPath<Model>", "OutputPath", "OutputPath<i64>"]).is_empty());
        // An artifact marker anywhere (an outputs struct's `data: Dataset` field) is the container prelude's.
        assert_eq!(idents(&["Dataset", "Vec<Model>", "OutputPath<Stats>"]), ["Stats"]);
    }

    #[test]
    fn defaults_are_parsed_and_refused_where_kfp_has_none() {
        let item: ItemFn = syn::parse_quote! {
            fn train(#[default(100)] steps: i64, #[allow(unused)] #[default("x")] name: &str, plain: f64) {}
        };
        let function = ComponentFn::from_item(item).unwrap();
        let defaults: Vec<Option<String>> = function
            .params
            .iter()
            .map(|param| param.default.as_ref().map(|expr| quote::quote!(#expr).to_string()))
            .collect();
        assert_eq!(defaults, [Some("100".to_owned()), Some("\"x\"".to_owned()), None]);

        for refused in [
            quote::quote!(
                fn f(#[default(1)] x: Option<i64>) {}
            ),
            quote::quote!(
                fn f(#[default("a")] x: InputPath<Dataset>) {}
            ),
            quote::quote!(
                fn f(#[default("a")] x: OutputPath) {}
            ),
            quote::quote!(
                fn f(
                    #[default(1)]
                    #[default(2)]
                    x: i64,
                ) {
                }
            ),
        ] {
            let item: ItemFn = syn::parse2(refused.clone()).unwrap();
            assert!(ComponentFn::from_item(item).is_err(), "{refused}");
        }
    }
}
