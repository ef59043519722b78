//! The types of a task's outputs: the derives that ship a user type into
//! component programs, `#[derive(ComponentOutputs)]`, a struct whose fields are
//! a component's named outputs (kfp's `NamedTuple`), and `#[derive(JsonObject)]`,
//! a serde type passed as kfp `JsonObject`; and the outputs struct
//! `#[component]` generates when `OutputPath` parameters add file outputs.

use proc_macro2::Ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitBool, LitStr, Type, Visibility};

use crate::ast::user_type_idents;

pub fn component_outputs(input: TokenStream) -> TokenStream {
    match syn::parse2::<DeriveInput>(input).and_then(|input| outputs(&input)) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

pub fn json_object(input: TokenStream) -> TokenStream {
    match syn::parse2::<DeriveInput>(input).and_then(|input| json(&input)) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

fn no_generics(input: &DeriveInput, derive: &str) -> syn::Result<()> {
    if input.generics.params.is_empty() && input.generics.where_clause.is_none() {
        return Ok(());
    }
    Err(syn::Error::new_spanned(
        &input.generics,
        format_args!("`{derive}` types cannot be generic: component programs need concrete types"),
    ))
}

fn outputs(input: &DeriveInput) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    no_generics(input, "ComponentOutputs")?;
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) if !fields.named.is_empty() => &fields.named,
            _ => {
                return Err(syn::Error::new_spanned(
                    ident,
                    "`ComponentOutputs` needs a struct with named fields, one per output: `struct Stats { sum: f64, mean: f64 }`",
                ))
            }
        },
        _ => {
            return Err(syn::Error::new_spanned(
                ident,
                "`ComponentOutputs` needs a struct with named fields, one per output: `struct Stats { sum: f64, mean: f64 }`",
            ))
        }
    };
    let vis = &input.vis;
    // At the type's name, not at the call site: see expand.rs.
    let site = ident.span();
    // `Handles`, not `Outputs`: `#[component]` names a task's outputs struct
    // `<Fn>Outputs`, and `struct Totals` beside `fn totals` is natural.
    let handles = format_ident!("{}Handles", ident);
    let returns = format_ident!("{}Returns", ident);
    let names: Vec<&syn::Ident> = fields.iter().filter_map(|field| field.ident.as_ref()).collect();
    let name_strings: Vec<LitStr> = names.iter().map(|name| LitStr::new(&name.to_string(), site)).collect();
    let types: Vec<&syn::Type> = fields.iter().map(|field| &field.ty).collect();
    let kfp_types = field_kfp_types(fields)?;
    // A returned artifact's handle carries its kfp type: `OutputArtifact<Dataset>` is an `Output<Dataset>`.
    let handle_types: Vec<syn::Type> =
        types.iter().map(|ty| returned_artifact_type(ty).unwrap_or_else(|| (*ty).clone())).collect();
    let infos: Vec<TokenStream> = types
        .iter()
        .zip(&kfp_types)
        .map(|(ty, kfp_type)| match kfp_type {
            Some(name) => quote_spanned!(ty.span()=> ::kfp::__private::TypeInfo {
                type_name: #name,
                ..<#ty as ::kfp::__private::OutputField>::type_info()
            }),
            None => quote_spanned!(ty.span()=> <#ty as ::kfp::__private::OutputField>::type_info()),
        })
        .collect();
    // At the field's type: a field that is not a kfp type is reported there.
    let texts = names
        .iter()
        .zip(&types)
        .map(|(name, ty)| quote_spanned!(ty.span()=> <#ty as ::kfp::__private::OutputField>::output_text(&self.#name)));
    let doc = LitStr::new(&format!(" Handles to the outputs of a task returning [`{ident}`]."), site);
    let returns_doc = LitStr::new(
        &format!(" The outputs [`{ident}`] of a pipeline, each a task output or a collected list (`.into()`)."),
        site,
    );
    let source = format!(
        "struct {ident} {{\n{}}}",
        names.iter().zip(&types).map(|(name, ty)| format!("    pub {name}: {},\n", quote!(#ty))).collect::<String>()
    );
    // A list of artifacts (kfp's `List[Dataset]` field) is a pipeline's output only: kfp 2 has no
    // output list of artifacts on a component, so such a struct is no component's return type
    // (rustc says so where a component returns it), and `ArtifactList` is no type to ship.
    let component_return = !types.iter().any(|ty| last_segment_is(ty, "ArtifactList"));
    let shipped = types.iter().copied().filter(|ty| !last_segment_is(ty, "ArtifactList"));
    let ship = ship(ident, &source, false, shipped);
    let return_type = if component_return {
        quote_spanned! {site=>
            impl ::kfp::__private::ReturnType for #ident {
                type Outputs = #ident;
                fn return_spec() -> ::kfp::__private::ReturnSpec {
                    ::kfp::__private::ReturnSpec {
                        outputs: ::std::vec![#((#name_strings, #infos)),*],
                        named: true,
                        fallible: false,
                    }
                }
                fn into_output_texts(self) -> ::std::result::Result<::std::vec::Vec<::std::string::String>, ::std::string::String> {
                    ::std::result::Result::Ok(::std::vec![#(#texts?),*])
                }
            }
        }
    } else {
        TokenStream::new()
    };
    Ok(quote_spanned! {site=>
        #[doc = #doc]
        #[derive(Clone, Copy, Debug)]
        // A pipeline may leave some outputs unused.
        #[allow(dead_code)]
        #vis struct #handles {
            #(
                #[doc = concat!(" Output `", #name_strings, "`.")]
                pub #names: ::kfp::Output<#handle_types>,
            )*
        }

        impl ::kfp::__private::Outputs for #ident {
            type Handles = #handles;
            fn handles(task: ::kfp::__private::TaskRef) -> #handles {
                #handles { #(#names: task.output(#name_strings),)* }
            }
        }

        // A pipeline returning the handles has these outputs (kfp's `-> NamedTuple` pipeline).
        impl ::kfp::__private::PipelineReturn for #handles {
            type Outputs = #ident;
            fn pipeline_outputs(self) -> ::std::vec::Vec<::kfp::__private::PipelineOutput> {
                ::std::vec![#(::kfp::__private::pipeline_output(#name_strings, #infos, self.#names)),*]
            }
        }

        #[doc = #returns_doc]
        #[derive(Debug)]
        // Most outputs structs are never returned with a collected list.
        #[allow(dead_code)]
        #vis struct #returns {
            #(
                #[doc = concat!(" Output `", #name_strings, "`.")]
                pub #names: ::kfp::dsl::ReturnValue<#handle_types>,
            )*
        }

        // The same outputs, each a task output or a collected list (kfp's `NamedTuple` holding a `dsl.Collected`).
        impl ::kfp::__private::PipelineReturn for #returns {
            type Outputs = #ident;
            fn pipeline_outputs(self) -> ::std::vec::Vec<::kfp::__private::PipelineOutput> {
                ::std::vec![#(::kfp::__private::returned_output(#name_strings, #infos, self.#names)),*]
            }
        }

        #return_type

        // The fields are read by the component's program (or, for a pipeline's outputs, by
        // nobody: the struct names them), not by this crate.
        const _: () = {
            #[allow(dead_code)]
            fn __kfp_read_fields(outputs: &#ident) {
                let _ = (#(&outputs.#names,)*);
            }
        };

        #ship
    })
}

/// Whether `ty` is a path whose last segment is `name` (`kfp::dsl::ArtifactList<Dataset>`).
fn last_segment_is(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|segment| segment.ident == name))
}

