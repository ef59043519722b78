use std::collections::BTreeMap;

use serde_json::json;

use crate::argo::Workflow;
use crate::dsl::{record, ContainerOp, PipelineInfo, ResourceOp, VolumeOp, VolumeSnapshotOp};
use crate::Compiler;

fn compile(body: impl FnOnce()) -> Workflow {
    let recorded = record(PipelineInfo::new("p"), body).unwrap();
    Compiler::new().compile_recorded(&recorded).unwrap()
}

#[test]
fn input_references_are_found_whole() {
    use super::references_input;
    let text = "x {{inputs.parameters.a-Output}} and {{inputs.parameters.b}}";
    assert!(references_input(text, "a-Output") && references_input(text, "b"));
    assert!(!references_input(text, "a") && !references_input(text, "Output") && !references_input("", "a"));
    // A reference inside an unclosed one still counts, as a substring search finds it.
    assert!(references_input("{{inputs.parameters.{{inputs.parameters.c}}", "c"));
}

#[test]
fn arguments_annotation_is_what_python_json_dumps_writes() {
    let values = [
        ("z", "{{inputs.parameters.a-Output}}"),
        ("a", "plain text, with: punctuation"),
        ("quote", "say \"hi\" \\ bye"),
        ("korean", "안녕하세요"),
        ("control", "tab\there\nnew line \u{7f}"),
        ("", ""),
    ];
    let mut ours = values;
    let expected = crate::wire::json::to_json(&values.iter().copied().collect::<BTreeMap<_, _>>()).unwrap();
    assert_eq!(super::arguments_json(&mut ours).unwrap(), expected);
    assert!(expected.starts_with(r#"{"": "", "a": "plain text, with: punctuation", "control": "tab\there"#));
}

#[test]
fn tasks_share_a_resolution_only_when_they_pass_the_same_inputs() {
    use crate::components::{arg, load_component_from_text};
    const ECHO: &str = r#"
name: Echo
inputs:
- {name: text}
- {name: extra, optional: true}
implementation:
  container:
    image: alpine
    args:
    - {concat: ['--text=', {inputValue: text}]}
    - if: {cond: {isPresent: extra}, then: [--extra, {inputValue: extra}], else: [--no-extra]}
"#;
    let workflow = compile(|| {
        let echo = load_component_from_text(ECHO).unwrap();
        echo.call([("text", arg("a")), ("extra", arg("x"))]);
        echo.call([("text", arg("b"))]);
        echo.call([("text", arg("c")), ("extra", arg("y"))]);
        echo.call([("text", arg("d"))]);
    });
    let args = |name: &str| {
        let template = workflow.spec.templates.iter().find(|t| t.name == name).unwrap();
        template.container.as_ref().unwrap().args.clone().unwrap()
    };
    assert_eq!(args("echo"), ["--text=a", "--extra", "x"]);
    assert_eq!(args("echo-2"), ["--text=b", "--no-extra"]);
    assert_eq!(args("echo-3"), ["--text=c", "--extra", "y"]);
    assert_eq!(args("echo-4"), ["--text=d", "--no-extra"]);
}

#[test]
fn a_condition_on_a_value_is_resolved_for_each_task() {
    use crate::compiler::argo::resolve::Resolved;
    use crate::components::{arg, load_component_from_text};
    const SWITCH: &str = r#"
name: Switch
inputs:
- {name: flag}
- {name: text}
implementation:
  container:
    image: alpine
    env: {}
    args:
    - {concat: [x, {if: {cond: {inputValue: flag}, then: [{inputValue: text}], else: ['off']}}]}
"#;
    let component = || load_component_from_text(SWITCH).unwrap();
    assert!(!Resolved::shareable(&component().component().spec));
    let workflow = compile(|| {
        let switch = component();
        switch.call([("flag", arg("true")), ("text", arg("one"))]);
        switch.call([("flag", arg("false")), ("text", arg("two"))]);
        switch.call([("flag", arg("true")), ("text", arg("three"))]);
    });
    let container = |name: &str| {
        let template = workflow.spec.templates.iter().find(|t| t.name == name).unwrap();
        template.container.clone().unwrap()
    };
    assert_eq!(container("switch").args.unwrap(), ["xone"]);
    assert_eq!(container("switch-2").args.unwrap(), ["xoff"]);
    assert_eq!(container("switch-3").args.unwrap(), ["xthree"]);
    // kfp writes no `env` for the component's empty one.
    assert_eq!(container("switch").env, None);
}

#[test]
fn resource_templates_carry_every_setting() {
    let workflow = compile(|| {
        let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "my-job"}});
        let op = ResourceOp::new("apply job", job.clone())
            .action("apply")
            .merge_strategy("merge")
            .success_condition("status.succeeded > 0")
            .failure_condition("status.failed > 3")
            .set_owner_reference(true)
            .attribute_output("phase", "{.status.phase}")
            .add();
        assert_eq!(op.output().to_string(), op.outputs().get("phase").to_string());
        ResourceOp::new("delete job", job).action("delete").add();
    });
    let template = workflow.spec.templates.iter().find(|t| t.name == "apply-job").unwrap();
    let resource = template.resource.as_ref().unwrap();
    assert_eq!(resource.action, "apply");
    assert_eq!(resource.merge_strategy.as_deref(), Some("merge"));
    assert_eq!(resource.success_condition.as_deref(), Some("status.succeeded > 0"));
    assert_eq!(resource.failure_condition.as_deref(), Some("status.failed > 3"));
    assert_eq!(resource.set_owner_reference, Some(true));
    assert_eq!(resource.manifest.as_deref(), Some("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: my-job\n"));
    let outputs: Vec<(&str, &str)> = template
        .outputs
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.value_from.as_ref().unwrap().json_path.as_deref().unwrap()))
        .collect();
    assert_eq!(
        outputs,
        [("apply-job-manifest", "{}"), ("apply-job-name", "{.metadata.name}"), ("apply-job-phase", "{.status.phase}")]
    );
    let delete = workflow.spec.templates.iter().find(|t| t.name == "delete-job").unwrap();
    assert_eq!(delete.resource.as_ref().unwrap().flags, ["--wait=false"]);
    assert!(delete.outputs.parameters.is_empty());
}

