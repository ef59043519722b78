//! `kfp run-local` gives Argo's global variables real values, wherever Argo
//! substitutes them: container args and env, input parameter defaults, and the
//! Workflow's own parameter values.

mod common;

use std::process::Command;

use common::run::Scratch;
use kfp::dsl::{ContainerOp, EXECUTION_ID_PLACEHOLDER, RUN_ID_PLACEHOLDER};
use kfp::pipeline;

const GLOBALS: &str = r#"apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: globals-
  labels: {team: ml}
  annotations: {note: hello}
spec:
  entrypoint: main
  priority: 3
  serviceAccountName: runner
  arguments:
    parameters:
    - {name: tag, value: "{{workflow.name}}-x"}
  templates:
  - name: main
    inputs:
      parameters:
      - {name: tag}
      - {name: year, default: "{{workflow.creationTimestamp.Y}}"}
    dag:
      tasks:
      - name: a
        template: show
        arguments: {parameters: [{name: tag, value: "{{inputs.parameters.tag}}"}, {name: year, value: "{{inputs.parameters.year}}"}]}
      - name: b
        template: show
        arguments: {parameters: [{name: tag, value: "{{inputs.parameters.tag}}"}, {name: year, value: "{{inputs.parameters.year}}"}]}
  - name: show
    inputs:
      parameters:
      - {name: tag}
      - {name: year}
    outputs:
      parameters:
      - {name: vars, valueFrom: {path: /tmp/vars}}
      - {name: params, valueFrom: {path: /tmp/params}}
    container:
      image: alpine:3
      command: [sh, -c]
      args:
      - |
        printf '%s\n' '{{workflow.uid}}' '{{workflow.name}}' '{{workflow.namespace}}' '{{workflow.serviceAccountName}}' \
          '{{workflow.creationTimestamp}}' '{{workflow.creationTimestamp.s}}' '{{workflow.creationTimestamp.Y}}' \
          '{{workflow.priority}}' '{{workflow.labels.team}}' '{{workflow.annotations.note}}' "$POD" \
          '{{inputs.parameters.tag}}' '{{inputs.parameters.year}}' '{{workflow.parameters.tag}}' '{{workflow.duration}}' > /tmp/vars
        printf '%s' '{{workflow.parameters}}' > /tmp/params
      env:
      - {name: POD, value: "{{pod.name}}"}
"#;

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Unix seconds of an RFC 3339 UTC time (`2018-08-23T05:42:49Z`).
fn parse_rfc3339(text: &str) -> i64 {
    let number = |range: std::ops::Range<usize>| -> i64 {
        text.get(range).and_then(|digits| digits.parse().ok()).unwrap_or_else(|| panic!("not RFC 3339: {text}"))
    };
    assert!(text.len() == 20 && &text[4..5] == "-" && &text[10..11] == "T" && text.ends_with('Z'), "{text}");
    let days = days_from_civil(number(0..4), number(5..7), number(8..10));
    days * 86_400 + number(11..13) * 3600 + number(14..16) * 60 + number(17..19)
}

fn is_uuid_v4(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|group| group.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|group| group.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()))
        && groups[2].starts_with('4')
}

