//! `big_pipeline N OUT --target v2` (examples/big_pipeline.rs, the compile
//! speed workload) writes KFP v2 pipeline IR: the file reads back with its N
//! tasks chained as the example says, and keeps KFP's rules.

#[path = "../examples/big_pipeline.rs"]
#[allow(dead_code)]
mod big;

use kfp::ir::PipelineFile;

#[test]
fn the_big_pipeline_writes_pipeline_ir_with_every_task() {
    let out = std::env::temp_dir().join(format!("kfp-big-pipeline-ir-{}.yaml", std::process::id()));
    big::write_ir(30, out.to_str().unwrap()).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let file = PipelineFile::from_yaml(&text).unwrap();
    assert!(kfp::ir::rules::check(&file).is_empty(), "{:?}", kfp::ir::rules::check(&file));
    let root = file.spec.root.as_ref().unwrap().dag.as_ref().unwrap();
    assert_eq!(root.tasks.len(), 30);
    // Task i reads tasks i-1 and max(0, i - 1 - i % 7): task 9 (`add-10`) reads task 8 (`add-9`) and task 6 (`add-7`).
    let mut upstream = root.tasks["add-10"].dependent_tasks.clone();
    upstream.sort();
    assert_eq!(upstream, ["add-7", "add-9"]);
}

/// Every task adds the same: its DAG entry, its component and its executor (kfp 2's
/// shape), so the IR's size grows linearly with the tasks, and nothing else grows.
#[test]
fn the_big_pipelines_ir_grows_by_the_same_bytes_per_task() {
    let yaml_bytes = |tasks: usize| {
        let recorded = big::big_pipeline(tasks).unwrap();
        let file = kfp::Compiler::new().target(kfp::Target::V2).compile_recorded_to_ir(&recorded).unwrap();
        assert_eq!(file.spec.components.len(), tasks, "a component per task");
        assert_eq!(file.spec.deployment_spec.as_ref().unwrap().executors.len(), tasks, "an executor per task");
        kfp::compiler::ir_to_yaml(&file).unwrap().len() as f64
    };
    let (hundred, thousand, two_thousand) = (yaml_bytes(100), yaml_bytes(1000), yaml_bytes(2000));
    let (early, late) = ((thousand - hundred) / 900.0, (two_thousand - thousand) / 1000.0);
    // Only the task names' digits differ: a name is written a few times per task.
    assert!(
        (late - early).abs() < 0.005 * early,
        "bytes per task: {early:.0} from 100 to 1,000 tasks, {late:.0} from 1,000 to 2,000"
    );
}
