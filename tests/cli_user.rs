//! `kfp::cli` in a user's program: the `#[pipeline]`s of the crate are found
//! without listing them, `list` shows them, `compile` writes one or all.

use kfp::prelude::*;

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[pipeline(name = "add example")]
fn my_pipeline(value_1: i64, #[default(4)] value_2: i64) {
    add_op(value_1, value_2);
}

mod nested {
    use super::*;

    /// Defined in another module, still found.
    #[pipeline]
    pub fn twice(value: i64) {
        add_op(value, value);
    }
}

fn run(args: &[&str]) -> Result<String, kfp::cli::CliError> {
    let mut out = Vec::new();
    let mut all = vec!["my-pipelines"];
    all.extend_from_slice(args);
    kfp::cli::try_run(all, &mut out)?;
    Ok(String::from_utf8(out).expect("UTF-8 output"))
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-user-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn list_shows_every_pipeline_of_the_program() {
    let listed = run(&["list"]).unwrap();
    assert_eq!(
        listed,
        "add example\tcli_user::my_pipeline\t(value_1, value_2=4)\ntwice\tcli_user::nested::twice\t(value)\n"
    );
    let json: serde_json::Value = serde_json::from_str(&run(&["list", "--json"]).unwrap()).unwrap();
    assert_eq!(json[1]["parameters"][0], serde_json::json!({"name": "value", "type": "Integer", "default": null}));
}

#[test]
fn compile_one_by_name_or_rust_name_and_all_into_a_directory() {
    let dir = temp_dir("compile");
    let one = dir.join("one.yaml");
    let said = run(&["compile", "add example", "-o", one.to_str().unwrap()]).unwrap();
    assert_eq!(said, format!("wrote {}\n", one.display()));
    let workflow = kfp::argo::Workflow::from_yaml(&std::fs::read_to_string(&one).unwrap()).unwrap();
    assert_eq!(workflow.metadata.generate_name.as_deref(), Some("add-example-"));
    run(&["compile", "twice", "-o", one.to_str().unwrap()]).unwrap();
    run(&["compile", "cli_user::nested::twice", "-o", one.to_str().unwrap()]).unwrap();

    let all = dir.join("all");
    let said = run(&["compile", "-o", all.to_str().unwrap()]).unwrap();
    assert_eq!(said.lines().count(), 2, "{said}");
    assert!(all.join("add-example.yaml").is_file() && all.join("twice.yaml").is_file());
}

#[test]
fn mistakes_are_explained() {
    let error = run(&["compile", "nope"]).unwrap_err();
    assert_eq!(error.exit_code(), 1);
    assert!(
        error.to_string().contains("no pipeline is named `nope`; this program has: `add example`, `twice`"),
        "{error}"
    );
    let file = temp_dir("mistakes").join("file.yaml");
    std::fs::write(&file, "x").unwrap();
    let error = run(&["compile", "-o", file.to_str().unwrap()]).unwrap_err();
    assert!(error.to_string().contains("is a file"), "{error}");
    let error = run(&["compile", "--bogus"]).unwrap_err();
    assert_eq!(error.exit_code(), 2);
    assert!(error.to_string().contains("--bogus"), "{error}");
}

#[test]
fn help_reads_well() {
    let help = run(&["--help"]).unwrap();
    for command in ["list", "compile", "validate", "graph", "pipeline", "experiment", "run"] {
        assert!(help.contains(&format!("  {command} ")), "{command} missing:\n{help}");
    }
}
