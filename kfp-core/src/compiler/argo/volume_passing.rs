//! kfp's volume-based data passing (`data_passing_methods.KubernetesVolume`, the
//! pass `_data_passing_using_volume.rewrite_data_passing_to_use_volumes`): files
//! travel through one shared volume instead of Argo artifacts. Each output is
//! written under `<prefix>{{workflow.uid}}_{{pod.name}}/<output>` on the volume,
//! and its sub-path is handed on as a parameter `<output>-subpath`, which the
//! consumer mounts read-only where it reads the file.

use crate::argo::{Parameter, Template, ValueFrom, Volume, VolumeMount, Workflow};
use crate::names::UI_ARTIFACTS;

const VOLUME_NAME: &str = "data-storage";
const SUFFIX: &str = "-subpath";

/// Rewrites `workflow` to pass files through `volume` (named `data-storage`),
/// under `path_prefix` on it. Constant file arguments cannot travel this way.
pub(super) fn rewrite(workflow: &mut Workflow, mut volume: Volume, path_prefix: &str) -> Result<(), String> {
    volume.name = VOLUME_NAME.to_owned();
    workflow.spec.volumes.push(volume);
    let execution_dir = format!("{path_prefix}{{{{workflow.uid}}}}_{{{{pod.name}}}}/");
    for template in &mut workflow.spec.templates {
        if template.container.is_some() {
            rewrite_container(template, &execution_dir)?;
        }
    }
    for template in &mut workflow.spec.templates {
        if template.dag.is_some() {
            rewrite_dag(template)?;
        }
    }
    Ok(())
}

fn constant_error(task: &str) -> String {
    format!(
        "task `{task}` takes a constant as a file input, but volume-based data passing carries only task outputs to \
         file inputs: pass the constant by value, or produce it with a task"
    )
}

fn parent(path: &str) -> String {
    match path.rfind('/') {
        Some(0) => "/".to_owned(),
        Some(index) => path[..index].to_owned(),
        None => String::new(),
    }
}

fn rewrite_container(template: &mut Template, execution_dir: &str) -> Result<(), String> {
    let Some(container) = template.container.as_mut() else { return Ok(()) };
    if template.inputs.artifacts.iter().any(|artifact| artifact.raw.is_some()) {
        return Err(constant_error(&template.name));
    }
    let inputs = std::mem::take(&mut template.inputs.artifacts);
    for artifact in &inputs {
        let subpath = format!("{}{SUFFIX}", artifact.name);
        container.volume_mounts.get_or_insert_with(Vec::new).push(VolumeMount {
            mount_path: parent(artifact.path.as_deref().unwrap_or_default()),
            name: VOLUME_NAME.to_owned(),
            sub_path: Some(format!("{{{{inputs.parameters.{subpath}}}}}")),
            read_only: Some(true),
            ..VolumeMount::default()
        });
        template.inputs.parameters.push(Parameter::named(subpath));
    }
    let outputs = std::mem::take(&mut template.outputs.artifacts);
    for artifact in &outputs {
        let output_subpath = format!("{execution_dir}{}", artifact.name);
        container.volume_mounts.get_or_insert_with(Vec::new).push(VolumeMount {
            mount_path: parent(artifact.path.as_deref().unwrap_or_default()),
            name: VOLUME_NAME.to_owned(),
            sub_path: Some(output_subpath.clone()),
            ..VolumeMount::default()
        });
        template
            .outputs
            .parameters
            .push(Parameter { value: Some(output_subpath), ..Parameter::named(format!("{}{SUFFIX}", artifact.name)) });
    }
    // What KFP's UI reads stays an artifact too.
    template.outputs.artifacts = outputs.into_iter().filter(|a| UI_ARTIFACTS.contains(&a.name.as_str())).collect();
    Ok(())
}

/// `{{x.artifacts.y}}` -> `{{x.parameters.y-subpath}}`.
fn parameter_reference(reference: &str) -> String {
    match (reference.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")), reference.find(".artifacts.")) {
        (Some(_), Some(at)) => {
            let head = &reference[..at];
            let tail = &reference[at + ".artifacts.".len()..reference.len() - 2];
            format!("{head}.parameters.{tail}{SUFFIX}}}}}")
        }
        _ => reference.to_owned(),
    }
}

fn rewrite_dag(template: &mut Template) -> Result<(), String> {
    for artifact in std::mem::take(&mut template.inputs.artifacts) {
        template.inputs.parameters.push(Parameter::named(format!("{}{SUFFIX}", artifact.name)));
    }
    for artifact in std::mem::take(&mut template.outputs.artifacts) {
        template.outputs.parameters.push(Parameter {
            value_from: Some(Box::new(ValueFrom {
                parameter: Some(parameter_reference(artifact.from.as_deref().unwrap_or_default())),
                ..ValueFrom::default()
            })),
            ..Parameter::named(format!("{}{SUFFIX}", artifact.name))
        });
    }
    let Some(dag) = template.dag.as_mut() else { return Ok(()) };
    for task in &mut dag.tasks {
        for artifact in std::mem::take(&mut task.arguments.artifacts) {
            let Some(from) = artifact.from.as_deref() else { return Err(constant_error(&task.name)) };
            task.arguments
                .parameters
                .push(Parameter::with_value(format!("{}{SUFFIX}", artifact.name), parameter_reference(from)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_references_become_subpath_parameters() {
        assert_eq!(
            parameter_reference("{{tasks.producer.outputs.artifacts.producer-Output-2}}"),
            "{{tasks.producer.outputs.parameters.producer-Output-2-subpath}}"
        );
        assert_eq!(parameter_reference("{{inputs.artifacts.x}}"), "{{inputs.parameters.x-subpath}}");
        assert_eq!(parent("/tmp/outputs/Output_1/data"), "/tmp/outputs/Output_1");
    }
}
