//! The KFP v2 pipeline IR model (`kfp::ir`) against kfp 2.17.3's own files: every golden
//! reads with no unknown field, writes back to the same documents, and a typo is an error
//! naming the field and where it is. Also the IR equivalence check the compiler's tests use.

mod common;

use common::ir_equiv::document_diffs;
use common::{
    assert_ir_equivalent, ir_equivalence_diffs, ir_golden_dir, ir_golden_files, parse_ir_documents, read_fixture,
};
use kfp::ir::PipelineFile;

fn golden(name: &str) -> String {
    read_fixture(&ir_golden_dir().join(format!("{name}.yaml")))
}

fn read(text: &str) -> PipelineFile {
    PipelineFile::from_yaml(text).unwrap_or_else(|error| panic!("{error}\n{text}"))
}

/// The comment lines at the top of a file (kfp's `# PIPELINE DEFINITION` header).
fn header(text: &str) -> Vec<&str> {
    text.lines().take_while(|line| line.starts_with('#')).collect()
}

#[test]
fn every_golden_reads_and_writes_back_the_same_documents() {
    let mut failures = Vec::new();
    for path in ir_golden_files() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = read_fixture(&path);
        let file = match PipelineFile::from_yaml(&text) {
            Ok(file) => file,
            Err(error) => {
                failures.push(format!("{name}: does not read: {error}"));
                continue;
            }
        };
        let written = file.to_yaml().unwrap();
        let reread = match PipelineFile::from_yaml(&written) {
            Ok(reread) => reread,
            Err(error) => {
                failures.push(format!("{name}: what we wrote does not read: {error}\n{written}"));
                continue;
            }
        };
        if reread != file {
            failures.push(format!("{name}: read back differs from what was written"));
        }
        let (ours, kfp) = (parse_ir_documents(&written).unwrap(), parse_ir_documents(&text).unwrap());
        if ours.len() != kfp.len() {
            failures.push(format!("{name}: {} documents written, kfp wrote {}", ours.len(), kfp.len()));
        }
        failures.extend(document_diffs(&ours, &kfp).into_iter().map(|diff| format!("{name}: {diff}")));
        // A dict default is printed in protobuf's map order, which is not the file's.
        let ordered = |text: &str| -> Vec<String> {
            header(text).into_iter().filter(|line| !line.contains("{'")).map(str::to_owned).collect()
        };
        if ordered(&written) != ordered(&text) {
            failures.push(format!(
                "{name}: header\n{}\n!= kfp's\n{}",
                header(&written).join("\n"),
                header(&text).join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_header_prints_defaults_as_kfp_does() {
    let written = read(&golden("parallel_and_nested__nested_pipeline_opt_inputs_parent_level")).to_yaml().unwrap();
    assert_eq!(
        header(&written),
        [
            "# PIPELINE DEFINITION",
            "# Name: nested-pipeline-opt-inputs-parent-level",
            "# Inputs:",
            "#    inputBool: bool [Default: True]",
            "#    inputInt: int [Default: 1.0]",
            "#    inputStr: str [Default: 'Input - parent pipeline']",
        ][..]
    );
    // kfp prints a dict in protobuf's map order; ours is the keys' order.
    let written = read(&golden("pipeline_with_loops_and_conditions")).to_yaml().unwrap();
    assert!(
        written.contains("#    loop_parameter: list [Default: [{'A_a': 'heads', 'B_b': ['A', 'B']}, {'A_a': 'tails', 'B_b': ['X', 'Y', 'Z']}]]\n"),
        "{written}"
    );
    // A component compiled alone keeps its description only there.
    let text = golden("pipeline_with_parallelfor_parallelism");
    let file = read(&text);
    assert_eq!(
        file.description,
        "Utilizes generic dictionary typing (no enforcement of specific key or\nvalue types).\n\nTests flexibility in type handling."
    );
    assert_eq!(header(&file.to_yaml().unwrap()), header(&text));
}

#[test]
fn a_platform_spec_is_the_second_document() {
    let text = golden("pipeline_with_secret_as_volume");
    let file = read(&text);
    let platform = file.platform.as_ref().expect("the platform spec");
    let kubernetes = &platform.platforms[kfp::ir::KUBERNETES];
    let executors = &kubernetes.deployment_spec.as_ref().unwrap().executors;
    let mount = &executors["exec-comp"].secret_as_volume[0];
    assert_eq!(mount.mount_path, "/mnt/my_vol");
    let written = file.to_yaml().unwrap();
    assert_eq!(written.matches("\n---\n").count(), 1, "{written}");
}

#[test]
fn an_unknown_field_is_an_error_naming_it_and_its_path() {
    let text =
        golden("critical__add_numbers").replace("        taskInfo:\n", "        taskInfo:\n          color: red\n");
    let error = PipelineFile::from_yaml(&text).unwrap_err().to_string();
    assert!(error.contains("unknown field `color`"), "{error}");
    assert!(error.contains("root.dag.tasks.add-numbers.taskInfo"), "{error}");
    assert!(error.contains("expected `name`"), "{error}");

    let text = golden("pipeline_with_secret_as_volume").replace("      - mountPath:", "      - mountPoint:");
    let error = PipelineFile::from_yaml(&text).unwrap_err().to_string();
    assert!(error.contains("platform spec (the second YAML document)"), "{error}");
    assert!(error.contains("unknown field `mountPoint`"), "{error}");
    assert!(error.contains("platforms.kubernetes.deploymentSpec.executors.exec-comp.secretAsVolume[0]"), "{error}");
}

#[test]
fn the_protos_snake_case_names_and_numbers_as_strings_read_too() {
    let text = golden("critical__add_numbers");
    let snake = text
        .replace("pipelineInfo:", "pipeline_info:")
        .replace("componentRef:", "component_ref:")
        .replace("parameterType:", "parameter_type:");
    assert_eq!(read(&snake), read(&text));
    let file = read(&golden("pipeline_with_retry"));
    let retry = file
        .spec
        .root
        .as_ref()
        .unwrap()
        .dag
        .as_ref()
        .unwrap()
        .tasks
        .values()
        .find_map(|task| task.retry_policy.clone());
    let retry = retry.expect("a retry policy");
    let as_string = golden("pipeline_with_retry").replace(
        &format!("maxRetryCount: {}", retry.max_retry_count),
        &format!("maxRetryCount: '{}'", retry.max_retry_count),
    );
    assert_eq!(read(&as_string), file);
}

#[test]
fn a_file_holds_at_most_two_documents() {
    let text = golden("pipeline_with_secret_as_volume");
    let error = PipelineFile::from_yaml(&format!("{text}---\nplatforms: {{}}\n")).unwrap_err().to_string();
    assert!(error.contains("3 YAML documents"), "{error}");
    let error = PipelineFile::from_yaml("").unwrap_err().to_string();
    assert!(error.contains("no YAML document"), "{error}");
}

#[test]
fn ir_equivalence_ignores_what_the_readme_says() {
    let kfp = golden("critical__add_numbers");
    // Key order, scalars' form, sdkVersion and comments.
    let ours = read(&kfp).to_yaml().unwrap().replace("sdkVersion: kfp-2.17.3", "sdkVersion: kfp-rs-0.1");
    assert_ir_equivalent(&ours, &kfp, "rewritten");
    let reordered = "schemaVersion: 2.1.0\nroot: {}\n";
    assert_ir_equivalent(reordered, "# a comment\nroot: {}\nschemaVersion: '2.1.0'\n", "reordered");
    assert_ir_equivalent("a: {n: 10, b: true}\n", "a: {n: '10', b: 'true'}\n", "scalars");
    // A Python-function executor's program is ours to choose.
    assert!(kfp.contains("--function_to_execute"));
    let ours = kfp.replace("image: python:3.11", "image: rust:1.85").replace("- add_numbers\n", "- add\n");
    assert_ne!(ours, kfp);
    assert_ir_equivalent(&ours, &kfp, "another program");
}

#[test]
fn ir_equivalence_names_the_path_of_each_difference() {
    let kfp = golden("critical__add_numbers");
    let ours = kfp.replace("name: comp-add-numbers\n", "name: comp-add\n");
    let diffs = ir_equivalence_diffs(&ours, &kfp);
    assert_eq!(
        diffs,
        ["PipelineSpec.root.dag.tasks.add-numbers.componentRef.name: ours \"comp-add\" != golden \"comp-add-numbers\""]
    );

    let ours = kfp.replace(
        "      b:\n        parameterType: NUMBER_INTEGER\n",
        "      b:\n        isOptional: true\n        parameterType: NUMBER_INTEGER\n",
    );
    assert_ne!(ours, kfp);
    let diffs = ir_equivalence_diffs(&ours, &kfp);
    assert_eq!(diffs, ["PipelineSpec.root.inputDefinitions.parameters.b.isOptional: extra in ours: true"]);

    // A container that is not a Python function is compared whole.
    let kfp = golden("container_io");
    let ours = kfp.replace("image: registry.access.redhat.com/ubi9/python-311:latest", "image: busybox");
    assert_ne!(ours, kfp);
    let diffs = ir_equivalence_diffs(&ours, &kfp);
    assert!(
        diffs.iter().any(|diff| diff.contains("deploymentSpec.executors.") && diff.contains(".container.image")),
        "{diffs:?}"
    );

    // The platform spec is compared too, and must be there.
    let kfp = golden("pipeline_with_secret_as_volume");
    let (spec, _) = kfp.split_once("\n---\n").unwrap();
    let diffs = ir_equivalence_diffs(&format!("{spec}\n"), &kfp);
    assert_eq!(diffs.len(), 1, "{diffs:?}");
    assert!(diffs[0].contains("ours has 1 YAML document, golden 2"), "{diffs:?}");
    let ours = kfp.replace("mountPath: /mnt/my_vol", "mountPath: /mnt/other");
    let diffs = ir_equivalence_diffs(&ours, &kfp);
    assert_eq!(
        diffs,
        ["PlatformSpec(document 2).platforms.kubernetes.deploymentSpec.executors.exec-comp.secretAsVolume[0].mountPath: ours \"/mnt/other\" != golden \"/mnt/my_vol\""]
    );
}

#[test]
fn hostile_text_is_refused_before_it_is_parsed() {
    let deep = format!("pipelineInfo: {{name: p}}\nroot: {}", "[".repeat(100_000));
    let error = PipelineFile::from_yaml(&deep).unwrap_err();
    assert!(error.to_string().contains("nesting deeper than 128 levels"), "{error}");
    assert_eq!(error.location().map(|(line, _)| line), Some(2), "{error}");
}
