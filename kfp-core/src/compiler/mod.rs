//! The compiler: a recorded pipeline becomes the file of a target. One folder
//! per target: `argo/` writes the [`crate::argo::Workflow`] a KFP v1 cluster runs,
//! `ir/` the pipeline IR ([`crate::ir::PipelineFile`]) a KFP v2 cluster runs.

pub(crate) mod argo;
pub(crate) mod clock;
pub(crate) mod ir;
mod run_values;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// kfp's names, below the compiler since the dsl names volumes with them too; kept at their old path.
pub use crate::names;

use crate::argo::size::DEFAULT_MAX_WORKFLOW_BYTES;
use crate::argo::Workflow;
use crate::component::Component;
use crate::dsl::marker::RunValue;
use crate::dsl::{Pipeline, Recorded};
use crate::error::{Error, Result};
use crate::fsutil::write_file;
use crate::ir::PipelineFile;

/// The value of our `pipelines.kubeflow.org/kfp_sdk_version` label and annotation.
pub const SDK_VERSION: &str = concat!("kfp-rs-", env!("CARGO_PKG_VERSION"));

/// The cluster a compile is for: what [`Compiler::compile`] and
/// [`Compiler::compile_to_string`] write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Target {
    /// KFP v1: an Argo `Workflow` (kfp 1.8's `dsl-compile`).
    #[default]
    V1,
    /// KFP v2: the pipeline IR, a `PipelineSpec` (kfp 2's `Compiler().compile`).
    V2,
}

impl std::str::FromStr for Target {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        match text.to_ascii_lowercase().as_str() {
            "v1" => Ok(Target::V1),
            "v2" => Ok(Target::V2),
            _ => {
                Err(format!("`{text}` is no target: use `v1` (an Argo Workflow, KFP v1) or `v2` (pipeline IR, KFP v2)"))
            }
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Target::V1 => "v1",
            Target::V2 => "v2",
        })
    }
}

/// Compiles pipelines to Argo Workflow YAML for KFP v1 or, with
/// [`Compiler::target`]`(Target::V2)`, to pipeline IR YAML for KFP v2.
///
/// The `pipelines.kubeflow.org/pipeline_compilation_time` annotation is the
/// only part that changes between runs: it is the time of compilation (UTC),
/// `SOURCE_DATE_EPOCH` when that is set, or what [`Compiler::compilation_time`] says.
///
/// Every compile measures the Workflow as the cluster stores it (JSON, YAML
/// aliases expanded) and refuses one over [`Compiler::max_workflow_bytes`]
/// (Argo's 1 MiB by default), naming what takes the room.
#[derive(Clone, Debug)]
pub struct Compiler {
    target: Target,
    compilation_time: Option<SystemTime>,
    share_templates: bool,
    build_once: bool,
    max_workflow_bytes: usize,
}

impl Default for Compiler {
    fn default() -> Self {
        Compiler {
            target: Target::V1,
            compilation_time: None,
            share_templates: false,
            build_once: false,
            max_workflow_bytes: DEFAULT_MAX_WORKFLOW_BYTES,
        }
    }
}

/// What [`Compiler::compile`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compiled {
    /// The Workflow YAML (the pipeline IR YAML for [`Target::V2`]).
    pub workflow: PathBuf,
    /// Component files asked for with `output_component_file`.
    pub component_files: Vec<PathBuf>,
}

impl Compiler {
    /// A compiler with default settings.
    pub fn new() -> Self {
        Compiler::default()
    }

    /// The target [`Compiler::compile`] and [`Compiler::compile_to_string`] write:
    /// [`Target::V1`] (the default) or [`Target::V2`]. The v1 settings
    /// (`share_templates`, `build_once`, `max_workflow_bytes`) do not change v2 IR.
    pub fn target(mut self, target: Target) -> Self {
        self.target = target;
        self
    }

    /// Fixes the compilation time written into the Workflow (reproducible builds).
    pub fn compilation_time(mut self, time: SystemTime) -> Self {
        self.compilation_time = Some(time);
        self
    }

