//! `kfp::cli` in a user's program: the `#[pipeline]`s of the crate are found
//! without listing them, `list` shows them, `compile` writes one or all,
//! `run-local NAME` runs one in process; `component NAME` runs a
//! prebuilt-image component as its container does.

use kfp::prelude::*;

#[component]
fn add(value_1: i64, value_2: i64) -> i64 {
    value_1 + value_2
}

#[pipeline(name = "add example")]
fn my_pipeline(value_1: i64, #[default(4)] value_2: i64) {
    add_op(value_1, value_2);
}

/// Uses the crate around it: a prebuilt-image component.
#[component(image = "registry.example.com/my-pipelines:1", command = "my-pipelines")]
fn halve(value: i64) -> Result<i64, String> {
    if value % 2 != 0 {
        return Err(format!("{value} is odd"));
    }
    Ok(crate::half(value))
}

fn half(value: i64) -> i64 {
    value / 2
}

mod nested {
    use super::*;

    /// Defined in another module, still found.
    #[pipeline]
    pub fn twice(value: i64) {
        add_op(value, value);
        halve_op(value);
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
    assert!(error.to_string().contains("names a file, and this program has 2 pipelines"), "{error}");
    // A new `.yaml` path is a file too: no directory of that name is made.
    let new = file.with_file_name("new.yaml");
    let error = run(&["compile", "-o", new.to_str().unwrap()]).unwrap_err();
    assert!(error.to_string().contains(&format!("(`compile NAME -o {}`)", new.display())), "{error}");
    assert!(!new.exists());
    let error = run(&["compile", "--bogus"]).unwrap_err();
    assert_eq!(error.exit_code(), 2);
    assert!(error.to_string().contains("--bogus"), "{error}");
}

#[test]
fn help_reads_well() {
    let help = run(&["--help"]).unwrap();
    for command in ["list", "compile", "run-local", "component", "validate", "graph", "pipeline", "experiment", "run"] {
        assert!(help.contains(&format!("  {command} ")), "{command} missing:\n{help}");
    }
    let help = run(&["run-local", "--help"]).unwrap();
    assert!(help.contains("<PIPELINE>") && help.contains("this program's pipelines"), "{help}");
    let help = run(&["component", "--help"]).unwrap();
    assert!(
        help.contains("----output-paths") && help.contains("Usage: my-pipelines component [NAME> <ARGS]..."),
        "{help}"
    );
    // After the name, everything is the component's: `--help` would be the flag of a `help` input.
    let error = run(&["component", "Halve", "--help"]).unwrap_err();
    assert!(error.to_string().starts_with("Halve: "), "{error}");
}

#[test]
fn run_local_runs_a_pipeline_of_the_program_in_process() {
    let dir = temp_dir("run-local");
    let run_dir = dir.join("run");
    let table = run(&["run-local", "add example", "-p", "value_1=3", "--run-dir", run_dir.to_str().unwrap()]).unwrap();
    assert!(table.contains("add-Output=7"), "{table}");
    assert!(table.contains("Succeeded"), "{table}");

    // The prebuilt-image component runs in process too, by its Rust name; `--json` as `kfp run-local`.
    let run_dir = dir.join("json");
    let json = run(&["run-local", "twice", "-p", "value=4", "--json", "--run-dir", run_dir.to_str().unwrap()]).unwrap();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["status"], "Succeeded", "{report}");
    let halve = report["tasks"].as_array().unwrap().iter().find(|task| task["id"] == "halve").unwrap();
    assert_eq!(halve["outputs"]["halve-Output"], "2");

    // A failing function fails the run with its message in the log.
    let run_dir = dir.join("fails");
    let error = run(&["run-local", "cli_user::nested::twice", "-p", "value=3", "--run-dir", run_dir.to_str().unwrap()])
        .unwrap_err();
    assert!(error.to_string().contains("ended Failed"), "{error}");
    let log = std::fs::read_to_string(run_dir.join("logs/halve.log")).unwrap();
    assert!(log.contains("Halve: 3 is odd"), "{log}");
}

