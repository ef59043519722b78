//! The rest of a run's life (terminate, retry, archive, delete), reading its
//! outputs back, and pipeline versions by ID.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use base64::Engine;
use serde::Deserialize;

use super::transport::{encode, Body};
use super::{Client, ClientError, PipelineVersion, ReadArtifactResponse, RunDetail, API};

/// The outputs of one step of a run, from its Workflow's status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeOutputs {
    /// The node's ID (what [`Client::read_artifact`] takes).
    pub node_id: String,
    /// Its name in the UI (the task's name, `add[0]` inside a loop).
    pub display_name: String,
    /// Its template.
    pub template: Option<String>,
    /// `Succeeded`, `Failed`, ...
    pub phase: Option<String>,
    /// Output parameters, name and value, as the step wrote them.
    pub parameters: Vec<(String, String)>,
    /// Names of its output artifacts.
    pub artifacts: Vec<String>,
}

/// One file of an artifact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArtifactFile {
    /// Its path inside the artifact (the file name for a one-file artifact).
    pub path: PathBuf,
    /// Its bytes.
    pub contents: Vec<u8>,
}

/// The part of an Argo Workflow's status the outputs come from.
#[derive(Deserialize)]
struct WorkflowStatus {
    #[serde(default)]
    status: Status,
}

#[derive(Default, Deserialize)]
struct Status {
    #[serde(default)]
    nodes: std::collections::BTreeMap<String, Node>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Node {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    template_name: Option<String>,
    #[serde(default)]
    phase: Option<String>,
    #[serde(default)]
    started_at: Option<String>,
    #[serde(default)]
    outputs: Option<Outputs>,
}

#[derive(Default, Deserialize)]
struct Outputs {
    #[serde(default)]
    parameters: Vec<Named>,
    #[serde(default)]
    artifacts: Vec<Named>,
}

#[derive(Deserialize)]
struct Named {
    name: String,
    #[serde(default)]
    value: Option<String>,
}

impl RunDetail {
    /// The outputs of each step that has any, in the order the steps started,
    /// read from `pipeline_runtime.workflow_manifest` (empty before the run starts).
    pub fn node_outputs(&self) -> Result<Vec<NodeOutputs>, ClientError> {
        let id = self.run.as_ref().and_then(|run| run.id.clone()).unwrap_or_default();
        let Some(manifest) = self.pipeline_runtime.as_ref().and_then(|r| r.workflow_manifest.as_deref()) else {
            return Ok(Vec::new());
        };
        if manifest.trim().is_empty() {
            return Ok(Vec::new());
        }
        let workflow: WorkflowStatus = serde_json::from_str(manifest).map_err(|error| ClientError::Decode {
            operation: format!("read the outputs of run {id}"),
            message: format!("pipeline_runtime.workflow_manifest is not an Argo Workflow: {error}"),
            snippet: manifest.chars().take(200).collect(),
        })?;
        let mut nodes: Vec<(Option<String>, NodeOutputs)> = workflow
            .status
            .nodes
            .into_iter()
            .filter_map(|(key, node)| {
                let outputs = node.outputs?;
                if outputs.parameters.is_empty() && outputs.artifacts.is_empty() {
                    return None;
                }
                let node_id = node.id.unwrap_or(key);
                let outputs = NodeOutputs {
                    display_name: node.display_name.unwrap_or_else(|| node_id.clone()),
                    node_id,
                    template: node.template_name,
                    phase: node.phase,
                    parameters: outputs
                        .parameters
                        .into_iter()
                        .map(|parameter| (parameter.name, parameter.value.unwrap_or_default()))
                        .collect(),
                    artifacts: outputs.artifacts.into_iter().map(|artifact| artifact.name).collect(),
                };
                Some((node.started_at, outputs))
            })
            .collect();
        // RFC 3339 times in UTC sort as text.
        nodes.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.display_name.cmp(&y.display_name)));
        Ok(nodes.into_iter().map(|(_, outputs)| outputs).collect())
    }
}

impl Client {
    /// Stops the run `id`: its running steps are ended, it ends `Failed`.
    pub fn terminate_run(&self, id: &str) -> Result<(), ClientError> {
        self.run_action("terminate", id, format!("{API}/runs/{}/terminate", encode(id)))
    }

    /// Runs the failed steps of the failed run `id` again.
    pub fn retry_run(&self, id: &str) -> Result<(), ClientError> {
        self.run_action("retry", id, format!("{API}/runs/{}/retry", encode(id)))
    }

    /// Moves the run `id` to the archive (out of the default lists).
    pub fn archive_run(&self, id: &str) -> Result<(), ClientError> {
        self.run_action("archive", id, format!("{API}/runs/{}:archive", encode(id)))
    }

    /// Brings the run `id` back from the archive.
    pub fn unarchive_run(&self, id: &str) -> Result<(), ClientError> {
        self.run_action("unarchive", id, format!("{API}/runs/{}:unarchive", encode(id)))
    }

    /// Deletes the run `id`.
    pub fn delete_run(&self, id: &str) -> Result<(), ClientError> {
        let path = format!("{API}/runs/{}", encode(id));
        let _: serde_json::Value =
            self.transport.json(&format!("delete run {id}"), "DELETE", &path, &[], Body::None)?;
        Ok(())
    }