    /// With `true`, the tasks of one component with the same settings run one
    /// template, each passing its own values as arguments, where kfp 1.8 writes
    /// a template per task: a task then takes the few hundred bytes of its DAG
    /// entry, and thousands fit in Argo's 1 MiB. Off by default, so the output
    /// is kfp's. A task keeps a template of its own when its settings or
    /// volumes hold pipeline values, its display name is its own, or it passes a
    /// constant with `"`, `\` or a control character (see the README, "Big pipelines").
    pub fn share_templates(mut self, share: bool) -> Self {
        self.share_templates = share;
        self
    }

    /// With `true`, each distinct program of the pipeline's Rust function
    /// components is built once, by a step (`build <component>`) at the start of
    /// the run, in the component's image, which outputs the binary as an
    /// artifact; each task of the component takes it as an input artifact and
    /// runs it with its usual arguments, where kfp's shape builds the program in
    /// every task's pod. The exit handler's task and tasks inside a graph
    /// component that calls itself still build their own. Off by default, so
    /// the output is kfp's (see the README, "Big pipelines").
    pub fn build_once(mut self, build_once: bool) -> Self {
        self.build_once = build_once;
        self
    }

    /// Refuses to compile a Workflow over `bytes` of JSON (default 1 MiB, Argo's
    /// `MAX_WORKFLOW_SIZE`), for a cluster configured otherwise; `usize::MAX`
    /// lifts the limit.
    pub fn max_workflow_bytes(mut self, bytes: usize) -> Self {
        self.max_workflow_bytes = bytes;
        self
    }

    /// Compiles `pipeline` and writes the target's YAML to `path`, and every
    /// `output_component_file` its components ask for, beside it, in the target's
    /// format (kfp 1.8's `component.yaml`, or for v2 kfp 2's component IR): a
    /// relative one is taken from the output's directory (`-o build/add.yaml`
    /// writes `build/add.component.yaml`), so the files of one compile stay together.
    pub fn compile(&self, pipeline: impl Pipeline, path: impl AsRef<Path>) -> Result<Compiled> {
        let recorded = pipeline.build()?;
        let text = self.recorded_to_string(&recorded)?;
        let path = path.as_ref();
        write_file(path, &text)?;
        let component_files = write_component_files(&recorded, path.parent().unwrap_or(Path::new("")), self.target)?;
        Ok(Compiled { workflow: path.to_owned(), component_files })
    }

    /// Compiles `pipeline` to the target's YAML text.
    pub fn compile_to_string(&self, pipeline: impl Pipeline) -> Result<String> {
        self.recorded_to_string(&pipeline.build()?)
    }

    fn recorded_to_string(&self, recorded: &Recorded) -> Result<String> {
        match self.target {
            Target::V1 => to_yaml(&self.compile_recorded(recorded)?),
            Target::V2 => ir_to_yaml(&compile_ir(recorded)?),
        }
    }

    /// Compiles one component as a pipeline of its own, as kfp 2's
    /// `Compiler().compile(pipeline_func=component)` does: one task named after the
    /// component, each input a pipeline parameter and each output a pipeline output.
    /// `#[component]` gives the component as `<function>_component()`, a loaded one
    /// [`LoadedComponent::component`](crate::components::LoadedComponent::component).
    /// KFP v2 only: a KFP v1 cluster runs pipelines, and a component alone is its `component.yaml`.
    ///
    /// ```
    /// use kfp_core::components::load_component_from_text;
    /// use kfp_core::compiler::{Compiler, Target};
    ///
    /// let echo = load_component_from_text(
    ///     "name: echo\ninputs:\n- {name: text, type: String}\n\
    ///      implementation:\n  container:\n    image: alpine\n    command: [echo, {inputValue: text}]\n",
    /// )
    /// .unwrap();
    /// let ir = Compiler::new().target(Target::V2).compile_component_to_string(echo.component()).unwrap();
    /// assert!(ir.contains("componentInputParameter: text"), "{ir}");
    /// let v1 = Compiler::new().compile_component_to_string(echo.component()).unwrap_err();
    /// assert!(v1.to_string().contains("call it in a `#[pipeline]`"), "{v1}");
    /// ```
    pub fn compile_component_to_string(&self, component: &Component) -> Result<String> {
        match self.target {
            Target::V1 => Err(Error::InvalidPipeline {
                pipeline: component.spec.display_name().to_owned(),
                problems: vec![
                    "KFP v1 compiles pipelines, not a component alone: call it in a `#[pipeline]`, or write its \
                     component.yaml (`#[component(output_component_file = \"...\")]`); or compile for Target::V2"
                        .to_owned(),
                ],
            }),
            Target::V2 => ir_to_yaml(&ir::component_file(component)?),
        }
    }

