//! Code generation for `#[component]`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned;
use syn::{ItemFn, LitBool, LitStr, Type, Visibility};

use crate::ast::{ComponentFn, Param};
use crate::attr::{self, ComponentAttrs, Errors};
use crate::{fallback, lock, valid};

pub fn component(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: ItemFn = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(error) => return fallback::unparsed(input, error, "component"),
    };
    match expand(args, item.clone()) {
        Ok(tokens) => tokens,
        Err((error, missing_crates)) if missing_crates => {
            // Its body names crates the user's crate lacks: rustc would add an
            // error at each use to the one that names the line to add.
            let mut item = item;
            item.block = syn::parse_quote!({ ::core::unreachable!() });
            item.attrs.push(syn::parse_quote!(#[allow(unused_variables)]));
            fallback::component(&item, error)
        }
        Err((error, _)) => fallback::component(&item, error),
    }
}

/// The expansion, or the errors and whether a listed crate is not a dependency.
fn expand(args: TokenStream, item: ItemFn) -> Result<TokenStream, (syn::Error, bool)> {
    let mut errors = Errors::default();
    // A prebuilt-image component runs in the user's own binary, where the whole
    // crate exists: its body is not checked for isolation. Known even when
    // another argument is wrong, so those errors do not bring isolation errors.
    let prebuilt = attr::mentions_key(&args, "image");
    let attrs = attr::component_attrs(args).map_err(|error| errors.push(error)).ok();
    valid::check_signature(&item, &mut errors);
    let function = match ComponentFn::from_item(item) {
        Ok(function) => Some(function),
        Err(error) => {
            errors.push(error);
            None
        }
    };
    let packages = attrs.as_ref().map(|attrs| valid::check_packages(&attrs.packages_to_install, &mut errors));
    let uses_json = function
        .as_ref()
        .map(|function| !prebuilt && valid::check_body(function, packages.as_deref().unwrap_or_default(), &mut errors));
    // Pinned when every entry reads (their errors come first); a prebuilt
    // image has its own build.
    let pins = attrs.as_ref().map(|attrs| {
        let read = packages.as_ref().is_some_and(|names| names.len() == attrs.packages_to_install.len());
        match prebuilt || !read {
            true => lock::Pins::as_written(&attrs.packages_to_install),
            false => lock::pin(&attrs.packages_to_install, &mut errors),
        }
    });
    let missing_crates = pins.as_ref().is_some_and(|pins| pins.missing);
    errors.finish().map_err(|error| (error, missing_crates))?;
    let (Some(attrs), Some(function), Some(uses_json), Some(pins)) = (attrs, function, uses_json, pins) else {
        unreachable!("errors.finish() returns every error collected above")
    };
    Ok(generate(&attrs, &function, uses_json, &pins))
}

fn generate(attrs: &ComponentAttrs, function: &ComponentFn, uses_json: bool, pins: &lock::Pins) -> TokenStream {
    let item = &function.item;
    let vis = &item.vis;
    let fn_ident = &item.sig.ident;
    // The code the macro writes is spanned at the function's name, not at
    // `Span::call_site()`: rustc re-checks and re-generates code that carries
    // a proc macro's call-site context whenever its file changes length, so
    // with call-site spans an edit anywhere in a file recompiled every
    // component in it (benches/README.md, "The macro's cost").
    let site = fn_ident.span();
    let fn_name = fn_ident.to_string();
    let fn_name_lit = LitStr::new(&fn_name, site);
    let module = format_ident!("__kfp_{}", fn_ident);
    let op = format_ident!("{}_op", fn_ident);
    let component_fn = format_ident!("{}_component", fn_ident);
    let ret = function.ret.clone().unwrap_or_else(|| syn::parse_quote_spanned!(site=> ()));

    let prebuilt = attrs.image.is_some();
    // The function lives in a module that sees only what its container will
    // have, so using anything else fails here and not in a pod. A prebuilt-image
    // component stays where it is: its container has the whole crate.
    let shipped = if prebuilt { Vec::new() } else { shipped_types(function) };
    let shipped_imports = shipped.iter().map(|ident| {
        quote_spanned! {ident.span()=>
            #[allow(unused_imports)]
            use super::#ident;
        }
    });
    let ship = shipped
        .iter()
        .map(|ident| quote_spanned!(ident.span()=> <#ident as ::kfp::__private::Shipped>::ship(&mut shipped);));
    // `#[default]` and `#[kfp]` are the macro's: rustc would not know them.
    let item = &attr::without_macro_attrs(item);
    let mut inner = item.clone();
    inner.vis = Visibility::Public(Default::default());

    let value_params: Vec<&Param> = function.params.iter().filter(|param| !param.is_output_path).collect();
    // An input with a default takes a value or `None`, as an `Option` input does.
    let arg_type = |param: &Param| {
        let owned = &param.owned;
        match param.default {
            Some(_) => quote_spanned!(site=> ::std::option::Option<#owned>),
            None => quote!(#owned),
        }
    };
    // KFP gives an exit task its `PipelineTaskFinalStatus`: the op takes no argument for it.
    let op_params = value_params.iter().filter(|param| !param.is_final_status).map(|param| {
        let ident = &param.ident;
        let arg_type = arg_type(param);
        quote_spanned!(param.ty.span()=> #ident: impl ::kfp::__private::IntoArg<#arg_type>)
    });
    let op_args = value_params.iter().map(|param| {
        if param.is_final_status {
            return quote_spanned!(site=> ::kfp::__private::Arg::Absent);
        }
        let ident = &param.ident;
        let arg_type = arg_type(param);
        quote_spanned!(site=> ::kfp::__private::IntoArg::<#arg_type>::into_arg(#ident))
    });
    // The written files' types, named where the signature's names resolve.
    let output_aliases: Vec<(Ident, &Param)> = function
        .params
        .iter()
        .filter(|param| param.is_output_path)
        .map(|param| (format_ident!("__kfp_output_{}", param.ident), param))
        .collect();
    let output_paths: Vec<(&Ident, TokenStream)> = output_aliases
        .iter()
        .map(|(alias, param)| {
            let ty = if prebuilt { param.owned.to_token_stream() } else { quote_spanned!(site=> #module::#alias) };
            (&param.ident, ty)
        })
        .collect();
    let alias_items = output_aliases.iter().map(|(alias, param)| {
        let owned = &param.owned;
        quote_spanned! {site=>
            #[doc(hidden)]
            #[allow(non_camel_case_types, unreachable_pub)]
            pub type #alias = #owned;
        }
    });
    let (outputs_type, outputs_item) = crate::outputs::outputs_type(vis, fn_ident, &output_paths, &ret);
    let component_doc =
        LitStr::new(&format!(" The [`{fn_name}`] component: its spec (`component.yaml`) and container program."), site);
    let op_doc =
        LitStr::new(&format!(" Records a task of the [`{fn_name}`] component in the pipeline being built."), site);

    let fn_params = function.params.iter().map(|param| {
        let new = fn_param(param, site);
        match param.default {
            Some(_) => {
                let default_fn = default_fn_ident(param);
                quote_spanned!(site=> #new.with_default(#default_fn()))
            }
            None => new,
        }
    });
    // One function per default: its text, as kfp passes it: the spec's default,
    // and what the program's steps read when the flag is absent.
    let default_fns = function.params.iter().filter_map(|param| {
        let default = param.default.as_ref()?;
        let default_fn = default_fn_ident(param);
        let owned = &param.owned;
        let value = quote_spanned! {default.span()=>
            ::kfp::KfpType::to_kfp_string(&::kfp::__private::DefaultValue::<#owned>::into_default(#default))
        };
        Some(quote_spanned! {site=>
            #[allow(non_snake_case)]
            fn #default_fn() -> ::std::string::String {
                #value
            }
        })
    });
    let source = LitStr::new(&if prebuilt { String::new() } else { function_source(item) }, site);
    let uses_json = LitBool::new(uses_json, site);
    let doc = function.doc.iter().map(|line| LitStr::new(line, site));
    let name = option_lit(&attrs.name, site);
    let description = option_lit(&attrs.description, site);
    let base_image = option_lit(&attrs.base_image, site);
    let output_file = option_lit(&attrs.output_component_file, site);
    let packages = pins.packages.iter().map(|package| LitStr::new(package, site));
    let (locked, lock_tracking) = pins.tokens(site);
    let return_spec = quote_spanned!(ret.span()=> <#ret as ::kfp::__private::ReturnType>::return_spec());
    let (return_spec, single_output_check) = match &function.ret_kfp_type {
        Some(kfp_type) => (
            quote_spanned!(kfp_type.span()=> #return_spec.with_kfp_type(#kfp_type)),
            // Only one value has one type to declare: a compile error at the return type otherwise.
            quote_spanned! {ret.span()=>
                const _: () = {
                    fn __kfp_single_output<R: ::kfp::__private::SingleOutput>() {}
                    #[allow(dead_code)]
                    fn __kfp_check() {
                        __kfp_single_output::<#ret>();
                    }
                };
            },
        ),
        None => (return_spec, TokenStream::new()),
    };
    let function_path = if prebuilt { quote!(#fn_ident) } else { quote_spanned!(site=> #module::#fn_ident) };
    let local = local_main(function, &function_path, &ret, site);
    let prebuilt_spec = match &attrs.image {
        Some(image) => {
            // The binary of the crate the component is written in, unless `command` names another.
            let program = match &attrs.command {
                Some(command) => quote!(#command),
                None => quote_spanned!(site=> ::std::env!("CARGO_PKG_NAME")),
            };
            quote_spanned!(site=> ::std::option::Option::Some(::kfp::__private::Prebuilt { image: #image, program: #program }))
        }
        None => quote_spanned!(site=> ::std::option::Option::None),
    };
    // Modules and `use` items keep the call-site span: rustc suggests a missing
    // import by inserting it before the first `use` of a module that is not
    // macro-made, and these are the macro's. They generate no code.
    let function_item = if prebuilt {
        quote!(#item)
    } else {
        quote! {
            #[doc(hidden)]
            #[allow(non_snake_case)]
            mod #module {
                #[allow(unused_imports)]
                use ::kfp::__private::container_prelude::*;
                #(#shipped_imports)*
                #inner
                #(#alias_items)*
            }
            #[allow(unused_imports)]
            #vis use self::#module::#fn_ident;
        }
    };
    // The binary's `component NAME` subcommand finds prebuilt-image components here.
    let registration = prebuilt.then(|| {
        quote_spanned! {site=>
            ::kfp::__private::inventory::submit! {
                ::kfp::__private::RegisteredComponent::new(#component_fn, ::std::module_path!(), #fn_name_lit)
            }
        }
    });

    // The op and component functions live in a module of their own, which sees
    // what the function's module sees: editing one component's body then
    // recompiles that module's code, not the code of every component in the file.
    let generated = format_ident!("__kfp_generated_{}", fn_ident);
    // Call-site spans, as on the modules: lints about visibility in a private
    // module are about the macro's layout, not the user's code.
    let inner_vis = match vis {
        Visibility::Public(_) => quote!(pub),
        _ => quote!(pub(crate)),
    };
    let functions = quote_spanned! {site=>
        #[doc = #op_doc]
        // The op takes the function's parameters: their number is the user's choice, linted on their function.
        #[allow(dead_code, clippy::too_many_arguments)]
        #inner_vis fn #op(#(#op_params),*) -> ::kfp::Task<#outputs_type> {
            ::kfp::__private::record_task(#component_fn(), ::std::vec![#(#op_args),*])
        }

        #[doc = #component_doc]
        #[allow(dead_code)]
        #inner_vis fn #component_fn() -> &'static ::kfp::__private::Arc<::kfp::__private::Component> {
            #(#default_fns)*
            static COMPONENT: ::kfp::__private::OnceLock<::kfp::__private::Arc<::kfp::__private::Component>> =
                ::kfp::__private::OnceLock::new();
            COMPONENT.get_or_init(|| {
                ::kfp::__private::Arc::new(
                    ::kfp::__private::FunctionDef {
                        fn_name: #fn_name_lit,
                        source: #source,
                        doc: &[#(#doc),*],
                        name: #name,
                        description: #description,
                        base_image: #base_image,
                        packages_to_install: &[#(#packages),*],
                        locked: #locked,
                        output_component_file: #output_file,
                        mentions_json_crates: #uses_json,
                        shipped: {
                            #[allow(unused_mut)]
                            let mut shipped = ::kfp::__private::ShippedTypes::default();
                            #(#ship)*
                            shipped
                        },
                        params: ::std::vec![#(#fn_params),*],
                        returns: #return_spec,
                        local: #local,
                        prebuilt: #prebuilt_spec,
                    }
                    .build(),
                )
            })
        }

        #single_output_check
    };
    quote! {
        #function_item

        #outputs_item

        // Its paths are written in full, whatever the user's crate imports.
        #[doc(hidden)]
        #[allow(non_snake_case, unused_qualifications)]
        mod #generated {
            #[allow(unused_imports)]
            use super::*;
            #functions
            #lock_tracking
        }
        #[allow(unused_imports)]
        #vis use self::#generated::{#op, #component_fn};

        #registration
    }
}

/// The typed part of the program as a function of this process
/// (`FunctionDef::local`): the runtime walks the component's steps with the
/// container's wire code (`run_steps` reads each flag, writes each output) and
/// this reads each input as its parameter's type, calls the function and gives
/// the outputs' texts, so an in-process run parses and serializes exactly as a
/// container does.
fn local_main(function: &ComponentFn, function_path: &TokenStream, ret: &Type, site: Span) -> TokenStream {
    let mut args = Vec::new();
    let mut reads = Vec::new();
    let mut call_args = Vec::new();
    for param in &function.params {
        let arg = format_ident!("__kfp_arg_{}", param.ident);
        let var = format_ident!("__kfp_in_{}", param.ident);
        let owned = &param.owned;
        reads.push(quote_spanned! {param.ty.span()=>
            let #var: #owned = <#owned as ::kfp::__private::ParamType>::from_input(#arg)?;
        });
        args.push(arg);
        call_args.push(if param.by_ref { quote_spanned!(site=> &#var) } else { quote!(#var) });
    }
    let texts = quote_spanned! {ret.span()=>
        <#ret as ::kfp::__private::ReturnType>::into_output_texts(#function_path(#(#call_args),*))
    };
    quote_spanned! {site=>
        |__kfp_steps, __kfp_argv| {
            ::kfp::__private::local::run_steps(__kfp_steps, __kfp_argv, |[#(#args),*]| {
                #(#reads)*
                #texts
            })
        }
    }
}

/// `FnParam::new::<T>(name, type text, by_ref)`, at the parameter's type: the
/// spec's parameter and the in-process program's flag are built alike.
fn fn_param(param: &Param, site: Span) -> TokenStream {
    let name = LitStr::new(&param.ident.unraw().to_string(), site);
    let owned = &param.owned;
    let owned_text = LitStr::new(&type_text(owned), site);
    let by_ref = LitBool::new(param.by_ref, site);
    let new = quote_spanned!(param.ty.span()=> ::kfp::__private::FnParam::new::<#owned>(#name, #owned_text, #by_ref));
    match &param.kfp_type {
        Some(kfp_type) => quote_spanned!(kfp_type.span()=> #new.with_kfp_type(#kfp_type)),
        None => new,
    }
}

/// The function that gives the text of `param`'s default.
fn default_fn_ident(param: &Param) -> Ident {
    format_ident!("__kfp_default_{}", param.ident)
}

fn option_lit(lit: &Option<LitStr>, site: Span) -> TokenStream {
    match lit {
        Some(lit) => quote_spanned!(site=> ::std::option::Option::Some(#lit)),
        None => quote_spanned!(site=> ::std::option::Option::None),
    }
}

fn type_text(ty: &Type) -> String {
    ty.to_token_stream().to_string()
}

/// The function as shipped: its signature, then its body as written (comments
/// and formatting kept when the compiler gives us the source text).
fn function_source(item: &ItemFn) -> String {
    let mut sig = item.sig.clone();
    for input in &mut sig.inputs {
        if let syn::FnArg::Typed(typed) = input {
            typed.attrs.clear();
        }
    }
    let body =
        item.block.brace_token.span.join().source_text().unwrap_or_else(|| item.block.to_token_stream().to_string());
    format!("{} {}", sig.to_token_stream(), body)
}

/// User types the signature names: shipped with the program.
fn shipped_types(function: &ComponentFn) -> Vec<Ident> {
    let sig = &function.item.sig;
    let inputs = sig.inputs.iter().filter_map(|input| match input {
        syn::FnArg::Typed(typed) => Some(&*typed.ty),
        syn::FnArg::Receiver(_) => None,
    });
    let output = match &sig.output {
        syn::ReturnType::Type(_, ty) => Some(&**ty),
        syn::ReturnType::Default => None,
    };
    crate::ast::user_type_idents(inputs.chain(output))
}

#[cfg(test)]
pub(crate) mod tests {
    use proc_macro2::{Delimiter, TokenTree};

    use super::*;

    /// The body of every `fn` in `tokens`, at any depth.
    pub(crate) fn fn_bodies(tokens: TokenStream, bodies: &mut Vec<TokenStream>) {
        let mut in_signature = false;
        for token in tokens {
            match &token {
                TokenTree::Ident(ident) if ident == "fn" => in_signature = true,
                TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                    if std::mem::take(&mut in_signature) {
                        bodies.push(group.stream());
                    }
                    fn_bodies(group.stream(), bodies);
                }
                TokenTree::Group(group) => fn_bodies(group.stream(), bodies),
                _ => {}
            }
        }
    }

    /// Tokens with the call-site span: outside a macro, proc-macro2 gives
    /// parsed tokens their source positions and `Span::call_site()` 0..0.
    pub(crate) fn call_site_tokens(tokens: TokenStream, found: &mut Vec<String>) {
        for token in tokens {
            if token.span().byte_range() == (0..0) {
                found.push(token.to_string());
            }
            if let TokenTree::Group(group) = token {
                call_site_tokens(group.stream(), found);
            }
        }
    }

    #[test]
    fn generated_code_carries_no_call_site_span() {
        let item: ItemFn = syn::parse_str(
            "/// Trains.\npub fn train(rate: f64, #[default(2)] epochs: i64, names: &[String], model_path: OutputPath) \
             -> i64 { epochs }",
        )
        .unwrap();
        let tokens = expand(TokenStream::new(), item).unwrap();
        let mut bodies = Vec::new();
        fn_bodies(tokens, &mut bodies);
        // The user's function, the outputs' `handles`, the op, the component,
        // and the default's function.
        assert_eq!(bodies.len(), 5);
        let mut found = Vec::new();
        for body in bodies {
            call_site_tokens(body, &mut found);
        }
        assert!(found.is_empty(), "generated code with the call-site span: {found:?}");
    }
}
