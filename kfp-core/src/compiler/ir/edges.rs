//! What KFP v1 has and KFP v2 has not: each such construct of a recorded pipeline
//! is a problem naming the task (or setting) and the v2 way to say it.

use crate::dsl::{GroupKind, Op, Recorded};

/// Every v1-only construct of `recorded`, one line each; `task_names` by task index.
pub(super) fn v1_only(recorded: &Recorded, task_names: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for (task, name) in recorded.tasks.iter().zip(task_names) {
        match &task.op {
            Op::Component { .. } | Op::Importer(_) | Op::Pipeline { .. } => {}
            Op::Container(_) => problems.push(format!(
                "task `{name}` is a ContainerOp, which KFP v2 has not: write the step as a component, a `#[component]` \
                 function or a component.yaml loaded with `load_component_from_text` (a file output becomes an output \
                 written to `{{outputPath: NAME}}`)"
            )),
            Op::Resource(_) => problems.push(format!(
                "task `{name}` is a ResourceOp (or VolumeOp, VolumeSnapshotOp), which KFP v2 has not: KFP v2 makes \
                 volumes with kfp-kubernetes (`CreatePVC`, `mount_pvc`), which kfp-rs does not compile yet; compile \
                 this pipeline for v1"
            )),
        }
        if !task.pvolumes.is_empty() {
            problems.push(format!(
                "task `{name}` mounts a VolumeOp's volume (add_pvolume), which KFP v2 has not: mount the claim by name \
                 with add_volume and add_volume_mount (kfp-kubernetes `mount_pvc`)"
            ));
        }
        let s = &task.settings;
        let kubernetes_only: [(bool, &str, &str); 3] = [
            (!s.sidecars.is_empty(), "add_sidecar", "KFP v2 has no sidecars: run the service as its own task"),
            (
                !s.init_containers.is_empty(),
                "add_init_container",
                "KFP v2 has no init containers: do the work in a task before",
            ),
            (s.affinity.is_some(), "add_affinity", "kfp-kubernetes `add_node_affinity`"),
        ];
        if !s.env_from.is_empty() {
            problems.push(format!(
                "task `{name}` (add_env_from): kfp-kubernetes takes a secret's or config map's keys one by one: \
                 add each as add_env_variable with a secretKeyRef or configMapKeyRef (`use_secret_as_env`)"
            ));
        }
        for (set, setter, v2_way) in kubernetes_only {
            if set {
                problems.push(format!(
                    "task `{name}` ({setter}): a KFP v1 pod setting; in KFP v2: {v2_way} (not compiled by kfp-rs yet)"
                ));
            }
        }
        if s.security_context.is_some() {
            problems.push(format!(
                "task `{name}` (set_security_context): KFP v2 sets no container security context: drop it for v2"
            ));
        }
        if s.max_cache_staleness.is_some() {
            problems.push(format!(
                "task `{name}` (set_max_cache_staleness): KFP v2 has no cache staleness: use \
                 `set_caching_options(false)` to run the task every time"
            ));
        }
        if let Some(policy) = s.retry.as_ref().and_then(|retry| retry.policy.as_deref()) {
            problems.push(format!(
                "task `{name}` (set_retry): KFP v2 retries on every failure and has no retry policy (`{policy}`): \
                 leave the policy out"
            ));
        }
        if !task.after_groups.is_empty() {
            problems.push(format!(
                "task `{name}` runs after a graph component: graph components are KFP v1's (see the graph's problem)"
            ));
        }
    }
    for group in &recorded.groups {
        match &group.kind {
            GroupKind::Graph(call) => problems.push(format!(
                "`{}` is a graph component, which KFP v2 has not: in KFP v2 a pipeline calls another pipeline \
                 (pipeline in pipeline), which kfp-rs does not compile yet",
                call.function
            )),
            GroupKind::SubGraph { .. } => problems.push(format!(
                "`{}` is a sub-graph, which KFP v2 has not: limit the parallelism of a loop instead",
                group.name
            )),
            GroupKind::Condition(_)
            | GroupKind::ParallelFor(_)
            | GroupKind::ExitHandler { .. }
            | GroupKind::ConditionBranches { .. }
            | GroupKind::Branch(_) => {}
        }
    }
    let conf = &recorded.conf;
    let pipeline_settings: [(bool, &str); 7] = [
        (conf.timeout_seconds.is_some(), "set_timeout"),
        (conf.parallelism.is_some(), "set_parallelism"),
        (conf.ttl_seconds_after_finished.is_some(), "set_ttl_seconds_after_finished"),
        (conf.pod_disruption_budget_min_available.is_some(), "set_pod_disruption_budget"),
        (!conf.default_pod_node_selector.is_empty(), "set_default_pod_node_selector"),
        (conf.image_pull_policy.is_some(), "set_image_pull_policy"),
        (conf.dns_config.is_some(), "set_dns_config"),
    ];
    for (set, setter) in pipeline_settings {
        if set {
            problems.push(format!(
                "the pipeline conf's `{setter}` is a KFP v1 (Argo Workflow) setting, which KFP v2 has not: set it on \
                 the cluster, or per task with kfp-kubernetes, for v2"
            ));
        }
    }
    if conf.data_passing_method.is_some() {
        problems.push(
            "the pipeline conf's `data_passing_method` is KFP v1's: KFP v2 passes artifacts through its object store"
                .to_owned(),
        );
    }
    problems
}
