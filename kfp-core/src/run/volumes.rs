//! Volumes on this machine: kfp's `VolumeOp`, `VolumeSnapshotOp` and
//! `PipelineVolume`, as directories of the run.
//!
//! A resource template that creates a PersistentVolumeClaim makes the
//! directory `<run>/volumes/<claim>`; one that creates a VolumeSnapshot copies
//! its claim's directory to `<run>/snapshots/<snapshot>`; a claim whose
//! `dataSource` is a snapshot (or a claim) starts as a copy of it. A container
//! that mounts the claim sees that directory at its `mountPath` (the path is
//! rewritten, see [`paths`](super::paths)). The objects a cluster would hold
//! are written to `<run>/resources/<Kind>.<name>.json`; the template's output
//! parameters are read from them by their `jsonPath`, and its success and
//! failure conditions are evaluated on them. Every other kind of resource, and
//! volumes other than claims, `emptyDir` and `hostPath`, are refused before the
//! run starts.

use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::outcome::Outcome;
use super::report::Phase;
use super::vars::Scope;
use crate::argo::{Template, Volume, VolumeMount, Workflow};
use crate::fsutil::copy_tree;

const CLAIM: &str = "PersistentVolumeClaim";
const SNAPSHOT: &str = "VolumeSnapshot";
/// The resource actions carried out here (`patch` and `replace` are not).
const ACTIONS: &[&str] = &["create", "apply", "get", "delete"];

/// A directory shown inside a task at `path`.
#[derive(Clone, Debug)]
pub(crate) struct Mount {
    /// The container's `mountPath`.
    pub(crate) path: String,
    /// The directory on this machine.
    pub(crate) dir: PathBuf,
}

// ----- checks before the run ------------------------------------------------------------------

/// What in `template`'s resource and volumes cannot run here, as problems.
pub(crate) fn check(template: &Template, workflow: &Workflow, problems: &mut Vec<String>) {
    let name = &template.name;
    if let Some(resource) = &template.resource {
        let kind = resource.manifest.as_deref().map(manifest_kind).unwrap_or_default();
        let what = if kind.is_empty() { "resource".to_owned() } else { format!("`{kind}`") };
        if resource.manifest_from.is_some() {
            problems.push(format!(
                "template `{name}` is a resource template whose manifest comes from an artifact (`manifestFrom`): local runs carry out only manifests written in the template"
            ));
        } else if kind != CLAIM && kind != SNAPSHOT {
            problems.push(format!(
                "template `{name}` is a resource template for a {what} (action {}): local runs carry out PersistentVolumeClaims (VolumeOp) and VolumeSnapshots (VolumeSnapshotOp) only; run this pipeline on a cluster",
                resource.action
            ));
        } else if !ACTIONS.contains(&resource.action.as_str()) {
            problems.push(format!(
                "template `{name}`: action `{}` on a {kind} is not carried out by local runs: use create, apply, get or delete",
                resource.action
            ));
        }
        for (field, condition) in
            [("successCondition", &resource.success_condition), ("failureCondition", &resource.failure_condition)]
        {
            if let Some(Err(why)) = condition.as_deref().map(parse_condition) {
                problems.push(format!("template `{name}`: {field} `{}`: {why}", condition.as_deref().unwrap_or("")));
            }
        }
        for param in &template.outputs.parameters {
            let from = param.value_from.as_deref();
            let path = from.and_then(|from| from.json_path.as_deref());
            if from.is_some_and(|from| from.jq_filter.is_some()) {
                problems.push(format!(
                    "template `{name}`: output parameter `{}` uses a `jqFilter`, which local runs do not evaluate: use `jsonPath`",
                    param.name
                ));
            } else if let Some(Err(why)) = path.map(parse_json_path) {
                problems.push(format!("template `{name}`: output parameter `{}`: {why}", param.name));
            }
        }
    }
    for (container, mount) in pod_mounts(template) {
        let path = &mount.mount_path;
        match find_volume(template, workflow, &mount.name) {
            None => problems.push(format!(
                "template `{name}`: container `{container}` mounts volume `{}`, which neither the template nor the Workflow declares",
                mount.name
            )),
            Some(Found::Claim(_) | Found::ClaimTemplate) => {}
            Some(Found::Other(volume))
                if volume.empty_dir.is_some() || volume.ephemeral.is_some() || volume.host_path.is_some() => {}
            Some(Found::Other(volume)) => problems.push(format!(
                "template `{name}` mounts volume `{}` (a `{}` volume) at {path}, which local runs cannot provide: they mount persistentVolumeClaim, emptyDir, ephemeral and hostPath volumes; remove the mount or run this pipeline on a cluster",
                volume.name,
                volume_kind(volume)
            )),
        }
        if mount.sub_path_expr.is_some() {
            problems.push(format!(
                "template `{name}`: the mount of `{}` at {path} uses `subPathExpr`, which local runs do not expand: use `subPath`",
                mount.name
            ));
        }
    }
}

