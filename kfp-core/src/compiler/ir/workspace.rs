//! kfp 2's pipeline workspace in the IR: the pipeline's [`WorkspaceConfig`] as
//! the Kubernetes platform's `pipelineConfig.workspace` (kfp's
//! `_merge_pipeline_config`), and the problems of a pipeline that reads a
//! workspace it has not.

use crate::dsl::WorkspaceConfig;
use crate::ir::platform::{self, PipelineConfig, PlatformSpec, KUBERNETES};
use crate::ir::PipelineFile;

/// `platform` with `workspace` in it, as kfp writes it: the size and always the
/// claim's spec patch, empty when none was given.
pub(super) fn with_workspace(
    platform: Option<PlatformSpec>,
    workspace: Option<&WorkspaceConfig>,
) -> Option<PlatformSpec> {
    let Some(workspace) = workspace else { return platform };
    let mut platform = platform.unwrap_or_default();
    let kubernetes = platform.platforms.entry(KUBERNETES.to_owned()).or_default();
    let config = kubernetes.pipeline_config.get_or_insert_with(PipelineConfig::default);
    config.workspace = Some(platform::WorkspaceConfig {
        size: workspace.size.clone(),
        kubernetes: Some(platform::KubernetesWorkspaceConfig {
            pvc_spec_patch: Some(workspace.pvc_spec_patch.clone()),
        }),
    });
    Some(platform)
}

/// What of `file` needs a workspace it has not: the workspace path in an
/// argument (`placeholder_used`), an importer downloading into the workspace.
pub(crate) fn missing(file: &PipelineFile, placeholder_used: bool) -> Vec<String> {
    let has_workspace = (file.platform.iter())
        .filter_map(|platform| platform.platforms.get(KUBERNETES))
        .any(|kubernetes| kubernetes.pipeline_config.as_ref().is_some_and(|config| config.workspace.is_some()));
    if has_workspace {
        return Vec::new();
    }
    let set_workspace = "give the pipeline one: `get_pipeline_conf().set_workspace(WorkspaceConfig::new(\"1Gi\"))` \
                         (kfp 2's `PipelineConfig(workspace=WorkspaceConfig(size=...))`)";
    let mut problems = Vec::new();
    if placeholder_used {
        problems.push(format!(
            "a task's argument is `WORKSPACE_PATH_PLACEHOLDER`, but the pipeline has no workspace: {set_workspace}"
        ));
    }
    let executors = file.spec.deployment_spec.iter().flat_map(|deployment| &deployment.executors);
    for (label, executor) in executors {
        if executor.importer.as_ref().is_some_and(|importer| importer.download_to_workspace) {
            problems.push(format!(
                "importer `{}` downloads to the workspace (`download_to_workspace(true)`), but the pipeline has no \
                 workspace: {set_workspace}",
                label.strip_prefix("exec-").unwrap_or(label)
            ));
        }
    }
    problems
}
