//! Tests of the Argo model and rules: the kfp 1.8.22 goldens round-trip, pass `check` and the
//! strict Argo JSON schema; mutations of them are rejected.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use super::rules::{check, Violation, MAX_ANNOTATIONS_BYTES};
use super::*;

/// The repository's vendored reference files (`tests/fixtures/`, beside this crate).
pub(crate) fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn read_fixture(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (tests/fixtures is part of the repository: test from a clone of it)",
            path.display()
        )
    })
}

/// `tests/fixtures/kfp-1.8.22`: the workflows kfp 1.8.22 compiled.
pub(crate) fn golden_dir() -> PathBuf {
    fixtures_dir().join("kfp-1.8.22")
}

/// `(file name, text)` of every golden workflow.
fn goldens() -> Vec<(String, String)> {
    let dir = golden_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, read_fixture(&p))
        })
        .collect()
}

fn golden(name: &str) -> Workflow {
    Workflow::from_yaml(&read_fixture(&golden_dir().join(name))).expect("golden parses")
}

fn yaml_to_json(text: &str) -> Value {
    let v: serde_yaml::Value = serde_yaml::from_str(text).expect("valid YAML");
    serde_json::to_value(v).expect("YAML as JSON")
}

/// Scalars as strings, so `10` equals `"10"` and `true` equals `"true"`.
fn normalize(v: &Value) -> Value {
    match v {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Array(a) => Value::Array(a.iter().map(normalize).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), normalize(v))).collect()),
        other => other.clone(),
    }
}

/// The first place where `a` and `b` differ, as a path and both values.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                let p = format!("{path}.{k}");
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => {
                        if let Some(d) = first_difference(u, v, &p) {
                            return Some(d);
                        }
                    }
                    (u, v) => return Some(format!("{p}: {u:?} vs {v:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (u, v))| first_difference(u, v, &format!("{path}[{i}]")))
        }
        _ if a == b => None,
        _ => Some(format!("{path}: {a} vs {b}")),
    }
}

fn assert_no_violations(name: &str, wf: &Workflow) {
    let violations = check(wf);
    assert!(
        violations.is_empty(),
        "{name}: unexpected violations:\n{}",
        violations.iter().map(|v| format!("  {v}\n")).collect::<String>()
    );
}

#[test]
fn goldens_round_trip_and_pass_check() {
    let goldens = goldens();
    assert!(goldens.len() >= 34, "expected the 34+ goldens, found {}", goldens.len());
    for (name, text) in &goldens {
        let wf = Workflow::from_yaml(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let yaml = wf.to_yaml().expect("serializes");
        let original = normalize(&yaml_to_json(text));
        let again = normalize(&yaml_to_json(&yaml));
        if let Some(diff) = first_difference(&original, &again, "") {
            panic!("{name}: round trip changed the workflow at {diff}");
        }
        // Parsing our own output gives the same model.
        assert_eq!(Workflow::from_yaml(&yaml).expect("reparses"), wf, "{name}");
        let expected = KNOWN_INVALID.iter().find(|(file, _)| file == name).map_or(&[][..], |(_, v)| *v);
        let violations: Vec<String> = check(&wf).iter().map(ToString::to_string).collect();
        let matches =
            violations.len() == expected.len() && violations.iter().zip(expected).all(|(v, e)| v.starts_with(e));
        assert!(matches, "{name}: violations {violations:#?}, expected {expected:#?}");
    }
}

/// Goldens that kfp 1.8.22 compiled into workflows Argo refuses, with the violations `check`
/// must report (each a prefix of the violation's text).
///
/// `basic_no_decorator.yaml`: the pipeline function is compiled without `@dsl.pipeline`, so kfp
/// writes `spec.arguments.parameters: []` while the entrypoint DAG declares the inputs `message`
/// and `outputpath`. Argo's `common.ProcessArgs` fails with `inputs.parameters.message was not
/// supplied`, and the KFP backend cannot supply them: it only overrides parameters that
/// `spec.arguments` declares.
///
/// `parallelfor_item_argument_resolving.yaml`: a `ParallelFor` over a static list of dicts passes
/// the whole loop item as `{{item}}`. Argo's `addItemsToScope` puts only `item.<key>` in scope
/// for map items (`{{item}}` only for scalar items or `withParam`), so validation fails with
/// `failed to resolve {{item}}`.
const KNOWN_INVALID: &[(&str, &[&str])] = &[
    (
        "basic_no_decorator.yaml",
        &[
            "spec.entrypoint: template `save-most-frequent-word` requires input parameter `message`",
            "spec.entrypoint: template `save-most-frequent-word` requires input parameter `outputpath`",
        ],
    ),
    (
        "parallelfor_item_argument_resolving.yaml",
        &["spec.templates[13].dag.tasks[3].arguments.parameters[0].value: `{{item}}` does not resolve"],
    ),
];

/// The strict Argo schema, rooted at `Workflow`, compiled once.
fn schema_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let text = read_fixture(&fixtures_dir().join("argo/workflow.strict.schema.json"));
        let mut schema: Value = serde_json::from_str(&text).expect("schema is JSON");
        let root = schema.as_object_mut().expect("schema is an object");
        root.remove("oneOf");
        root.insert("$ref".into(), Value::String("#/definitions/io.argoproj.workflow.v1alpha1.Workflow".into()));
        jsonschema::validator_for(&schema).expect("schema compiles")
    })
}

