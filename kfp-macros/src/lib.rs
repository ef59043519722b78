//! Attribute macros of kfp-rs. Use them through the `kfp` crate: `kfp::component`,
//! `kfp::pipeline`, `kfp::ComponentOutputs`, `kfp::JsonObject`.

mod ast;
mod attr;
mod expand;
mod fallback;
mod lock;
mod outputs;
mod pipeline;
mod valid;

use proc_macro::TokenStream;

/// Turns a function into a kfp component; see the `kfp` crate's docs.
#[proc_macro_attribute]
pub fn component(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::component(args.into(), input.into()).into()
}

/// Turns a function whose body calls components into a pipeline; see the `kfp` crate's docs.
#[proc_macro_attribute]
pub fn pipeline(args: TokenStream, input: TokenStream) -> TokenStream {
    pipeline::expand(args.into(), input.into()).into()
}

/// Makes a struct the named outputs of a component (kfp's `NamedTuple`). A
/// task's `outputs()` are then a generated `<Struct>Handles`, one `Output` per field.
#[proc_macro_derive(ComponentOutputs, attributes(kfp))]
pub fn derive_component_outputs(input: TokenStream) -> TokenStream {
    outputs::component_outputs(input.into()).into()
}

/// Makes a serde type a component input or output of kfp type `JsonObject`.
#[proc_macro_derive(JsonObject)]
pub fn derive_json_object(input: TokenStream) -> TokenStream {
    outputs::json_object(input.into()).into()
}