#[test]
fn kfp_refusals_are_reported() {
    let error = record(PipelineInfo::new("p"), || {
        ResourceOp::new("a", json!({})).merge_strategy("merge").add();
        ResourceOp::new("b", json!({})).action("delete").success_condition("x").add();
        VolumeOp::new("c", "claim", "ten gigs").add();
    })
    .unwrap_err()
    .to_string();
    assert!(error.contains("merge strategy needs the `apply` action"), "{error}");
    assert!(error.contains("a `delete` has no success"), "{error}");
    assert!(error.contains("not a memory string"), "{error}");
}

#[test]
fn a_volume_mounted_twice_is_declared_once() {
    let workflow = compile(|| {
        let vop = VolumeOp::new("Create PVC", "my pvc", "1Gi").add();
        ContainerOp::new("step", "alpine").pvolume("/a", vop.volume()).pvolume("/b", vop.volume()).add();
    });
    let step = workflow.spec.templates.iter().find(|t| t.name == "step").unwrap();
    assert_eq!(step.volumes.len(), 1);
    assert_eq!(step.volumes[0].name, "create-pvc");
    let claim = step.volumes[0].persistent_volume_claim.as_ref().unwrap();
    assert_eq!(claim.claim_name, "{{inputs.parameters.create-pvc-name}}");
    let mounts = step.container.as_ref().unwrap().volume_mounts.as_ref().unwrap();
    assert_eq!(mounts.iter().map(|m| m.mount_path.as_str()).collect::<Vec<_>>(), ["/a", "/b"]);
    let pvc = workflow.spec.templates.iter().find(|t| t.name == "create-pvc").unwrap();
    let manifest: serde_json::Value =
        serde_yaml::from_str(pvc.resource.as_ref().unwrap().manifest.as_deref().unwrap()).unwrap();
    assert_eq!(manifest["metadata"]["name"], "{{workflow.name}}-my-pvc");
}

#[test]
fn sidecars_are_argo_user_containers_with_their_mirror_flag() {
    use crate::argo::UserContainer;
    use crate::dsl::Sidecar;
    use k8s_openapi::api::core::v1::{Container, EnvVar};

    let workflow = compile(|| {
        let env = vec![EnvVar { name: "A".to_owned(), value: Some("1".to_owned()), ..EnvVar::default() }];
        let cache = Container {
            name: "cache".to_owned(),
            image: Some("redis".to_owned()),
            env: Some(env),
            ..Container::default()
        };
        ContainerOp::new("step", "alpine")
            .add_sidecar(Sidecar::new("echo", "hashicorp/http-echo").args(["-text=hi"]).mirror_volume_mounts(true))
            .add_sidecar(cache)
            .add_init_container(UserContainer::new("setup", "busybox").command(["true"]))
            .add();
    });
    let step = workflow.spec.templates.iter().find(|t| t.name == "step").unwrap();
    let echo = &step.sidecars[0];
    assert_eq!((echo.name.as_str(), echo.image.as_deref()), ("echo", Some("hashicorp/http-echo")));
    assert_eq!(echo.args.as_deref(), Some(&["-text=hi".to_owned()][..]));
    assert_eq!(echo.mirror_volume_mounts, Some(true));
    let cache = &step.sidecars[1];
    assert_eq!(cache.env.as_ref().unwrap()[0].value.as_deref(), Some("1"));
    assert_eq!(cache.mirror_volume_mounts, None);
    let setup = &step.init_containers[0];
    assert_eq!(setup.command.as_ref().unwrap().iter().map(|c| c.as_str()).collect::<Vec<_>>(), ["true"]);
}

#[test]
fn claims_and_snapshots_are_named_per_run_unless_told_not_to() {
    let workflow = compile(|| {
        VolumeOp::new("unique", "my pvc", "1Gi").add();
        VolumeOp::new("fixed", "fixed pvc", "1Gi").generate_unique_name(false).add();
        VolumeSnapshotOp::from_pvc("snap", "Snap 1", "claim").add();
        VolumeSnapshotOp::from_manifest("given", json!({"kind": "VolumeSnapshot", "metadata": {"name": "mine"}})).add();
    });
    let name = |template: &str| {
        let found = workflow.spec.templates.iter().find(|t| t.name == template).unwrap();
        let manifest: serde_json::Value =
            serde_yaml::from_str(found.resource.as_ref().unwrap().manifest.as_deref().unwrap()).unwrap();
        manifest["metadata"]["name"].as_str().unwrap().to_owned()
    };
    assert_eq!(name("unique"), "{{workflow.name}}-my-pvc");
    assert_eq!(name("fixed"), "fixed-pvc");
    assert_eq!(name("snap"), "{{workflow.name}}-snap-1");
    assert_eq!(name("given"), "mine");
}
