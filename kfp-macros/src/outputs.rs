//! `#[derive(ComponentOutputs)]`: a struct whose fields are a component's
//! named outputs (kfp's `NamedTuple`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

pub fn expand(input: TokenStream) -> TokenStream {
    match syn::parse2::<DeriveInput>(input).and_then(|input| generate(&input)) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

fn generate(input: &DeriveInput) -> syn::Result<TokenStream> {
    let ident = &input.ident;
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "component outputs cannot be generic: give each field a concrete type",
        ));
    }
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
        _ => return Err(syn::Error::new_spanned(ident, "`ComponentOutputs` needs a struct with named fields, one per output")),
    };
    let vis = &input.vis;
    let handles = format_ident!("{}Outputs", ident);
    let names: Vec<&syn::Ident> = fields.iter().filter_map(|field| field.ident.as_ref()).collect();
    let name_strings: Vec<String> = names.iter().map(|name| name.to_string()).collect();
    let types: Vec<&syn::Type> = fields.iter().map(|field| &field.ty).collect();
    let infos = types.iter().map(|ty| quote_spanned!(ty.span()=> ::kfp::__private::TypeInfo::of::<#ty>()));
    let doc = format!(" Handles to the outputs of a task returning [`{ident}`].");
    let source = format!(
        "struct {ident} {{\n{}}}",
        names.iter().zip(&types).map(|(name, ty)| format!("    pub {name}: {},\n", quote!(#ty))).collect::<String>()
    );
    Ok(quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug)]
        #vis struct #handles {
            #(
                #[doc = concat!(" Output `", #name_strings, "`.")]
                pub #names: ::kfp::Output<#types>,
            )*
        }

        impl ::kfp::__private::Outputs for #ident {
            type Handles = #handles;
            fn handles(task: ::kfp::__private::TaskRef) -> #handles {
                #handles { #(#names: task.output(#name_strings),)* }
            }
        }

        impl ::kfp::__private::ReturnType for #ident {
            type Outputs = #ident;
            fn return_spec() -> ::kfp::__private::ReturnSpec {
                ::kfp::__private::ReturnSpec {
                    outputs: ::std::vec![#((#name_strings, #infos)),*],
                    named: true,
                    fallible: false,
                    shipped_source: ::std::option::Option::Some(#source),
                }
            }
        }

        impl ::kfp::__private::Shipped for #ident {}
    })
}