/// The `kind` of a manifest, read with its `{{...}}` tags blanked (they are
/// substituted only when the task runs).
fn manifest_kind(manifest: &str) -> String {
    let mut text = String::with_capacity(manifest.len());
    let mut rest = manifest;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}") else { break };
        text.push_str(&rest[..start]);
        text.push('x');
        rest = &rest[start + end + 2..];
    }
    text.push_str(rest);
    let value: Value = serde_yaml::from_str(&text).unwrap_or(Value::Null);
    value.get("kind").and_then(Value::as_str).unwrap_or_default().to_owned()
}

fn volume_kind(volume: &Volume) -> String {
    let value = serde_json::to_value(volume).unwrap_or(Value::Null);
    value.as_object().and_then(|map| map.keys().find(|key| *key != "name").cloned()).unwrap_or_else(|| "volume".into())
}

/// Every volume mount of the pod: the main container's, the sidecars' and the init containers'.
fn pod_mounts(template: &Template) -> Vec<(&str, &VolumeMount)> {
    let main = match (&template.container, &template.script) {
        (Some(container), _) => container.volume_mounts.as_ref(),
        (None, Some(script)) => script.volume_mounts.as_ref(),
        (None, None) => None,
    };
    let mut mounts: Vec<(&str, &VolumeMount)> = main.into_iter().flatten().map(|mount| ("main", mount)).collect();
    for user in template.init_containers.iter().chain(&template.sidecars) {
        mounts.extend(user.volume_mounts.iter().flatten().map(|mount| (user.name.as_str(), mount)));
    }
    mounts
}