fn schema_errors(instance: &Value) -> Vec<String> {
    schema_validator().iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

#[test]
fn strict_schema_accepts_reserialized_goldens() {
    let goldens = goldens();
    for (name, text) in &goldens {
        let wf = Workflow::from_yaml(text).expect("golden parses");
        let ours = serde_json::to_value(&wf).expect("as JSON");
        let errors = schema_errors(&ours);
        assert!(errors.is_empty(), "{name}: schema errors: {errors:#?}");
    }
}

/// kfp's own `preemptible_tpu_gpu.yaml` (not among the goldens) writes `nvidia.com/gpu: 1`, an
/// integer the schema rejects as a Quantity; our model reads it and writes the string `'1'`.
#[test]
fn integer_gpu_limit_is_rewritten_as_a_quantity_string() {
    let text = r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: pipeline-flip-coin-}
spec:
  arguments: {parameters: []}
  entrypoint: pipeline-flip-coin
  serviceAccountName: pipeline-runner
  templates:
  - container:
      args: [echo heads]
      command: [sh, -c]
      image: python:alpine3.6
      resources: {limits: {nvidia.com/gpu: 1}}
    name: flip
    nodeSelector: {cloud.google.com/gke-preemptible: 'true'}
    retryStrategy: {limit: 5}
    tolerations:
    - {effect: NoSchedule, key: preemptible, operator: Equal, value: 'true'}
  - dag:
      tasks:
      - {name: flip, template: flip}
    name: pipeline-flip-coin
"#;
    let wf = Workflow::from_yaml(text).expect("parses");
    let limits = wf.spec.templates[0].container.as_ref().unwrap().resources.as_ref().unwrap().limits.as_ref().unwrap();
    assert_eq!(limits["nvidia.com/gpu"], Quantity("1".into()));
    assert_no_violations("preemptible", &wf);
    assert!(!schema_errors(&yaml_to_json(text)).is_empty(), "kfp's integer is rejected");
    assert_eq!(schema_errors(&serde_json::to_value(&wf).unwrap()), Vec::<String>::new());
}

#[test]
fn int_or_string_keeps_its_form_and_strings_accept_numbers() {
    let text = r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: p-}
spec:
  entrypoint: a
  arguments:
    parameters:
    - {name: n, value: 12}
    - {name: f, value: 2.5}
    - {name: b, value: true}
  templates:
  - name: a
    container: {image: alpine}
    retryStrategy: {limit: '3', backoff: {duration: 60, factor: 2}}
    activeDeadlineSeconds: 10
  - name: b
    container: {image: alpine}
    retryStrategy: {limit: 3}
    activeDeadlineSeconds: '{{workflow.parameters.n}}'
"#;
    let wf = Workflow::from_yaml(text).expect("parses");
    let values: Vec<_> = wf.spec.arguments.parameters.iter().map(|p| p.value.clone().unwrap()).collect();
    assert_eq!(values, ["12", "2.5", "true"]);
    let [a, b] = &wf.spec.templates[..] else { panic!() };
    let ra = a.retry_strategy.as_ref().unwrap();
    assert_eq!(ra.limit, Some(IntOrString::String("3".into())));
    assert_eq!(ra.backoff.as_ref().unwrap().duration.as_deref(), Some("60"));
    assert_eq!(ra.backoff.as_ref().unwrap().factor, Some(IntOrString::Int(2)));
    assert_eq!(a.active_deadline_seconds, Some(IntOrString::Int(10)));
    assert_eq!(b.retry_strategy.as_ref().unwrap().limit, Some(IntOrString::Int(3)));
    let yaml = wf.to_yaml().unwrap();
    assert!(yaml.contains("limit: \"3\"") && yaml.contains("limit: 3"), "{yaml}");
    assert_eq!(Workflow::from_yaml(&yaml).unwrap(), wf);
    assert_no_violations("intorstring", &wf);
}

