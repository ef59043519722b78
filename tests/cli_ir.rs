//! `kfp validate` and `kfp graph` on KFP v2 pipeline IR files, through the real binary: they
//! tell IR from a Workflow by themselves, accept every kfp 2.17.3 golden, name the YAML path
//! of each problem, and draw the IR's DAG with its DAG components as groups.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kfp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kfp")).args(args).output().expect("run kfp")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

fn golden(name: &str) -> PathBuf {
    common::ir_golden_dir().join(format!("{name}.yaml"))
}

/// `name`'s golden with `from` replaced by `to`, written to a file of its own.
fn mutated(case: &str, name: &str, from: &str, to: &str) -> PathBuf {
    let text = common::read_fixture(&golden(name));
    assert!(text.contains(from), "{name} has no {from:?}");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-ir-{case}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

fn path_arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn validate_accepts_every_golden_beside_workflows() {
    let goldens = common::ir_golden_files();
    let mut args = vec!["validate"];
    args.extend(goldens.iter().map(|file| path_arg(file)));
    let workflow = common::golden_dir().join("add_example.yaml");
    args.push(path_arg(&workflow));
    let output = kfp(&args);
    assert!(output.status.success(), "{}", text(&output));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().filter(|line| line.ends_with(": valid")).count(), goldens.len() + 1, "{stdout}");
}

#[test]
fn validate_names_the_path_of_each_problem() {
    let broken =
        mutated("component-ref", "critical__producer_consumer_param", "name: comp-consumer\n", "name: comp-consume\n");
    let output = kfp(&["validate", path_arg(&broken)]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let shown = text(&output);
    assert!(
        shown.contains(&format!(
            "{}: root.dag.tasks.consumer.componentRef.name: task `consumer` runs component `comp-consume`, which is not \
             in components: add it, or use one of `comp-consumer`, `comp-producer`",
            broken.display()
        )),
        "{shown}"
    );
    assert!(shown.contains("is not a valid pipeline IR file"), "{shown}");

    let typo = mutated("typo", "critical__producer_consumer_param", "        taskInfo:\n", "        taskinfo:\n");
    let shown = text(&kfp(&["validate", path_arg(&typo)]));
    assert!(shown.contains(": root.dag.tasks.consumer: unknown field `taskinfo`, expected one of"), "{shown}");
    assert!(shown.contains("(line "), "{shown}");

    let platform = mutated("platform", "pipeline_with_secret_as_volume", "      - mountPath:", "      - mount_paths:");
    let shown = text(&kfp(&["validate", path_arg(&platform)]));
    assert!(
        shown.contains(
            ": (platform spec) platforms.kubernetes.deploymentSpec.executors.exec-comp.secretAsVolume[0]: unknown \
             field `mount_paths`"
        ),
        "{shown}"
    );
}

#[test]
fn graph_draws_every_golden() {
    for file in &common::ir_golden_files() {
        for format in ["dot", "mermaid"] {
            let output = kfp(&["graph", path_arg(file), "--format", format]);
            assert!(output.status.success(), "{}: {}", file.display(), text(&output));
            let drawing = String::from_utf8(output.stdout).unwrap();
            if format == "dot" {
                assert!(drawing.starts_with("digraph "), "{drawing}");
                assert_eq!(drawing.matches('{').count(), drawing.matches('}').count(), "{drawing}");
            } else {
                assert_eq!(
                    drawing.matches("subgraph ").count(),
                    drawing.lines().filter(|line| line.trim() == "end").count(),
                    "{drawing}"
                );
            }
        }
    }
}

#[test]
fn graph_draws_dag_components_as_groups() {
    // Two conditions, each holding a task and two nested conditions.
    let dot = String::from_utf8(kfp(&["graph", path_arg(&golden("critical__flip_coin"))]).stdout).unwrap();
    assert!(dot.starts_with("digraph \"conditional-execution-pipeline\" {"), "{dot}");
    assert_eq!(dot.matches("subgraph cluster_").count(), 6, "{dot}");
    assert!(dot.contains("label=\"if flip-coin-Output == 'heads'\";"), "{dot}");
    assert!(dot.contains("label=\"if int(random-num-Output) > 5\";"), "{dot}");
    assert!(dot.contains("n12 [label=\"flip-coin\"];\n  n12 -> g0 [lhead=cluster_0];"), "{dot}");

    // A loop over an upstream task's output, after that task.
    let mermaid = kfp(&["graph", path_arg(&golden("parallel_and_nested__loop_consume_upstream")), "-f", "mermaid"]);
    let mermaid = String::from_utf8(mermaid.stdout).unwrap();
    assert!(mermaid.contains("subgraph g0 [\"for each item in split-input-Output\"]"), "{mermaid}");
    assert!(mermaid.contains("n4 --> g0"), "{mermaid}");
}