#[test]
fn a_local_run_gives_argos_globals_real_values() {
    let dir = Scratch::new("run-globals");
    let file = dir.join("globals.yaml");
    std::fs::write(&file, GLOBALS).unwrap();
    let before = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
        .arg("run-local")
        .arg(&file)
        .arg("--json")
        .arg("--run-dir")
        .arg(dir.join("run"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is one JSON document");
    let name = json["workflow"].as_str().unwrap();
    assert!(name.starts_with("globals-") && name.len() == "globals-".len() + 5, "{name}");
    let tasks = json["tasks"].as_array().unwrap();
    let output_of = |task: &str, param: &str| -> String {
        let task = tasks.iter().find(|t| t["id"] == task).unwrap_or_else(|| panic!("no task {task}: {stdout}"));
        task["outputs"][param].as_str().unwrap_or_else(|| panic!("no output {param}: {stdout}")).to_owned()
    };

    let (a, b) = (output_of("a", "vars"), output_of("b", "vars"));
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    assert_eq!(a.len(), 15, "{a:?}");
    let [uid, wf_name, namespace, account, created, epoch, year, priority, team, note, pod, tag, default_year, raw_tag, duration] =
        a[..]
    else {
        unreachable!()
    };
    assert!(is_uuid_v4(uid), "workflow.uid is not a UUID: {uid}");
    assert_eq!(uid, b[0], "one uid for the whole run");
    assert_eq!(wf_name, name);
    assert_eq!((namespace, account, priority, team, note), ("default", "runner", "3", "ml", "hello"));
    let created_at = parse_rfc3339(created);
    assert!(
        (before - 1..=before + 60).contains(&created_at),
        "creationTimestamp {created} is not when the run started"
    );
    assert_eq!(epoch.parse::<i64>().unwrap(), created_at);
    assert_eq!(year, &created[..4]);
    // pod.name as Argo forms it: the workflow's name and a hash of the node, one per task.
    for pod in [pod, b[10]] {
        let hash = pod.strip_prefix(&format!("{name}-")).unwrap_or_else(|| panic!("pod.name {pod} of run {name}"));
        assert!(hash.parse::<u32>().is_ok(), "{pod}");
    }
    assert_ne!(pod, b[10], "each task has its own pod name");
    // The Workflow's parameter value and the input's default are substituted; workflow.parameters.<name>
    // is the value as given, as in Argo.
    assert_eq!(tag, format!("{name}-x"));
    assert_eq!(default_year, year);
    assert_eq!(raw_tag, "{{workflow.name}}-x");
    assert!(duration.parse::<f64>().is_ok_and(|seconds| seconds >= 0.0), "{duration}");

    let params: serde_json::Value = serde_json::from_str(&output_of("a", "params")).unwrap();
    assert_eq!(params, serde_json::json!([{"name": "tag", "value": "{{workflow.name}}-x"}]));
}

#[test]
fn a_run_gets_a_new_uid_each_time() {
    let dir = Scratch::new("run-globals-uid");
    let file = dir.join("uid.yaml");
    let workflow = "apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: uid}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: alpine:3, command: [sh, -c, 'echo {{workflow.uid}} {{pod.name}}']}
";
    std::fs::write(&file, workflow).unwrap();
    let lines: Vec<String> = (0..2)
        .map(|i| {
            let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
                .arg("run-local")
                .arg(&file)
                .arg("--run-dir")
                .arg(dir.join(format!("run{i}")))
                .output()
                .unwrap();
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            std::fs::read_to_string(dir.join(format!("run{i}/logs/main.log"))).unwrap()
        })
        .collect();
    let (first, second) = (lines[0].trim().split_once(' ').unwrap(), lines[1].trim().split_once(' ').unwrap());
    assert!(is_uuid_v4(first.0) && is_uuid_v4(second.0), "{lines:?}");
    assert_ne!(first.0, second.0);
    // The workflow's own node is a pod named as the workflow.
    assert_eq!((first.1, second.1), ("uid", "uid"));
}

#[test]
fn priority_without_spec_priority_and_unknown_time_forms_stop_the_run_before_it_starts() {
    let dir = Scratch::new("run-globals-invalid");
    let cases = [
        ("{{workflow.priority}}", "`workflow.priority` has no value: the Workflow sets no `spec.priority`"),
        ("{{workflow.creationTimestamp.q}}", "is not a form of the creation time: use one of the strftime characters"),
    ];
    for (i, (tag, expected)) in cases.into_iter().enumerate() {
        let file = dir.join(format!("bad{i}.yaml"));
        let workflow = format!(
            "apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {{generateName: bad-}}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {{image: alpine:3, command: [sh, -c, 'echo {tag}']}}
"
        );
        std::fs::write(&file, workflow).unwrap();
        let run = dir.join(format!("run{i}"));
        let output = Command::new(env!("CARGO_BIN_EXE_kfp"))
            .arg("run-local")
            .arg(&file)
            .arg("--run-dir")
            .arg(&run)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success() && stderr.contains(expected), "{tag}: {stderr}");
        assert!(!run.join("logs/main.log").exists(), "nothing runs");
    }
}

#[pipeline(name = "ids")]
pub fn ids() {
    for name in ["first", "second"] {
        ContainerOp::new(name, "alpine:3")
            .command([
                "sh".to_owned(),
                "-c".to_owned(),
                format!("echo {RUN_ID_PLACEHOLDER} {EXECUTION_ID_PLACEHOLDER} > /tmp/ids"),
            ])
            .file_output("ids", "/tmp/ids")
            .add();
    }
}

#[test]
fn kfps_run_and_execution_id_placeholders_print_real_ids() {
    let dir = Scratch::new("run-globals-ids");
    let report = kfp::run::run_pipeline(ids, &kfp::run::RunOptions::new(&*dir)).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    let ids_of = |task: &str| -> (String, String) {
        let text = report.output(task, &format!("{task}-ids")).unwrap_or_else(|| panic!("{report:#?}"));
        let (run, execution) = text.trim().split_once(' ').unwrap();
        (run.to_owned(), execution.to_owned())
    };
    let (run, first) = ids_of("first");
    let (again, second) = ids_of("second");
    assert!(is_uuid_v4(&run), "{run}");
    assert_eq!(run, again, "one run id for the run");
    let prefix = format!("{run}-{}-", report.workflow);
    assert!(first.starts_with(&prefix) && second.starts_with(&prefix), "{first} {second}");
    assert_ne!(first, second, "each execution has its own id");
}
