//! The KFP API commands: connection options shared by all, one module per group.

pub(super) mod experiment;
pub(super) mod health;
pub(super) mod pipeline;
pub(super) mod recurring;
pub(super) mod run;

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use kfp_core::client::v2::Package;
use kfp_core::client::{Client, ListOptions};
use serde::Serialize;

use super::CliError;

/// Where the KFP API is and how to authenticate.
#[derive(Debug, clap::Args)]
pub struct Connect {
    /// The KFP API's address: http://localhost:8080 (after `kubectl port-forward -n kubeflow svc/ml-pipeline 8080:8888`), https://<cluster>/pipeline.
    #[arg(long, env = "KFP_HOST", global = true, value_name = "URL")]
    host: Option<String>,
    /// Bearer token sent as `Authorization: Bearer ...` (never printed).
    #[arg(long, env = "KFP_TOKEN", hide_env_values = true, global = true, value_name = "TOKEN")]
    token: Option<String>,
    /// Extra header, `Name: value`, e.g. the cookie of Dex or IAP (repeatable; values never printed).
    #[arg(long = "header", short = 'H', global = true, value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// Seconds before a single request gives up.
    #[arg(long, global = true, default_value_t = 60, value_name = "SECONDS")]
    request_timeout: u64,
    /// Print the API's JSON answer instead of a summary.
    #[arg(long, global = true)]
    json: bool,
    /// The KFP API to use: v1 (v1beta1: Argo Workflows, KFP 1.x and 2.x) or v2 (v2beta1: KFP v2 pipeline specs,
    /// KFP 2.x). Default: the kind of the file uploaded or run, else v1.
    #[arg(long, env = "KFP_API", global = true, value_name = "VERSION")]
    api: Option<Api>,
}

/// A version of the KFP REST API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Api {
    /// v1beta1: runs Argo Workflows (KFP 1.x, and KFP 2.x for v1 pipelines).
    V1,
    /// v2beta1: runs KFP v2 pipeline specs (KFP 2.x).
    V2,
}

impl Connect {
    /// A client with these settings.
    pub(super) fn client(&self) -> Result<Client, CliError> {
        let host = self.host.as_deref().ok_or_else(|| {
            CliError::Invalid(
                "no KFP host: pass --host URL or set KFP_HOST (e.g. http://localhost:8080 after `kubectl port-forward -n kubeflow svc/ml-pipeline 8080:8888`)".to_owned(),
            )
        })?;
        let mut builder = Client::builder(host).timeout(Duration::from_secs(self.request_timeout));
        if let Some(token) = &self.token {
            builder = builder.token(token);
        }
        for header in &self.headers {
            let (name, value) = header.split_once(':').ok_or_else(|| {
                CliError::Invalid(format!(
                    "--header `{}`: write it as `Name: value`",
                    header.split(['=', ' ']).next().unwrap_or_default()
                ))
            })?;
            builder = builder.header(name.trim(), value.trim());
        }
        Ok(builder.build()?)
    }

    /// The API asked for (`--api`), v1 when none is.
    pub(super) fn api(&self) -> Api {
        self.api.unwrap_or(Api::V1)
    }

    /// `--api` when given, else the one that runs `package` (read from `file`);
    /// an `--api` that cannot run it is an error.
    pub(super) fn api_for(&self, file: &Path, package: &Package) -> Result<Api, CliError> {
        let api = match package {
            Package::Workflow(_) => Api::V1,
            Package::PipelineSpec { .. } => Api::V2,
        };
        match self.api {
            Some(Api::V1) if api == Api::V2 => Err(CliError::Invalid(format!(
                "{} is a KFP v2 pipeline spec, which the v1beta1 API (--api v1) does not run: drop --api v1 (and KFP_API) to use the v2beta1 API of a KFP 2 cluster",
                file.display()
            ))),
            Some(Api::V2) if api == Api::V1 => Err(CliError::Invalid(format!(
                "{} is an Argo Workflow, which the v2beta1 API (--api v2) does not run: drop --api v2 (and KFP_API) to use the v1beta1 API, which KFP 2 clusters serve too",
                file.display()
            ))),
            _ => Ok(api),
        }
    }

    /// Refuses `--api v2` for a command only the v1beta1 API has here.
    pub(super) fn v1_only(&self, what: &str) -> Result<(), CliError> {
        match self.api {
            Some(Api::V2) => {
                Err(CliError::Invalid(format!("{what} uses the v1beta1 API: drop --api v2 (and KFP_API) for it")))
            }
            _ => Ok(()),
        }
    }
}

/// A compiled pipeline file: its text, and what kind it is.
pub(super) fn read_package(file: &Path) -> Result<(String, Package), CliError> {
    let text = std::fs::read_to_string(file).map_err(|source| CliError::Io {
        action: "read",
        path: file.display().to_string(),
        source,
    })?;
    let package = Package::parse(&text).map_err(|error| CliError::Invalid(format!("{}: {error}", file.display())))?;
    Ok((text, package))
}

/// Paging and filtering of a list command.
#[derive(Debug, clap::Args)]
pub struct Paging {
    /// Items per page.
    #[arg(long, default_value_t = 20)]
    page_size: i32,
    /// The token printed after the previous page.
    #[arg(long)]
    page_token: Option<String>,
    /// Sort order: `name`, `created_at desc`, ...
    #[arg(long, default_value = "created_at desc")]
    sort_by: String,
    /// Only items with exactly this name.
    #[arg(long)]
    name: Option<String>,
}

impl Paging {
    pub(super) fn options(&self) -> ListOptions {
        ListOptions {
            page_size: Some(self.page_size),
            page_token: self.page_token.clone(),
            sort_by: Some(self.sort_by.clone()),
            filter: self.name.as_deref().map(kfp_core::client::name_filter),
        }
    }

    /// The options for the v2beta1 API, whose filters say `operation` and whose
    /// items keep their name in `name_key` (`name`, `display_name`).
    pub(super) fn options_v2(&self, name_key: &str) -> ListOptions {
        ListOptions {
            filter: self.name.as_deref().map(|name| kfp_core::client::v2::filter_equals(name_key, name)),
            ..self.options()
        }
    }
}

/// Prints `value` as JSON, or the summary lines.
pub(super) fn print<T: Serialize>(
    connect: &Connect,
    out: &mut dyn Write,
    value: &T,
    summary: impl FnOnce() -> Vec<String>,
) -> Result<(), CliError> {
    let text = if connect.json {
        serde_json::to_string_pretty(value).map_err(|error| CliError::Invalid(error.to_string()))?
    } else {
        summary().join("\n")
    };
    if text.is_empty() {
        return Ok(());
    }
    writeln!(out, "{text}").map_err(CliError::stdout)
}

/// The line that tells how to get the next page.
pub(super) fn next_page_line(token: &Option<String>, total: Option<i32>) -> Option<String> {
    token.as_ref().map(|token| {
        let total = total.map(|n| format!(" of {n}")).unwrap_or_default();
        format!("more{total}: --page-token {token}")
    })
}

/// `value` or `-` for tables.
pub(super) fn or_dash(value: &Option<String>) -> &str {
    value.as_deref().filter(|v| !v.is_empty()).unwrap_or("-")
}