/// `T` of a field typed `OutputArtifact<T>` (`Artifact` for a bare `OutputArtifact`).
fn returned_artifact_type(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let segment = path.path.segments.last().filter(|segment| segment.ident == "OutputArtifact")?;
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(args) => match args.args.first() {
            Some(syn::GenericArgument::Type(ty)) => Some(ty.clone()),
            _ => None,
        },
        _ => Some(syn::parse_quote_spanned!(ty.span()=> ::kfp::artifacts::Artifact)),
    }
}

/// The kfp type each field declares with `#[kfp(type = "...")]`, if any; every
/// malformed attribute is reported.
fn field_kfp_types(
    fields: &syn::punctuated::Punctuated<syn::Field, syn::Token![,]>,
) -> syn::Result<Vec<Option<syn::LitStr>>> {
    let mut errors = crate::attr::Errors::default();
    let found = fields
        .iter()
        .map(|field| crate::attr::kfp_type(&field.attrs).map_err(|e| errors.push(e)).ok().flatten())
        .collect();
    errors.finish()?;
    Ok(found)
}

/// Derives that a shipped copy may keep: the standard library's.
const STD_DERIVES: &[&str] = &["Debug", "Clone", "Copy", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Default"];

fn json(input: &DeriveInput) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    no_generics(input, "JsonObject")?;
    // The program's copy: serde's derives by path, the std derives and every
    // `#[serde(...)]` attribute kept, everything else dropped.
    let mut copy = input.clone();
    let mut std_derives = Vec::new();
    for attr in input.attrs.iter().filter(|attr| attr.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(name) = meta.path.get_ident().filter(|name| STD_DERIVES.contains(&name.to_string().as_str())) {
                std_derives.push(name.clone());
            }
            Ok(())
        });
    }
    copy.attrs.retain(|attr| attr.path().is_ident("serde"));
    copy.attrs.insert(0, syn::parse_quote!(#[derive(serde::Serialize, serde::Deserialize, #(#std_derives),*)]));
    let types: Vec<syn::Type> = match &mut copy.data {
        Data::Struct(data) => keep_serde_attrs(&mut data.fields),
        Data::Enum(data) => data
            .variants
            .iter_mut()
            .flat_map(|variant| {
                variant.attrs.retain(|attr| attr.path().is_ident("serde"));
                keep_serde_attrs(&mut variant.fields)
            })
            .collect(),
        Data::Union(_) => {
            return Err(syn::Error::new_spanned(ident, "`JsonObject` needs a struct or an enum that serde can derive"))
        }
    };
    let source = copy_source(&copy);
    let ship = ship(ident, &source, true, types.iter());
    Ok(quote_spanned! {ident.span()=>
        impl ::kfp::KfpType for #ident {
            const TYPE_NAME: &'static str = "JsonObject";
            const KIND: ::kfp::types::Kind = ::kfp::types::Kind::Json;
            type Family = ::kfp::types::family::JsonObject;
            fn to_kfp_string(&self) -> ::std::string::String {
                ::kfp::__private::json_text(self)
            }
            fn from_kfp_str(text: &str) -> ::std::result::Result<Self, ::std::string::String> {
                ::kfp::__private::local::from_json(text)
            }
            fn to_kfp_output(&self) -> ::std::result::Result<::std::string::String, ::std::string::String> {
                ::kfp::__private::local::to_json(self)
            }
        }

        #ship
    })
}

