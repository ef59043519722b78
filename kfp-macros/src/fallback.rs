//! Output when the input has errors: the errors, the function as written, and
//! stand-ins for what the macro would have generated (the `_op` and
//! `_component` functions, the pipeline struct), so the user sees the real
//! problem and not a cascade of missing names at every use.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{FnArg, ItemFn, Pat, ReturnType, Type};

use crate::ast::{last_ident, option_of};

/// Input that is not even a function: the input as written plus the error.
/// `attribute` is `component` or `pipeline`.
pub fn unparsed(input: TokenStream, error: syn::Error, attribute: &str) -> TokenStream {
    let keyword = syn::parse2::<syn::Item>(input.clone()).ok().and_then(|item| item_keyword_span(&item));
    let error = match keyword {
        Some(span) => syn::Error::new(
            span,
            format_args!("`#[{attribute}]` goes on a function: `#[{attribute}] fn name(...) {{ ... }}`"),
        ),
        None => error,
    };
    let error = error.to_compile_error();
    quote! {
        #error
        #input
    }
}

/// A `#[component]` function with errors: the function, and a stub op that
/// takes anything and whose task has the outputs the function declares.
pub fn component(item: &ItemFn, error: syn::Error) -> TokenStream {
    let error = error.to_compile_error();
    // As written, less what rustc would report again.
    let mut item = crate::attr::without_macro_attrs(item);
    item.sig.constness = None;
    item.sig.variadic = None;
    let item = &item;
    let sig = &item.sig;
    // A method (`self`) sits in an impl block, where no stand-in items fit.
    if sig.inputs.iter().any(|input| matches!(input, FnArg::Receiver(_))) {
        return quote! {
            #error
            #item
        };
    }
    let vis = &item.vis;
    let fn_ident = &sig.ident;
    let op = format_ident!("{}_op", fn_ident);
    let component_fn = format_ident!("{}_component", fn_ident);
    let mut output_paths = Vec::new();
    let mut op_params = Vec::new();
    for (index, input) in sig.inputs.iter().enumerate() {
        let FnArg::Typed(typed) = input else { continue };
        let ty = match &*typed.ty {
            Type::Reference(reference) => &*reference.elem,
            ty => ty,
        };
        // `Option<OutputPath>` is refused, but meant as an output: no argument for it either.
        let is_output = |ty: &Type| last_ident(ty).is_some_and(|ident| ident == "OutputPath");
        let ty = option_of(ty).filter(|inner| is_output(inner)).unwrap_or(ty);
        if is_output(ty) {
            if let Pat::Ident(pat) = &*typed.pat {
                // One field per output name, none named as the return value's
                // `output`: a clash is one of the errors, not a field rustc rejects.
                let name = crate::names::io_name(&pat.ident.unraw().to_string()).to_owned();
                let taken = |(other, _): &(&syn::Ident, _)| crate::names::io_name(&other.to_string()) == name;
                if name != "output" && !output_paths.iter().any(taken) {
                    output_paths.push((&pat.ident, quote!(#ty)));
                }
            }
            continue;
        }
        let name = format_ident!("__kfp_arg_{}", index);
        op_params.push(quote!(#name: impl ::core::marker::Sized));
    }
    // The declared outputs when the return type can be named here; otherwise
    // outputs that accept every use.
    let ret: Option<Type> = match &sig.output {
        ReturnType::Default => Some(syn::parse_quote!(())),
        ReturnType::Type(_, ty) if sig.generics.params.is_empty() && !has_impl_trait(ty) => Some((**ty).clone()),
        ReturnType::Type(..) => None,
    };
    let (outputs, outputs_item) = match &ret {
        Some(ret) => crate::outputs::outputs_type(vis, fn_ident, &output_paths, ret),
        None => (quote!(::kfp::__private::Unknown), TokenStream::new()),
    };
    quote! {
        #error
        #[allow(dead_code)]
        #item

        #outputs_item

        #[allow(dead_code, clippy::too_many_arguments)]
        #vis fn #op(#(#op_params),*) -> ::kfp::Task<#outputs> {
            ::core::unreachable!("the component has errors")
        }

        #[allow(dead_code)]
        #vis fn #component_fn() -> &'static ::kfp::__private::Arc<::kfp::__private::Component> {
            ::core::unreachable!("the component has errors")
        }
    }
}

/// A `#[pipeline]` function with errors: the pipeline struct, so uses of it
/// compile, and the body, so its own errors show too.
pub fn pipeline(item: &ItemFn, error: syn::Error) -> TokenStream {
    let error = error.to_compile_error();
    let vis = &item.vis;
    let sig = &item.sig;
    let ident = &sig.ident;
    // Parameters are handles as in the real expansion; `self` has no place in
    // the body function, and other patterns keep their types as written.
    let params = sig.inputs.iter().filter_map(|input| {
        let FnArg::Typed(typed) = input else { return None };
        let ty = &typed.ty;
        Some(match &*typed.pat {
            Pat::Ident(pat) => {
                let name = &pat.ident;
                quote_spanned!(ty.span()=> #name: ::kfp::Param<#ty>)
            }
            pat => quote!(#pat: #ty),
        })
    });
    // A generic body cannot be checked on its own: its types are unknown.
    let body = sig.generics.params.is_empty().then(|| {
        let output = &sig.output;
        let block = &item.block;
        quote! {
            #[allow(dead_code, unused_variables, clippy::too_many_arguments)]
            fn __kfp_pipeline_body(#(#params),*) #output #block
        }
    });
    quote! {
        #error

        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, Default)]
        #vis struct #ident;

        impl ::kfp::Pipeline for #ident {
            fn info(&self) -> ::kfp::__private::PipelineInfo {
                ::core::unreachable!("the pipeline has errors")
            }

            fn __kfp_body(&self) {
                #body
            }
        }
    }
}

fn has_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_type_impl_trait(&mut self, _: &'ast syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    finder.visit_type(ty);
    finder.0
}

/// The keyword of an item that is not a function (`struct`, `impl`, ...).
fn item_keyword_span(item: &syn::Item) -> Option<proc_macro2::Span> {
    Some(match item {
        syn::Item::Struct(item) => item.struct_token.span,
        syn::Item::Enum(item) => item.enum_token.span,
        syn::Item::Union(item) => item.union_token.span,
        syn::Item::Impl(item) => item.impl_token.span,
        syn::Item::Trait(item) => item.trait_token.span,
        syn::Item::Mod(item) => item.mod_token.span,
        syn::Item::Const(item) => item.const_token.span,
        syn::Item::Static(item) => item.static_token.span,
        syn::Item::Type(item) => item.type_token.span,
        syn::Item::Use(item) => item.use_token.span,
        _ => return None,
    })
}
