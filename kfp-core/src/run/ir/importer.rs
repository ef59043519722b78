//! An importer (kfp 2's `dsl.importer`) in a local run: the artifact at a local path or `file://`
//! URI, as kfp.local imports it, copied into the task's output; a remote URI (`gs://`, `s3://`)
//! is refused naming the importer, before the run for a constant URI, when the task runs for one
//! from a pipeline value.

use serde_json::{json, Value};

use super::{inputs, Lowering};
use crate::ir::{ComponentSpec, ImporterSpec};

/// The script the importer's process runs: `$0` the URI, `$1` the output's path, `$2` the folder a
/// relative path is taken from, `$3` the task.
const SCRIPT: &str = r#"uri="$0"
case "$uri" in
  file://*) path="${uri#file://}" ;;
  *://*) echo "importer \`$3\`: \`$uri\` is not a local file: local runs import a local path or a file:// URI; run the pipeline on a KFP cluster to import it" >&2; exit 1 ;;
  *) path="$uri" ;;
esac
case "$path" in /*) ;; *) path="$2/$path" ;; esac
if [ ! -e "$path" ]; then echo "importer \`$3\`: there is no file or folder at $path" >&2; exit 1; fi
cp -R "$path" "$1"
"#;

impl Lowering<'_> {
    /// The template of importer task `task_name`; its name.
    pub(super) fn importer_template(
        &mut self,
        task_name: &str,
        component_name: &str,
        component: &ComponentSpec,
        importer: &ImporterSpec,
    ) -> Option<String> {
        let uri = importer.artifact_uri.as_ref();
        let uri = match (
            uri.and_then(|uri| uri.constant.as_ref()),
            uri.and_then(|uri| uri.runtime_parameter.as_deref()),
        ) {
            (Some(Value::String(constant)), _) => {
                if constant.contains("://") && !constant.starts_with("file://") {
                    self.problems.push(format!(
                        "importer `{task_name}` imports `{constant}`, which is not a local file: local runs import a local path or a file:// URI; run the pipeline on a KFP cluster to import it"
                    ));
                    return None;
                }
                constant.clone()
            }
            (_, Some(input)) => format!("{{{{inputs.parameters.{input}}}}}"),
            _ => {
                self.problems.push(format!("importer `{task_name}` names no URI (a constant or a runtime parameter)"));
                return None;
            }
        };
        let Some(output) = component.output_definitions.as_ref().and_then(|o| o.artifacts.keys().next()) else {
            self.problems
                .push(format!("importer `{task_name}`: its component `{component_name}` has no output artifact"));
            return None;
        };
        let name = format!("{component_name}--{task_name}");
        let path = format!("/tmp/outputs/{output}/data");
        // Relative paths are taken from where the run was started, as kfp.local takes them.
        let here = std::env::current_dir().map(|dir| dir.to_string_lossy().into_owned()).unwrap_or_else(|_| ".".into());
        let template = json!({
            "name": name,
            "inputs": inputs(component, Some(&name)),
            "outputs": {"parameters": [], "artifacts": [{"name": output, "path": path}]},
            "container": {
                "image": "importer",
                "command": ["sh", "-c", SCRIPT, uri, format!("{{{{outputs.artifacts.{output}.path}}}}"), here, task_name],
                "args": [],
            },
        });
        self.templates.insert(name.clone(), template);
        Some(name)
    }
}
