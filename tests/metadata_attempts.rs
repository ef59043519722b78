//! The metadata a Rust component sets on its outputs belongs to one call of its in-process
//! program: a call that fails leaves none behind for a later call (a retry) writing the same paths.

use kfp::prelude::*;
use serde_json::Value;

/// Sets metadata on its model, then fails when told to, as a flaky attempt does.
#[component]
pub fn flaky(fail: bool, model: OutputPath<Model>) -> Result<(), String> {
    model.set_metadata("attempt", if fail { "failed" } else { "succeeded" });
    if fail {
        model.set_metadata("left", "by the failed attempt");
        return Err("this attempt fails".to_owned());
    }
    std::fs::write(&model, "weights").map_err(|e| e.to_string())
}

#[test]
fn a_failed_call_leaves_no_metadata_for_the_next() {
    let dir = std::env::temp_dir().join(format!("kfp-rs-metadata-attempts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let model = dir.join("model");
    let executor_output = dir.join("executor_output.json");
    let executor_input = serde_json::json!({"outputs": {
        "artifacts": {"model": {"artifacts": [{"uri": model}]}},
        "outputFile": executor_output,
    }})
    .to_string();
    let component = flaky_component();
    let program = component.local.as_ref().expect("a Rust component runs in this process");
    let args = |fail: &str| -> Vec<String> {
        let words = ["--fail", fail, "--model", model.to_str().unwrap(), "----executor-input", &executor_input];
        words.map(str::to_owned).to_vec()
    };
    let failed = program.run(args("True")).expect_err("the first call fails");
    assert!(failed.contains("this attempt fails"), "{failed}");
    program.run(args("False")).expect("the second call succeeds");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&executor_output).unwrap()).unwrap();
    assert_eq!(
        written["artifacts"]["model"]["artifacts"][0]["metadata"],
        serde_json::json!({"attempt": "succeeded"}),
        "{written:#}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
