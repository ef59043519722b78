//! `component NAME ARGS...`: runs one prebuilt-image component
//! (`#[component(image = ...)]`) as its container does. The container command
//! the compiler writes for such a component is `<binary> component <name>`
//! followed by the same arguments an embedded-source component gets
//! (`--value-1 3 ----output-paths /tmp/outputs/Output/data`); they go to the
//! component's program, the same wire code in-process runs use (parse each
//! input, call the function, write each output file).

use std::io::Write;

use kfp_core::RegisteredComponent;

use super::CliError;

/// Arguments of `component`.
#[derive(Debug, clap::Args)]
#[command(after_help = "This is what the container of a prebuilt-image component runs; the compiler writes the \
command. By hand:\n  component \"Add numbers\" --value-1 3 --value-2 4 ----output-paths out.txt\n\
Without a name, lists the components this program can run.")]
pub struct Args {
    /// The component (its name, `Add numbers`, its Rust function name or its Rust path),
    /// then its arguments as its container gets them.
    // One list, so that everything after the name goes to the component, even
    // `--help` (the flag of a `help` input).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "NAME> <ARGS")]
    command: Vec<String>,
}

pub(super) fn run(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let Some((name, component_args)) = args.command.split_first() else {
        return list(out);
    };
    let entry = find(name)?;
    let component = entry.component();
    let main = component.local.as_ref().ok_or_else(|| {
        CliError::Invalid(format!("component `{}` has no program in this binary", component.spec.name))
    })?;
    // What the embedded-source program's `fail` prints before exiting with 1.
    main.run(component_args.to_vec())
        .map_err(|message| CliError::ComponentFailed { component: component.spec.name.clone(), message })
}

/// The prebuilt-image components of the program: name, Rust path, image.
fn list(out: &mut dyn Write) -> Result<(), CliError> {
    let all = kfp_core::components();
    if all.is_empty() {
        return Err(CliError::Invalid(
            "this program has no prebuilt-image components: mark one with `#[component(image = \"...\")]`".to_owned(),
        ));
    }
    for entry in all {
        let image = &entry.component().spec.implementation.container.image;
        writeln!(out, "{}\t{}\t{image}", entry.name(), entry.rust_path()).map_err(CliError::stdout)?;
    }
    Ok(())
}

/// The one component `name` names, or an error listing what there is.
fn find(name: &str) -> Result<&'static RegisteredComponent, CliError> {
    let found = kfp_core::registry::find_components(name);
    match found.as_slice() {
        [one] => Ok(one),
        [] => {
            let known: Vec<String> = kfp_core::components().iter().map(|entry| format!("`{}`", entry.name())).collect();
            let known = if known.is_empty() {
                "none (only `#[component(image = \"...\")]` components run from the binary)".to_owned()
            } else {
                known.join(", ")
            };
            Err(CliError::Invalid(format!(
                "no prebuilt-image component is named `{name}`; this program has: {known}. Is the image's binary built from the same code as the compiled pipeline?"
            )))
        }
        several => {
            let paths: Vec<String> = several.iter().map(|entry| entry.rust_path()).collect();
            Err(CliError::Invalid(format!(
                "`{name}` names several components ({}); give them distinct names with `#[component(name = ...)]`",
                paths.join(", ")
            )))
        }
    }
}