enum Found<'w> {
    /// A `persistentVolumeClaim` volume, with its claim name (maybe a `{{...}}`).
    Claim(&'w str),
    /// A claim of the Workflow's `volumeClaimTemplates`.
    ClaimTemplate,
    Other(&'w Volume),
}

fn find_volume<'w>(template: &'w Template, workflow: &'w Workflow, name: &str) -> Option<Found<'w>> {
    let volume = template.volumes.iter().chain(&workflow.spec.volumes).find(|volume| volume.name == name);
    match volume {
        Some(volume) => Some(match &volume.persistent_volume_claim {
            Some(claim) => Found::Claim(&claim.claim_name),
            None => Found::Other(volume),
        }),
        None => workflow
            .spec
            .volume_claim_templates
            .iter()
            .any(|claim| claim.metadata.name.as_deref() == Some(name))
            .then_some(Found::ClaimTemplate),
    }
}

// ----- mounts ----------------------------------------------------------------------------------

/// The directories the task's containers mount, with `scope` giving the claim
/// names and sub-paths; `root` is the task's directory (its `emptyDir`s live there).
pub(crate) fn mounts(
    template: &Template,
    workflow: &Workflow,
    scope: &Scope,
    run_dir: &Path,
    root: &Path,
) -> Result<Vec<Mount>, String> {
    let mut out: Vec<Mount> = Vec::new();
    for (container, mount) in pod_mounts(template) {
        let base = match find_volume(template, workflow, &mount.name) {
            Some(Found::Claim(claim)) => claim_dir(run_dir, &scope.substitute(claim)?)?,
            // Argo names the claim after the workflow.
            Some(Found::ClaimTemplate) => {
                let workflow = scope.get("workflow.name").unwrap_or_default();
                claim_dir(run_dir, &format!("{workflow}-{}", mount.name))?
            }
            Some(Found::Other(volume)) => match (&volume.empty_dir, &volume.ephemeral, &volume.host_path) {
                // An ephemeral volume's claim lives and dies with the pod, as an emptyDir does.
                (Some(_), _, _) | (None, Some(_), _) => root.join("volumes").join(&volume.name),
                (None, None, Some(host)) => PathBuf::from(&host.path),
                (None, None, None) => return Err(format!("volume `{}` cannot be mounted here", volume.name)),
            },
            None => return Err(format!("volume `{}` is not declared", mount.name)),
        };
        let dir = match mount.sub_path.as_deref().map(|sub| scope.substitute(sub)).transpose()? {
            Some(sub) if !sub.is_empty() => {
                let relative = Path::new(&sub);
                let escapes = relative.is_absolute() || relative.components().any(|c| c.as_os_str() == "..");
                if escapes {
                    return Err(format!(
                        "the subPath `{sub}` of volume `{}` must be a relative path without `..`",
                        mount.name
                    ));
                }
                base.join(relative)
            }
            _ => base,
        };
        let path = scope.substitute(&mount.mount_path)?;
        match out.iter().find(|known| known.path == path) {
            Some(known) if known.dir != dir => {
                return Err(format!(
                    "container `{container}` mounts {} at {path}, where another container of the task mounts {}: local runs give a task's containers one view of the paths",
                    dir.display(),
                    known.dir.display()
                ))
            }
            Some(_) => {}
            None => out.push(Mount { path, dir }),
        }
    }
    Ok(out)
}

/// Creates the mounted directories (after the task's directory was made afresh).
pub(crate) fn prepare(mounts: &[Mount]) -> Result<(), String> {
    for mount in mounts {
        std::fs::create_dir_all(&mount.dir)
            .map_err(|error| format!("cannot create the volume directory {}: {error}", mount.dir.display()))?;
    }
    Ok(())
}

/// `<run>/volumes/<claim>`, for a claim name Kubernetes would accept.
fn claim_dir(run_dir: &Path, claim: &str) -> Result<PathBuf, String> {
    check_name("claim", claim)?;
    Ok(run_dir.join("volumes").join(claim))
}

/// Kubernetes object names (DNS subdomains) are safe as file names, and are what a cluster accepts.
fn check_name(what: &str, name: &str) -> Result<(), String> {
    let valid = !name.is_empty()
        && name.len() <= 253
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if valid {
        Ok(())
    } else {
        Err(format!(
            "the {what} name `{name}` is not a Kubernetes name: lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit"
        ))
    }
}

// ----- resource templates ---------------------------------------------------------------------

/// Carries out a resource template (a claim or snapshot to create, apply, get
/// or delete) with `scope` substituted in its manifest; what it did goes to `log`.
pub(crate) fn resource(template: &Template, scope: &Scope, run_dir: &Path, log: &Path) -> Outcome {
    let mut notes = String::new();
    let outcome = match carry_out(template, scope, run_dir, &mut notes) {
        Ok(outcome) => outcome,
        Err(message) => {
            notes.push_str(&format!("error: {message}\n"));
            Outcome::ended(Phase::Error, message)
        }
    };
    let mut log_file = std::fs::File::options().create(true).append(true).open(log);
    if let Ok(file) = &mut log_file {
        use std::io::Write;
        let _ = file.write_all(notes.as_bytes());
    }
    outcome
}

fn carry_out(template: &Template, scope: &Scope, run_dir: &Path, notes: &mut String) -> Result<Outcome, String> {
    let resource = template.resource.as_deref().ok_or("not a resource template")?;
    let manifest = scope.substitute(resource.manifest.as_deref().unwrap_or_default())?;
    let mut object: Value =
        serde_yaml::from_str(&manifest).map_err(|error| format!("the manifest is not YAML: {error}"))?;
    let kind = object.get("kind").and_then(Value::as_str).unwrap_or_default().to_owned();
    let metadata = object.get("metadata");
    let name = match metadata.and_then(|meta| meta.get("name")).and_then(Value::as_str) {
        Some(name) => name.to_owned(),
        None => match metadata.and_then(|meta| meta.get("generateName")).and_then(Value::as_str) {
            Some(prefix) if resource.action == "create" => format!("{prefix}{}", random_suffix()),
            _ => return Err(format!("the {kind} manifest has no metadata.name")),
        },
    };
    check_name(&kind, &name)?;
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("generateName");
        meta.insert("name".into(), Value::String(name.clone()));
    }
    let record = run_dir.join("resources").join(format!("{kind}.{name}.json"));
    let dir = match kind.as_str() {
        CLAIM => run_dir.join("volumes").join(&name),
        SNAPSHOT => run_dir.join("snapshots").join(&name),
        other => return Err(format!("a {other} is not carried out by local runs")),
    };
    let io = |action: &str, path: &Path, error: std::io::Error| format!("cannot {action} {}: {error}", path.display());
    match resource.action.as_str() {
        "create" | "apply" => {
            if resource.action == "create" && record.exists() {
                return Err(format!("{kind} `{name}` already exists in this run (action create): use apply"));
            }
            let status =
                if kind == CLAIM { fill_claim(&object, run_dir, &dir)? } else { snapshot(&object, run_dir, &dir)? };
            if let Some(map) = object.as_object_mut() {
                map.insert("status".into(), status);
            }
            let parent = record.parent().unwrap_or(run_dir);
            std::fs::create_dir_all(parent).map_err(|e| io("create", parent, e))?;
            let text = serde_json::to_string_pretty(&object).unwrap_or_default();
            std::fs::write(&record, text).map_err(|e| io("write", &record, e))?;
            notes.push_str(&format!("{} {kind} `{name}`: {}\n", resource.action, dir.display()));
        }
        "get" => {
            let text = std::fs::read_to_string(&record)
                .map_err(|_| format!("{kind} `{name}` does not exist in this run (action get)"))?;
            object = serde_json::from_str(&text).map_err(|error| format!("{}: {error}", record.display()))?;
            notes.push_str(&format!("got {kind} `{name}`\n"));
        }
        "delete" => {
            // As Argo's `kubectl delete --ignore-not-found`.
            if dir.exists() {
                std::fs::remove_dir_all(&dir).map_err(|e| io("remove", &dir, e))?;
            }
            let _ = std::fs::remove_file(&record);
            notes.push_str(&format!("deleted {kind} `{name}`\n"));
        }
        other => return Err(format!("action `{other}` is not carried out by local runs")),
    }
    for (field, condition, wanted) in [
        ("failureCondition", &resource.failure_condition, false),
        ("successCondition", &resource.success_condition, true),
    ] {
        let Some(condition) = condition.as_deref() else { continue };
        if holds(&parse_condition(condition)?, &object) != wanted {
            let message = if wanted {
                format!("{field} `{condition}` does not hold for {kind} `{name}` here (a cluster would wait for it)")
            } else {
                format!("{field} `{condition}` holds for {kind} `{name}`")
            };
            return Ok(Outcome::ended(Phase::Failed, message));
        }
    }
    let mut outcome = Outcome::succeeded();
    for param in &template.outputs.parameters {
        let Some(from) = param.value_from.as_deref() else { continue };
        let Some(path) = from.json_path.as_deref() else { continue };
        let value = match parse_json_path(path).map(|steps| select(&object, &steps)) {
            Ok(Some(value)) => super::vars::json_text(value),
            _ => match &from.default {
                Some(default) => default.clone(),
                None => return Err(format!("output parameter `{}`: {kind} `{name}` has no `{path}`", param.name)),
            },
        };
        outcome.params.insert(param.name.clone(), value);
    }
    Ok(outcome)
}