/// Everything else kfp 1.8 can emit (pipeline_conf, op settings, sidecars, init containers, retry
/// with backoff, ...) reads, round-trips, passes `check` and the schema.
#[test]
fn kfp_extras_round_trip() {
    let text = r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: extras-
spec:
  entrypoint: extras
  templates:
  - name: download
    container:
      args: [sleep 10; wget localhost:5678 -O /tmp/results.txt]
      command: [sh, -c]
      env:
      - {name: A, value: b}
      - name: S
        valueFrom:
          secretKeyRef: {name: s, key: k}
      envFrom:
      - configMapRef: {name: cm}
      image: busybox
      imagePullPolicy: Always
      ports:
      - {containerPort: 8080, protocol: TCP}
      resources:
        limits: {cpu: '1', memory: 1Gi, nvidia.com/gpu: '1'}
        requests: {cpu: 500m}
      securityContext: {runAsUser: 1000, privileged: false}
      volumeMounts:
      - {mountPath: /data, name: data}
      - {mountPath: /cache, name: cache}
      workingDir: /data
    outputs:
      parameters:
      - name: download-downloaded
        valueFrom: {path: /tmp/results.txt}
      artifacts:
      - {name: mlpipeline-ui-metadata, path: /mlpipeline-ui-metadata.json, optional: true}
      - name: download-downloaded
        path: /tmp/results.txt
        archive: {none: {}}
        s3:
          bucket: mlpipeline
          endpoint: minio-service.kubeflow:9000
          insecure: true
          key: runs/{{workflow.uid}}/{{pod.name}}/x.tgz
          accessKeySecret: {name: mlpipeline-minio-artifact, key: accesskey}
          secretKeySecret: {name: mlpipeline-minio-artifact, key: secretkey}
    nodeSelector: {cloud.google.com/gke-accelerator: nvidia-tesla-k80}
    tolerations:
    - {effect: NoSchedule, key: preemptible, operator: Equal, value: 'true'}
    affinity:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
          - matchExpressions:
            - {key: beta.kubernetes.io/instance-type, operator: In, values: [p2.xlarge]}
    metadata:
      annotations: {pipelines.kubeflow.org/task_display_name: Download, pipelines.kubeflow.org/max_cache_staleness: P0D}
      labels: {pipelines.kubeflow.org/enable_caching: 'false'}
    retryStrategy:
      limit: 3
      retryPolicy: OnError
      backoff: {duration: 1m, factor: 2, maxDuration: 1h}
    activeDeadlineSeconds: 100
    initContainers:
    - {name: setup, image: busybox, args: [echo, init], mirrorVolumeMounts: true}
    sidecars:
    - {name: echo, image: hashicorp/http-echo, args: [-text="hello world"], mirrorVolumeMounts: true}
    volumes:
    - name: data
      persistentVolumeClaim: {claimName: '{{inputs.parameters.pvc}}'}
    - name: secret
      secret: {secretName: s}
    podSpecPatch: '{"containers": [{"name": "main", "resources": {"limits": {"cpu": "{{inputs.parameters.cpu}}"}}}]}'
    inputs:
      parameters:
      - {name: cpu}
      - {name: pvc}
      - {name: opt, value: default value}
  - name: show
    script:
      image: python:3.9
      source: print("{{inputs.parameters.msg}}")
    inputs:
      parameters:
      - {name: msg}
  - name: wait
    suspend: {duration: 10s}
  - name: patch
    resource:
      action: apply
      mergeStrategy: merge
      setOwnerReference: true
      successCondition: status.phase == Succeeded
      failureCondition: status.phase == Failed
      flags: [--validate=false]
      manifest: |
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: '{{workflow.name}}-cm'
    outputs:
      parameters:
      - name: patch-name
        valueFrom: {jsonPath: '{.metadata.name}'}
  - name: extras
    parallelism: 2
    inputs:
      parameters:
      - {name: cpu}
    dag:
      tasks:
      - name: download
        template: download
        arguments:
          parameters:
          - {name: cpu, value: '{{inputs.parameters.cpu}}'}
          - {name: pvc, value: '{{workflow.name}}-pvc'}
      - name: show
        template: show
        depends: download
        when: '"{{tasks.download.status}}" == "Succeeded"'
        withSequence: {count: '3'}
        arguments:
          parameters:
          - {name: msg, value: '{{item}} {{tasks.download.outputs.parameters.download-downloaded}}'}
      - {name: wait, template: wait, depends: download.Succeeded || download.Failed}
      - {name: patch, template: patch, depends: wait, continueOn: {failed: true}}
  - name: exit
    steps:
    - - name: first
        template: show
        arguments:
          parameters:
          - {name: msg, value: '{{workflow.status}}'}
    - - name: second
        template: show
        withItems: [a, b]
        arguments:
          parameters:
          - {name: msg, value: '{{item}} {{steps.first.status}}'}
  arguments:
    parameters:
    - {name: cpu, value: '0.5'}
  serviceAccountName: pipeline-runner
  parallelism: 10
  ttlStrategy: {secondsAfterCompletion: 86400}
  podDisruptionBudget: {minAvailable: 1}
  imagePullSecrets:
  - {name: regcred}
  activeDeadlineSeconds: 3600
  onExit: exit
  nodeSelector: {kubernetes.io/os: linux}
  dnsConfig:
    nameservers: [1.2.3.4]
    options:
    - {name: ndots, value: '2'}
  podGC: {strategy: OnWorkflowSuccess}
  volumes:
  - name: cache
    emptyDir: {}
  volumeClaimTemplates:
  - apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: scratch}
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests: {storage: 1Gi}
  securityContext: {runAsNonRoot: true}
  tolerations:
  - {key: dedicated, operator: Exists}
