//! Reusable components: kfp `component.yaml` files loaded and called in pipelines,
//! as kfp 1.8's `kfp.components.load_component_from_file`, `_from_text` and `_from_url`.
//!
//! ```
//! use kfp_core::components::load_component_from_text;
//!
//! let echo = load_component_from_text(r#"
//! name: Echo
//! inputs:
//! - {name: text, type: String}
//! outputs:
//! - {name: echoed, type: String}
//! implementation:
//!   container:
//!     image: alpine
//!     command: [sh, -c, 'echo "$0" | tee "$1"', {inputValue: text}, {outputPath: echoed}]
//! "#)?;
//! assert_eq!(echo.spec().inputs[0].name, "text");
//! # Ok::<(), kfp_core::components::LoadError>(())
//! ```
//!
//! In a pipeline body, [`LoadedComponent::call`] records a task with the inputs given
//! by name; its outputs are [`Output<Untyped>`](crate::Untyped) handles fetched by
//! name with [`Task::output_named`](crate::Task::output_named), which feed inputs of
//! any type, of loaded and of Rust components alike. A loaded component is untyped at
//! Rust compile time, so its wiring is checked when the pipeline is built: an unknown
//! or missing input name, an unknown output name, and a kfp type mismatch between an
//! output and the input it feeds are errors of the compile, listing what exists.

mod call;
mod load;

use std::sync::Arc;

use crate::component::Component;
use crate::spec::ComponentSpec;

pub use crate::dsl::loaded::CallError;
pub use call::{arg, AnyArg, IntoAnyArg, TaskArgs};
#[cfg(feature = "url")]
pub use load::load_component_from_url;
pub use load::{load_component_from_file, load_component_from_text, LoadError, LoadErrorKind};

/// A component loaded from a `component.yaml`: call it in a pipeline body.
#[derive(Clone, Debug)]
pub struct LoadedComponent {
    component: Arc<Component>,
}

impl LoadedComponent {
    /// A component from a spec and its `component_ref` annotation.
    pub fn from_spec(spec: ComponentSpec, reference: serde_json::Value) -> Self {
        LoadedComponent { component: Arc::new(Component { spec, reference, output_file: None, local: None }) }
    }

    /// The component.yaml content.
    pub fn spec(&self) -> &ComponentSpec {
        &self.component.spec
    }

    /// The component as the compiler sees it.
    pub fn component(&self) -> &Arc<Component> {
        &self.component
    }

    /// The `component_ref` annotation its tasks carry (`{"digest": ..., "url": ...}`).
    pub fn reference(&self) -> &serde_json::Value {
        &self.component.reference
    }
}

#[cfg(test)]
mod tests;
