//! The KFP v1 target: a recorded pipeline lowered to an Argo `Workflow`, as kfp
//! 1.8's `Compiler().compile()` writes it, and checked against Argo's rules.

mod blame;
mod build_once;
pub(crate) mod clash;
mod conf;
mod dag;
mod lower;
mod nested;
mod ops;
mod resolve;
mod rewrite;
mod settings;
mod share;
mod shared;
mod values;
mod volume_passing;

use super::run_values;
use crate::argo::size::check_size;
use crate::argo::{self, Workflow};
use crate::dsl::{Op, Recorded};
use crate::error::{Error, Result};

/// How [`compile`] lowers: the settings of [`crate::Compiler`] the Argo target reads.
pub(crate) struct Options<'a> {
    /// `pipelines.kubeflow.org/pipeline_compilation_time`, already formatted.
    pub(crate) compilation_time: &'a str,
    pub(crate) share_templates: bool,
    pub(crate) build_once: bool,
    pub(crate) max_workflow_bytes: usize,
}

/// Writes kfp 1.8's text for the run values anywhere in the lowered Workflow; kfp 2's
/// values KFP v1 has no variable for are refused.
fn write_run_values(workflow: &mut Workflow, pipeline: &str) -> Result<()> {
    let problems = run_values::write(workflow, &run_values::argo_text).map_err(|error| Error::Serialize {
        what: format!("the Workflow of `{pipeline}`"),
        message: error.to_string(),
    })?;
    if !problems.is_empty() {
        return Err(Error::InvalidPipeline { pipeline: pipeline.to_owned(), problems });
    }
    Ok(())
}

/// The images of kfp-kubernetes' components (`crate::kubernetes`): stand-ins that only KFP v2's driver
/// acts on.
const V2_ONLY_IMAGES: [&str; 2] = ["argostub/createpvc", "argostub/deletepvc"];

/// A problem for each task of `recorded` that is a kfp-kubernetes component: an
/// Argo Workflow (KFP v1) would run its stand-in image and make no claim.
fn v2_only_tasks(recorded: &Recorded) -> Vec<String> {
    let mut problems = Vec::new();
    for task in &recorded.tasks {
        if matches!(task.op, Op::Importer(_)) {
            problems.push(format!(
                "task `{}` is an importer (`dsl.importer`), which KFP v1 has not: compile for KFP v2 (`Target::V2`), \
                 or for KFP v1 pass the artifact's URI as a String parameter and download it in the component",
                task.human_name()
            ));
        } else if let Some(input) = task.component().and_then(|c| {
            let is_status = |input: &&crate::spec::InputSpec| {
                input.type_name.as_ref().and_then(|t| t.name()) == Some(crate::component::FINAL_STATUS_TYPE)
            };
            c.spec.inputs.iter().find(is_status)
        }) {
            problems.push(format!(
                "task `{}`: input `{}` is a PipelineTaskFinalStatus, which only KFP v2 gives: compile for KFP v2 \
                 (`Target::V2`), or for KFP v1 take the status as a String input and pass the exit task \
                 `\"{{{{workflow.status}}}}\"`, which Argo fills in (`Succeeded`, `Failed`, `Error`)",
                task.human_name(),
                input.name
            ));
        } else if let Some(input) =
            task.component().and_then(|c| c.spec.inputs.iter().find(|input| input.is_artifact_list()))
        {
            problems.push(format!(
                "task `{}`: input `{}` is a list of artifacts (kfp 2's `Input[List[Dataset]]`), which KFP v1 has not, \
                 nor any way to pass one: compile for KFP v2 (`Target::V2`)",
                task.human_name(),
                input.name
            ));
        } else if task
            .component()
            .is_some_and(|c| V2_ONLY_IMAGES.contains(&c.spec.implementation.container.image.as_str()))
        {
            problems.push(format!(
                "task `{}` is kfp-kubernetes' CreatePVC or DeletePVC, which only KFP v2 runs: compile for KFP v2 \
                 (`Target::V2`), or make the volume with `VolumeOp` for KFP v1",
                task.human_name()
            ));
        }
    }
    problems
}

/// Lowers `recorded` and refuses a Workflow that breaks Argo's rules or is too large for it.
pub(crate) fn compile(recorded: &Recorded, options: &Options) -> Result<Workflow> {
    let mut v2_only = v2_only_tasks(recorded);
    // Refused here, not with the other artifact parameters: the tasks taking the list are refused first.
    let lists =
        recorded.info.params.iter().filter(|param| crate::spec::artifact_list_item(param.ty.type_name).is_some());
    v2_only.extend(lists.map(|param| {
        format!(
            "pipeline parameter `{}` is a list of artifacts ({type_name}), which only KFP v2 takes (kfp 2's \
             `Input[{type_name}]`): KFP v1 pipelines take parameters only; pass the artifacts' URIs as a `Vec<String>` \
             parameter and read them in a task, or compile for KFP v2 (`Target::V2`)",
            param.name,
            type_name = param.ty.type_name
        )
    }));
    v2_only.extend(nested::nested_pipelines(recorded));
    v2_only.extend(nested::artifact_loops(recorded));
    if recorded.conf.workspace.is_some() {
        v2_only.push(
            "the pipeline has a workspace (kfp 2's `PipelineConfig(workspace=...)`), which KFP v1 has not: compile for \
             KFP v2 (`Target::V2`), or for KFP v1 share a volume between the tasks: `VolumeOp` (`kfp::dsl::VolumeOp`) \
             and each task's `add_pvolumes`"
                .to_owned(),
        );
    }
    if !v2_only.is_empty() {
        return Err(Error::InvalidPipeline { pipeline: recorded.info.name.clone(), problems: v2_only });
    }
    let rewritten = if options.build_once { build_once::rewrite(recorded) } else { None };
    let mut workflow =
        lower::lower(rewritten.as_ref().unwrap_or(recorded), options.compilation_time, options.share_templates)?;
    write_run_values(&mut workflow, &recorded.info.name)?;
    let violations = argo::rules::check(&workflow);
    let problems: Vec<String> = violations.iter().map(|violation| blame::describe(&workflow, violation)).collect();
    if !problems.is_empty() {
        return Err(Error::InvalidWorkflow { pipeline: recorded.info.name.clone(), problems });
    }
    if options.max_workflow_bytes < usize::MAX {
        if let Some(too_large) = check_size(&workflow, options.max_workflow_bytes) {
            return Err(Error::TooLarge { pipeline: recorded.info.name.clone(), too_large: Box::new(too_large) });
        }
    }
    Ok(workflow)
}