"#;
    let wf = Workflow::from_yaml(text).unwrap_or_else(|e| panic!("{e}"));
    let yaml = wf.to_yaml().unwrap();
    if let Some(diff) = first_difference(&normalize(&yaml_to_json(text)), &normalize(&yaml_to_json(&yaml)), "") {
        panic!("round trip changed the workflow at {diff}");
    }
    assert_eq!(Workflow::from_yaml(&yaml).unwrap(), wf);
    assert_no_violations("extras", &wf);
    assert_eq!(schema_errors(&serde_json::to_value(&wf).unwrap()), Vec::<String>::new());
}

#[test]
fn default_workflow_has_api_version_and_kind() {
    let wf = Workflow::default();
    assert_eq!((wf.api_version.as_str(), wf.kind.as_str()), (API_VERSION, KIND));
    let yaml = wf.to_yaml().unwrap();
    assert!(yaml.contains("arguments:\n    parameters: []"), "{yaml}");
}

// ---------------------------------------------------------------------------------------------
// Mutations

/// A small DAG workflow: `a` -> `b`, `b` consumes `a`'s output.
fn base() -> Workflow {
    Workflow::from_yaml(
        r#"
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: demo-
  annotations: {pipelines.kubeflow.org/pipeline_spec: '{"name": "demo"}'}
  labels: {pipelines.kubeflow.org/kfp_sdk_version: 1.8.22}
spec:
  entrypoint: demo
  serviceAccountName: pipeline-runner
  arguments:
    parameters:
    - {name: msg, value: hello}
  templates:
  - name: produce
    container:
      image: alpine
      command: [sh, -c, 'echo {{inputs.parameters.msg}} > /tmp/out; echo {{pod.name}} {{workflow.uid}}']
    inputs:
      parameters:
      - {name: msg}
    outputs:
      parameters:
      - name: produce-out
        valueFrom: {path: /tmp/out}
      artifacts:
      - {name: produce-out, path: /tmp/out}
  - name: consume
    container:
      image: alpine
      command: [echo, '{{inputs.parameters.produce-out}}']
    inputs:
      parameters:
      - {name: produce-out}
  - name: demo
    inputs:
      parameters:
      - {name: msg}
    dag:
      tasks:
      - name: produce
        template: produce
        arguments:
          parameters:
          - {name: msg, value: '{{inputs.parameters.msg}}'}
      - name: consume
        template: consume
        dependencies: [produce]
        arguments:
          parameters:
          - {name: produce-out, value: '{{tasks.produce.outputs.parameters.produce-out}}'}
      - name: loop
        template: consume
        dependencies: [consume]
        withItems: [{a: 1}, {a: 2}]
        arguments:
          parameters:
          - {name: produce-out, value: '{{item.a}} {{tasks.produce.outputs.parameters.produce-out}}'}
"#,
    )
    .expect("base parses")
}