/// Makes a claim's directory (a copy of its `dataSource`, if any); its status.
fn fill_claim(object: &Value, run_dir: &Path, dir: &Path) -> Result<Value, String> {
    let spec = object.get("spec");
    if let Some(source) = spec.and_then(|spec| spec.get("dataSource").or_else(|| spec.get("dataSourceRef"))) {
        let kind = source.get("kind").and_then(Value::as_str).unwrap_or_default();
        let name = source.get("name").and_then(Value::as_str).unwrap_or_default();
        check_name(kind, name)?;
        let from = match kind {
            SNAPSHOT => run_dir.join("snapshots").join(name),
            CLAIM => run_dir.join("volumes").join(name),
            other => {
                return Err(format!("a claim's dataSource must be a VolumeSnapshot or a claim here, not a {other}"))
            }
        };
        if !from.is_dir() {
            return Err(format!("the claim's dataSource {kind} `{name}` does not exist in this run"));
        }
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|error| format!("cannot empty {}: {error}", dir.display()))?;
        }
        copy_tree(&from, dir)
            .map_err(|error| format!("cannot copy {} to {}: {error}", from.display(), dir.display()))?;
    } else {
        std::fs::create_dir_all(dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    }
    let mut status = serde_json::json!({ "phase": "Bound" });
    if let Some(modes) = spec.and_then(|spec| spec.get("accessModes")) {
        status["accessModes"] = modes.clone();
    }
    if let Some(storage) = spec.and_then(|spec| spec.pointer("/resources/requests/storage")) {
        status["capacity"] = serde_json::json!({ "storage": storage });
    }
    Ok(status)
}

