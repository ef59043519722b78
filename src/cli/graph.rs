//! `graph`: draw a Workflow's, or a KFP v2 pipeline IR file's, DAG.

use std::io::Write;
use std::path::PathBuf;

use kfp_core::graph::{render, render_ir, Format};

use super::validate::{read_document, Document};
use super::CliError;

/// Arguments of `graph`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  graph add-example.yaml | dot -Tsvg > add-example.svg\n  graph add-example.yaml --format mermaid >> README.md"
)]
pub struct Args {
    /// The Workflow or KFP v2 pipeline IR YAML file.
    file: PathBuf,
    /// The drawing language.
    #[arg(long, short, value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// `--format` values.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
}

pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let format = match args.format {
        GraphFormat::Dot => Format::Dot,
        GraphFormat::Mermaid => Format::Mermaid,
    };
    let drawing = match read_document(&args.file).map_err(|(error, _)| error)? {
        Document::Workflow(workflow) => {
            render(&workflow, format).map_err(|error| CliError::Invalid(format!("{}: {error}", args.file.display())))?
        }
        Document::Pipeline(pipeline) => render_ir(&pipeline, format),
    };
    match &args.output {
        Some(path) => std::fs::write(path, drawing).map_err(|source| CliError::Io {
            action: "write",
            path: path.display().to_string(),
            source,
        }),
        None => out.write_all(drawing.as_bytes()).map_err(CliError::stdout),
    }
}