/// Keeps only `#[serde(...)]` on fields; returns the field types.
fn keep_serde_attrs(fields: &mut Fields) -> Vec<syn::Type> {
    fields
        .iter_mut()
        .map(|field| {
            field.attrs.retain(|attr| attr.path().is_ident("serde"));
            field.ty.clone()
        })
        .collect()
}

fn copy_source(item: &DeriveInput) -> String {
    let tokens = item.to_token_stream();
    tokens.to_string()
}

/// `impl Shipped`: the type's own source, then the shipped types its fields name.
fn ship<'a>(
    ident: &syn::Ident,
    source: &str,
    needs_serde: bool,
    field_types: impl IntoIterator<Item = &'a syn::Type>,
) -> TokenStream {
    let nested = user_type_idents(field_types)
        .into_iter()
        .filter(|nested| nested != ident)
        .map(|nested| quote_spanned!(nested.span()=> <#nested as ::kfp::__private::Shipped>::ship(types);));
    let source = LitStr::new(source, ident.span());
    let needs_serde = LitBool::new(needs_serde, ident.span());
    quote_spanned! {ident.span()=>
        impl ::kfp::__private::Shipped for #ident {
            fn ship(types: &mut ::kfp::__private::ShippedTypes) {
                if types.add(#source, #needs_serde) {
                    #(#nested)*
                }
            }
        }
    }
}

/// The task outputs type: the return type's, or a generated struct when
/// `OutputPath` parameters add file outputs.
/// Used by the expansion and by the fallback, whose stub op has the same outputs.
/// `output_paths` are the `OutputPath` parameters with their types.
pub fn outputs_type(
    vis: &Visibility,
    fn_ident: &Ident,
    output_paths: &[(&Ident, TokenStream)],
    ret: &Type,
) -> (TokenStream, TokenStream) {
    let site = fn_ident.span();
    let return_outputs = task_outputs(ret).into_token_stream();
    if output_paths.is_empty() {
        return (return_outputs, TokenStream::new());
    }
    let ident = format_ident!("{}Outputs", crate::names::camel_case(&fn_ident.to_string()), span = site);
    let names: Vec<Ident> = output_paths
        .iter()
        .map(|(param, _)| format_ident!("{}", crate::names::io_name(&param.to_string()), span = param.span()))
        .collect();
    let types = output_paths.iter().map(|(_, ty)| quote_spanned!(site=> <#ty as ::kfp::__private::FilePath>::Type));
    let output_names: Vec<LitStr> = names.iter().map(|name| LitStr::new(&name.to_string(), site)).collect();
    let doc = LitStr::new(
        &format!(" The outputs of a [`{fn_ident}`] task: its files, and `output` for its return value."),
        site,
    );
    let item = quote_spanned! {site=>
        #[doc = #doc]
        #[derive(Clone, Copy, Debug)]
        #[allow(dead_code)]
        #vis struct #ident {
            #(
                #[doc = " A file the task writes."]
                pub #names: ::kfp::Output<#types>,
            )*
            /// The task's return value.
            pub output: <#return_outputs as ::kfp::__private::Outputs>::Handles,
        }

        impl ::kfp::__private::Outputs for #ident {
            type Handles = Self;
            fn handles(task: ::kfp::__private::TaskRef) -> Self {
                #ident {
                    #(#names: task.output(#output_names),)*
                    output: <#return_outputs as ::kfp::__private::Outputs>::handles(task),
                }
            }
        }
    };
    (ident.into_token_stream(), item)
}

/// `<R as ReturnType>::Outputs`, written out: the return type without its
/// `Result`s. Written out so that an unsupported return type is one error at
/// the component (`ReturnType` not implemented), not one more at every call of
/// the op; the impls of `ReturnType` map every supported type this way.
fn task_outputs(ret: &Type) -> Type {
    if let Type::Path(path) = ret {
        if let Some(segment) = path.path.segments.last().filter(|segment| segment.ident == "Result") {
            if let syn::PathArguments::AngleBracketed(args) = &segment.arguments {
                if let Some(syn::GenericArgument::Type(ok)) = args.args.first() {
                    return task_outputs(ok);
                }
            }
        }
    }
    match ret {
        Type::Paren(paren) => task_outputs(&paren.elem),
        Type::Group(group) => task_outputs(&group.elem),
        ret => ret.clone(),
    }
}
