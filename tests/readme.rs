//! The README's first steps, run as written: the file `cargo run --example
//! add_pipeline` writes is the one every following command of "Two commands" reads,
//! and each of those commands succeeds with the `kfp` binary.

#[path = "../examples/add_pipeline.rs"]
#[allow(dead_code)]
mod add_pipeline;

use std::path::Path;
use std::process::Command;

const README: &str = include_str!("../README.md");
const EXAMPLE: &str = include_str!("../examples/add_pipeline.rs");
const KFP: &str = "cargo run --bin kfp -- ";

/// The README's section `## {title}`, up to the next section.
fn section(title: &str) -> &'static str {
    let start = README.find(&format!("\n## {title}\n")).unwrap_or_else(|| panic!("README has no `## {title}`"));
    let body = &README[start + 1..];
    let end = body[3..].find("\n## ").map_or(body.len(), |end| end + 3);
    &body[..end]
}

/// The `kfp` command lines of a section's `sh` blocks, without `cargo run --bin kfp --` and comments.
fn kfp_commands(section: &str) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut in_sh = false;
    for line in section.lines() {
        match line.trim() {
            "```sh" => in_sh = true,
            "```" => in_sh = false,
            line if in_sh && line.starts_with(KFP) => {
                let command = line[KFP.len()..].split(" #").next().unwrap_or_default();
                assert!(!command.contains(['"', '\'']), "quoting is not split here: {line}");
                commands.push(command.split_whitespace().map(str::to_owned).collect());
            }
            _ => {}
        }
    }
    commands
}

fn kfp(args: &[String], dir: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_kfp")).args(args).current_dir(dir).output().expect("run kfp");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "`kfp {}` as the README writes it failed:\n{stdout}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn two_commands_then_validate_graph_and_run_local_the_same_file() {
    let steps = section("Two commands");
    assert!(steps.contains("cargo run --example add_pipeline   # writes add_pipeline.yaml"));
    assert!(EXAMPLE.contains(r#".compile(my_pipeline, "add_pipeline.yaml")"#), "the example writes another file");

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme-two-commands");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    kfp::Compiler::new().compile(add_pipeline::my_pipeline, dir.join("add_pipeline.yaml")).unwrap();

    let commands = kfp_commands(steps);
    let verbs: Vec<&str> = commands.iter().map(|command| command[0].as_str()).collect();
    assert_eq!(verbs, ["validate", "graph", "run-local"]);
    for command in &commands {
        assert!(command.contains(&"add_pipeline.yaml".to_owned()), "{command:?} reads another file");
        let mut args = command.clone();
        if command[0] == "run-local" {
            args.extend(["--run-dir".to_owned(), dir.join("run").display().to_string()]);
        }
        let stdout = kfp(&args, &dir);
        match command[0].as_str() {
            "validate" => assert_eq!(stdout, "add_pipeline.yaml: valid\n"),
            "graph" => assert!(stdout.contains("multiply"), "{stdout}"),
            // What the README says the run prints.
            _ => assert!(stdout.contains("multiply-Output=-7"), "{stdout}"),
        }
    }
}

#[test]
fn later_steps_use_the_same_file_name() {
    let ship = section("Ship pipelines");
    assert!(!ship.contains("add-example.yaml"), "a step reads a file no earlier step wrote");
    assert!(ship.contains("run-local \"add example\" -p value_1=3 -p value_2=4"), "run-local lacks a parameter");
}
