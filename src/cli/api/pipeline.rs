//! `pipeline upload|upload-version|list|get|delete|list-versions|get-version|delete-version`.

use std::io::Write;
use std::path::{Path, PathBuf};

use kfp_core::client::{v2, Pipeline, PipelineVersion};

use super::{next_page_line, or_dash, print, read_package, Api, Connect, Paging};
use crate::cli::CliError;

/// Pipeline commands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Upload a compiled pipeline (Workflow YAML, or a KFP v2 pipeline spec) as a new pipeline.
    Upload {
        /// The Workflow YAML (v1 API) or KFP v2 pipeline spec YAML (v2 API).
        file: PathBuf,
        /// Pipeline name (default: the file name).
        #[arg(long)]
        name: Option<String>,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        connect: Connect,
    },
    /// Upload a compiled pipeline as a new version of an existing pipeline.
    UploadVersion {
        /// The Workflow YAML (v1 API) or KFP v2 pipeline spec YAML (v2 API).
        file: PathBuf,
        /// The pipeline, by ID or by name.
        #[arg(long)]
        pipeline: String,
        /// The version's name (unique within the pipeline).
        #[arg(long)]
        version: String,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        connect: Connect,
    },
    /// List pipelines.
    List {
        #[command(flatten)]
        paging: Paging,
        #[command(flatten)]
        connect: Connect,
    },
    /// Show a pipeline.
    Get {
        /// Pipeline ID.
        id: String,
        #[command(flatten)]
        connect: Connect,
    },
    /// Delete a pipeline and its versions.
    Delete {
        /// Pipeline ID.
        id: String,
        #[command(flatten)]
        connect: Connect,
    },
    /// List the versions of a pipeline.
    ListVersions {
        /// Pipeline ID.
        pipeline_id: String,
        #[command(flatten)]
        paging: Paging,
        #[command(flatten)]
        connect: Connect,
    },
    /// Show a pipeline version.
    GetVersion {
        /// Version ID.
        id: String,
        /// The version's pipeline (the v2 API names a version by both).
        #[arg(long, value_name = "ID")]
        pipeline_id: Option<String>,
        #[command(flatten)]
        connect: Connect,
    },
    /// Delete a pipeline version.
    DeleteVersion {
        /// Version ID.
        id: String,
        /// The version's pipeline (the v2 API names a version by both).
        #[arg(long, value_name = "ID")]
        pipeline_id: Option<String>,
        #[command(flatten)]
        connect: Connect,
    },
}

