//! Every `#[pipeline]` of the program, found without listing them by hand,
//! and every prebuilt-image component (`#[component(image = ...)]`), which the
//! program's binary runs when its container starts.
//!
//! `#[pipeline]` registers its unit struct here (through `inventory`, which
//! collects items from every crate linked into the binary), so a user's `main`
//! can offer `list`, `compile` and `run-local` over all pipelines, and a
//! `build.rs` can compile every pipeline of a library it depends on.
//! `#[component(image = ...)]` registers its component, so the binary's
//! `component NAME ...` subcommand finds it.

use std::sync::Arc;

use crate::component::Component;
use crate::dsl::Pipeline;

/// A pipeline registered by `#[pipeline]`.
pub struct RegisteredPipeline {
    pipeline: &'static (dyn Pipeline + Sync),
    module: &'static str,
    ident: &'static str,
}

impl RegisteredPipeline {
    /// What `#[pipeline]` submits: the pipeline's unit struct, the module it is
    /// defined in and the Rust name of its function.
    #[doc(hidden)]
    pub const fn new(pipeline: &'static (dyn Pipeline + Sync), module: &'static str, ident: &'static str) -> Self {
        RegisteredPipeline { pipeline, module, ident }
    }

    /// The pipeline, to pass to the compiler.
    pub fn pipeline(&self) -> &'static (dyn Pipeline + Sync) {
        self.pipeline
    }

    /// Its name (`#[pipeline(name = ...)]`, or the function's name).
    pub fn name(&self) -> String {
        self.pipeline.info().name
    }

    /// The Rust name of the pipeline function (`my_pipeline`).
    pub fn ident(&self) -> &'static str {
        self.ident
    }

    /// The Rust path of the pipeline function (`my_crate::pipelines::my_pipeline`).
    pub fn rust_path(&self) -> String {
        format!("{}::{}", self.module, self.ident)
    }

    /// Whether `query` names this pipeline: its name, its Rust name or its Rust path.
    pub fn is_named(&self, query: &str) -> bool {
        query == self.name() || query == self.ident || query == self.rust_path()
    }
}

impl std::fmt::Debug for RegisteredPipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisteredPipeline").field("name", &self.name()).field("rust_path", &self.rust_path()).finish()
    }
}

inventory::collect!(RegisteredPipeline);

/// Every registered pipeline of the program, sorted by Rust path (stable
/// between runs, unlike link order).
pub fn pipelines() -> Vec<&'static RegisteredPipeline> {
    let mut all: Vec<&'static RegisteredPipeline> = inventory::iter::<RegisteredPipeline>.into_iter().collect();
    all.sort_by_key(|entry| entry.rust_path());
    all
}

/// The registered pipelines that `query` names (see [`RegisteredPipeline::is_named`]):
/// none, one, or several when names collide.
pub fn find(query: &str) -> Vec<&'static RegisteredPipeline> {
    pipelines().into_iter().filter(|entry| entry.is_named(query)).collect()
}

/// A prebuilt-image component registered by `#[component(image = ...)]`.
pub struct RegisteredComponent {
    component: fn() -> &'static Arc<Component>,
    module: &'static str,
    ident: &'static str,
}

impl RegisteredComponent {
    /// What `#[component(image = ...)]` submits: the function returning the
    /// component, the module it is defined in and the Rust name of its function.
    #[doc(hidden)]
    pub const fn new(component: fn() -> &'static Arc<Component>, module: &'static str, ident: &'static str) -> Self {
        RegisteredComponent { component, module, ident }
    }

    /// The component: its spec and its in-process program.
    pub fn component(&self) -> &'static Arc<Component> {
        (self.component)()
    }

    /// Its name (`#[component(name = ...)]`, or from the function's name: `Add numbers`),
    /// the one its container command gives the binary.
    pub fn name(&self) -> &'static str {
        &self.component().spec.name
    }

    /// The Rust name of the component function (`add_numbers`).
    pub fn ident(&self) -> &'static str {
        self.ident
    }

    /// The Rust path of the component function (`my_crate::steps::add_numbers`).
    pub fn rust_path(&self) -> String {
        format!("{}::{}", self.module, self.ident)
    }

    /// Whether `query` names this component: its name, its Rust name or its Rust path.
    pub fn is_named(&self, query: &str) -> bool {
        query == self.name() || query == self.ident || query == self.rust_path()
    }
}

impl std::fmt::Debug for RegisteredComponent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisteredComponent").field("name", &self.name()).field("rust_path", &self.rust_path()).finish()
    }
}

inventory::collect!(RegisteredComponent);

/// Every registered prebuilt-image component of the program, sorted by Rust path.
pub fn components() -> Vec<&'static RegisteredComponent> {
    let mut all: Vec<&'static RegisteredComponent> = inventory::iter::<RegisteredComponent>.into_iter().collect();
    all.sort_by_key(|entry| entry.rust_path());
    all
}

/// The registered prebuilt-image components that `query` names: none, one, or
/// several when names collide.
pub fn find_components(query: &str) -> Vec<&'static RegisteredComponent> {
    components().into_iter().filter(|entry| entry.is_named(query)).collect()
}