fn dag_tasks(wf: &mut Workflow) -> &mut Vec<DagTask> {
    &mut wf.spec.templates[2].dag.as_mut().unwrap().tasks
}

/// Asserts exactly one violation at `path` whose message contains every `words`.
fn assert_violation(wf: &Workflow, path: &str, words: &[&str]) -> Violation {
    let violations = check(wf);
    let found: Vec<_> = violations.iter().filter(|v| v.path == path).collect();
    assert!(
        found.len() == 1 && words.iter().all(|w| found[0].message.contains(w)),
        "expected one violation at {path} mentioning {words:?}; got:\n{}",
        violations.iter().map(|v| format!("  {v}\n")).collect::<String>()
    );
    found[0].clone()
}

#[test]
fn base_is_valid() {
    assert_no_violations("base", &base());
}

#[test]
fn unknown_field_is_a_deserialize_error_naming_it() {
    let yaml = base().to_yaml().unwrap().replace("serviceAccountName:", "serviceAccount:");
    let err = Workflow::from_yaml(&yaml).unwrap_err().to_string();
    assert!(err.contains("unknown field `serviceAccount`"), "{err}");
    let yaml = base().to_yaml().unwrap().replace("dependencies:", "dependancies:");
    let err = Workflow::from_yaml(&yaml).unwrap_err().to_string();
    assert!(err.contains("unknown field `dependancies`"), "{err}");
}

#[test]
fn dangling_dependency() {
    let mut wf = base();
    dag_tasks(&mut wf)[1].dependencies = Some(vec!["produce".into(), "nope".into()]);
    assert_violation(&wf, "spec.templates[2].dag.tasks[1].dependencies[1]", &["`nope`", "not a task"]);
}

#[test]
fn cycle_reports_its_tasks() {
    let mut wf = base();
    dag_tasks(&mut wf)[0].dependencies = Some(vec!["loop".into()]);
    let v = assert_violation(&wf, "spec.templates[2].dag.tasks[0].dependencies", &["cycle"]);
    for name in ["produce", "consume", "loop"] {
        assert!(v.message.contains(name), "{v}");
    }
    let mut wf = base();
    dag_tasks(&mut wf)[0].dependencies = Some(vec!["produce".into()]);
    assert_violation(&wf, "spec.templates[2].dag.tasks[0].dependencies[0]", &["itself"]);
}

#[test]
fn missing_template() {
    let mut wf = base();
    dag_tasks(&mut wf)[1].template = "gone".into();
    assert_violation(&wf, "spec.templates[2].dag.tasks[1].template", &["`gone`", "does not exist"]);
    let mut wf = base();
    wf.spec.entrypoint = "gone".into();
    assert_violation(&wf, "spec.entrypoint", &["`gone`"]);
    let mut wf = base();
    wf.spec.on_exit = Some("gone".into());
    assert_violation(&wf, "spec.onExit", &["`gone`"]);
}

#[test]
fn unresolvable_input_parameter() {
    let mut wf = base();
    wf.spec.templates[1].container.as_mut().unwrap().args = Some(vec!["{{inputs.parameters.nope}}".into()]);
    assert_violation(&wf, "spec.templates[1].container.args[0]", &["inputs.parameters.nope", "no input parameter"]);
    let mut wf = base();
    wf.spec.templates[0].container.as_mut().unwrap().args =
        Some(vec!["{{workflow.parameters.nope}} {{foo.bar}} {{tasks.x.id}} {{item}} {{steps.s.id}}".into()]);
    let violations = check(&wf);
    assert_eq!(violations.len(), 5, "{violations:#?}");
    // Not variables: left alone, as Argo does.
    wf.spec.templates[0].container.as_mut().unwrap().args =
        Some(vec!["{{ x }} {{\"a\": 1}} {{=inputs.parameters['msg']}} {{workflow.name}}".into()]);
    assert_no_violations("text tags", &wf);
    wf.spec.templates[0].container.as_mut().unwrap().args = Some(vec!["echo {{inputs.parameters.msg".into()]);
    assert_violation(&wf, "spec.templates[0].container.args[0]", &["closing"]);
}

