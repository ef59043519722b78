//! `#[pipeline]`: the function becomes a unit struct implementing `kfp::Pipeline`;
//! its body runs at build time with parameters as typed handles.

use proc_macro2::TokenStream;
use quote::{format_ident, quote_spanned};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned;
use syn::{Expr, FnArg, ItemFn, LitInt, LitStr, Pat, ReturnType, Type};

use crate::ast::doc_lines;
use crate::attr::{self, Errors};

struct PipelineParam {
    ident: syn::Ident,
    ty: Type,
    default: Option<Expr>,
    /// `#[kfp(type = "...")]`: the kfp type `pipeline_spec` gives it.
    kfp_type: Option<LitStr>,
}

pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: ItemFn = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(error) => return crate::fallback::unparsed(input, error, "pipeline"),
    };
    let mut errors = Errors::default();
    let attrs = attr::pipeline_attrs(args).map_err(|error| errors.push(error)).ok();
    let sig = &item.sig;
    if let Some(asyncness) = sig.asyncness {
        errors.push(syn::Error::new(asyncness.span(), "a pipeline body runs once at build time: remove `async`"));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.push(crate::valid::generics_error(
            &sig.generics,
            "a pipeline cannot be generic: give its parameters concrete types",
        ));
    }
    let mut params = Vec::new();
    for input in &sig.inputs {
        match pipeline_param(input) {
            Ok(param) => params.push(param),
            Err(error) => errors.push(error),
        }
    }
    if let Err(error) = errors.finish() {
        return crate::fallback::pipeline(&item, error);
    }
    let attrs = attrs.expect("no errors, so the attributes parsed");

    let vis = &item.vis;
    let ident = &sig.ident;
    // At the function's name, not at the call site: see expand.rs.
    let site = ident.span();
    let ident_name = LitStr::new(&ident.to_string(), site);
    let name = attrs.name.unwrap_or_else(|| LitStr::new(&ident.to_string(), site));
    let doc: Vec<LitStr> = doc_lines(&item.attrs).into_iter().map(|line| LitStr::new(&line, site)).collect();
    let description = match attrs.description {
        Some(lit) => quote_spanned!(site=> ::std::option::Option::Some(::std::string::String::from(#lit))),
        None => quote_spanned!(site=> ::kfp::__private::doc_description(&[#(#doc),*])),
    };
    let optional = |lit: Option<LitStr>| match lit {
        Some(lit) => quote_spanned!(site=> ::std::option::Option::Some(::std::string::String::from(#lit))),
        None => quote_spanned!(site=> ::std::option::Option::None),
    };
    let display_name = optional(attrs.display_name);
    let pipeline_root = optional(attrs.pipeline_root);
    let item_attrs = item.attrs.iter().filter(|attr| attr.path().is_ident("doc"));
    let param_specs = params.iter().map(|param| {
        let name = LitStr::new(&param.ident.unraw().to_string(), site);
        let ty = &param.ty;
        let spec = quote_spanned!(ty.span()=> ::kfp::__private::PipelineParam::new::<#ty>(#name));
        let spec = match &param.kfp_type {
            Some(kfp_type) => quote_spanned!(kfp_type.span()=> #spec.with_kfp_type(#kfp_type)),
            None => spec,
        };
        match &param.default {
            Some(default) => quote_spanned! {default.span()=>
                #spec.with_default::<#ty>(::kfp::__private::DefaultValue::<#ty>::into_default(#default))
            },
            None => spec,
        }
    });
    let body_params = params.iter().map(|param| {
        let ident = &param.ident;
        let ty = &param.ty;
        quote_spanned!(ty.span()=> #ident: ::kfp::Param<#ty>)
    });
    let handles = (0..params.len() as u32).map(|index| {
        let index = LitInt::new(&format!("{index}u32"), site);
        quote_spanned!(site=> ::kfp::__private::pipeline_param(#index))
    });
    let block = &item.block;
    // What the body returns is the pipeline's outputs (`kfp::PipelineReturn` says what may be).
    let ret = match &sig.output {
        ReturnType::Type(_, ty) => quote_spanned!(ty.span()=> #ty),
        ReturnType::Default => quote_spanned!(site=> ()),
    };
    let output = &sig.output;
    // The task function: the pipeline called inside another pipeline's body, as a component is.
    let op = format_ident!("{}_op", ident.unraw(), span = site);
    let op_doc = LitStr::new(
        &format!(" Records a task running pipeline [`{ident}`] (kfp 2's pipeline used as a component)."),
        site,
    );
    // A parameter with a default takes a value or `None`, as a component input with one does.
    let arg_types: Vec<TokenStream> = params
        .iter()
        .map(|param| {
            let ty = &param.ty;
            match param.default {
                Some(_) => quote_spanned!(ty.span()=> ::std::option::Option<#ty>),
                None => quote_spanned!(ty.span()=> #ty),
            }
        })
        .collect();
    // KFP gives a pipeline run as an exit task its `PipelineTaskFinalStatus`: the op takes no argument for it.
    let given_by_kfp = |param: &PipelineParam| {
        crate::ast::last_ident(&param.ty).is_some_and(|ident| ident == "PipelineTaskFinalStatus")
    };
    let op_params = params.iter().zip(&arg_types).filter(|(param, _)| !given_by_kfp(param)).map(|(param, arg_type)| {
        let ident = &param.ident;
        quote_spanned!(param.ty.span()=> #ident: impl ::kfp::__private::IntoArg<#arg_type>)
    });
    let op_args = params.iter().zip(&arg_types).map(|(param, arg_type)| {
        if given_by_kfp(param) {
            return quote_spanned!(site=> ::kfp::__private::Arg::Absent);
        }
        let ident = &param.ident;
        quote_spanned!(site=> ::kfp::__private::IntoArg::<#arg_type>::into_arg(#ident))
    });
    quote_spanned! {site=>
        #(#item_attrs)*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, Default)]
        #vis struct #ident;

        impl ::kfp::Pipeline for #ident {
            fn info(&self) -> ::kfp::__private::PipelineInfo {
                ::kfp::__private::PipelineInfo {
                    name: ::std::string::String::from(#name),
                    description: #description,
                    display_name: #display_name,
                    pipeline_root: #pipeline_root,
                    params: ::std::vec![#(#param_specs),*],
                    output_descriptions: ::std::vec::Vec::new(),
                }
                .with_doc(&[#(#doc),*])
            }

            fn __kfp_body(&self) {
                #[allow(unused_variables, clippy::too_many_arguments)]
                fn __kfp_pipeline_body(#(#body_params),*) #output #block
                ::kfp::__private::set_pipeline_outputs(__kfp_pipeline_body(#(#handles),*))
            }
        }

        #[doc = #op_doc]
        // Most pipelines are never called inside another; the op takes the pipeline's parameters.
        #[allow(dead_code, clippy::too_many_arguments)]
        #vis fn #op(#(#op_params),*) -> ::kfp::Task<<#ret as ::kfp::__private::PipelineReturn>::Outputs> {
            ::kfp::__private::record_pipeline_task(&#ident, ::std::vec![#(#op_args),*])
        }

        // Registers the pipeline so `kfp::pipelines()` (the CLI's `list` and
        // `compile`, build scripts) finds it without a hand-written list.
        ::kfp::__private::inventory::submit! {
            ::kfp::__private::RegisteredPipeline::new(&#ident, ::std::module_path!(), #ident_name)
        }
    }
}

fn pipeline_param(input: &FnArg) -> syn::Result<PipelineParam> {
    let typed = match input {
        FnArg::Typed(typed) => typed,
        FnArg::Receiver(receiver) => {
            return Err(syn::Error::new_spanned(receiver, "a pipeline cannot take `self`: make it a free function"))
        }
    };
    let ident = match &*typed.pat {
        Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => pat.ident.clone(),
        other => {
            return Err(syn::Error::new_spanned(
                other,
                "pipeline parameters must be plain names: the name becomes the pipeline parameter's name",
            ))
        }
    };
    let mut errors = Errors::default();
    let default = attr::default_value(&typed.attrs).map_err(|error| errors.push(error)).ok().flatten();
    let kfp_type = attr::kfp_type(&typed.attrs).map_err(|error| errors.push(error)).ok().flatten();
    for attr in typed.attrs.iter().filter(|attr| !attr.path().is_ident("default") && !attr.path().is_ident("kfp")) {
        errors.push(syn::Error::new_spanned(
            attr.path(),
            "unknown attribute on a pipeline parameter; expected `#[default(value)]` or `#[kfp(type = \"...\")]`",
        ));
    }
    if let (Some((attr, _)), Some(ident)) = (&default, crate::ast::last_ident(&typed.ty)) {
        if ident == "Option" {
            errors.push(syn::Error::new_spanned(
                attr,
                "an `Option` pipeline parameter cannot have a default: a run that leaves it out gives its tasks no \
                 value; to get a value instead, take the plain type (`#[default(5)] n: i64`)",
            ));
        }
    }
    if let Some((item, optional)) = vec_of_artifacts(&typed.ty) {
        let list = format!("kfp::dsl::ArtifactList<{item}>");
        let (fix, python) = match optional {
            true => (format!("an `Option<{list}>`"), format!("`Optional[Input[List[{item}]]] = None`")),
            false => (format!("a `{list}`"), format!("`Input[List[{item}]]`")),
        };
        errors.push(syn::Error::new_spanned(
            &typed.ty,
            format!(
                "a list of artifacts is {fix} parameter (kfp 2's {python}): a `Vec` is kfp's JSON list, a \
                 parameter's value, and an artifact has none"
            ),
        ));
    }
    errors.finish()?;
    Ok(PipelineParam { ident, ty: (*typed.ty).clone(), default: default.map(|(_, expr)| expr), kfp_type })
}

/// The artifact type `T` of a `Vec<T>` of artifacts (`Vec<Dataset>`), written as a single name, and
/// whether it is inside an `Option` (`Option<Vec<Dataset>>`).
fn vec_of_artifacts(ty: &Type) -> Option<(String, bool)> {
    let (ty, optional) = crate::ast::option_of(ty).map_or((ty, false), |inner| (inner, true));
    crate::ast::artifact_vec_item(ty).map(|item| (item, optional))
}

#[cfg(test)]
mod tests {
    use crate::expand::tests::{call_site_tokens, fn_bodies};

    #[test]
    fn generated_code_carries_no_call_site_span() {
        let input = "/// Trains.\npub fn train(rate: f64, #[default(3)] epochs: i64) { let _ = (rate, epochs); }";
        let tokens = super::expand(proc_macro2::TokenStream::new(), input.parse().unwrap());
        let mut bodies = Vec::new();
        fn_bodies(tokens, &mut bodies);
        // `info`, `__kfp_body`, the body function inside it and the task function.
        assert_eq!(bodies.len(), 4);
        let mut found = Vec::new();
        for body in bodies {
            call_site_tokens(body, &mut found);
        }
        assert!(found.is_empty(), "generated code with the call-site span: {found:?}");
    }
}