/// Copies the snapshot's claim to its directory; its status (`readyToUse`, `restoreSize`).
fn snapshot(object: &Value, run_dir: &Path, dir: &Path) -> Result<Value, String> {
    let source = object.pointer("/spec/source");
    // v1alpha1 names the claim `name` (with `kind`), v1beta1 and v1 `persistentVolumeClaimName`.
    let claim = source
        .and_then(|source| source.get("persistentVolumeClaimName").or_else(|| source.get("name")))
        .and_then(Value::as_str)
        .ok_or("the VolumeSnapshot names no claim in spec.source")?;
    let from = claim_dir(run_dir, claim)?;
    if !from.is_dir() {
        return Err(format!("the VolumeSnapshot's claim `{claim}` does not exist in this run"));
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|error| format!("cannot empty {}: {error}", dir.display()))?;
    }
    copy_tree(&from, dir).map_err(|error| format!("cannot copy {} to {}: {error}", from.display(), dir.display()))?;
    let mut status = serde_json::json!({ "readyToUse": true });
    let record = run_dir.join("resources").join(format!("{CLAIM}.{claim}.json"));
    let claim_object: Option<Value> =
        std::fs::read_to_string(record).ok().and_then(|text| serde_json::from_str(&text).ok());
    if let Some(size) = claim_object.as_ref().and_then(|claim| claim.pointer("/status/capacity/storage")) {
        status["restoreSize"] = size.clone();
    }
    Ok(status)
}

/// Five characters as Kubernetes completes a `generateName`.
fn random_suffix() -> String {
    let alphabet = b"bcdfghjklmnpqrstvwxz2456789";
    let mut random = std::collections::hash_map::RandomState::new().build_hasher().finish();
    (0..5)
        .map(|_| {
            let c = alphabet[(random % alphabet.len() as u64) as usize] as char;
            random /= alphabet.len() as u64;
            c
        })
        .collect()
}

// ----- jsonPath and conditions ----------------------------------------------------------------

#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// kubectl's JSONPath as resource outputs use it: `{}` (the object) or `{.a.b[0].c}`.
fn parse_json_path(path: &str) -> Result<Vec<Step>, String> {
    let unsupported =
        || format!("jsonPath `{path}` is not one local runs evaluate: use `{{}}` or `{{.field.field[0]}}`");
    let inner = path.trim().strip_prefix('{').and_then(|rest| rest.strip_suffix('}')).ok_or_else(unsupported)?;
    let mut steps = Vec::new();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let key = &after[..end];
            if key.is_empty() || key.contains(['*', '@', '?', '(', ' ']) {
                return Err(unsupported());
            }
            steps.push(Step::Key(key.to_owned()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']').ok_or_else(unsupported)?;
            steps.push(Step::Index(after[..end].trim().parse().map_err(|_| unsupported())?));
            rest = &after[end + 1..];
        } else {
            return Err(unsupported());
        }
    }
    Ok(steps)
}

fn select<'v>(object: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    steps.iter().try_fold(object, |value, step| match step {
        Step::Key(key) => value.get(key.as_str()),
        Step::Index(i) => value.get(*i),
    })
}

/// One requirement of a condition (Kubernetes' label-selector syntax, on dotted paths).
#[derive(Debug, PartialEq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    Greater(String, f64),
    Less(String, f64),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    Absent(String),
}