#[test]
fn task_output_reference_needs_a_dependency() {
    let mut wf = base();
    dag_tasks(&mut wf)[1].dependencies = None;
    assert_violation(
        &wf,
        "spec.templates[2].dag.tasks[1].arguments.parameters[0].value",
        &["`produce` is not a dependency of task `consume`"],
    );
    // `loop` reaches `produce` through `consume`: transitive is fine, unless the chain is cut.
    let mut wf = base();
    dag_tasks(&mut wf)[2].dependencies = None;
    assert_violation(&wf, "spec.templates[2].dag.tasks[2].arguments.parameters[0].value", &["not a dependency"]);
    let mut wf = base();
    dag_tasks(&mut wf)[1].arguments.parameters[0].value = Some("{{tasks.produce.outputs.parameters.other}}".into());
    assert_violation(
        &wf,
        "spec.templates[2].dag.tasks[1].arguments.parameters[0].value",
        &["no output parameter `other`"],
    );
}

#[test]
fn item_reference_needs_a_loop_and_known_keys() {
    let mut wf = base();
    dag_tasks(&mut wf)[2].arguments.parameters[0].value = Some("{{item.b}}".into());
    assert_violation(&wf, "spec.templates[2].dag.tasks[2].arguments.parameters[0].value", &["`b`"]);
    let mut wf = base();
    dag_tasks(&mut wf)[1].arguments.parameters[0].value = Some("{{item}}".into());
    assert_violation(&wf, "spec.templates[2].dag.tasks[1].arguments.parameters[0].value", &["withItems"]);
}