    /// Compiles `pipeline` to typed KFP v2 pipeline IR, whatever the target.
    pub fn compile_to_ir(&self, pipeline: impl Pipeline) -> Result<PipelineFile> {
        compile_ir(&pipeline.build()?)
    }

    /// Compiles an already recorded pipeline to KFP v2 pipeline IR.
    pub fn compile_recorded_to_ir(&self, recorded: &Recorded) -> Result<PipelineFile> {
        compile_ir(recorded)
    }

    /// Compiles `pipeline` to a typed Workflow (KFP v1), whatever the target.
    pub fn compile_to_workflow(&self, pipeline: impl Pipeline) -> Result<Workflow> {
        self.compile_recorded(&pipeline.build()?)
    }

    /// Compiles an already recorded pipeline.
    pub fn compile_recorded(&self, recorded: &Recorded) -> Result<Workflow> {
        let time = self.compilation_time.or_else(clock::source_date_epoch).unwrap_or_else(SystemTime::now);
        let compilation_time = clock::isoformat(time);
        let options = argo::Options {
            compilation_time: &compilation_time,
            share_templates: self.share_templates,
            build_once: self.build_once,
            max_workflow_bytes: self.max_workflow_bytes,
        };
        argo::compile(recorded, &options)
    }
}

/// The KFP v2 pipeline IR of `recorded`, with kfp 2's text for the run values.
fn compile_ir(recorded: &Recorded) -> Result<PipelineFile> {
    let has_run_value = |file: &PipelineFile| {
        run_values::has_run_value(&file.spec) || file.platform.as_ref().is_some_and(run_values::has_run_value)
    };
    let (mut file, marked) = ir::compile(recorded, has_run_value)?;
    let serialize_error = |error: serde_json::Error| Error::Serialize {
        what: format!("the pipeline IR of `{}`", recorded.info.name),
        message: error.to_string(),
    };
    let workspace_used = std::cell::Cell::new(false);
    let text = |value: RunValue, path: &[String]| {
        workspace_used.set(workspace_used.get() || value == RunValue::WorkspacePath);
        run_values::v2_text(value, path)
    };
    let mut problems = Vec::new();
    if marked {
        problems.extend(run_values::write(&mut file.spec, &text).map_err(serialize_error)?);
        if let Some(platform) = &mut file.platform {
            problems.extend(run_values::write(platform, &text).map_err(serialize_error)?);
        }
    }
    problems.extend(ir::missing_workspace(&file, workspace_used.get()));
    if !problems.is_empty() {
        return Err(Error::InvalidPipeline { pipeline: recorded.info.name.clone(), problems });
    }
    Ok(file)
}

/// The Workflow as YAML text.
pub fn to_yaml(workflow: &Workflow) -> Result<String> {
    workflow.to_yaml().map_err(|error| Error::Serialize { what: "the Workflow".to_owned(), message: error.to_string() })
}

/// The pipeline IR as YAML text.
pub fn ir_to_yaml(file: &PipelineFile) -> Result<String> {
    file.to_yaml().map_err(|error| Error::Serialize { what: "the pipeline IR".to_owned(), message: error.to_string() })
}

/// Writes each distinct `output_component_file` once, a relative one in `dir`,
/// in the format of `target`.
fn write_component_files(recorded: &Recorded, dir: &Path, target: Target) -> Result<Vec<PathBuf>> {
    let mut written: Vec<PathBuf> = Vec::new();
    for task in &recorded.tasks {
        let Some(component) = task.component() else { continue };
        if let Some(path) = &component.output_file {
            let path = dir.join(path);
            if !written.contains(&path) {
                match target {
                    Target::V1 => component.spec.save(&path)?,
                    Target::V2 => write_file(&path, &ir_to_yaml(&ir::component_file(component)?)?)?,
                }
                written.push(path);
            }
        }
    }
    Ok(written)
}