#[test]
fn run_local_refuses_bad_names_and_params_before_running() {
    let dir = temp_dir("run-local-mistakes");
    let run_dir = dir.join("run");
    let run_dir = run_dir.to_str().unwrap();
    let error = run(&["run-local", "nope", "--run-dir", run_dir]).unwrap_err();
    assert!(
        error.to_string().contains("no pipeline is named `nope` and there is no such Workflow file; this program's pipelines: `add example`, `twice`"),
        "{error}"
    );
    let error = run(&["run-local", "add example", "--run-dir", run_dir]).unwrap_err();
    assert!(error.to_string().contains("missing required parameter `value_1`"), "{error}");
    let error =
        run(&["run-local", "add example", "-p", "value_1=1", "-p", "value_3=1", "--run-dir", run_dir]).unwrap_err();
    assert!(error.to_string().contains("unknown parameter `value_3`: its parameters are value_1, value_2"), "{error}");
    let error = run(&["run-local", "add example", "-p", "value_1=three", "--run-dir", run_dir]).unwrap_err();
    assert!(error.to_string().contains("--param value_1: `three` is not a valid Integer"), "{error}");
    let error = run(&["run-local", "add example", "-p", "value_1", "--run-dir", run_dir]).unwrap_err();
    assert_eq!(error.exit_code(), 2, "{error}");
    assert!(!dir.join("run").exists(), "something ran");

    // A Workflow file still runs as with the `kfp` binary.
    let file = dir.join("add.yaml");
    run(&["compile", "add example", "-o", file.to_str().unwrap()]).unwrap();
    let error = run(&["run-local", file.to_str().unwrap(), "--run-dir", run_dir]).unwrap_err();
    assert!(error.to_string().contains("missing required parameter `value_1`"), "{error}");
}

#[test]
fn run_local_reads_a_parameter_from_a_file_and_holds_it_to_kfps_limit() {
    let dir = temp_dir("run-local-at-file");
    let run_dir = dir.join("run");
    let run_dir = run_dir.to_str().unwrap();
    let value = dir.join("value_1.txt");
    std::fs::write(&value, "3\n").unwrap();
    let table =
        run(&["run-local", "add example", "-p", &format!("value_1=@{}", value.display()), "--run-dir", run_dir])
            .unwrap();
    assert!(table.contains("add-Output=7"), "{table}");

    // A valid integer, but longer than the KFP API takes.
    std::fs::write(&value, format!("{}3", "0".repeat(10_000))).unwrap();
    let error = run(&["run-local", "add example", "-p", &format!("value_1=@{}", value.display())]).unwrap_err();
    assert!(error.to_string().contains("parameter `value_1` is 10001 characters long"), "{error}");
    let missing = dir.join("missing.txt");
    let error = run(&["run-local", "add example", "-p", &format!("value_1=@{}", missing.display())]).unwrap_err();
    assert_eq!(error.exit_code(), 2, "{error}");
    assert!(error.to_string().contains(&format!("cannot read {}", missing.display())), "{error}");
}

#[test]
fn component_runs_a_prebuilt_image_component_as_its_container() {
    let component = halve_component();
    let command: Vec<String> = component
        .spec
        .implementation
        .container
        .command
        .iter()
        .map(|part| serde_json::to_value(part).unwrap().as_str().unwrap().to_owned())
        .collect();
    assert_eq!(command, ["my-pipelines", "component", "Halve"]);

    let out = temp_dir("component").join("outputs/Output/data");
    let out_text = out.to_str().unwrap();
    assert_eq!(run(&["component", "Halve", "--value", "8", "----output-paths", out_text]).unwrap(), "");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "4");

    let error = run(&["component", "halve", "--value", "7", "----output-paths", out_text]).unwrap_err();
    assert_eq!(error.exit_code(), 1);
    assert_eq!(error.to_string(), "Halve: 7 is odd");
    let error = run(&["component", "Halve", "--value", "x", "----output-paths", out_text]).unwrap_err();
    assert!(error.to_string().starts_with("Halve: input value: "), "{error}");
    let error = run(&["component", "Add"]).unwrap_err();
    assert!(
        error.to_string().contains("no prebuilt-image component is named `Add`; this program has: `Halve`"),
        "{error}"
    );
    assert_eq!(run(&["component"]).unwrap(), "Halve\tcli_user::halve\tregistry.example.com/my-pipelines:1\n");
}