#[test]
fn a_constant_with_param_is_a_json_list_whose_items_resolve_whole_and_by_key() {
    let mut wf = base();
    let looped = &mut dag_tasks(&mut wf)[2];
    looped.with_items.clear();
    looped.with_param = Some(r#"[{"a": 1}, {"a": 2}]"#.into());
    looped.arguments.parameters[0].value =
        Some("{{item}} {{item.a}} {{tasks.produce.outputs.parameters.produce-out}}".into());
    assert_no_violations("constant withParam", &wf);
    dag_tasks(&mut wf)[2].with_param = Some(r#"{"a": 1}"#.into());
    assert_violation(&wf, "spec.templates[2].dag.tasks[2].withParam", &["not a JSON list", "`[...]`"]);
}

#[test]
fn arguments_must_match_inputs() {
    let mut wf = base();
    dag_tasks(&mut wf)[1].arguments.parameters[0].name = "typo".into();
    let violations = check(&wf);
    assert!(
        violations
            .iter()
            .any(|v| v.path.ends_with("parameters[0].name") && v.message.contains("no input parameter `typo`")),
        "{violations:#?}"
    );
    assert!(
        violations
            .iter()
            .any(|v| v.path == "spec.templates[2].dag.tasks[1].arguments" && v.message.contains("`produce-out`")),
        "{violations:#?}"
    );
    // The entrypoint's inputs come from spec.arguments.
    let mut wf = base();
    wf.spec.arguments.parameters.clear();
    let violations = check(&wf);
    assert!(violations.iter().any(|v| v.path == "spec.entrypoint" && v.message.contains("`msg`")), "{violations:#?}");
}

#[test]
fn bad_names() {
    let mut wf = base();
    wf.spec.templates[1].name = "Consume_it".into();
    let violations = check(&wf);
    assert!(
        violations.iter().any(|v| v.path == "spec.templates[1].name" && v.message.contains("Consume_it")),
        "{violations:#?}"
    );
    let mut wf = base();
    wf.spec.templates[1].name = "x".repeat(129);
    assert!(check(&wf).iter().any(|v| v.path == "spec.templates[1].name" && v.message.contains("129")));
    let mut wf = base();
    wf.spec.templates[1].name = "produce".into();
    assert!(check(&wf).iter().any(|v| v.path == "spec.templates[1].name" && v.message.contains("already used")));
    let mut wf = base();
    dag_tasks(&mut wf)[2].name = "consume".into();
    assert!(check(&wf)
        .iter()
        .any(|v| v.path == "spec.templates[2].dag.tasks[2].name" && v.message.contains("already used")));
    let mut wf = base();
    dag_tasks(&mut wf)[2].name = "1loop".into();
    assert_violation(&wf, "spec.templates[2].dag.tasks[2].name", &["digit"]);
    let mut wf = base();
    wf.metadata.generate_name = Some(format!("{}-", "a".repeat(60)));
    assert_violation(&wf, "metadata.generateName", &["58"]);
    let mut wf = base();
    wf.metadata.generate_name = Some("My Pipeline-".into());
    assert_violation(&wf, "metadata.generateName", &["not a valid name prefix"]);
    let mut wf = base();
    wf.metadata.generate_name = None;
    assert_violation(&wf, "metadata", &["generateName"]);
    wf.metadata.name = Some("ok-name".into());
    assert_no_violations("named", &wf);
    let mut wf = base();
    wf.spec.templates[0].metadata.labels.insert("bad key!".into(), "v".into());
    assert_violation(&wf, "spec.templates[0].metadata.labels[\"bad key!\"]", &["label key"]);
}

#[test]
fn oversized_annotations() {
    let mut wf = base();
    wf.spec.templates[0]
        .metadata
        .annotations
        .insert("pipelines.kubeflow.org/component_spec".into(), "x".repeat(MAX_ANNOTATIONS_BYTES).into());
    assert_violation(&wf, "spec.templates[0].metadata.annotations", &["256 KiB"]);
    let mut wf = base();
    wf.metadata
        .annotations
        .get_or_insert_with(Default::default)
        .insert("big".into(), "x".repeat(MAX_ANNOTATIONS_BYTES));
    assert_violation(&wf, "metadata.annotations", &["256 KiB"]);
}

#[test]
fn oversized_run_parameters() {
    let mut wf = base();
    wf.spec.arguments.parameters[0].value = Some("x".repeat(10_001));
    let violations = check(&wf);
    assert!(violations.iter().any(|v| v.path == "spec.arguments.parameters[0].value"), "{violations:#?}");
    assert!(violations.iter().any(|v| v.path == "spec.arguments.parameters"), "{violations:#?}");
}

#[test]
fn template_types_and_leaf_only_fields() {
    let mut wf = base();
    wf.spec.templates[1].script =
        Some(Box::new(ScriptTemplate { image: Some("alpine".into()), source: "echo".into(), ..Default::default() }));
    assert_violation(&wf, "spec.templates[1]", &["several types", "container", "script"]);
    let mut wf = base();
    wf.spec.templates[1].container = None;
    assert_violation(&wf, "spec.templates[1]", &["no type"]);
    let mut wf = base();
    wf.spec.templates[2].active_deadline_seconds = Some(IntOrString::Int(5));
    assert_violation(&wf, "spec.templates[2].activeDeadlineSeconds", &["only valid"]);
    let mut wf = base();
    wf.spec.templates[0].retry_strategy =
        Some(Box::new(RetryStrategy { retry_policy: Some("Sometimes".into()), ..Default::default() }));
    assert_violation(&wf, "spec.templates[0].retryStrategy.retryPolicy", &["Sometimes"]);
}

#[test]
fn exit_handler_globals() {
    let mut wf = base();
    let mut exit = wf.spec.templates[1].clone();
    exit.name = "exit".into();
    exit.inputs = Inputs::default();
    exit.container.as_mut().unwrap().command =
        Some(vec!["echo".into(), "{{workflow.status}} {{workflow.failures}}".into()]);
    wf.spec.templates.push(exit);
    wf.spec.on_exit = Some("exit".into());
    assert_no_violations("exit handler", &wf);
    wf.spec.templates[0].container.as_mut().unwrap().args = Some(vec!["{{workflow.status}}".into()]);
    assert_violation(&wf, "spec.templates[0].container.args[0]", &["exit handler"]);
}

#[test]
fn volume_mounts_need_volumes() {
    let mut wf = base();
    wf.spec.templates[0].container.as_mut().unwrap().volume_mounts =
        Some(vec![VolumeMount { name: "data".into(), mount_path: "/data".into(), ..Default::default() }]);
    assert_violation(&wf, "spec.templates[0].container.volumeMounts[0].name", &["`data`"]);
    wf.spec.volumes.push(Volume { name: "data".into(), ..Default::default() });
    assert_no_violations("spec volume", &wf);
}

#[test]
fn invalid_resource_manifest() {
    let mut wf = golden("volumeop_basic.yaml");
    let t = wf.spec.templates.iter_mut().find(|t| t.resource.is_some()).unwrap();
    t.resource.as_mut().unwrap().manifest = Some("a: [unclosed".into());
    let violations = check(&wf);
    assert!(
        violations.iter().any(|v| v.path.ends_with("resource.manifest") && v.message.contains("YAML")),
        "{violations:#?}"
    );
}

/// A 50,000-task chain checks quickly (no quadratic scans) although every task references the
/// first task, reached only transitively.
#[test]
fn large_dag_is_checked_quickly() {
    let n = 50_000;
    let mut wf = base();
    let template = wf.spec.templates[1].clone();
    let mut tasks = vec![DagTask {
        name: "t0".into(),
        template: "produce".into(),
        arguments: Arguments { parameters: vec![Parameter::with_value("msg", "x")], ..Default::default() },
        ..Default::default()
    }];
    for i in 1..n {
        tasks.push(DagTask {
            name: format!("t{i}"),
            template: template.name.clone(),
            dependencies: Some(vec![format!("t{}", i - 1)]),
            arguments: Arguments {
                parameters: vec![Parameter::with_value("produce-out", "{{tasks.t0.outputs.parameters.produce-out}}")],
                ..Default::default()
            },
            ..Default::default()
        });
    }
    *dag_tasks(&mut wf) = tasks;
    let start = std::time::Instant::now();
    let violations = check(&wf);
    let elapsed = start.elapsed();
    assert!(violations.is_empty(), "{:?}", &violations[..violations.len().min(5)]);
    assert!(elapsed.as_secs() < 20, "check took {elapsed:?}");
    eprintln!("checked {n} tasks in {elapsed:?}");
}

#[test]
fn names_are_looked_up_alike_in_short_and_long_lists() {
    // 3 names are scanned, 40 hashed: the same violations either way.
    for len in [3, 40] {
        let mut wf = base();
        let inputs: Vec<Parameter> = (0..len).map(|i| Parameter::named(format!("in-{i}"))).collect();
        let mut declared = inputs.clone();
        declared.push(Parameter::named("in-1"));
        wf.spec.templates[1].inputs.parameters = declared;
        let mut passed: Vec<Parameter> =
            inputs.iter().skip(1).map(|p| Parameter::with_value(p.name.clone(), "x")).collect();
        passed.push(Parameter::with_value("typo", "x"));
        let task = &mut dag_tasks(&mut wf)[1];
        task.arguments.parameters = passed;
        let typo = len - 1;
        assert_violation(&wf, &format!("spec.templates[1].inputs.parameters[{len}].name"), &["`in-1`", "twice"]);
        assert_violation(
            &wf,
            &format!("spec.templates[2].dag.tasks[1].arguments.parameters[{typo}].name"),
            &["no input parameter `typo`"],
        );
        let missing: Vec<Violation> = check(&wf)
            .into_iter()
            .filter(|v| v.path == "spec.templates[2].dag.tasks[1].arguments" && v.message.contains("`in-0`"))
            .collect();
        assert_eq!(missing.len(), 1, "{len} inputs: {missing:?}");
    }
}

#[test]
fn resource_amounts_must_be_quantities_in_every_container() {
    let mut wf = base();
    let template = &mut wf.spec.templates[0];
    let quantities = |pairs: &[(&str, &str)]| {
        Some(pairs.iter().map(|(key, value)| (key.to_string(), Quantity(value.to_string()))).collect())
    };
    template.container.as_mut().unwrap().resources = Some(ResourceRequirements {
        limits: quantities(&[("memory", "lots"), ("cpu", "-500m"), ("nvidia.com/gpu", "{{inputs.parameters.msg}}")]),
        requests: quantities(&[("ephemeral-storage", "1 G")]),
        ..ResourceRequirements::default()
    });
    let mut sidecar = UserContainer::new("helper", "alpine");
    sidecar.resources =
        Some(ResourceRequirements { limits: quantities(&[("example.com/foo", "x")]), ..Default::default() });
    template.sidecars = vec![sidecar];

    let memory = assert_violation(&wf, "spec.templates[0].container.resources.limits.memory", &["\"lots\"", "memory"]);
    assert!(memory.message.contains("not a Kubernetes quantity") && memory.message.contains("512Mi"), "{memory}");
    assert_violation(&wf, "spec.templates[0].container.resources.requests.ephemeral-storage", &["\"1 G\""]);
    assert_violation(&wf, "spec.templates[0].sidecars[0].resources.limits[\"example.com/foo\"]", &["\"x\""]);
    assert_violation(&wf, "spec.templates[0].container.resources.limits.cpu", &["\"-500m\"", "negative"]);
    // Argo reads the amount as a quantity before it fills the value in.
    let gpu = assert_violation(&wf, "spec.templates[0].container.resources.limits[\"nvidia.com/gpu\"]", &["msg"]);
    assert!(gpu.message.contains("holds a pipeline value") && gpu.message.contains("podSpecPatch"), "{gpu}");
    assert_eq!(check(&wf).len(), 5, "{:#?}", check(&wf));
}
