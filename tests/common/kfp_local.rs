//! kfp 2's own local runner, `kfp.local` with its `SubprocessRunner`, running a Python pipeline:
//! what the tests hold local runs of KFP v2 IR (`kfp run-local`, `run_local_v2`) against.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Runs a Python pipeline with kfp.local's SubprocessRunner in the current Python (as
/// `use_venv=False` does), its pipeline root in a scratch directory, and prints one JSON document:
/// the pipeline's outputs and each task's output parameters (its executor_output.json's).
const KFP_LOCAL: &str = r#"
import glob, importlib.util, json, os, sys
from kfp import local

RESULT = "kfp.local result: "
module_path, function, root, arguments = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
pipeline_root = os.path.join(root, "pipeline_root")
local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root=pipeline_root, raise_on_error=False)
spec = importlib.util.spec_from_file_location("pipeline_module", module_path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
run = getattr(module, function)(**arguments)

outputs = {}
for name, value in (run.outputs or {}).items():
    outputs[name] = value if isinstance(value, (str, int, float, bool, list, dict, type(None))) else repr(value)
tasks = {}
for path in glob.glob(os.path.join(pipeline_root, "*", "**", "executor_output.json"), recursive=True):
    with open(path) as f:
        values = json.load(f).get("parameterValues", {})
    tasks[os.path.basename(os.path.dirname(path))] = values
print("\n" + RESULT + json.dumps({"outputs": outputs, "tasks": tasks}))
"#;

/// What kfp.local's run of pipeline `function` of the Python file `module` with `arguments`, in
/// `dir`, gave: `{"outputs": {...}, "tasks": {"task": {"output": value}}}`.
pub fn run(python: &str, module: &Path, function: &str, dir: &Path, arguments: Value) -> Value {
    let output = Command::new(python)
        .args(["-c", KFP_LOCAL])
        .arg(module)
        .arg(function)
        .arg(dir)
        .arg(arguments.to_string())
        .current_dir(dir)
        .output()
        .expect("python starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "kfp.local failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    // kfp.local's log lines may leave the printed line indented, and tasks print JSON of their own.
    let result = stdout
        .lines()
        .rev()
        .find_map(|line| line.trim_start().strip_prefix("kfp.local result: "))
        .expect("kfp.local's run printed its JSON");
    serde_json::from_str(result).unwrap()
}

/// Whether our text of an output parameter is kfp's value: the same string, or the same JSON
/// (numbers as numbers: kfp's `7` and `7.0` are the launcher's `7`).
pub fn same_value(ours: &str, theirs: &Value) -> bool {
    match theirs {
        Value::String(text) => ours == text,
        Value::Number(number) => ours.parse::<f64>().ok() == number.as_f64(),
        other => serde_json::from_str::<Value>(ours).ok().as_ref() == Some(other),
    }
}
