//! kfp 2's pipeline workspace (`dsl.PipelineConfig(workspace=dsl.WorkspaceConfig(...))`):
//! a volume KFP makes for the run and mounts into every task, reached in a task's
//! argument through [`WORKSPACE_PATH_PLACEHOLDER`](crate::dsl::WORKSPACE_PATH_PLACEHOLDER).

use super::conf::PipelineConfHandle;
use super::record::{current, push_error};
use super::recorded::WorkspaceConfig;

impl WorkspaceConfig {
    /// A workspace of `size`, a Kubernetes quantity (`10Gi`, `500Mi`): kfp's
    /// `dsl.WorkspaceConfig(size=...)`. An invalid size is a build error.
    pub fn new(size: impl Into<String>) -> Self {
        WorkspaceConfig { size: size.into().trim().to_owned(), pvc_spec_patch: serde_json::Map::new() }
    }

    /// kfp's `kubernetes=dsl.KubernetesWorkspaceConfig(pvcSpecPatch=...)`: fields
    /// KFP merges into the spec of the workspace's claim, a JSON object
    /// (`json!({"storageClassName": "standard", "accessModes": ["ReadWriteOnce"]})`);
    /// anything else is a build error.
    pub fn pvc_spec_patch(self, patch: serde_json::Value) -> Self {
        match patch {
            serde_json::Value::Object(pvc_spec_patch) => WorkspaceConfig { pvc_spec_patch, ..self },
            other => {
                push_error(format!(
                    "the workspace's pvc_spec_patch is `{other}`, not a JSON object: give the claim's spec fields, \
                     `json!({{\"storageClassName\": \"standard\"}})`"
                ));
                self
            }
        }
    }
}

/// Whether `size` is a Kubernetes quantity as kfp 2 checks a workspace's size
/// (`^(?:(?:0|[1-9]\d*)(?:\.\d+)?)(?:Ki|Mi|Gi|Ti|Pi|Ei|K|M|G|T|P|E)?$`).
fn is_quantity(size: &str) -> bool {
    let number_end = size.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(size.len());
    let (number, suffix) = size.split_at(number_end);
    let (whole, fraction) = match number.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (number, None),
    };
    let whole_ok = whole == "0" || (!whole.is_empty() && !whole.starts_with('0'));
    let fraction_ok = fraction.is_none_or(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "K", "M", "G", "T", "P", "E"];
    whole_ok && fraction_ok && suffixes.contains(&suffix)
}

impl PipelineConfHandle {
    /// kfp 2's `@dsl.pipeline(pipeline_config=dsl.PipelineConfig(workspace=...))`:
    /// the run gets a workspace, a volume KFP makes for it and mounts into every
    /// task; a task finds it at the path its argument
    /// [`WORKSPACE_PATH_PLACEHOLDER`](crate::dsl::WORKSPACE_PATH_PLACEHOLDER) gives.
    /// KFP v2 only: for KFP v1, share a `VolumeOp`'s volume between the tasks.
    ///
    /// ```
    /// use kfp_core::dsl::{get_pipeline_conf, record, PipelineInfo, WorkspaceConfig};
    /// use serde_json::json;
    ///
    /// let recorded = record(PipelineInfo::new("p"), || {
    ///     get_pipeline_conf().set_workspace(
    ///         WorkspaceConfig::new("1Gi").pvc_spec_patch(json!({"storageClassName": "standard"})),
    ///     );
    /// })
    /// .unwrap();
    /// assert_eq!(recorded.conf.workspace.unwrap().size, "1Gi");
    ///
    /// let refused = record(PipelineInfo::new("p"), || {
    ///     get_pipeline_conf().set_workspace(WorkspaceConfig::new("1 GB"));
    /// });
    /// assert!(refused.unwrap_err().to_string().contains("workspace size `1 GB`"));
    /// ```
    pub fn set_workspace(&self, workspace: WorkspaceConfig) -> Self {
        if !is_quantity(&workspace.size) {
            push_error(format!(
                "workspace size `{}` is not a Kubernetes quantity: write it as kfp 2 takes it, `10Gi`, `500Mi`, `1Ti`",
                workspace.size
            ));
        }
        current().borrow_mut().conf.workspace = Some(workspace);
        *self
    }
}

#[cfg(test)]
mod tests {
    use super::is_quantity;

    #[test]
    fn sizes_are_checked_as_kfp_checks_them() {
        for size in ["1Gi", "0", "250Gi", "1.5Ti", "500M", "10", "0.5Gi"] {
            assert!(is_quantity(size), "{size}");
        }
        for size in ["", "Gi", "01Gi", "1.Gi", "1 Gi", "1GB", "-1Gi", "1.2.3Gi", "1gi"] {
            assert!(!is_quantity(size), "{size}");
        }
    }
}