pub(crate) fn run(command: &Command, out: &mut dyn Write) -> Result<(), CliError> {
    let uses_v2 = match command {
        Command::Upload { file, connect, .. } | Command::UploadVersion { file, connect, .. } => {
            upload_api(connect, file)? == Api::V2
        }
        Command::List { connect, .. }
        | Command::Get { connect, .. }
        | Command::Delete { connect, .. }
        | Command::ListVersions { connect, .. }
        | Command::GetVersion { connect, .. }
        | Command::DeleteVersion { connect, .. } => connect.api() == Api::V2,
    };
    if uses_v2 {
        return run_v2(command, out);
    }
    match command {
        Command::Upload { file, name, description, connect } => {
            let client = connect.client()?;
            let pipeline = client.upload_pipeline(file, name.as_deref(), description.as_deref())?;
            print(connect, out, &pipeline, || vec![format!("uploaded pipeline {}", line(&pipeline))])
        }
        Command::UploadVersion { file, pipeline, version, description, connect } => {
            let client = connect.client()?;
            let id = match client.find_pipeline(pipeline)? {
                Some(found) if found.id.is_some() => found.id.unwrap_or_default(),
                _ => pipeline.clone(),
            };
            let uploaded = client.upload_pipeline_version(file, &id, version, description.as_deref())?;
            print(connect, out, &uploaded, || {
                vec![format!(
                    "uploaded version {}\t{} of pipeline {id}",
                    or_dash(&uploaded.id),
                    or_dash(&uploaded.name)
                )]
            })
        }
        Command::List { paging, connect } => {
            let page = connect.client()?.list_pipelines(&paging.options())?;
            let json = serde_json::json!({
                "pipelines": page.items, "total_size": page.total_size, "next_page_token": page.next_page_token,
            });
            print(connect, out, &json, || {
                let mut lines: Vec<String> = page.items.iter().map(line).collect();
                lines.extend(next_page_line(&page.next_page_token, page.total_size));
                lines
            })
        }
        Command::Get { id, connect } => {
            let pipeline = connect.client()?.get_pipeline(id)?;
            print(connect, out, &pipeline, || {
                let mut lines = vec![line(&pipeline)];
                if let Some(description) = &pipeline.description {
                    lines.push(format!("  {description}"));
                }
                for parameter in &pipeline.parameters {
                    lines.push(format!("  parameter {} = {}", or_dash(&parameter.name), or_dash(&parameter.value)));
                }
                lines
            })
        }
        Command::Delete { id, connect } => {
            connect.client()?.delete_pipeline(id)?;
            print(connect, out, &serde_json::json!({}), || vec![format!("deleted pipeline {id}")])
        }
        Command::ListVersions { pipeline_id, paging, connect } => {
            let page = connect.client()?.list_pipeline_versions(pipeline_id, &paging.options())?;
            let json = serde_json::json!({
                "versions": page.items, "total_size": page.total_size, "next_page_token": page.next_page_token,
            });
            print(connect, out, &json, || {
                let mut lines: Vec<String> = page.items.iter().map(version_line).collect();
                lines.extend(next_page_line(&page.next_page_token, page.total_size));
                lines
            })
        }
        Command::GetVersion { id, connect, .. } => {
            let version = connect.client()?.get_pipeline_version(id)?;
            print(connect, out, &version, || {
                let mut lines = vec![version_line(&version)];
                for parameter in &version.parameters {
                    lines.push(format!("  parameter {} = {}", or_dash(&parameter.name), or_dash(&parameter.value)));
                }
                lines
            })
        }
        Command::DeleteVersion { id, connect, .. } => {
            connect.client()?.delete_pipeline_version(id)?;
            print(connect, out, &serde_json::json!({}), || vec![format!("deleted pipeline version {id}")])
        }
    }
}

/// The commands through the v2beta1 API.
fn run_v2(command: &Command, out: &mut dyn Write) -> Result<(), CliError> {
    match command {
        Command::Upload { file, name, description, connect } => {
            let client = connect.client()?;
            let pipeline = client.v2().upload_pipeline(file, name.as_deref(), description.as_deref(), None)?;
            print(connect, out, &pipeline, || vec![format!("uploaded pipeline {}", line_v2(&pipeline))])
        }
        Command::UploadVersion { file, pipeline, version, description, connect } => {
            let client = connect.client()?;
            let id = match client.v2().find_pipeline(pipeline, None)? {
                Some(v2::Pipeline { pipeline_id: Some(id), .. }) => id,
                _ => pipeline.clone(),
            };
            let uploaded = client.v2().upload_pipeline_version(file, &id, version, description.as_deref())?;
            print(connect, out, &uploaded, || {
                vec![format!(
                    "uploaded version {}\t{} of pipeline {id}",
                    or_dash(&uploaded.pipeline_version_id),
                    shown_name(&uploaded.display_name, &uploaded.name)
                )]
            })
        }
        Command::List { paging, connect } => {
            let page = connect.client()?.v2().list_pipelines(&paging.options_v2("display_name"), None)?;
            let json = serde_json::json!({
                "pipelines": page.items, "total_size": page.total_size, "next_page_token": page.next_page_token,
            });
            print(connect, out, &json, || {
                let mut lines: Vec<String> = page.items.iter().map(line_v2).collect();
                lines.extend(next_page_line(&page.next_page_token, page.total_size));
                lines
            })
        }
        Command::Get { id, connect } => {
            let pipeline = connect.client()?.v2().get_pipeline(id)?;
            print(connect, out, &pipeline, || {
                let mut lines = vec![line_v2(&pipeline)];
                lines.extend(pipeline.description.iter().map(|description| format!("  {description}")));
                lines
            })
        }
        Command::Delete { id, connect } => {
            connect.client()?.v2().delete_pipeline(id, true)?;
            print(connect, out, &serde_json::json!({}), || vec![format!("deleted pipeline {id}")])
        }
        Command::ListVersions { pipeline_id, paging, connect } => {
            let page =
                connect.client()?.v2().list_pipeline_versions(pipeline_id, &paging.options_v2("display_name"))?;
            let json = serde_json::json!({
                "pipeline_versions": page.items, "total_size": page.total_size, "next_page_token": page.next_page_token,
            });
            print(connect, out, &json, || {
                let mut lines: Vec<String> = page.items.iter().map(version_line_v2).collect();
                lines.extend(next_page_line(&page.next_page_token, page.total_size));
                lines
            })
        }
        Command::GetVersion { id, pipeline_id, connect } => {
            let pipeline_id = version_pipeline(pipeline_id)?;
            let version = connect.client()?.v2().get_pipeline_version(pipeline_id, id)?;
            print(connect, out, &version, || {
                let mut lines = vec![version_line_v2(&version)];
                let spec = version.pipeline_spec.as_ref();
                let declared =
                    spec.and_then(|spec| spec.pointer("/root/inputDefinitions/parameters")).and_then(|p| p.as_object());
                for (name, declaration) in declared.into_iter().flatten() {
                    let kind = declaration.get("parameterType").and_then(|kind| kind.as_str()).unwrap_or("-");
                    lines.push(format!("  parameter {name}: {kind}"));
                }
                lines
            })
        }
        Command::DeleteVersion { id, pipeline_id, connect } => {
            let pipeline_id = version_pipeline(pipeline_id)?;
            connect.client()?.v2().delete_pipeline_version(pipeline_id, id)?;
            print(connect, out, &serde_json::json!({}), || vec![format!("deleted pipeline version {id}")])
        }
    }
}

