//! `list`: the pipelines linked into this program.

use std::io::Write;

use super::CliError;

/// Arguments of `list`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON (name, rust_path, description, parameters) instead of a table.
    #[arg(long)]
    json: bool,
}

pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let pipelines = kfp_core::pipelines();
    if args.json {
        let list: Vec<serde_json::Value> = pipelines
            .iter()
            .map(|entry| {
                let info = entry.pipeline().info();
                let params: Vec<serde_json::Value> = info
                    .params
                    .iter()
                    .map(|p| serde_json::json!({"name": p.name, "type": p.ty.type_name, "default": p.default}))
                    .collect();
                serde_json::json!({
                    "name": info.name,
                    "rust_path": entry.rust_path(),
                    "description": info.description,
                    "parameters": params,
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".to_owned());
        return writeln!(out, "{text}").map_err(CliError::stdout);
    }
    if pipelines.is_empty() {
        return Err(CliError::Invalid(
            "this program has no pipelines: define a `#[pipeline]` function in its crate (or in a crate it uses)"
                .to_owned(),
        ));
    }
    for entry in pipelines {
        let info = entry.pipeline().info();
        let params: Vec<String> = info
            .params
            .iter()
            .map(|p| match &p.default {
                Some(default) => format!("{}={default}", p.name),
                None => p.name.clone(),
            })
            .collect();
        writeln!(out, "{}\t{}\t({})", info.name, entry.rust_path(), params.join(", ")).map_err(CliError::stdout)?;
    }
    Ok(())
}