/// Argo's `successCondition`/`failureCondition`: requirements separated by commas, all of which must hold.
fn parse_condition(text: &str) -> Result<Vec<Requirement>, String> {
    let mut requirements = Vec::new();
    for part in split_requirements(text) {
        let part = part.trim();
        let set = |rest: &str| -> Option<Vec<String>> {
            let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
            Some(inner.split(',').map(|item| item.trim().to_owned()).collect())
        };
        let requirement = if let Some((key, value)) = part.split_once("!=") {
            Requirement::NotEquals(key.trim().into(), value.trim().into())
        } else if let Some((key, value)) = part.split_once("==").or_else(|| part.split_once('=')) {
            Requirement::Equals(key.trim().into(), value.trim().into())
        } else if let Some((key, value)) = part.split_once('>') {
            let number = value.trim().parse().map_err(|_| format!("`{}` is not a number", value.trim()))?;
            Requirement::Greater(key.trim().into(), number)
        } else if let Some((key, value)) = part.split_once('<') {
            let number = value.trim().parse().map_err(|_| format!("`{}` is not a number", value.trim()))?;
            Requirement::Less(key.trim().into(), number)
        } else if let Some((key, rest)) = part.split_once(" notin ") {
            Requirement::NotIn(key.trim().into(), set(rest).ok_or("`notin` takes a list in parentheses")?)
        } else if let Some((key, rest)) = part.split_once(" in ") {
            Requirement::In(key.trim().into(), set(rest).ok_or("`in` takes a list in parentheses")?)
        } else if let Some(key) = part.strip_prefix('!') {
            Requirement::Absent(key.trim().into())
        } else if !part.is_empty() && !part.contains(char::is_whitespace) {
            Requirement::Exists(part.into())
        } else {
            return Err(format!(
                "`{part}` is not a requirement (key == value, !=, >, <, in (...), notin (...), key, !key)"
            ));
        };
        requirements.push(requirement);
    }
    Ok(requirements)
}

/// Commas outside parentheses separate requirements.
fn split_requirements(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn holds(requirements: &[Requirement], object: &Value) -> bool {
    let at = |key: &str| -> Option<String> {
        let steps: Vec<Step> = key.split('.').map(|part| Step::Key(part.to_owned())).collect();
        select(object, &steps).map(super::vars::json_text)
    };
    let number = |key: &str| at(key).and_then(|value| value.parse::<f64>().ok());
    requirements.iter().all(|requirement| match requirement {
        Requirement::Equals(key, value) => at(key).as_ref() == Some(value),
        Requirement::NotEquals(key, value) => at(key).as_ref() != Some(value),
        Requirement::Greater(key, bound) => number(key).is_some_and(|n| n > *bound),
        Requirement::Less(key, bound) => number(key).is_some_and(|n| n < *bound),
        Requirement::In(key, values) => at(key).is_some_and(|value| values.contains(&value)),
        Requirement::NotIn(key, values) => at(key).is_none_or(|value| !values.contains(&value)),
        Requirement::Exists(key) => at(key).is_some(),
        Requirement::Absent(key) => at(key).is_none(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths_and_conditions_read_the_object() {
        let object = serde_json::json!({
            "metadata": {"name": "w-pvc"},
            "status": {"readyToUse": true, "capacity": {"storage": "1Gi"}, "conditions": [{"type": "Ready"}], "n": 3}
        });
        let at = |path: &str| select(&object, &parse_json_path(path).unwrap()).map(super::super::vars::json_text);
        assert_eq!(at("{.metadata.name}").as_deref(), Some("w-pvc"));
        assert_eq!(at("{.status.conditions[0].type}").as_deref(), Some("Ready"));
        assert_eq!(at("{}"), Some(super::super::vars::json_text(&object)));
        assert_eq!(at("{.status.restoreSize}"), None);
        assert!(parse_json_path("{.items[*].name}").unwrap_err().contains("is not one local runs evaluate"));

        let check = |text: &str| holds(&parse_condition(text).unwrap(), &object);
        assert!(check("status.readyToUse == true"));
        assert!(!check("status.readyToUse == false"));
        assert!(check("status.n > 2, status.n < 4, metadata.name in (a, w-pvc), status.gone notin (x)"));
        assert!(check("status.capacity, !status.gone, metadata.name != x"));
        assert!(!check("status.n > 3"));
        assert!(parse_condition("status.phase ~ x y").is_err());
    }
}
