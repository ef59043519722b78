//! kfp-kubernetes' pod-local volumes as task settings (`add_ephemeral_volume`,
//! `empty_dir_mount`): compiled to the platform spec as kfp 2.17.3 with
//! kfp-kubernetes writes `tests/fixtures/pod_volumes_v2.py`, written into the pod
//! by a KFP v1 compile, and refused for KFP v2 where a claim template sets what
//! kfp-kubernetes cannot write.

mod common;

use kfp::k8s_openapi::api::core::v1::{
    EphemeralVolumeSource, PersistentVolumeClaimSpec, PersistentVolumeClaimTemplate, TypedLocalObjectReference, Volume,
    VolumeMount,
};
use kfp::kubernetes::{EmptyDirMount, EphemeralVolume};
use kfp::prelude::*;
use kfp::{Compiler, Target};

#[component]
pub fn fill(path: String, megabytes: i64) -> i64 {
    let bytes = vec![0u8; usize::try_from(megabytes).expect("a size") * 1024 * 1024];
    std::fs::write(std::path::Path::new(&path).join("fill"), bytes).expect("writes the file");
    megabytes
}

#[component]
pub fn total(first: i64, second: i64) -> i64 {
    first + second
}

// `tests/fixtures/pod_volumes_v2.py` in Rust.
#[pipeline(name = "pod-volumes")]
pub fn pod_volumes(#[default(1)] megabytes: i64) {
    let scratch = fill_op("/scratch", megabytes);
    scratch
        .add_ephemeral_volume(EphemeralVolume::new("scratch", "/scratch", ["ReadWriteOnce"], "5Gi"))
        .empty_dir_mount(EmptyDirMount::new("cache", "/cache"));
    let fast = fill_op("/fast", megabytes);
    fast.add_ephemeral_volume(
        EphemeralVolume::new("fast", "/fast", ["ReadWriteOnce", "ReadOnlyMany"], "10Gi")
            .storage_class_name("premium-rwo")
            .label("app", "kfp")
            .label("tier", "scratch")
            .annotation("backup", "false"),
    );
    total_op(scratch.output(), fast.output()).empty_dir_mount(EmptyDirMount::shared_memory("shm", "1Gi"));
}

#[test]
fn pod_volumes_compile_as_kfp_kubernetes_writes_them() {
    let ours = Compiler::new().target(Target::V2).compile_to_string(pod_volumes).unwrap();
    let golden = common::read_fixture(&common::fixtures_dir().join("pod_volumes_v2.kfp.yaml"));
    let diffs = common::ir_equivalence_diffs(&ours, &golden);
    assert!(diffs.is_empty(), "{}", common::format_diffs("pod_volumes_v2", &diffs));
}

#[test]
fn kfp_v1_mounts_the_same_volumes_into_the_pods() {
    let workflow = Compiler::new().compile_to_workflow(pod_volumes).unwrap();
    let yaml = kfp::compiler::to_yaml(&workflow).unwrap();
    let template = |name: &str| {
        (workflow.spec.templates.iter())
            .find(|template| template.name == name)
            .unwrap_or_else(|| panic!("no template `{name}` in\n{yaml}"))
    };
    let volumes = |name: &str| {
        let volumes = template(name).volumes.iter();
        volumes.map(|volume| serde_json::to_value(volume).unwrap()).collect::<Vec<_>>()
    };
    let scratch = volumes("fill");
    assert!(
        scratch.iter().any(|volume| volume["name"] == "scratch"
            && volume["ephemeral"]["volumeClaimTemplate"]["spec"]["resources"]["requests"]["storage"] == "5Gi"),
        "{yaml}"
    );
    assert!(
        scratch.iter().any(|volume| volume["name"] == "cache" && volume["emptyDir"] == serde_json::json!({})),
        "{yaml}"
    );
    let fast = volumes("fill-2");
    assert!(
        fast.iter()
            .any(|volume| volume["ephemeral"]["volumeClaimTemplate"]["spec"]["storageClassName"] == "premium-rwo"
                && volume["ephemeral"]["volumeClaimTemplate"]["metadata"]["labels"]["tier"] == "scratch"),
        "{yaml}"
    );
    let shm = volumes("total");
    assert!(
        shm.iter().any(|volume| volume["emptyDir"] == serde_json::json!({"medium": "Memory", "sizeLimit": "1Gi"})),
        "{yaml}"
    );
    assert!(yaml.contains("mountPath: /dev/shm"), "{yaml}");
}

#[test]
fn a_claim_template_kfp_kubernetes_cannot_write_is_refused_for_kfp_v2() {
    #[pipeline(name = "cloned scratch")]
    fn cloned() {
        let template = PersistentVolumeClaimTemplate {
            metadata: None,
            spec: PersistentVolumeClaimSpec {
                access_modes: Some(vec!["ReadWriteOnce".to_owned()]),
                data_source: Some(TypedLocalObjectReference {
                    kind: "PersistentVolumeClaim".to_owned(),
                    name: "golden-data".to_owned(),
                    api_group: None,
                }),
                ..Default::default()
            },
        };
        fill_op("/data", 1)
            .add_volume(Volume {
                name: "data".to_owned(),
                ephemeral: Some(EphemeralVolumeSource { volume_claim_template: Some(template) }),
                ..Default::default()
            })
            .add_volume_mount(VolumeMount {
                name: "data".to_owned(),
                mount_path: "/data".to_owned(),
                ..Default::default()
            });
    }
    let error = Compiler::new().target(Target::V2).compile_to_string(cloned).expect_err("v2 refuses it").to_string();
    assert!(error.contains("task `fill`, volume `data`"), "{error}");
    assert!(error.contains("not a data source"), "{error}");
}

#[test]
fn a_local_run_gives_each_pod_its_ephemeral_volumes_as_fresh_directories() {
    let dir = common::run::Scratch::new("pod-volumes");
    let report = pod_volumes.run_local(&kfp::run::RunOptions::new(&*dir).arg("megabytes", 1)).unwrap();
    assert!(report.succeeded(), "{report:#?}");
    assert_eq!(report.output("total", "total-Output"), Some("2"));
}
