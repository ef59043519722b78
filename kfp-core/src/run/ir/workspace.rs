//! kfp 2's pipeline workspace in a local run: a folder of the run, `<run dir>/workspace`, stands
//! for the claim KFP makes, and each task's `{{$.workspace_path}}` (kfp's
//! `WORKSPACE_PATH_PLACEHOLDER`) is that folder's path.

use std::path::Path;

use serde_json::Value;

use crate::ir::platform::KUBERNETES;
use crate::ir::{PipelineFile, PlatformSpec};

/// kfp 2's placeholder for where the workspace is mounted.
const PLACEHOLDER: &str = "{{$.workspace_path}}";

/// `file` with its workspace as the folder `dir` (its path in place of every workspace path
/// placeholder, the workspace taken out of the platform spec), or `None` when it has no workspace.
pub(crate) fn local(file: &PipelineFile, dir: &Path) -> Result<Option<PipelineFile>, String> {
    let mut platform = file.platform.clone().unwrap_or_default();
    let Some(config) = (platform.platforms.get_mut(KUBERNETES)).and_then(|k8s| k8s.pipeline_config.as_mut()) else {
        return Ok(None);
    };
    if config.workspace.take().is_none() {
        return Ok(None);
    }
    if *config == Default::default() {
        platform.platforms.get_mut(KUBERNETES).expect("found above").pipeline_config = None;
    }
    platform.platforms.retain(|_, single| *single != Default::default());
    let path = dir.to_str().ok_or_else(|| format!("the run's folder {} is not UTF-8 text", dir.display()))?;
    let mut spec = serde_json::to_value(&file.spec).map_err(|error| format!("the pipeline spec: {error}"))?;
    fill(&mut spec, path);
    let spec = serde_json::from_value(spec).map_err(|error| format!("the pipeline spec: {error}"))?;
    let platform = (platform != PlatformSpec::default()).then_some(platform);
    Ok(Some(PipelineFile { spec, platform, description: file.description.clone() }))
}

/// Every workspace path placeholder in the strings of `value` as `path`.
fn fill(value: &mut Value, path: &str) {
    match value {
        Value::String(text) if text.contains(PLACEHOLDER) => *text = text.replace(PLACEHOLDER, path),
        Value::Array(items) => items.iter_mut().for_each(|item| fill(item, path)),
        Value::Object(map) => map.values_mut().for_each(|item| fill(item, path)),
        _ => {}
    }
}