    fn run_action(&self, action: &str, id: &str, path: String) -> Result<(), ClientError> {
        let _: serde_json::Value =
            self.transport.json(&format!("{action} run {id}"), "POST", &path, &[], Body::None)?;
        Ok(())
    }

    /// The bytes the API sends for artifact `artifact` of step `node_id` of run
    /// `run_id`: a gzipped tar of the artifact's file (see [`Client::read_artifact_files`]).
    pub fn read_artifact(&self, run_id: &str, node_id: &str, artifact: &str) -> Result<Vec<u8>, ClientError> {
        let operation = format!("read artifact {artifact} of step {node_id} of run {run_id}");
        let path =
            format!("{API}/runs/{}/nodes/{}/artifacts/{}:read", encode(run_id), encode(node_id), encode(artifact));
        let answer: ReadArtifactResponse = self.transport.json(&operation, "GET", &path, &[], Body::None)?;
        let data = answer.data.unwrap_or_default();
        base64::engine::general_purpose::STANDARD.decode(data.trim()).map_err(|error| ClientError::Decode {
            operation,
            message: format!("`data` is not base64: {error}"),
            snippet: data.chars().take(200).collect(),
        })
    }

    /// The files of an artifact ([`Client::read_artifact`], unpacked). An
    /// artifact stored without Argo's tgz archive (the `main-logs` of each step,
    /// or `archive: none`) is one file named after the artifact.
    pub fn read_artifact_files(
        &self,
        run_id: &str,
        node_id: &str,
        artifact: &str,
    ) -> Result<Vec<ArtifactFile>, ClientError> {
        let bytes = self.read_artifact(run_id, node_id, artifact)?;
        if !bytes.starts_with(&GZIP_MAGIC) {
            return Ok(vec![ArtifactFile { path: PathBuf::from(artifact), contents: bytes }]);
        }
        unpack(&bytes).map_err(|message| ClientError::Decode {
            operation: format!("read artifact {artifact} of step {node_id} of run {run_id}"),
            message,
            snippet: String::new(),
        })
    }

    /// The pipeline version `id`.
    pub fn get_pipeline_version(&self, id: &str) -> Result<PipelineVersion, ClientError> {
        let path = format!("{API}/pipeline_versions/{}", encode(id));
        self.transport.json(&format!("get pipeline version {id}"), "GET", &path, &[], Body::None)
    }

    /// Deletes the pipeline version `id`.
    pub fn delete_pipeline_version(&self, id: &str) -> Result<(), ClientError> {
        let path = format!("{API}/pipeline_versions/{}", encode(id));
        let _: serde_json::Value =
            self.transport.json(&format!("delete pipeline version {id}"), "DELETE", &path, &[], Body::None)?;
        Ok(())
    }
}

/// The first bytes of a gzip stream (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The regular files of a gzipped tar; a path that would leave the artifact
/// (absolute, or with `..`) is an error, not a file written elsewhere.
fn unpack(bytes: &[u8]) -> Result<Vec<ArtifactFile>, String> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let mut files = Vec::new();
    let entries = archive.entries().map_err(|error| format!("not a gzipped tar: {error}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|error| format!("not a gzipped tar: {error}"))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry.path().map_err(|error| format!("an entry's path is unreadable: {error}"))?.into_owned();
        let safe = path.components().all(|part| matches!(part, Component::Normal(_) | Component::CurDir));
        if !safe || path.as_os_str().is_empty() {
            return Err(format!("the entry {} leaves the artifact", path.display()));
        }
        let path: PathBuf = path.components().filter(|part| matches!(part, Component::Normal(_))).collect();
        let mut contents = Vec::new();
        entry.read_to_end(&mut contents).map_err(|error| format!("{}: {error}", path.display()))?;
        files.push(ArtifactFile { path, contents });
    }
    Ok(files)
}

/// Writes `files` under `dir`, creating the directories they need.
pub fn write_artifact_files(dir: &Path, files: &[ArtifactFile]) -> Result<Vec<PathBuf>, ClientError> {
    let mut written = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        let io = |source| ClientError::Io { path: path.clone(), source };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, &file.contents).map_err(io)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default()));
        for (path, contents) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(contents.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            // set_path refuses `..`: write the name bytes as a hostile archive would.
            header.as_gnu_mut().unwrap().name[..path.len()].copy_from_slice(path.as_bytes());
            header.set_cksum();
            builder.append(&header, *contents).unwrap();
        }
        builder.into_inner().unwrap().finish().unwrap()
    }

    #[test]
    fn artifacts_unpack_and_stay_inside() {
        let files = unpack(&tgz(&[("data", b"hello\n"), ("./dir/x.txt", "é".as_bytes())])).unwrap();
        assert_eq!(files[0], ArtifactFile { path: "data".into(), contents: b"hello\n".to_vec() });
        assert_eq!(files[1].path, PathBuf::from("dir/x.txt"));
        let error = unpack(&tgz(&[("../escape", b"x")])).unwrap_err();
        assert!(error.contains("leaves the artifact"), "{error}");
        assert!(unpack(b"not gzip").unwrap_err().contains("not a gzipped tar"));
    }
}
