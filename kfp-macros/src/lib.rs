//! Attribute macros of kfp-rs. Use them through the `kfp` crate: `kfp::component`,
//! `kfp::pipeline`, `kfp::ComponentOutputs`, `kfp::JsonObject`.

mod ast;
mod attr;
mod expand;
mod fallback;
mod lock;
mod names;
mod outputs;
mod pipeline;
mod valid;

use proc_macro::TokenStream;

/// Turns a function into a kfp component; see the `kfp` crate's docs.
///
/// A parameter may declare the kfp type its input or output has in the
/// component spec (`component.yaml`, the `component_spec` annotation), where
/// kfp writes a Python annotation other than the built-in types:
/// `#[kfp(type = "GCSPath")] data: String`, `#[kfp(type = "typing.List[dict]")]
/// rows: Vec<serde_json::Value>`, `#[kfp(type = "MyData")] out: OutputPath`.
/// On the function, `#[kfp(type = "...")]` (below `#[component]`) declares the
/// type of its one return value, `Output`; named outputs declare theirs on the
/// fields of their `#[derive(ComponentOutputs)]` struct.
///
/// The Rust type still decides how values are written and which outputs may
/// feed the input; the declared name is what kfp shows and what its type check
/// compares where a loaded component is on either side.
#[proc_macro_attribute]
pub fn component(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::component(args.into(), input.into()).into()
}

/// Turns a function whose body calls components into a pipeline; see the `kfp` crate's docs.
///
/// A parameter takes `#[default(value)]` and may declare its kfp type in the
/// `pipeline_spec` annotation, as `#[component]` parameters do:
/// `#[kfp(type = "GCSPath")] bucket: String`. Its Rust type still decides how
/// its value is written.
#[proc_macro_attribute]
pub fn pipeline(args: TokenStream, input: TokenStream) -> TokenStream {
    pipeline::expand(args.into(), input.into()).into()
}

/// Makes a struct the named outputs of a component (kfp's `NamedTuple`). A
/// task's `outputs()` are then a generated `<Struct>Handles`, one `Output` per field.
///
/// A field may declare another kfp type than its Rust type's, as in kfp's
/// `NamedTuple('Outputs', [('mlpipeline_metrics', 'Metrics')])`:
/// `#[kfp(type = "Metrics")] mlpipeline_metrics: String`.
#[proc_macro_derive(ComponentOutputs, attributes(kfp))]
pub fn derive_component_outputs(input: TokenStream) -> TokenStream {
    outputs::component_outputs(input.into()).into()
}

/// Makes a serde type a component input or output of kfp type `JsonObject`.
#[proc_macro_derive(JsonObject)]
pub fn derive_json_object(input: TokenStream) -> TokenStream {
    outputs::json_object(input.into()).into()
}