/// The API to upload `file` with: an archive (`.tar.gz`, `.zip` holding the
/// pipeline, which both APIs unpack) goes as `--api` says; a YAML file picks by its kind.
fn upload_api(connect: &Connect, file: &Path) -> Result<Api, CliError> {
    let bytes = std::fs::read(file).map_err(|source| CliError::Io {
        action: "read",
        path: file.display().to_string(),
        source,
    })?;
    // The gzip (RFC 1952) and zip (local file header) magic numbers.
    if bytes.starts_with(&[0x1f, 0x8b]) || bytes.starts_with(b"PK\x03\x04") {
        return Ok(connect.api());
    }
    connect.api_for(file, &read_package(file)?.1)
}

fn version_pipeline(pipeline_id: &Option<String>) -> Result<&str, CliError> {
    pipeline_id.as_deref().ok_or_else(|| {
        CliError::Invalid(
            "the v2 API names a version by its pipeline too: add --pipeline-id ID (`kfp pipeline list --api v2` shows it)"
                .to_owned(),
        )
    })
}

/// The name the UI shows: the display name (servers before KFP 2.5 have no other), else the name.
fn shown_name<'a>(display_name: &'a Option<String>, name: &'a Option<String>) -> &'a str {
    match or_dash(display_name) {
        "-" => or_dash(name),
        shown => shown,
    }
}

/// `ID  NAME  CREATED`.
fn line_v2(pipeline: &v2::Pipeline) -> String {
    let name = shown_name(&pipeline.display_name, &pipeline.name);
    format!("{}\t{name}\t{}", or_dash(&pipeline.pipeline_id), or_dash(&pipeline.created_at))
}

/// `ID  NAME  CREATED`.
fn version_line_v2(version: &v2::PipelineVersion) -> String {
    let name = shown_name(&version.display_name, &version.name);
    format!("{}\t{name}\t{}", or_dash(&version.pipeline_version_id), or_dash(&version.created_at))
}

/// `ID  NAME  CREATED`.
fn version_line(version: &PipelineVersion) -> String {
    format!("{}\t{}\t{}", or_dash(&version.id), or_dash(&version.name), or_dash(&version.created_at))
}

/// `ID  NAME  CREATED`.
fn line(pipeline: &Pipeline) -> String {
    format!("{}\t{}\t{}", or_dash(&pipeline.id), or_dash(&pipeline.name), or_dash(&pipeline.created_at))
}
