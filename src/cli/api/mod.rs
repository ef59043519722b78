//! The KFP API commands: connection options shared by all, one module per group.

pub(super) mod experiment;
pub(super) mod health;
pub(super) mod pipeline;
pub(super) mod recurring;
pub(super) mod run;

use std::io::Write;
use std::time::Duration;

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
